"""Deduplication keys for articles and sources: canonical URLs and near-duplicate signatures.

The same article reached through two feeds shares a canonical URL (or, when only its text is
the same, a content hash: `pledges.models.content_hash`); the same wire story republished by
several outlets shares most of its MinHash signature.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import unquote

import numpy as np

from ingest.web.errors import InvalidURL
from ingest.web.netguard import DEFAULT_PORTS, normalise_host, split_http_url

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
    return _signature(shingles)


# The 64 permutations, one (a, b) a row, and a in 32-bit halves (for _signature).
_A = np.array([a for a, _ in _PERMUTATIONS], dtype=np.uint64)[:, np.newaxis]
_B = np.array([b for _, b in _PERMUTATIONS], dtype=np.uint64)[:, np.newaxis]
_A_LOW, _A_HIGH = _A & np.uint64(0xFFFFFFFF), _A >> np.uint64(32)
_PRIME = np.uint64(_MERSENNE_PRIME)


def _fold(values: np.ndarray) -> np.ndarray:
    """values modulo 2**61 - 1, up to a few multiples of it: 2**61 is 1 there, so a number's
    bits above the 61st add to its low 61 bits."""
    return (values & _PRIME) + (values >> np.uint64(61))


def _reduce(values: np.ndarray) -> np.ndarray:
    """values (below 2**64) exactly modulo 2**61 - 1."""
    folded = _fold(values)  # below 2**61 + 8
    return np.where(folded >= _PRIME, folded - _PRIME, folded)


def _signature(shingles: set[int]) -> list[int]:
    """min((a * shingle + b) mod (2**61 - 1)) for every (a, b), low 32 bits, in 64-bit numpy.

    In numpy because a Python loop over 64 permutations x every shingle was the costliest step
    of ingesting an article (docs/performance.md). The 122-bit product a * x is taken in 32-bit
    halves, each partial product below 2**64; modulo 2**61 - 1, 2**64 is 8 and a product's part
    above bit 61 folds onto its low 61 bits, so every sum below stays under 2**64.
    """
    x = _reduce(np.fromiter(shingles, dtype=np.uint64, count=len(shingles)))
    x_low, x_high = x & np.uint64(0xFFFFFFFF), x >> np.uint64(32)
    high = _A_HIGH * x_high  # below 2**58: stands for high * 2**64, that is high * 8
    middle = _A_HIGH * x_low + _A_LOW * x_high  # below 2**62: stands for middle * 2**32
    low = _A_LOW * x_low  # below 2**64
    total = (
        high * np.uint64(8)
        + (middle >> np.uint64(29))  # middle's bits from 29 up, times 2**61, that is 1
        + ((middle & np.uint64((1 << 29) - 1)) << np.uint64(32))
        + _fold(low)
        + _B
    )  # below 4 * 2**61 + 2**33 + 8 < 2**64
    return (_reduce(total).min(axis=1) & np.uint64(0xFFFFFFFF)).tolist()


def similarity(a: list[int], b: list[int]) -> float:
    """Estimated Jaccard similarity (0.0-1.0) of the texts behind two MinHash signatures."""
    if not a or len(a) != len(b):
        return 0.0
    return sum(x == y for x, y in zip(a, b, strict=True)) / len(a)


def is_near_duplicate(a: list[int], b: list[int]) -> bool:
    """True when two signatures belong to versions of the same story."""
    return similarity(a, b) >= NEAR_DUPLICATE_THRESHOLD
