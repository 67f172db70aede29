"""The HTTP client against the stub server: limits, redirects, conditional GET, error statuses."""

from __future__ import annotations

import gzip
import logging
import os
import shutil
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import quote

import pytest

from ingest.web import http_client
from ingest.web.errors import (
    BadContentType,
    BlockedAddress,
    FetchError,
    HTTPStatusError,
    InvalidURL,
    TooLarge,
    TooManyRedirects,
    TransientFetchError,
    TransientHTTPStatusError,
)
from ingest.web.http_client import FetchPolicy, fetch, parse_retry_after
from tests.stub_server import StubServer, article_headline


@pytest.fixture
def policy(canary_server: StubServer) -> FetchPolicy:
    # The canary's port is allowed so that only its address can stop a request to it.
    return FetchPolicy(
        allowed_hosts=frozenset({"127.0.0.1"}),
        allowed_ports=frozenset({80, 443, canary_server.port}),
    )


def redirect_to(stub_server: StubServer, url: str) -> str:
    return stub_server.url(f"/redirect-to?url={quote(url, safe='')}")


def test_fetches_a_news_page(stub_server: StubServer, policy: FetchPolicy) -> None:
    result = fetch(stub_server.url("/articles/1.html"), policy, kind="article")
    assert result.status == 200
    assert result.content_type == "text/html"
    assert result.charset == "utf-8"
    assert article_headline(1).encode() in result.body
    assert result.final_url == stub_server.url("/articles/1.html")
    assert result.redirects == ()
    assert not result.not_modified


def test_sends_our_user_agent(stub_server: StubServer, policy: FetchPolicy) -> None:
    url = stub_server.add("/ua-check", "<p>hello</p>")
    fetch(url, policy, kind="article")
    (request,) = stub_server.requests_for("/ua-check")
    assert request.headers["user-agent"] == policy.user_agent
    assert request.headers["host"] == f"127.0.0.1:{stub_server.port}"


def test_fetches_a_feed(stub_server: StubServer, policy: FetchPolicy) -> None:
    result = fetch(stub_server.url("/feeds/many.xml?n=3"), policy, kind="feed")
    assert result.content_type == "application/rss+xml"
    assert result.body.count(b"<item>") == 3


def test_huge_body_is_cut_off(stub_server: StubServer) -> None:
    policy = FetchPolicy(allowed_hosts=frozenset({"127.0.0.1"}), max_bytes=1_000_000)
    with pytest.raises(TooLarge, match="1,000,000"):
        fetch(stub_server.url("/huge"), policy, kind="article")


def test_compressed_body_is_limited_after_decompression(stub_server: StubServer) -> None:
    bomb = gzip.compress(b"<p>" + b"a" * 20_000_000 + b"</p>")
    url = stub_server.add("/gzip-bomb", bomb, headers={"Content-Encoding": "gzip"})
    policy = FetchPolicy(allowed_hosts=frozenset({"127.0.0.1"}), max_bytes=1_000_000)
    with pytest.raises(TooLarge):
        fetch(url, policy, kind="article")


def test_declared_content_length_too_big_is_refused_before_reading(
    stub_server: StubServer, policy: FetchPolicy
) -> None:
    with pytest.raises(TooLarge, match="50,000,000"):
        fetch(stub_server.url("/huge-declared"), policy, kind="article")


def test_slow_response_times_out(stub_server: StubServer) -> None:
    policy = FetchPolicy(allowed_hosts=frozenset({"127.0.0.1"}), read_timeout=0.5)
    started = time.monotonic()
    with pytest.raises(TransientFetchError, match="did not answer in time"):
        fetch(stub_server.url("/slow?delay=3"), policy, kind="article")
    assert time.monotonic() - started < 2


def test_dripping_body_is_stopped_by_the_total_deadline(stub_server: StubServer) -> None:
    policy = FetchPolicy(allowed_hosts=frozenset({"127.0.0.1"}), read_timeout=5, total_deadline=1.0)
    started = time.monotonic()
    with pytest.raises(TransientFetchError):
        fetch(stub_server.url("/slow-body?delay=0.2"), policy, kind="article")
    assert time.monotonic() - started < 2.5


def test_dripping_headers_are_a_timeout_not_a_missing_content_type(stub_server: StubServer) -> None:
    # 0.1 s a byte: the Content-Type header would arrive after about 9 s.
    policy = FetchPolicy(allowed_hosts=frozenset({"127.0.0.1"}), read_timeout=5, total_deadline=1.0)
    started = time.monotonic()
    with pytest.raises(TransientFetchError, match="took longer than allowed"):
        fetch(stub_server.url("/slow-headers?delay=0.1"), policy, kind="article")
    assert time.monotonic() - started < 2.5


def test_a_short_deadline_is_kept_while_a_longer_one_is_watched(stub_server: StubServer) -> None:
    # One thread per process watches every fetch's deadline; a slower fetch in another
    # thread must not make it sleep past this one's.
    slow = FetchPolicy(allowed_hosts=frozenset({"127.0.0.1"}), read_timeout=3, total_deadline=60)

    def fetch_slowly() -> None:
        with pytest.raises(TransientFetchError):
            fetch(stub_server.url("/slow?delay=4"), slow, kind="article")

    background = threading.Thread(target=fetch_slowly)
    background.start()
    time.sleep(0.2)
    test_dripping_body_is_stopped_by_the_total_deadline(stub_server)
    background.join()


def test_finished_fetches_leave_nothing_watched(
    stub_server: StubServer, policy: FetchPolicy
) -> None:
    for index in range(3):
        fetch(stub_server.url(f"/articles/{index}.html"), policy, kind="article")
    assert http_client._deadlines._watched == {}
    watchers = [t for t in threading.enumerate() if t.name == "fetch-deadlines"]
    assert len(watchers) == 1


def test_the_total_deadline_holds_in_a_forked_worker(stub_server: StubServer) -> None:
    fetch(stub_server.url("/articles/0.html"), FetchPolicy(allowed_hosts=frozenset({"127.0.0.1"})),
          kind="article")  # fmt: skip
    pid = os.fork()
    if pid == 0:  # a Celery prefork child: the parent's watcher thread did not come along
        code = 1
        try:
            test_dripping_body_is_stopped_by_the_total_deadline(stub_server)
            code = 0
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0


def test_follows_a_redirect_chain(stub_server: StubServer, policy: FetchPolicy) -> None:
    result = fetch(stub_server.url("/redirect/2"), policy, kind="article")
    assert result.final_url == stub_server.url("/articles/0.html")
    assert result.redirects == (
        stub_server.url("/redirect/1"),
        stub_server.url("/redirect/0"),
        stub_server.url("/articles/0.html"),
    )


def test_too_many_redirects(stub_server: StubServer, policy: FetchPolicy) -> None:
    with pytest.raises(TooManyRedirects):
        fetch(stub_server.url("/redirect/3"), policy, kind="article")


def test_redirect_to_a_host_off_the_allow_list_never_reaches_it(
    stub_server: StubServer, canary_server: StubServer, policy: FetchPolicy
) -> None:
    with pytest.raises(BlockedAddress, match="loopback"):
        fetch(redirect_to(stub_server, canary_server.url("/secret")), policy, kind="article")
    assert canary_server.requests_for("/secret") == []


def test_canary_is_reachable_when_allowed(
    stub_server: StubServer, canary_server: StubServer, policy: FetchPolicy
) -> None:
    """Control for the test above: the canary listens, so zero requests means refused."""
    canary_server.add("/control", "<p>canary</p>")
    allowed = FetchPolicy(allowed_hosts=frozenset({"127.0.0.1", "localhost"}))
    fetch(redirect_to(stub_server, canary_server.url("/control")), allowed, kind="article")
    assert len(canary_server.requests_for("/control")) == 1


@pytest.mark.parametrize(
    "location",
    [
        "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
        "http://[::ffff:169.254.169.254]/",
        "http://10.0.0.1/admin",
    ],
)
def test_redirect_to_internal_addresses_is_refused(
    stub_server: StubServer, policy: FetchPolicy, location: str
) -> None:
    with pytest.raises(BlockedAddress):
        fetch(redirect_to(stub_server, location), policy, kind="article")


@pytest.mark.parametrize("location", ["file:///etc/passwd", "http://0x7f.1/", "gopher://x/"])
def test_redirect_to_disguised_or_foreign_urls_is_refused(
    stub_server: StubServer, policy: FetchPolicy, location: str
) -> None:
    with pytest.raises(InvalidURL):
        fetch(redirect_to(stub_server, location), policy, kind="article")


def test_binary_content_type_is_rejected(stub_server: StubServer, policy: FetchPolicy) -> None:
    with pytest.raises(BadContentType, match="application/octet-stream"):
        fetch(stub_server.url("/binary"), policy, kind="article")


def test_feed_content_type_is_not_an_article(stub_server: StubServer, policy: FetchPolicy) -> None:
    with pytest.raises(BadContentType):
        fetch(stub_server.url("/feeds/atom.xml"), policy, kind="article")


def test_conditional_get_with_etag(stub_server: StubServer, policy: FetchPolicy) -> None:
    url = stub_server.add(
        "/cond/etag.xml", "<rss/>", content_type="application/rss+xml", etag='"v1"'
    )
    first = fetch(url, policy, kind="feed")
    assert first.etag == '"v1"'
    again = fetch(url, policy, kind="feed", etag=first.etag)
    assert again.not_modified
    assert again.status == 304
    assert again.body == b""
    assert stub_server.requests_for("/cond/etag.xml")[-1].headers["if-none-match"] == '"v1"'


def test_conditional_get_with_last_modified(stub_server: StubServer, policy: FetchPolicy) -> None:
    stamp = "Wed, 10 Sep 2025 08:00:00 GMT"
    url = stub_server.add(
        "/cond/lm.xml", "<rss/>", content_type="application/rss+xml", last_modified=stamp
    )
    first = fetch(url, policy, kind="feed")
    assert first.last_modified == stamp
    again = fetch(url, policy, kind="feed", last_modified=first.last_modified)
    assert again.not_modified


def test_304_without_validators_keeps_the_ones_sent(
    stub_server: StubServer, policy: FetchPolicy
) -> None:
    url = stub_server.add("/cond/bare-304.xml", status=304, content_type="application/rss+xml")
    result = fetch(
        url, policy, kind="feed", etag='"v7"', last_modified="Wed, 10 Sep 2025 08:00:00 GMT"
    )
    assert result.not_modified
    assert (result.etag, result.last_modified) == ('"v7"', "Wed, 10 Sep 2025 08:00:00 GMT")


def test_429_with_retry_after_seconds(stub_server: StubServer, policy: FetchPolicy) -> None:
    with pytest.raises(TransientHTTPStatusError) as caught:
        fetch(stub_server.url("/status/429?retry_after=120"), policy, kind="feed")
    assert caught.value.status == 429
    assert caught.value.retry_after == 120


def test_503_with_retry_after_date(stub_server: StubServer, policy: FetchPolicy) -> None:
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=90), usegmt=True)
    with pytest.raises(TransientHTTPStatusError) as caught:
        fetch(stub_server.url(f"/status/503?retry_after={quote(when)}"), policy, kind="feed")
    assert caught.value.status == 503
    assert caught.value.retry_after is not None
    assert 80 <= caught.value.retry_after <= 91


def test_500_is_transient(stub_server: StubServer, policy: FetchPolicy) -> None:
    with pytest.raises(TransientFetchError) as caught:
        fetch(stub_server.url("/status/500"), policy, kind="article")
    assert isinstance(caught.value, HTTPStatusError)
    assert caught.value.status == 500
    assert caught.value.retry_after is None


def test_404_is_permanent(stub_server: StubServer, policy: FetchPolicy) -> None:
    with pytest.raises(HTTPStatusError) as caught:
        fetch(stub_server.url("/status/404"), policy, kind="article")
    assert not isinstance(caught.value, TransientFetchError)
    assert "404" in str(caught.value)


def test_connection_refused_is_transient(policy: FetchPolicy) -> None:
    with pytest.raises(TransientFetchError):
        fetch("http://127.0.0.1:9/nothing-listens", policy, kind="article")


def test_refusals_are_logged_with_url_and_reason(
    policy: FetchPolicy, caplog: pytest.LogCaptureFixture
) -> None:
    url = "http://169.254.169.254/latest/meta-data/"
    with caplog.at_level(logging.WARNING, logger="ingest.fetch"), pytest.raises(BlockedAddress):
        fetch(url, policy, kind="article")
    (record,) = [r for r in caplog.records if r.name == "ingest.fetch"]
    assert url in record.getMessage()
    assert "link-local" in record.getMessage()


def test_parse_retry_after_forms() -> None:
    now = datetime(2025, 9, 10, 8, 0, tzinfo=UTC)
    assert parse_retry_after("30", now=now) == 30
    assert parse_retry_after("Wed, 10 Sep 2025 08:01:00 GMT", now=now) == 60
    assert parse_retry_after("Wed, 10 Sep 2025 07:00:00 GMT", now=now) == 0
    assert parse_retry_after("soon", now=now) is None
    assert parse_retry_after(None, now=now) is None


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A throwaway CA and a server certificate for the name stub.test."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is needed to make test certificates")
    folder = tmp_path_factory.mktemp("tls")
    (folder / "server.ext").write_text(
        "subjectAltName=DNS:stub.test\nbasicConstraints=CA:FALSE\n"
        "keyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n"
    )
    for command in (
        "req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2"
        " -subj /CN=Pledgewatch-test-CA -addext basicConstraints=critical,CA:TRUE"
        " -addext keyUsage=critical,keyCertSign",
        "req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj /CN=stub.test",
        "x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem"
        " -days 2 -extfile server.ext",
    ):
        subprocess.run(["openssl", *command.split()], cwd=folder, check=True, capture_output=True)
    return folder


@pytest.fixture(scope="module")
def tls_server(tls_files: Path) -> Iterator[StubServer]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(tls_files / "server.pem", tls_files / "server.key")
    server = StubServer(public_host="stub.test", tls=context)
    server.start()
    yield server
    server.stop()


def names_on_loopback(host: str, port: int) -> list[str]:
    return ["127.0.0.1"]


TLS_POLICY = FetchPolicy(allowed_hosts=frozenset({"stub.test", "other.test"}))


def test_https_connects_to_the_pinned_address_and_verifies_the_host_name(
    tls_server: StubServer, tls_files: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(tls_files / "ca.pem"))
    tls_server.add("/secure", "<p>over TLS</p>")
    result = fetch(
        tls_server.url("/secure"), TLS_POLICY, kind="article", resolver=names_on_loopback
    )
    assert result.body == b"<p>over TLS</p>"
    assert tls_server.tls_server_names[-1] == "stub.test"
    assert tls_server.requests_for("/secure")[-1].headers["host"] == f"stub.test:{tls_server.port}"


def test_https_refuses_a_certificate_for_another_name(
    tls_server: StubServer, tls_files: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(tls_files / "ca.pem"))
    url = f"https://other.test:{tls_server.port}/secure"
    with pytest.raises(FetchError, match=r"secure connection.*other\.test") as caught:
        fetch(url, TLS_POLICY, kind="article", resolver=names_on_loopback)
    assert "match" in str(caught.value)
    assert not isinstance(caught.value, TransientFetchError)


def test_https_refuses_an_unknown_certificate_authority(tls_server: StubServer) -> None:
    with pytest.raises(FetchError, match="certificate verify failed"):
        fetch(tls_server.url("/secure"), TLS_POLICY, kind="article", resolver=names_on_loopback)
