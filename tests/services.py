"""Which real services a test needs, and what to do when one is absent.

Outside CI a missing service skips the test with the reason; with CI=true it fails, so a
green CI run always means the tests ran against the real thing.
"""

from __future__ import annotations

import os
import shutil
import socket

import pytest
from django.conf import settings

IN_CI = os.environ.get("CI", "").lower() == "true"


def unavailable(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"CI=true but {reason}", pytrace=False)
    pytest.skip(reason)


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(path):
        unavailable("Chromium is not installed (apt-get install chromium)")
    return path


def require_postgres() -> None:
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        unavailable("needs PostgreSQL: set DATABASE_URL=postgres://...")


def redis_url() -> str:
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    host, port = "127.0.0.1", 6379
    rest = url.split("://", 1)[-1].split("/", 1)[0]
    if ":" in rest:
        host, port_text = rest.rsplit(":", 1)
        port = int(port_text)
    try:
        socket.create_connection((host, port), timeout=1).close()
    except OSError:
        unavailable(f"needs Redis at {host}:{port} (TEST_REDIS_URL)")
    return url
