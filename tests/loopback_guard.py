"""Pytest plugin: for the whole run, sockets may connect only to loopback or Unix sockets.

A second line of defence behind `ingest.web.netguard`: even with a broken guard, no test can
send a packet to 169.254.169.254, 10.0.0.1 or the internet.
"""

from __future__ import annotations

import ipaddress
import socket
from typing import Any

_original_connect = socket.socket.connect
_original_connect_ex = socket.socket.connect_ex


class NonLoopbackConnectRefused(ConnectionRefusedError):
    """Raised instead of connecting anywhere but this machine's loopback interface."""


def refusal(family: int, address: Any) -> str | None:
    """Why a connect to `address` is refused, or None when it stays on this machine."""
    if family not in (socket.AF_INET, socket.AF_INET6):
        return None
    host = address[0]
    if host == "localhost":
        return None
    try:
        ip = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return f"tests may only connect to loopback addresses, not to the name {host!r}"
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return None
    return f"tests may only connect to loopback addresses, not to {ip}"


def _guarded_connect(self: socket.socket, address: Any) -> None:
    reason = refusal(self.family, address)
    if reason is not None:
        raise NonLoopbackConnectRefused(reason)
    _original_connect(self, address)


def _guarded_connect_ex(self: socket.socket, address: Any) -> int:
    reason = refusal(self.family, address)
    if reason is not None:
        raise NonLoopbackConnectRefused(reason)
    return _original_connect_ex(self, address)


def pytest_configure(config: Any) -> None:
    # socket.create_connection and ssl.SSLSocket both end in socket.socket.connect.
    socket.socket.connect = _guarded_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _guarded_connect_ex  # type: ignore[method-assign]


def pytest_unconfigure(config: Any) -> None:
    socket.socket.connect = _original_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _original_connect_ex  # type: ignore[method-assign]
