"""Structured logs: one JSON object per line, carrying the request id or the Celery task.

`log_context` holds what the current request or task is; `ContextFilter` copies it onto
every record, `JsonFormatter` writes the record as JSON. Importing this module (settings'
LOGGING does, in web and worker processes alike) connects the Celery signals that set the
task id and name around each task, and turns Python warnings into log records.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from contextvars import ContextVar, Token

from celery.signals import task_postrun, task_prerun

log_context: ContextVar[dict[str, str]] = ContextVar("log_context", default={})  # noqa: B039

CONTEXT_FIELDS = ("request_id", "task_id", "task_name")

# Attributes every LogRecord has; anything else on a record came from `extra=`.
_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime", *CONTEXT_FIELDS}


class ContextFilter(logging.Filter):
    """Puts the current request id, task id and task name on every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        context = log_context.get()
        for name in CONTEXT_FIELDS:
            setattr(record, name, context.get(name, ""))
        record.context = " ".join(f"{k}={v}" for k, v in context.items()) + " " if context else ""
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, context, exception."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in CONTEXT_FIELDS:
            value = getattr(record, name, "") or log_context.get().get(name, "")
            if value:
                entry[name] = value
        for name, value in record.__dict__.items():
            if name not in _STANDARD and name != "context" and not name.startswith("_"):
                entry[name] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def bind(**fields: str) -> Token:
    """Adds fields to the log context until `unbind(token)`."""
    return log_context.set({**log_context.get(), **fields})


def unbind(token: Token) -> None:
    try:
        log_context.reset(token)
    except ValueError:
        # Reset from another context than the one that set it: start clean instead.
        log_context.set({})


_task_tokens: dict[str, Token] = {}


@task_prerun.connect(dispatch_uid="pledgewatch.logging.task_prerun")
def _task_started(task_id: str, task, **kwargs) -> None:
    _task_tokens[task_id] = bind(task_id=task_id, task_name=task.name)


@task_postrun.connect(dispatch_uid="pledgewatch.logging.task_postrun")
def _task_finished(task_id: str, **kwargs) -> None:
    token = _task_tokens.pop(task_id, None)
    if token is not None:
        unbind(token)


# Python warnings (a library's UserWarning, Celery's warning about running as root) are
# written to stderr as text; as log records they come out in the same format as the rest.
logging.captureWarnings(True)
