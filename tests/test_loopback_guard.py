"""The test-session socket guard: nothing but loopback and Unix sockets can be connected to."""

from __future__ import annotations

import socket

import pytest

from tests import loopback_guard
from tests.stub_server import StubServer


@pytest.fixture
def spy_on_real_connect(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Record every address that reaches the real connect, i.e. could send a packet."""
    reached: list[object] = []
    real_connect = loopback_guard._original_connect

    def spy(sock: socket.socket, address: object) -> None:
        reached.append(address)
        real_connect(sock, address)

    monkeypatch.setattr(loopback_guard, "_original_connect", spy)
    return reached


@pytest.mark.parametrize(
    ("family", "address"),
    [
        (socket.AF_INET, ("10.0.0.1", 80)),
        (socket.AF_INET, ("169.254.169.254", 80)),
        (socket.AF_INET, ("93.184.216.34", 443)),
        (socket.AF_INET, ("example.com", 80)),
        (socket.AF_INET6, ("2606:4700:4700::1111", 443, 0, 0)),
        (socket.AF_INET6, ("::ffff:10.0.0.1", 80, 0, 0)),
    ],
)
def test_outside_addresses_are_refused_before_any_packet(
    spy_on_real_connect: list[object], family: int, address: tuple[object, ...]
) -> None:
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        with pytest.raises(ConnectionRefusedError, match="loopback"):
            sock.connect(address)
        with pytest.raises(ConnectionRefusedError):
            sock.connect_ex(address)
    assert spy_on_real_connect == []


def test_create_connection_is_refused_too() -> None:
    with pytest.raises(OSError, match="loopback"):
        socket.create_connection(("10.0.0.1", 80), timeout=1)


def test_loopback_connections_still_work(
    stub_server: StubServer, spy_on_real_connect: list[object]
) -> None:
    with socket.create_connection(("127.0.0.1", stub_server.port), timeout=2):
        pass
    assert spy_on_real_connect == [("127.0.0.1", stub_server.port)]


def test_unix_sockets_are_allowed() -> None:
    assert loopback_guard.refusal(socket.AF_UNIX, "/run/postgresql/.s.PGSQL.5432") is None
