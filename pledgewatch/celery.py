"""The Celery application, configured from Django settings (CELERY_* names)."""

from __future__ import annotations

import logging
import os

from celery import Celery
from celery.signals import celeryd_after_setup, task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pledgewatch.settings")

app = Celery("pledgewatch")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

logger = logging.getLogger("pledgewatch.celery")


@celeryd_after_setup.connect(dispatch_uid="pledgewatch.celery.log_worker_setup")
def log_worker_setup(sender: str, instance, **kwargs) -> None:
    """What Celery's banner says (which `--quiet` turns off, being plain text), as a log line."""
    queues = sorted(instance.app.amqp.queues.consume_from or instance.app.amqp.queues)
    logger.info(
        "worker %s starting: %s processes, queues %s",
        sender,
        instance.concurrency,
        ", ".join(queues),
        extra={"hostname": sender, "concurrency": instance.concurrency, "queues": queues},
    )


@celeryd_after_setup.connect(dispatch_uid="pledgewatch.celery.compile_gazetteer")
def compile_gazetteer_before_forking(sender: str, instance, **kwargs) -> None:
    """Compile the extractor's gazetteer in the main process, before the pool forks: every
    pool process, and each one that replaces it after CELERY_WORKER_MAX_TASKS_PER_CHILD
    tasks, then starts with it instead of spending about half a second on its first article.
    A pool process still compiles again when editors change the names."""
    from django.db import DatabaseError, connections

    from ingest.gazetteers import known_names

    try:
        known_names().gazetteer.compiled  # noqa: B018 (a cached property, computed here)
    except DatabaseError:
        logger.warning("the gazetteer is compiled on first use: no database", exc_info=True)
    finally:
        # Pool processes must not share the main process's database connections.
        connections.close_all()


@task_prerun.connect(dispatch_uid="pledgewatch.celery.connections_before")
@task_postrun.connect(dispatch_uid="pledgewatch.celery.connections_after")
def reuse_database_connections(task=None, **kwargs) -> None:
    """Around each task, what Django does around each request: drop the database connections
    that broke or outlived CONN_MAX_AGE, keep the others (CELERY_DB_REUSE_MAX stops Celery
    from closing them all). A task run eagerly inside a request leaves them to the request."""
    if task is not None and not task.request.is_eager:
        from django.db import close_old_connections

        close_old_connections()
