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


@task_prerun.connect(dispatch_uid="pledgewatch.celery.connections_before")
@task_postrun.connect(dispatch_uid="pledgewatch.celery.connections_after")
def reuse_database_connections(task=None, **kwargs) -> None:
    """Around each task, what Django does around each request: drop the database connections
    that broke or outlived CONN_MAX_AGE, keep the others (CELERY_DB_REUSE_MAX stops Celery
    from closing them all). A task run eagerly inside a request leaves them to the request."""
    if task is not None and not task.request.is_eager:
        from django.db import close_old_connections

        close_old_connections()
