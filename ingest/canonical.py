"""Deduplication keys for sources: canonical URLs, exact content hashes, near-duplicate signatures.

The same article reached through two feeds shares a canonical URL or a content hash; the same
wire story republished by several outlets shares most of its MinHash signature.
"""

from __future__ import annotations

import hashlib
import re
import sys
import unicodedata
from urllib.parse import unquote

from ingest.fetch_errors import InvalidURL
from ingest.netguard import DEFAULT_PORTS, normalise_host, split_http_url

# Parameters that only say how a reader arrived; stripping them never changes the article.
TRACKING_PARAMETERS = frozenset(
    {
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "at_campaign",
        "at_medium",
        "cmpid",
        "dclid",
        "fbclid",
        "gbraid",
        "gclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "mkt_tok",
        "msclkid",
        "ocid",
        "ref",
        "ref_src",
        "ref_url",
        "smid",
        "twclid",
        "wbraid",
        "yclid",
    }
)
TRACKING_PREFIXES = ("utm_", "at_custom")

# Two signatures at least this similar (estimated Jaccard similarity of 5-word shingles) are
# the same story: lightly edited or trimmed reprints score 0.6-0.9, different articles on the
# same event rarely pass 0.1. The estimate's standard error with 64 hashes is about 0.06.
NEAR_DUPLICATE_THRESHOLD = 0.5
SIGNATURE_SIZE = 64
SHINGLE_WORDS = 5

_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_PATH_SAFE = _UNRESERVED | frozenset("/!$&'()*+,;=:@")
_QUERY_SAFE = _UNRESERVED | frozenset("!$'()*+,;:@/?")
_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")
_WORD = re.compile(r"\w+")
_MERSENNE_PRIME = (1 << 61) - 1


def _hash64(data: bytes, salt: bytes = b"") -> int:
    return int.from_bytes(hashlib.blake2b(data, digest_size=8, salt=salt).digest(), "big")


# Fixed, derived from constants (not Python's salted hash()), so signatures stored by one
# process compare with those computed by another.
_PERMUTATIONS = tuple(
    (_hash64(b"a%d" % i) % _MERSENNE_PRIME | 1, _hash64(b"b%d" % i) % _MERSENNE_PRIME)
    for i in range(SIGNATURE_SIZE)
)


def canonical_url(url: str) -> str:
    """Return the one spelling of `url` used to recognise an article already stored.

    Lowercases scheme and host (IDNA), drops user info, default ports, fragments and tracking
    parameters, sorts the query, normalises percent-escapes and dot segments. Raises InvalidURL
    for anything that is not an http(s) URL with a host.
    """
    url = url.strip()
    parts, scheme, port = split_http_url(url)
    if not parts.hostname:
        raise InvalidURL("The address has no host name.", url=url)
    try:
        host = normalise_host(parts.hostname)
        path = _remove_dot_segments(_normalise_escapes(parts.path or "/", _PATH_SAFE))
        query = _canonical_query(parts.query)
    except InvalidURL as exc:
        raise InvalidURL(exc.message, url=url) from None
    netloc = f"[{host}]" if ":" in host else host
    if port is not None and port != DEFAULT_PORTS[scheme]:
        netloc = f"{netloc}:{port}"
    return f"{scheme}://{netloc}{path}" + (f"?{query}" if query else "")


def _normalise_escapes(text: str, safe: frozenset[str]) -> str:
    """Decode escapes of unreserved characters, upper-case the others, escape the rest."""
    out: list[str] = []
    position = 0
    while position < len(text):
        char = text[position]
        if _ESCAPE.match(text, position):
            decoded = chr(int(text[position + 1 : position + 3], 16))
            out.append(decoded if decoded in _UNRESERVED else text[position : position + 3].upper())
            position += 3
            continue
        if char in safe:
            out.append(char)
        else:
            try:
                encoded = char.encode("utf-8")
            except UnicodeEncodeError:
                raise InvalidURL(
                    "The address contains characters that cannot be encoded."
                ) from None
            out.append("".join(f"%{byte:02X}" for byte in encoded))
        position += 1
    return "".join(out)


def _remove_dot_segments(path: str) -> str:
    """Resolve "." and ".." segments (RFC 3986, section 5.2.4) in an absolute path."""
    segments = path.split("/")[1:]
    out: list[str] = []
    for index, segment in enumerate(segments):
        is_last = index == len(segments) - 1
        if segment in {".", ".."}:
            if segment == ".." and out:
                out.pop()
            if is_last:
                out.append("")
        else:
            out.append(segment)
    return "/" + "/".join(out)


def _canonical_query(query: str) -> str:
    pairs: list[tuple[str, str, str]] = []
    for piece in query.split("&"):
        if not piece:
            continue
        key, separator, value = piece.partition("=")
        key = _normalise_escapes(key, _QUERY_SAFE)
        if _is_tracking(unquote(key).lower()):
            continue
        pairs.append((key, separator, _normalise_escapes(value, _QUERY_SAFE | {"="})))
    return "&".join(f"{key}{separator}{value}" for key, separator, value in sorted(pairs))


def _is_tracking(key: str) -> bool:
    return key in TRACKING_PARAMETERS or key.startswith(TRACKING_PREFIXES)


def _normalised_text(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def minhash_signature(text: str) -> list[int]:
    """A MinHash signature of the text's 5-word shingles: 64 ints below 2**32, JSON-ready.

    Empty for text without words; such text is similar to nothing. Each value is
    min((a * shingle + b) mod (2**61 - 1)) over the shingles, for one fixed (a, b) per
    position: stored signatures depend on exactly that.
    """
    words = _WORD.findall(_normalised_text(text))
    if not words:
        return []
    width = min(SHINGLE_WORDS, len(words))
    shingles = {
        _hash64(" ".join(words[i : i + width]).encode("utf-8", "surrogatepass"))
        for i in range(len(words) - width + 1)
    }
    return _LaneMinHash(shingles).signature()


class _LaneMinHash:
    """Every shingle hashed under one (a, b) at once, as the 128-bit lanes of one big integer.

    A Python loop over 64 permutations x every shingle was the costliest step of ingesting an
    article; here each permutation is a dozen big-integer operations and a minimum taken in C.
    Lanes never carry into each other: a * shingle + b < 2**126.
    """

    LANE_BYTES = 16

    def __init__(self, shingles: set[int]) -> None:
        self.count = len(shingles)
        self.shingles = int.from_bytes(
            b"".join(shingle.to_bytes(self.LANE_BYTES, "little") for shingle in shingles),
            "little",
        )
        self.ones = self._in_every_lane(1)
        self.low_61_bits = self._in_every_lane(_MERSENNE_PRIME)
        self.low_65_bits = self._in_every_lane((1 << 65) - 1)

    def _in_every_lane(self, value: int) -> int:
        return int.from_bytes(value.to_bytes(self.LANE_BYTES, "little") * self.count, "little")

    def signature(self) -> list[int]:
        return [self._minimum(a, b) & 0xFFFFFFFF for a, b in _PERMUTATIONS]

    def _minimum(self, a: int, b: int) -> int:
        lanes = a * self.shingles + b * self.ones
        # Adding a number's bits above the 61st to its low 61 bits keeps it modulo 2**61 - 1.
        # Three rounds bring lanes below 2**126 to at most 2**61 - 1, which stands for 0:
        # below 2**66, then 2**61 + 30, then 2**61 - 1.
        for _ in range(3):
            lanes = (lanes & self.low_61_bits) + ((lanes >> 61) & self.low_65_bits)
        # Adding 1 within 61 bits sends that 2**61 - 1 to 0, below every other residue r,
        # which becomes r + 1: the smallest lane, less 1, is the smallest residue.
        lanes = (lanes + self.ones) & self.low_61_bits
        as_bytes = lanes.to_bytes(self.LANE_BYTES * self.count, sys.byteorder)
        return max(min(memoryview(as_bytes).cast("Q")[_LOW_WORDS]) - 1, 0)


# Each lane fits in its low 64-bit word, every other word of the lanes in native byte order.
_LOW_WORDS = slice(0, None, 2) if sys.byteorder == "little" else slice(1, None, 2)


def similarity(a: list[int], b: list[int]) -> float:
    """Estimated Jaccard similarity (0.0-1.0) of the texts behind two MinHash signatures."""
    if not a or len(a) != len(b):
        return 0.0
    return sum(x == y for x, y in zip(a, b, strict=True)) / len(a)


def is_near_duplicate(a: list[int], b: list[int]) -> bool:
    """True when two signatures belong to versions of the same story."""
    return similarity(a, b) >= NEAR_DUPLICATE_THRESHOLD
