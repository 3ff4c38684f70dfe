"""The White Cell passphrase, kept as a salted, slow hash.

A save holds the hash, never the passphrase. Each hash has its own random
salt, and scrypt makes every guess cost about 16 MB and tens of milliseconds,
so a short passphrase cannot be looked up in a table and is slow to guess.
Checking compares in constant time. The stored form names its parameters:
``scrypt$16384$8$1$<salt hex>$<hash hex>``.

Saves made before this module held an unsalted SHA-256 (64 hex digits); they
still open with the right passphrase. What a passphrase protects against, and
what it does not, is in docs/saves.md.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re

SCHEME = "scrypt"
N, R, P = 2**14, 8, 1  # about 16 MB and 30-100 ms per check
SALT_BYTES = 16
HASH_BYTES = 32
# A save may be edited by anyone: parameters beyond these would make one
# check cost gigabytes or minutes, so such a hash simply does not match.
MAX_N, MAX_R, MAX_P = 2**16, 16, 4
MAX_STORED_LENGTH = 512

_LEGACY = re.compile(r"[0-9a-f]{64}")
_LEGACY_PREFIX = "crisis-sim white cell:"
_STORED = re.compile(r"scrypt\$(\d{1,6})\$(\d{1,2})\$(\d)\$([0-9a-f]{16,128})\$([0-9a-f]{32,128})")


def hash_passphrase(text: str) -> str:
    """The stored form of `text`: a new random salt each time."""
    salt = os.urandom(SALT_BYTES)
    digest = _scrypt(text, salt, N, R, P, HASH_BYTES)
    return f"{SCHEME}${N}${R}${P}${salt.hex()}${digest.hex()}"


def check_passphrase(text: str, stored: str) -> bool:
    """Whether `text` is the passphrase `stored` was made from. A stored value
    that is malformed, or asks for too costly a check, never matches."""
    if not isinstance(stored, str) or not isinstance(text, str):
        return False
    if _LEGACY.fullmatch(stored):
        legacy = hashlib.sha256((_LEGACY_PREFIX + text).encode("utf-8", "surrogatepass")).hexdigest()
        return hmac.compare_digest(legacy, stored)
    params = parse_stored(stored)
    if params is None:
        return False
    n, r, p, salt, digest = params
    return hmac.compare_digest(_scrypt(text, salt, n, r, p, len(digest)), digest)


def is_stored_passphrase(stored: object) -> bool:
    """Whether `stored` has the form of a stored passphrase (new or legacy)."""
    return isinstance(stored, str) and (_LEGACY.fullmatch(stored) is not None or parse_stored(stored) is not None)


def parse_stored(stored: str) -> tuple[int, int, int, bytes, bytes] | None:
    """(n, r, p, salt, hash) of a stored scrypt hash within the limits, else None."""
    if len(stored) > MAX_STORED_LENGTH:
        return None
    match = _STORED.fullmatch(stored)
    if match is None:
        return None
    n, r, p = (int(match.group(i)) for i in (1, 2, 3))
    salt, digest = match.group(4), match.group(5)
    if n < 2 or n > MAX_N or n & (n - 1) or not 1 <= r <= MAX_R or not 1 <= p <= MAX_P:
        return None
    if len(salt) % 2 or len(digest) % 2:
        return None
    return n, r, p, bytes.fromhex(salt), bytes.fromhex(digest)


def _scrypt(text: str, salt: bytes, n: int, r: int, p: int, length: int) -> bytes:
    memory = 128 * r * n * p + 1024 * 1024  # what scrypt needs, and a margin
    return hashlib.scrypt(text.encode("utf-8", "surrogatepass"), salt=salt, n=n, r=r, p=p, maxmem=memory, dklen=length)
