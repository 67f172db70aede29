"""Pytest plugin: a PostgreSQL cluster and a Redis server of the tests' own, to stop and start.

Outage tests must never touch the machine's shared servers, so these run from temporary
folders on free ports: `initdb` + `pg_ctl` (as the `postgres` user when the tests run as
root, since PostgreSQL refuses root) and `redis-server` without persistence. Where the
binaries are missing the tests skip with the reason, or fail when CI=true.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from .services import unavailable

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _postgres_bin() -> Path | None:
    found = glob.glob("/usr/lib/postgresql/*/bin/initdb")
    found.sort(key=lambda path: int(Path(path).parts[-3]) if Path(path).parts[-3].isdigit() else 0)
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


class PostgresCluster:
    """A throwaway cluster: `start()`, `stop()` (fast shutdown, connections cut), `url()`."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        self.port = free_port()
        self.home = Path(tempfile.mkdtemp(prefix="pledgewatch-pg-"))
        self.data = self.home / "data"
        self.log = self.home / "postgres.log"
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            try:
                owner = pwd.getpwnam("postgres")
            except KeyError:
                unavailable("running as root, and there is no postgres user to run PostgreSQL")
            os.chown(self.home, owner.pw_uid, owner.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self.home.chmod(0o755)
        self._run(
            "initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust",
            "--encoding=UTF8", "--no-sync",
        )  # fmt: skip

    def _run(self, program: str, *args: str) -> None:
        done = subprocess.run(
            [*self.as_user, str(self.bin_dir / program), *args],
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        if done.returncode:
            log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise RuntimeError(f"{program} failed: {done.stderr}{done.stdout}\n{log}")

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.home} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off"
        )
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.log),
                  "-w", "-t", "60", "start")  # fmt: skip

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "-t", "60", "stop")

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def execute(self, sql: str, database: str = "postgres") -> None:
        with psycopg.connect(self.url(database), autocommit=True) as connection:
            connection.execute(sql)

    def destroy(self) -> None:
        with contextlib.suppress(RuntimeError):  # already stopped
            self.stop()
        shutil.rmtree(self.home, ignore_errors=True)


class RedisServer:
    """A throwaway redis-server without persistence: a stop loses everything queued."""

    def __init__(self, binary: str) -> None:
        self.binary = binary
        self.port = free_port()
        self.home = Path(tempfile.mkdtemp(prefix="pledgewatch-redis-"))
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.home)],
            stdout=(self.home / "redis.log").open("ab"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.ping():
                return
            time.sleep(0.1)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        """Like a crash: SIGKILL, so whatever was queued is gone."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def destroy(self) -> None:
        self.stop()
        shutil.rmtree(self.home, ignore_errors=True)


@pytest.fixture(scope="session")
def throwaway_postgres() -> Iterator[PostgresCluster]:
    """A running cluster of the tests' own, with `pledgewatch_template`: migrated and seeded,
    for `CREATE DATABASE ... TEMPLATE` in a second."""
    bin_dir = _postgres_bin()
    if bin_dir is None:
        unavailable(
            "needs the PostgreSQL server binaries (initdb, pg_ctl: apt-get install postgresql)"
        )
    cluster = PostgresCluster(bin_dir)
    try:
        cluster.start()
        cluster.execute("CREATE DATABASE pledgewatch_template")
        env = {**os.environ, "DATABASE_URL": cluster.url("pledgewatch_template"),
               "CELERY_BROKER_URL": ""}  # fmt: skip
        for command in (["migrate", "--noinput"], ["load_seed"]):
            subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env,
                           check=True, capture_output=True, timeout=300)  # fmt: skip
        yield cluster
    finally:
        cluster.destroy()


@pytest.fixture
def throwaway_database(throwaway_postgres) -> Iterator[str]:
    """A new migrated, seeded database in the throwaway cluster; returns its URL."""
    name = f"outage_{os.getpid()}_{time.monotonic_ns()}"
    throwaway_postgres.execute(f"CREATE DATABASE {name} TEMPLATE pledgewatch_template")
    yield throwaway_postgres.url(name)
    if not _accepting(throwaway_postgres):
        throwaway_postgres.start()  # a failed test may have left it stopped
    throwaway_postgres.execute(f"DROP DATABASE {name} WITH (FORCE)")


def _accepting(cluster: PostgresCluster) -> bool:
    try:
        cluster.execute("SELECT 1")
    except psycopg.OperationalError:
        return False
    return True


@pytest.fixture
def throwaway_redis() -> Iterator[RedisServer]:
    binary = shutil.which("redis-server")
    if binary is None:
        unavailable("needs redis-server (apt-get install redis-server)")
    server = RedisServer(binary)
    server.start()
    yield server
    server.destroy()
