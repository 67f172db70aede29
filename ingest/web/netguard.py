"""SSRF guard: decides which URLs, hosts and resolved addresses ingestion may connect to.

We wrote our own rather than use a library: the maintained SSRF guards on PyPI wrap httpx
or requests (advocate, unmaintained since 2020, needs requests), while our client is urllib3
with a connection pinned to the vetted address. The guard never connects anywhere itself;
`vet_url` returns the addresses the caller must connect to, so that no second DNS lookup
(and no DNS-rebinding window) happens between the check and the connection.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import SplitResult, quote, urlsplit

from ingest.web.errors import BlockedAddress, InvalidURL, TransientFetchError, UnresolvableHost

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# A resolver maps (host, port) to address strings; tests pass a fake one so that hostile
# names are judged without any DNS query or connection.
Resolver = Callable[[str, int], Iterable[str]]

DEFAULT_PORTS = {"http": 80, "https": 443}

# Checked before Python's own flags because `ipaddress.is_global` in Python 3.11 misses
# several of these (multicast, 192.0.0.0/24, 6to4 relays, site-local, documentation).
_BLOCKED_V4: tuple[tuple[ipaddress.IPv4Network, str], ...] = tuple(
    (ipaddress.IPv4Network(net), label)
    for net, label in (
        ("255.255.255.255/32", "broadcast address"),
        ("0.0.0.0/8", "'this network' address"),
        ("10.0.0.0/8", "private-network address"),
        ("100.64.0.0/10", "carrier-grade NAT address"),
        ("127.0.0.0/8", "loopback address"),
        ("169.254.0.0/16", "link-local address, home of cloud metadata services"),
        ("172.16.0.0/12", "private-network address"),
        ("192.0.0.0/24", "IETF protocol address"),
        ("192.0.2.0/24", "documentation address"),
        ("192.31.196.0/24", "AS112 service address"),
        ("192.52.193.0/24", "AMT relay address"),
        ("192.88.99.0/24", "6to4 relay address"),
        ("192.168.0.0/16", "private-network address"),
        ("192.175.48.0/24", "AS112 service address"),
        ("198.18.0.0/15", "benchmarking address"),
        ("198.51.100.0/24", "documentation address"),
        ("203.0.113.0/24", "documentation address"),
        ("224.0.0.0/4", "multicast address"),
        ("240.0.0.0/4", "reserved address"),
    )
)

_BLOCKED_V6: tuple[tuple[ipaddress.IPv6Network, str], ...] = tuple(
    (ipaddress.IPv6Network(net), label)
    for net, label in (
        ("::/128", "unspecified address"),
        ("::1/128", "loopback address"),
        ("::ffff:0:0/96", "IPv4-mapped address"),
        ("::/96", "IPv4-compatible address"),
        ("64:ff9b:1::/48", "local-use NAT64 address"),
        ("100::/64", "discard-only address"),
        ("2001::/32", "Teredo tunnel address"),
        ("2001::/23", "IETF protocol address"),
        ("2001:db8::/32", "documentation address"),
        ("3fff::/20", "documentation address"),
        ("5f00::/16", "segment-routing address"),
        ("fc00::/7", "unique-local (private) address"),
        ("fe80::/10", "link-local address"),
        ("fec0::/10", "site-local address"),
        ("ff00::/8", "multicast address"),
    )
)

_NAT64_WELL_KNOWN = ipaddress.IPv6Network("64:ff9b::/96")
_SIX_TO_FOUR = ipaddress.IPv6Network("2002::/16")
# Everything public in IPv6 today is allocated from 2000::/3.
_GLOBAL_UNICAST_V6 = ipaddress.IPv6Network("2000::/3")

_HOST_LABELS = re.compile(r"[a-z0-9_-]+(?:\.[a-z0-9_-]+)*")
_CANONICAL_DOTTED_QUAD = re.compile(r"(?:0|[1-9][0-9]{0,2})(?:\.(?:0|[1-9][0-9]{0,2})){3}")
_NUMERIC_LABEL = re.compile(r"[0-9]+|0[xX][0-9a-fA-F]*")
# Characters that may stay as they are in a request target; all else is percent-encoded.
_TARGET_SAFE = "/%:@!$&'()*+,;=-._~"
_QUERY_SAFE = _TARGET_SAFE + "?"


class GuardPolicy(Protocol):
    """What the guard needs from a fetch policy."""

    @property
    def allowed_hosts(self) -> frozenset[str]: ...

    @property
    def allowed_ports(self) -> frozenset[int]: ...


@dataclass(frozen=True)
class Target:
    """A syntactically safe http(s) URL taken apart: what to connect to and what to ask for."""

    url: str
    scheme: str
    host: str
    port: int
    request_target: str


@dataclass(frozen=True)
class VettedTarget:
    """A target whose every resolved address passed the guard; connect only to `addresses`."""

    target: Target
    addresses: tuple[IPAddress, ...]


def refusal_reason(ip: IPAddress) -> str | None:
    """Say why `ip` must not be connected to, or return None when it is a public address."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.scope_id:
            return "IPv6 address with a zone id"
        if ip in _NAT64_WELL_KNOWN:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
            reason = _refusal_reason_v4(embedded)
            return f"NAT64 address wrapping {embedded}: {reason}" if reason else None
        if ip in _SIX_TO_FOUR:
            embedded = ipaddress.IPv4Address((int(ip) >> 80) & 0xFFFFFFFF)
            reason = _refusal_reason_v4(embedded)
            return f"6to4 address wrapping {embedded}: {reason}" if reason else None
        return _refusal_reason_v6(ip)
    return _refusal_reason_v4(ip)


def _refusal_reason_v4(ip: ipaddress.IPv4Address) -> str | None:
    for network, label in _BLOCKED_V4:
        if ip in network:
            return label
    return _refusal_by_flags(ip)


def _refusal_reason_v6(ip: ipaddress.IPv6Address) -> str | None:
    for network, label in _BLOCKED_V6:
        if ip in network:
            return label
    if ip not in _GLOBAL_UNICAST_V6:
        return "unallocated IPv6 address"
    return _refusal_by_flags(ip)


def _refusal_by_flags(ip: IPAddress) -> str | None:
    """Backstop for ranges that the tables above do not name, as the stdlib classifies them."""
    if ip.is_multicast:
        return "multicast address"
    if ip.is_unspecified or ip.is_reserved:
        return "reserved address"
    if ip.is_loopback or ip.is_link_local or ip.is_private or not ip.is_global:
        return "non-public address"
    return None


def is_public_address(ip: IPAddress) -> bool:
    """True when connecting to `ip` cannot reach this machine or its private network."""
    return refusal_reason(ip) is None


def normalise_host(host: str) -> str:
    """Return `host` as lowercase ASCII (IDNA), without a trailing dot; IPv6 compressed.

    Raises InvalidURL for empty labels, stray characters (%, spaces, brackets) and zone ids.
    """
    if not host:
        raise InvalidURL("The address has no host name.")
    if ":" in host:
        if "%" in host:
            raise InvalidURL(f"The IPv6 address {host} carries a zone id, which we refuse.")
        try:
            return ipaddress.IPv6Address(host).compressed
        except ValueError:
            raise InvalidURL(f"{host!r} is not a valid IPv6 address.") from None
    if host.endswith("."):
        host = host[:-1]
    try:
        ascii_host = host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise InvalidURL(f"{host!r} is not a valid host name.") from None
    if len(ascii_host) > 253 or not _HOST_LABELS.fullmatch(ascii_host):
        raise InvalidURL(f"{host!r} is not a valid host name.")
    return ascii_host


def loose_ipv4(host: str) -> ipaddress.IPv4Address | None:
    """Read `host` the way browsers and inet_aton do (decimal, octal, hex, short forms).

    Returns None when the host does not end in a number, i.e. is an ordinary name.
    Raises InvalidURL for a name that ends in a number but is no address ("example.123").
    """
    labels = host.split(".")
    if not _NUMERIC_LABEL.fullmatch(labels[-1]):
        return None
    if len(labels) > 4 or not all(_NUMERIC_LABEL.fullmatch(label) for label in labels):
        raise InvalidURL(f"The host name {host!r} ends in a number but is not an IP address.")
    numbers = [_parse_ipv4_number(label) for label in labels]
    *leading, last = numbers
    if any(n > 255 for n in leading) or last >= 256 ** (5 - len(numbers)):
        raise InvalidURL(f"The host {host!r} is an out-of-range numeric address.")
    value = last
    for position, number in enumerate(leading):
        value += number << (8 * (3 - position))
    return ipaddress.IPv4Address(value)


def _parse_ipv4_number(label: str) -> int:
    if label[:2].lower() == "0x":
        return int(label[2:] or "0", 16)
    if len(label) > 1 and label.startswith("0"):
        if not label.isdigit() or "8" in label or "9" in label:
            raise InvalidURL(f"{label!r} is not a valid octal number in a host name.")
        return int(label, 8)
    return int(label)


def split_http_url(url: str) -> tuple[SplitResult, str, int | None]:
    """Split an http(s) URL into its parts, lowercased scheme and explicit port, refusing
    empty addresses, control characters, backslashes and other schemes."""
    if not url:
        raise InvalidURL("The address is empty.", url=url)
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in url):
        raise InvalidURL("The address contains control characters.", url=url)
    if "\\" in url:
        # Browsers read "\" as "/", so "http://a.com\@127.0.0.1/" means different hosts to
        # different parsers.
        raise InvalidURL("The address contains a backslash.", url=url)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise InvalidURL(f"The address is malformed: {exc}.", url=url) from None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise InvalidURL("Only http:// and https:// addresses can be fetched.", url=url)
    return parts, scheme, port


def parse_target(url: str) -> Target:
    """Take an http(s) URL apart, refusing forms that hide which host is really meant."""
    url = url.strip()
    parts, scheme, port = split_http_url(url)
    if "@" in parts.netloc:
        raise InvalidURL(
            "The address contains a user name before '@', a common way to disguise the "
            "real host; remove it.",
            url=url,
        )
    if parts.hostname is None:
        raise InvalidURL("The address has no host name.", url=url)
    try:
        host = normalise_host(parts.hostname)
        numeric = None if ":" in host else loose_ipv4(host)
    except InvalidURL as exc:
        raise InvalidURL(exc.message, url=url) from None
    if numeric is not None and not _CANONICAL_DOTTED_QUAD.fullmatch(host):
        raise InvalidURL(
            f"The host {host!r} is the IP address {numeric} written in a disguised form.",
            url=url,
        )
    try:
        path = quote(parts.path or "/", safe=_TARGET_SAFE)
        query = quote(parts.query, safe=_QUERY_SAFE)
    except UnicodeEncodeError:
        raise InvalidURL("The address contains characters that cannot be encoded.") from None
    return Target(
        url=url,
        scheme=scheme,
        host=host,
        port=port if port is not None else DEFAULT_PORTS[scheme],
        request_target=f"{path}?{query}" if query else path,
    )


def resolve_host(host: str, port: int) -> list[str]:
    """Resolve `host` with the system resolver; the default `Resolver`."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        permanent = {socket.EAI_NONAME, getattr(socket, "EAI_NODATA", socket.EAI_NONAME)}
        if exc.errno in permanent:
            raise UnresolvableHost(f"The host name {host} does not exist.") from None
        raise TransientFetchError(f"Looking up {host} failed: {exc.strerror}.") from None
    return [str(info[4][0]) for info in infos]


def vet_target(
    target: Target, policy: GuardPolicy, *, resolver: Resolver = resolve_host
) -> VettedTarget:
    """Resolve the target's host and refuse it unless every address is public.

    Hosts on `policy.allowed_hosts` skip the address and port checks (the tests' stub server
    on 127.0.0.1 with an ephemeral port); they are matched on the URL's host, never on what
    another name resolves to.
    """
    allowed_hosts = {host.lower().rstrip(".").strip("[]") for host in policy.allowed_hosts}
    allow_listed = target.host in allowed_hosts
    if not allow_listed and target.port not in policy.allowed_ports:
        raise BlockedAddress(f"Port {target.port} is not allowed.", url=target.url)
    addresses = _addresses(target, resolver)
    if not allow_listed:
        for ip in addresses:
            reason = refusal_reason(ip)
            if reason is not None:
                where = f"{ip} is" if str(ip) == target.host else f"{target.host} resolves to {ip},"
                raise BlockedAddress(
                    f"{where} not a public address ({reason}); it is not fetched.",
                    url=target.url,
                )
    return VettedTarget(target=target, addresses=addresses)


def _addresses(target: Target, resolver: Resolver) -> tuple[IPAddress, ...]:
    try:
        return (ipaddress.ip_address(target.host),)
    except ValueError:
        pass
    try:
        resolved = tuple(dict.fromkeys(resolver(target.host, target.port)))
    except (UnresolvableHost, TransientFetchError) as exc:
        exc.url = target.url
        raise
    if not resolved:
        raise UnresolvableHost(f"The host name {target.host} has no address.", url=target.url)
    addresses = []
    for text in resolved:
        try:
            addresses.append(ipaddress.ip_address(text))
        except ValueError:
            raise BlockedAddress(
                f"{target.host} resolved to {text!r}, which is not an IP address.",
                url=target.url,
            ) from None
    return tuple(addresses)


def vet_url(url: str, policy: GuardPolicy, *, resolver: Resolver = resolve_host) -> VettedTarget:
    """Parse, resolve and check `url`: the one entry point for anything about to be fetched."""
    return vet_target(parse_target(url), policy, resolver=resolver)
