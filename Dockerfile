# One image for web, worker and beat.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DEBUG=false

WORKDIR /app
COPY pyproject.toml README.md ./
COPY pledgewatch ./pledgewatch
COPY pledges ./pledges
COPY ingest ./ingest
COPY api ./api
RUN pip install .
COPY . .
# collectstatic needs some SECRET_KEY; this one is never used to sign anything.
RUN SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput

# The data releases volume mounts here; made now so that the non-root user owns it.
RUN mkdir -p /app/data-releases && useradd --system --uid 10001 pledgewatch && chown -R pledgewatch /app
USER pledgewatch
EXPOSE 8000
# Port, workers (WEB_CONCURRENCY) and JSON logging: gunicorn.conf.py.
CMD ["gunicorn", "pledgewatch.wsgi:application"]
