"""`make bench` (`python -m bench`): every measurement of issue 4 in one run, printed as one
JSON object and written to bench/results.json.

BENCH_DB=sqlite (default) runs on SQLite files in a temporary folder; BENCH_DB=postgres on
throwaway databases (pledgewatch_bench*) created and dropped on BENCH_POSTGRES_URL
(default postgres://postgres@127.0.0.1:5432). Ingestion goes through Redis database
BENCH_REDIS_DB (default 9) of BENCH_REDIS_URL (default redis://127.0.0.1:6379), which the run
empties. Nothing touches the developer's database. Every server listens on 127.0.0.1 only.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from xml.sax.saxutils import escape

from bench.cpu import CpuWindow

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent
HOST = "127.0.0.1"
RESULTS = ROOT / "bench" / "results.json"
HTTP_REPEATS = 15
WARMUP = 3
ARTICLES = int(os.environ.get("BENCH_ARTICLES", "1000"))


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


# --- Databases -------------------------------------------------------------------------------


class Databases:
    """Three throwaway databases: the seed data, the large demo set, and one for ingestion."""

    NAMES = ("small", "large", "ingest")

    def __init__(self, kind: str, work: Path) -> None:
        self.kind = kind
        self.work = work
        self.server = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")

    def url(self, name: str) -> str:
        if self.kind == "sqlite":
            return f"sqlite:///{self.work / f'{name}.sqlite3'}"
        return f"{self.server}/{self._pg_name(name)}"

    @staticmethod
    def _pg_name(name: str) -> str:
        return "pledgewatch_bench" if name == "large" else f"pledgewatch_bench_{name}"

    def _admin(self, statements: list[str]) -> None:
        import psycopg

        with psycopg.connect(f"{self.server}/postgres", autocommit=True) as connection:
            for statement in statements:
                connection.execute(statement)

    def create(self) -> None:
        if self.kind == "postgres":
            self._admin(
                [
                    statement
                    for name in self.NAMES
                    for statement in (
                        f"DROP DATABASE IF EXISTS {self._pg_name(name)} WITH (FORCE)",
                        f"CREATE DATABASE {self._pg_name(name)}",
                    )
                ]
            )

    def drop(self) -> None:
        if self.kind == "postgres":
            self._admin(
                [f"DROP DATABASE IF EXISTS {self._pg_name(n)} WITH (FORCE)" for n in self.NAMES]
            )


def base_env(work: Path) -> dict[str, str]:
    """Production settings, except plain HTTP on 127.0.0.1."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DEBUG": "false",
            "SECRET_KEY": "bench-only-secret-key-" + os.urandom(16).hex(),
            "ALLOWED_HOSTS": "127.0.0.1,testserver",
            "SECURE_SSL_REDIRECT": "false",
            "SESSION_COOKIE_SECURE": "false",
            "CSRF_COOKIE_SECURE": "false",
            "SECURE_HSTS_SECONDS": "0",
            "STATIC_ROOT": str(work / "static"),
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout.strip()


def python_json(env: dict[str, str], *args: str) -> dict:
    done = subprocess.run(
        [PYTHON, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode:
        raise RuntimeError(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- Servers ---------------------------------------------------------------------------------


@contextlib.contextmanager
def serving(
    command: list[str], env: dict[str, str], port: int, ready_path: str, log_path: Path
) -> Iterator[subprocess.Popen]:
    with open(log_path, "wb") as output:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                with contextlib.suppress(OSError, http.client.HTTPException):
                    if get(port, ready_path)[0] == 200:
                        break
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{command[0]} did not start; see {log_path}")
                time.sleep(0.2)
            yield process
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def get(
    port: int, path: str, headers: dict[str, str] | None = None
) -> tuple[int, http.client.HTTPMessage, bytes]:
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        connection.request("GET", path, headers={"Accept": "text/html", **(headers or {})})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def timed_ms(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants."""
    total_kb = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        with contextlib.suppress(FileNotFoundError, ProcessLookupError):
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total_kb += int(line.split()[1])
            for task in Path(f"/proc/{current}/task").iterdir():
                pending.extend(int(c) for c in (task / "children").read_text().split())
    return total_kb / 1024


# --- Measurements ----------------------------------------------------------------------------


def prepare(databases: Databases, env: dict[str, str], results: dict) -> None:
    for name in Databases.NAMES:
        db_env = {**env, "DATABASE_URL": databases.url(name)}
        log(f"migrate + load_seed: {name}")
        manage(db_env, "migrate", "--noinput")
        manage(db_env, "load_seed")
        if name == "large":
            log("generate_demo_data (full scale)")
            started = time.perf_counter()
            log(manage(db_env, "generate_demo_data", "--scale", os.environ.get("BENCH_SCALE", "1")))
            results["generate_demo_data_s"] = time.perf_counter() - started
    manage(env | {"DATABASE_URL": databases.url("small")}, "collectstatic", "--noinput")


def measure_pages(databases: Databases, env: dict[str, str], results: dict) -> None:
    for size in ("small", "large"):
        log(f"page timings: {size}")
        results.update(
            python_json(
                {**env, "DATABASE_URL": databases.url(size)}, "-m", "bench.pages", "--size", size
            )
        )


def peer_database(databases: Databases, env: dict[str, str]) -> Path:
    """The large data set as an SQLite file for Datasette."""
    peer = databases.work / "pledgewatch.sqlite3"
    if databases.kind == "sqlite":
        large = databases.work / "large.sqlite3"
        with contextlib.closing(sqlite3.connect(large)) as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        shutil.copyfile(large, peer)
    else:
        from bench.export_sqlite import export

        log("exporting the large PostgreSQL data set to SQLite for Datasette")
        manage({**env, "DATABASE_URL": f"sqlite:///{peer}"}, "migrate", "--noinput")
        export(databases.url("large"), str(peer))
    with contextlib.closing(sqlite3.connect(peer)) as connection:
        connection.execute("PRAGMA journal_mode=DELETE")
    return peer


def measure_http(databases: Databases, env: dict[str, str], results: dict) -> None:
    peer = peer_database(databases, env)
    web_port, peer_port = free_port(), free_port()
    # The bench's one client would meet the anonymous API rate limit; it measures, not abuses.
    web_env = {**env, "DATABASE_URL": databases.url("large"), "API_ANON_RATE": "1000000/min"}
    gunicorn = [
        PYTHON, "-m", "gunicorn", "pledgewatch.wsgi:application",
        "--bind", f"{HOST}:{web_port}", "--workers", "3", "--log-level", "warning",
    ]  # fmt: skip
    datasette = [
        str(BIN / "datasette"), "serve", "--immutable", str(peer),
        "--host", HOST, "--port", str(peer_port),
        "--setting", "facet_time_limit_ms", "10000",
        "--setting", "sql_time_limit_ms", "20000",
    ]  # fmt: skip
    facet_path = "/pledgewatch/pledges_pledge?_facet=nation_id&_facet=pledge_type_id"
    work = databases.work
    with (
        serving(gunicorn, web_env, web_port, "/bench/trivial/", work / "gunicorn.log"),
        serving(datasette, env, peer_port, "/-/versions.json", work / "datasette.log"),
    ):
        log("matrix over HTTP vs Datasette's facet page")
        for _ in range(WARMUP):
            assert get(web_port, "/")[0] == 200
            status, _, body = get(peer_port, facet_path)
            assert status == 200 and b"facet-info" in body, body[:500]
        ours, theirs = [], []
        for _ in range(HTTP_REPEATS):
            ours.append(timed_ms(lambda: get(web_port, "/")))
            theirs.append(timed_ms(lambda: get(peer_port, facet_path)))
        results["matrix_http_ms.large"] = statistics.median(ours)
        results["peer_facet_ms.large"] = statistics.median(theirs)
        results["peer_facet_bytes.large"] = len(get(peer_port, facet_path)[2])
        results.update(api_against_datasette(web_port, peer_port))

        log("conditional GET")
        results.update(conditional_get(web_port))

        from bench.load import hammer

        seconds = float(os.environ.get("BENCH_LOAD_SECONDS", "20"))
        for key, path in (("trivial", "/bench/trivial/"), ("matrix", "/")):
            log(f"load: {path} for {seconds:.0f} s")
            hammer(HOST, web_port, path, 2)
            load = hammer(HOST, web_port, path, seconds)
            results[f"load_{key}_rps"] = load.per_second
            results[f"load_{key}_errors"] = load.errors
            results[f"load_{key}_requests"] = load.requests
            results[f"load_{key}_bytes_per_response"] = load.bytes // max(load.requests, 1)


# The same 100 statements (the first by id) as JSON: our API's page, Datasette's table rows.
API_PATHS = {
    "pledges": "/api/v1/pledges/?page_size=100",
    "matrix": "/api/v1/matrix/?page_size=100",
}
PEER_ROWS_PATH = "/pledgewatch/pledges_pledge.json?_size=100&_shape=array&_sort=id"


def api_against_datasette(web_port: int, peer_port: int) -> dict:
    """Median ms of the API's list and matrix pages next to Datasette's JSON of as many rows
    (reported, not a target: the API also joins conditions, sources and quotes per row)."""
    json_only = {"Accept": "application/json"}
    log("JSON API vs Datasette's JSON rows")
    for path in API_PATHS.values():
        status, _, body = get(web_port, path, json_only)
        assert status == 200 and body.startswith(b"{"), (path, status, body[:300])
    assert get(peer_port, PEER_ROWS_PATH)[0] == 200
    results = {}
    for key, path in API_PATHS.items():
        results[f"api_{key}_ms.large"] = statistics.median(
            timed_ms(lambda path=path: get(web_port, path, json_only)) for _ in range(HTTP_REPEATS)
        )
    results["peer_rows_json_ms.large"] = statistics.median(
        timed_ms(lambda: get(peer_port, PEER_ROWS_PATH)) for _ in range(HTTP_REPEATS)
    )
    return results


def conditional_get(port: int) -> dict:
    """A browser's repeat visit: it sends back the cookie and the ETag it was given."""
    status, headers, _ = get(port, "/")
    etag = headers.get("ETag")
    cookies = "; ".join(
        value.split(";", 1)[0] for name, value in headers.items() if name.lower() == "set-cookie"
    )
    repeat = get(port, "/", {"If-None-Match": etag or "", "Cookie": cookies})
    _, partial_headers, _ = get(port, "/", {"HX-Request": "true", "Cookie": cookies})
    partial_etag = partial_headers.get("ETag")
    partial_repeat = get(
        port, "/", {"HX-Request": "true", "If-None-Match": partial_etag or "", "Cookie": cookies}
    )
    return {
        "etag_first_status": status,
        "etag_repeat_status": repeat[0],
        "etag_repeat_bytes": len(repeat[2]),
        "etag_partial_repeat_status": partial_repeat[0],
        "etag_partial_differs": bool(etag) and etag != partial_etag,
    }


def measure_extraction(results: dict) -> None:
    import trafilatura

    from bench.articles import articles
    from ingest.extractor import default_gazetteer, load_backend
    from ingest.extractor.backends import DEFAULT_BACKEND
    from tests.stub_server import article_html

    gazetteer = default_gazetteer()
    extractor = load_backend(os.environ.get("PLEDGE_EXTRACTOR") or DEFAULT_BACKEND)

    def html_to_text(page: str) -> str:
        document = trafilatura.bare_extraction(
            page, url="https://bench.example/", with_metadata=True, include_comments=False,
            include_tables=False,
        )  # fmt: skip
        return document.text

    def compare(pages: list[str]) -> tuple[float, float, list[str], int]:
        """Median ms per page of our extractor and of trafilatura, the pages' texts and how
        many candidates they hold (the untimed first pass, which warms up)."""
        texts = [html_to_text(page) for page in pages]
        candidates = sum(len(extractor.extract(text, gazetteer).candidates) for text in texts)
        ours, theirs = [], []
        for _ in range(5):
            theirs.append(timed_ms(lambda: [html_to_text(page) for page in pages]) / len(pages))
            ours.append(
                timed_ms(lambda: [extractor.extract(t, gazetteer) for t in texts]) / len(pages)
            )
        return statistics.median(ours), statistics.median(theirs), texts, candidates

    log("extractor vs trafilatura on 200 articles")
    pages = articles(200)
    ours, theirs, texts, candidates = compare(pages)
    results["extract_ms_per_article"] = ours
    results["trafilatura_ms_per_article"] = theirs
    results["extract_words_per_article"] = statistics.mean(len(t.split()) for t in texts)
    results["extract_candidates_per_article"] = candidates / len(pages)
    # Context, not a target: the same comparison on the short wire stories that the ingestion
    # measurement serves, where trafilatura's fixed cost per page weighs more.
    log("extractor vs trafilatura on 200 of the ingested articles")
    ours, theirs, texts, _ = compare([article_html(index) for index in range(200)])
    results["extract_ms_per_ingested_article"] = ours
    results["trafilatura_ms_per_ingested_article"] = theirs
    results["extract_words_per_ingested_article"] = statistics.mean(len(t.split()) for t in texts)


def measure_adversarial(results: dict) -> None:
    from bench import adversarial

    kb = adversarial.size_kb(sys.argv)
    log(f"extraction of texts made to be slow, {kb} KB (bench.adversarial)")
    results.update(adversarial.measure(kb))


def feed_xml(base_url: str, indexes: range) -> bytes:
    items = "\n".join(
        f"<item><title>Report {i}</title><link>{base_url}/articles/{i}.html</link>"
        f"<guid isPermaLink='false'>bench-{i}</guid></item>"
        for i in indexes
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Bench feed</title><link>{escape(base_url)}/</link>"
        f"<description>bench</description>{items}</channel></rss>"
    ).encode()


def measure_ingest(databases: Databases, env: dict[str, str], results: dict) -> None:
    import redis

    from ingest.web.pages import parse_article
    from tests.stub_server import StubServer

    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379")
    broker = f"{redis_url}/{os.environ.get('BENCH_REDIS_DB', '9')}"
    redis.Redis.from_url(broker).flushdb()
    stub = StubServer()
    stub.start()
    try:
        log(f"raw fetch + trafilatura loop over {ARTICLES} articles")
        urls = [stub.url(f"/articles/{i}.html") for i in range(ARTICLES)]

        def raw_loop(count: int) -> None:
            for url in urls[:count]:
                with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310
                    body = response.read()
                    content_type = response.headers.get("Content-Type", "")
                parse_article(body, content_type=content_type, charset=None, url=url)

        raw_loop(50)
        raw_cpu_seconds = 0.0

        def timed_raw_loop() -> float:
            """Seconds for one loop over every article; adds its CPU time (the loop's and the
            stub server's, both in this process) to raw_cpu_seconds."""
            nonlocal raw_cpu_seconds
            cpu = time.process_time()
            seconds = timed_ms(lambda: raw_loop(ARTICLES)) / 1000
            raw_cpu_seconds += time.process_time() - cpu
            return seconds

        # One raw run before each batch and one after the last, so that a slow spell of this
        # machine (a shared VM drifts by tens of percent over minutes) weighs on both rates.
        raw_seconds = [timed_raw_loop()]

        worker_env = {
            **env,
            "DATABASE_URL": databases.url("ingest"),
            "CELERY_BROKER_URL": broker,
            "FETCH_ALLOWED_HOSTS": HOST,
            # One poll takes the whole batch, as before the per-poll cap existed.
            "FEED_MAX_NEW_ENTRIES": str(ARTICLES),
        }
        worker_log = databases.work / "worker.log"
        with open(worker_log, "wb") as output:
            worker = subprocess.Popen(
                [
                    str(BIN / "celery"),
                    "--app",
                    "pledgewatch",
                    "worker",
                    "--concurrency",
                    "2",
                    "--pool",
                    "prefork",
                    "--loglevel",
                    "INFO",
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                ],
                cwd=ROOT,
                env=worker_env,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        try:
            deadline = time.monotonic() + 60
            while b"ready." not in worker_log.read_bytes():
                if worker.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the Celery worker did not start; see {worker_log}")
                time.sleep(0.2)
            rates = []
            cpu = CpuWindow(worker.pid, server_database=databases.kind == "postgres")
            for batch in range(2):
                indexes = range(batch * ARTICLES, (batch + 1) * ARTICLES)
                feed = stub.add(
                    f"/feeds/bench-{batch}.xml",
                    feed_xml(stub.base_url, indexes),
                    content_type="application/rss+xml",
                )
                log(f"ingest batch {batch + 1}: {ARTICLES} articles through Celery")
                cpu.start()
                run, peak = ingest_batch(worker_env, feed, worker.pid)
                cpu.stop()
                rates.append(run["done"] / run["seconds"])
                articles_so_far = (batch + 1) * 1000
                results[f"worker_rss_mb_after_{articles_so_far}"] = rss_mb(worker.pid)
                # A pool process may be replaced (CELERY_WORKER_MAX_MEMORY_PER_CHILD), so a
                # reading after a batch may catch a fresh one; the batch's peak cannot.
                results[f"worker_rss_peak_mb_{articles_so_far}"] = peak
                results[f"ingest_batch_{batch + 1}"] = run
                log(f"raw fetch + trafilatura loop over {ARTICLES} articles")
                raw_seconds.append(timed_raw_loop())
            results["ingest_articles_per_s"] = statistics.median(rates)
            # Context, not targets: CPU time per article by part of the pipeline during the
            # batches (the worker's pool and main process, the database server, the broker,
            # the stub server) and how busy the cores were, next to the raw loop's CPU time.
            results["ingest_cpu_ms_per_article"] = cpu.ms_per_article(2 * ARTICLES)
            results["ingest_cores_busy_percent"] = cpu.busy_percent()
            results["raw_fetch_cpu_ms_per_article"] = (
                raw_cpu_seconds * 1000 / (len(raw_seconds) * ARTICLES)
            )
            results["raw_fetch_articles_per_s"] = ARTICLES / statistics.median(raw_seconds)
            results["raw_fetch_runs_articles_per_s"] = [
                round(ARTICLES / seconds, 2) for seconds in raw_seconds
            ]
        finally:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(30)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
    finally:
        stub.stop()


def ingest_batch(env: dict[str, str], feed: str, worker_pid: int) -> tuple[dict, float]:
    """One batch through bench.ingest_driver, and the worker's peak resident memory during it
    (sampled every 0.2 s)."""
    driver = subprocess.Popen(
        [PYTHON, "-m", "bench.ingest_driver", feed, str(ARTICLES)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    peak = 0.0
    while driver.poll() is None:
        peak = max(peak, rss_mb(worker_pid))
        time.sleep(0.2)
    stdout, stderr = driver.communicate()
    if driver.returncode:
        raise RuntimeError(f"bench.ingest_driver failed:\n{stdout}\n{stderr}")
    return json.loads(stdout.strip().splitlines()[-1]), max(peak, rss_mb(worker_pid))


def targets(r: dict) -> dict[str, bool]:
    from bench.adversarial import targets as adversarial_targets

    return {
        "matrix_queries flat and <= 6": r["matrix_queries.large"] == r["matrix_queries.small"]
        and r["matrix_queries.large"] <= 6,
        "matrix_ms.large <= 2 x small": r["matrix_ms.large"] <= 2 * r["matrix_ms.small"],
        "matrix_http_ms.large <= peer_facet_ms.large": r["matrix_http_ms.large"]
        <= r["peer_facet_ms.large"],
        "partial bytes <= full / 3": r["matrix_partial_bytes.large"] <= r["matrix_bytes.large"] / 3,
        "extract <= trafilatura / 2": r["extract_ms_per_article"]
        <= r["trafilatura_ms_per_article"] / 2,
        "ingest >= raw fetch / 3": r["ingest_articles_per_s"] >= r["raw_fetch_articles_per_s"] / 3,
        "worker RSS <= 400 MB and flat": r["worker_rss_peak_mb_1000"] <= 400
        and r["worker_rss_mb_after_1000"] <= 400
        and r["worker_rss_peak_mb_2000"] <= 1.1 * r["worker_rss_peak_mb_1000"],
        "matrix under load >= trivial / 2, no errors": r["load_matrix_rps"]
        >= r["load_trivial_rps"] / 2
        and r["load_matrix_errors"] == 0
        and r["load_trivial_errors"] == 0,
        "repeat visit gets 304": r["etag_repeat_status"] == 304
        and r["etag_partial_repeat_status"] == 304
        and r["etag_partial_differs"],
        **adversarial_targets(r),
    }


def main() -> None:
    kind = os.environ.get("BENCH_DB", "sqlite")
    if kind not in {"sqlite", "postgres"}:
        raise SystemExit("BENCH_DB must be sqlite or postgres")
    work = Path(tempfile.mkdtemp(prefix=f"pledgewatch-bench-{kind}-"))
    databases = Databases(kind, work)
    env = base_env(work)
    results: dict = {"database": kind}
    started = time.perf_counter()
    try:
        databases.create()
        prepare(databases, env, results)
        measure_pages(databases, env, results)
        measure_http(databases, env, results)
        measure_extraction(results)
        measure_adversarial(results)
        measure_ingest(databases, env, results)
        results["targets"] = targets(results)
        results["targets_met"] = all(results["targets"].values())
    finally:
        results["bench_seconds"] = time.perf_counter() - started
        databases.drop()
        if os.environ.get("BENCH_KEEP"):
            log(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    rounded = {k: round(v, 2) if isinstance(v, float) else v for k, v in results.items()}
    RESULTS.write_text(json.dumps(rounded, indent=2) + "\n")
    print(json.dumps(rounded, indent=2))


if __name__ == "__main__":
    main()
