"""gunicorn's settings, read from the working directory (the image's /app): the web service
serves on port 8000 and logs like every other process, one JSON object per line."""

from __future__ import annotations

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
# No access log: pledgewatch.request_id already logs every request as JSON (method, path,
# status, duration, request id); gunicorn's text line would say the same thing again.
accesslog = None
# Nothing here uses gunicorn's control socket, and the image's user has no home to put it in.
control_socket_disable = True
# LOG_FORMAT=plain (as for Django and Celery) keeps gunicorn's own text lines.
if os.environ.get("LOG_FORMAT", "json") == "json":
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"context": {"()": "pledgewatch.logging.ContextFilter"}},
        "formatters": {"json": {"()": "pledgewatch.logging.JsonFormatter"}},
        "handlers": {
            "json": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "filters": ["context"],
                "stream": "ext://sys.stderr",
            }
        },
        "root": {"handlers": ["json"], "level": "INFO"},
        # No level here: gunicorn sets its own from --log-level.
        "loggers": {"gunicorn.error": {"handlers": ["json"], "propagate": False}},
    }
