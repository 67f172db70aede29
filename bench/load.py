"""A small asyncio HTTP load generator: N connections in a loop for a fixed time."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass


@dataclass
class LoadResult:
    requests: int = 0
    errors: int = 0
    seconds: float = 0.0
    bytes: int = 0

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


async def _one(host: str, port: int, request: bytes) -> tuple[int, int]:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(request)
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = None
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
        body = await (reader.readexactly(length) if length is not None else reader.read())
        return status, len(head) + len(body)
    finally:
        writer.close()


async def _run(host: str, port: int, path: str, seconds: float, connections: int) -> LoadResult:
    # The headers a browser sends on a first visit: no cookie, and gzip accepted.
    request = (
        f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUser-Agent: pledgewatch-bench\r\n"
        "Accept: text/html\r\nAccept-Encoding: gzip, deflate, br\r\nConnection: close\r\n\r\n"
    ).encode()
    result = LoadResult()
    deadline = time.perf_counter() + seconds

    async def loop() -> None:
        while time.perf_counter() < deadline:
            try:
                status, size = await _one(host, port, request)
            except (OSError, asyncio.IncompleteReadError, ValueError, IndexError):
                result.errors += 1
                continue
            result.requests += 1
            result.bytes += size
            if status != 200:
                result.errors += 1

    started = time.perf_counter()
    await asyncio.gather(*(loop() for _ in range(connections)))
    result.seconds = time.perf_counter() - started
    return result


def hammer(host: str, port: int, path: str, seconds: float, connections: int = 16) -> LoadResult:
    """Request `path` as fast as `connections` concurrent clients can for `seconds`."""
    assert host == "127.0.0.1", "load tests only ever target 127.0.0.1"
    return asyncio.run(_run(host, port, path, seconds, connections))
