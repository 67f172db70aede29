"""The SSRF guard's decisions on hostile URLs and addresses, with DNS answers faked.

Nothing here opens a connection: names resolve through `fake_dns`, and the loopback guard
plugin would refuse any connect outside 127.0.0.0/8 anyway.
"""

from __future__ import annotations

import ipaddress

import pytest

from ingest.web.errors import BlockedAddress, FetchError, InvalidURL, UnresolvableHost
from ingest.web.http_client import FetchPolicy
from ingest.web.netguard import (
    is_public_address,
    loose_ipv4,
    parse_target,
    refusal_reason,
    vet_url,
)

FAKE_DNS = {
    "news.example": ["93.184.216.34"],
    "dual.example": ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"],
    "localhost": ["127.0.0.1", "::1"],
    "loopback.example": ["127.0.0.1"],
    "127.0.0.1.nip.example": ["127.0.0.1"],
    "mixed.example": ["93.184.216.34", "10.0.0.5"],
    "mixed-late.example": ["93.184.216.34", "8.8.8.8", "169.254.169.254"],
    "metadata.example": ["169.254.169.254"],
    "ula.example": ["2606:4700::1111", "fd12:3456::1"],
    "mapped.example": ["::ffff:127.0.0.1"],
    "nat64.example": ["64:ff9b::a9fe:a9fe"],
    "cgnat.example": ["100.64.0.1"],
    "garbage.example": ["not-an-ip"],
}

POLICY = FetchPolicy()


def fake_dns(host: str, port: int) -> list[str]:
    if host not in FAKE_DNS:
        raise UnresolvableHost(f"The host name {host} does not exist.")
    return FAKE_DNS[host]


# (hostile URL, error the guard must raise)
HOSTILE_URLS = [
    # IPv4 written in disguise: decimal, octal, hex, short forms.
    ("http://2130706433/", InvalidURL),
    ("http://0177.0.0.1/", InvalidURL),
    ("http://0x7f.1/", InvalidURL),
    ("http://0x7f000001/", InvalidURL),
    ("http://017700000001/", InvalidURL),
    ("http://127.1/", InvalidURL),
    ("http://0/", InvalidURL),
    ("http://169.254.43518/", InvalidURL),
    ("http://%31%32%37.0.0.1/", InvalidURL),
    ("http://news.123/", InvalidURL),
    # Plain forbidden literals.
    ("http://127.0.0.1/", BlockedAddress),
    ("http://127.255.255.254:80/", BlockedAddress),
    ("http://0.0.0.0/", BlockedAddress),
    ("http://169.254.169.254/latest/meta-data/", BlockedAddress),
    ("http://10.0.0.1/", BlockedAddress),
    ("http://172.16.0.1/", BlockedAddress),
    ("http://192.168.1.1/", BlockedAddress),
    ("http://100.64.0.1/", BlockedAddress),
    ("http://198.18.0.1/", BlockedAddress),
    ("http://192.0.2.1/", BlockedAddress),
    ("http://224.0.0.1/", BlockedAddress),
    ("http://255.255.255.255/", BlockedAddress),
    ("http://240.0.0.1/", BlockedAddress),
    # IPv6 literals and IPv4 hidden inside them.
    ("http://[::1]/", BlockedAddress),
    ("http://[::]/", BlockedAddress),
    ("http://[::ffff:127.0.0.1]/", BlockedAddress),
    ("http://[::ffff:7f00:1]/", BlockedAddress),
    ("http://[0:0:0:0:0:ffff:169.254.169.254]/", BlockedAddress),
    ("http://[::127.0.0.1]/", BlockedAddress),
    ("http://[fd00::1]/", BlockedAddress),
    ("http://[fe80::1]/", BlockedAddress),
    ("http://[fec0::1]/", BlockedAddress),
    ("http://[ff02::1]/", BlockedAddress),
    ("http://[64:ff9b::a9fe:a9fe]/", BlockedAddress),
    ("http://[64:ff9b::7f00:1]/", BlockedAddress),
    ("http://[64:ff9b:1::a00:1]/", BlockedAddress),
    ("http://[2002:a9fe:a9fe::]/", BlockedAddress),
    ("http://[2002:7f00:1::1]/", BlockedAddress),
    ("http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/", BlockedAddress),
    ("http://[2001:db8::1]/", BlockedAddress),
    ("http://[fe80::1%25eth0]/", InvalidURL),
    # Names that resolve somewhere forbidden, or partly so.
    ("http://localhost/", BlockedAddress),
    ("http://LOCALHOST./", BlockedAddress),
    ("http://loopback.example/", BlockedAddress),
    ("http://127.0.0.1.nip.example/", BlockedAddress),
    ("http://mixed.example/", BlockedAddress),
    ("http://mixed-late.example/", BlockedAddress),
    ("http://metadata.example/", BlockedAddress),
    ("http://ula.example/", BlockedAddress),
    ("http://mapped.example/", BlockedAddress),
    ("http://nat64.example/", BlockedAddress),
    ("http://cgnat.example/", BlockedAddress),
    ("http://garbage.example/", BlockedAddress),
    # Parser confusion: user info, backslashes, schemes, ports.
    ("http://news.example@127.0.0.1/", InvalidURL),
    ("http://127.0.0.1@news.example/", InvalidURL),
    ("http://news.example\\@169.254.169.254/", InvalidURL),
    ("http://127.0.0.1\\@news.example/", InvalidURL),
    ("http:\\\\127.0.0.1\\", InvalidURL),
    ("http://news.example/\r\nHost: 127.0.0.1", InvalidURL),
    ("file:///etc/passwd", InvalidURL),
    ("gopher://127.0.0.1:6379/_INFO", InvalidURL),
    ("ftp://news.example/", InvalidURL),
    ("javascript:alert(1)", InvalidURL),
    ("//news.example/", InvalidURL),
    ("http:///news.example/", InvalidURL),
    ("http://news.example:22/", BlockedAddress),
    ("http://news.example:6379/", BlockedAddress),
    ("http://news.example:0/", BlockedAddress),
    ("http://news.example:99999/", InvalidURL),
    ("http://news..example/", InvalidURL),
    ("http://news example/", InvalidURL),
]


@pytest.mark.parametrize(("url", "error"), HOSTILE_URLS, ids=[url for url, _ in HOSTILE_URLS])
def test_hostile_urls_are_refused(url: str, error: type[FetchError]) -> None:
    with pytest.raises(error):
        vet_url(url, POLICY, resolver=fake_dns)


def test_enough_hostile_urls_are_covered() -> None:
    assert len(HOSTILE_URLS) >= 25


# The decision on resolved addresses, including ones only a DNS answer can deliver.
REFUSED_ADDRESSES = [
    "127.0.0.1",
    "127.8.9.10",
    "0.0.0.0",
    "0.1.2.3",
    "10.255.255.255",
    "172.31.0.1",
    "192.168.0.1",
    "169.254.169.254",
    "100.64.0.1",
    "100.127.255.254",
    "198.19.255.255",
    "192.0.0.8",
    "192.0.2.10",
    "198.51.100.7",
    "203.0.113.9",
    "192.88.99.1",
    "224.0.0.251",
    "239.255.255.250",
    "240.0.0.1",
    "255.255.255.255",
    "::",
    "::1",
    "::ffff:127.0.0.1",
    "::ffff:8.8.8.8",
    "::ffff:0:8.8.8.8",
    "::7f00:1",
    "64:ff9b::a9fe:a9fe",
    "64:ff9b::a00:1",
    "64:ff9b:1::808:808",
    "2002:a9fe:a9fe::1",
    "2002:c0a8:101::",
    "2001::1",
    "2001:db8::1",
    "3fff::1",
    "fc00::1",
    "fd00::1",
    "fe80::1",
    "fe80::1%eth0",
    "fec0::1",
    "ff02::1",
    "100::1",
    "5f00::1",
    "4000::1",
]

PUBLIC_ADDRESSES = [
    "93.184.216.34",
    "8.8.8.8",
    "1.1.1.1",
    "2606:4700:4700::1111",
    "2a00:1450:4001:81c::200e",
    "64:ff9b::808:808",
    "2002:808:808::1",
]


@pytest.mark.parametrize("address", REFUSED_ADDRESSES)
def test_non_public_addresses_are_refused(address: str) -> None:
    ip = ipaddress.ip_address(address)
    assert refusal_reason(ip) is not None
    assert not is_public_address(ip)


@pytest.mark.parametrize("address", PUBLIC_ADDRESSES)
def test_public_addresses_pass(address: str) -> None:
    assert refusal_reason(ipaddress.ip_address(address)) is None


def test_the_refusal_names_the_address_and_why() -> None:
    with pytest.raises(BlockedAddress) as caught:
        vet_url("http://metadata.example/latest/meta-data/", POLICY, resolver=fake_dns)
    assert "169.254.169.254" in str(caught.value)
    assert "link-local" in str(caught.value)
    assert caught.value.url == "http://metadata.example/latest/meta-data/"


def test_disguised_addresses_are_named_in_plain_form() -> None:
    with pytest.raises(InvalidURL, match=r"127\.0\.0\.1"):
        vet_url("http://0x7f.1/", POLICY, resolver=fake_dns)


@pytest.mark.parametrize(
    ("host", "address"),
    [
        ("2130706433", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"),
        ("0x7f.1", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("10.1", "10.0.0.1"),
        ("169.254.43518", "169.254.169.254"),
        ("0xa9.0xfe.0xa9.0xfe", "169.254.169.254"),
        ("8.8.8.8", "8.8.8.8"),
    ],
)
def test_numeric_hosts_are_read_as_browsers_read_them(host: str, address: str) -> None:
    assert loose_ipv4(host) == ipaddress.IPv4Address(address)


def test_ordinary_names_are_not_numeric() -> None:
    assert loose_ipv4("news.example") is None
    assert loose_ipv4("1.2.3.4.example") is None


def test_public_name_is_vetted_with_every_address_pinned() -> None:
    vetted = vet_url("https://dual.example/world/story?id=7", POLICY, resolver=fake_dns)
    assert vetted.target.host == "dual.example"
    assert vetted.target.port == 443
    assert vetted.target.request_target == "/world/story?id=7"
    assert [str(ip) for ip in vetted.addresses] == FAKE_DNS["dual.example"]


def test_dns_is_asked_once_and_literals_never() -> None:
    asked: list[str] = []

    def counting_dns(host: str, port: int) -> list[str]:
        asked.append(host)
        return fake_dns(host, port)

    vet_url("http://news.example/", POLICY, resolver=counting_dns)
    vet_url("http://93.184.216.34/", POLICY, resolver=counting_dns)
    assert asked == ["news.example"]


def test_unknown_host_is_unresolvable() -> None:
    with pytest.raises(UnresolvableHost):
        vet_url("http://no-such-host.example/", POLICY, resolver=fake_dns)


def test_allow_listed_host_skips_address_and_port_checks() -> None:
    policy = FetchPolicy(allowed_hosts=frozenset({"127.0.0.1"}))
    vetted = vet_url("http://127.0.0.1:8765/feed.xml", policy, resolver=fake_dns)
    assert vetted.addresses == (ipaddress.IPv4Address("127.0.0.1"),)
    assert vetted.target.port == 8765


def test_allow_list_matches_the_url_host_not_what_other_names_resolve_to() -> None:
    policy = FetchPolicy(allowed_hosts=frozenset({"127.0.0.1"}))
    with pytest.raises(BlockedAddress):
        vet_url("http://loopback.example/", policy, resolver=fake_dns)
    with pytest.raises(BlockedAddress):
        vet_url("http://localhost/", policy, resolver=fake_dns)


def test_allowed_ports_are_configurable() -> None:
    policy = FetchPolicy(allowed_ports=frozenset({8080}))
    assert vet_url("http://news.example:8080/", policy, resolver=fake_dns).target.port == 8080
    with pytest.raises(BlockedAddress, match="Port 80"):
        vet_url("http://news.example/", policy, resolver=fake_dns)


@pytest.mark.parametrize(
    ("url", "host", "request_target"),
    [
        ("HTTP://News.Example./a b?q=ü#frag", "news.example", "/a%20b?q=%C3%BC"),
        ("https://bücher.example/", "xn--bcher-kva.example", "/"),
        ("http://[2606:4700:4700:0::1111]/", "2606:4700:4700::1111", "/"),
        ("  http://news.example  ", "news.example", "/"),
    ],
)
def test_targets_are_normalised(url: str, host: str, request_target: str) -> None:
    target = parse_target(url)
    assert (target.host, target.request_target) == (host, request_target)
