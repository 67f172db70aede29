"""Docker's health probe for the web service: `python pledgewatch/healthcheck.py [URL]`.

Exits 0 when /healthz answers 200 and 1 otherwise (503: database or broker down; no answer).
Django refuses a Host header it does not serve, so the probe sends the first host that
ALLOWED_HOSTS names. Run as a script, with the standard library only: it runs every few
seconds and must not load Django or Celery.
"""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request

DEFAULT_URL = "http://127.0.0.1:8000/healthz"
TIMEOUT_SECONDS = 5


def probe_host(allowed_hosts: str) -> str:
    """The first concrete host of a comma-separated ALLOWED_HOSTS (".example.org" serves
    example.org itself; "*" names no host)."""
    for entry in allowed_hosts.split(","):
        host = entry.strip().lstrip(".")
        if host and host != "*":
            return host
    return "localhost"


def main(argv: list[str]) -> int:
    url = argv[1] if len(argv) > 1 else DEFAULT_URL
    if not url.startswith(("http://", "https://")):
        print(f"healthcheck: not an http(s) URL: {url}", file=sys.stderr)
        return 2
    host = probe_host(os.environ.get("ALLOWED_HOSTS", ""))
    request = urllib.request.Request(url, headers={"Host": host})  # noqa: S310 (checked above)
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    except OSError as error:  # refused, timed out, reset
        print(f"healthcheck: {url} did not answer: {error}", file=sys.stderr)
        return 1
    if status != 200:
        print(f"healthcheck: {url} answered {status}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
