"""The White Cell passphrase: made up when the facilitator types none, and kept
only as a salted, slow hash.

A save holds the hash, never the passphrase: ``scrypt$<salt hex>$<hash hex>``.
Each hash has its own random salt, and scrypt makes every guess cost about
16 MB and tens of milliseconds, so a short passphrase cannot be looked up in a
table and is slow to guess. Checking compares in constant time. The cost is
fixed here, not read from the save: an edited save cannot make a check take
gigabytes or minutes.

Saves made before scrypt held an unsalted SHA-256 (64 hex digits); they still
open with the right passphrase. What a passphrase protects against, and what
it does not, is in docs/saves.md.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import unicodedata

# Short, distinct words that read aloud well; three of them and a number make
# a passphrase a facilitator can write on a card.
WORDS = [
    "amber",
    "anchor",
    "apple",
    "arrow",
    "aspen",
    "badge",
    "basil",
    "beacon",
    "birch",
    "bison",
    "blade",
    "bloom",
    "brass",
    "bridge",
    "brook",
    "cable",
    "camel",
    "canal",
    "candle",
    "canyon",
    "cargo",
    "cedar",
    "chalk",
    "cherry",
    "cider",
    "cliff",
    "clover",
    "cobalt",
    "comet",
    "copper",
    "coral",
    "cotton",
    "crane",
    "crater",
    "crystal",
    "dawn",
    "delta",
    "desert",
    "drum",
    "dune",
    "eagle",
    "ember",
    "falcon",
    "fern",
    "ferry",
    "fiddle",
    "flint",
    "forest",
    "fossil",
    "frost",
    "garnet",
    "glacier",
    "granite",
    "harbor",
    "hazel",
    "heron",
    "hollow",
    "honey",
    "island",
    "ivory",
    "jasmine",
    "juniper",
    "kettle",
    "lantern",
    "lemon",
    "linen",
    "lotus",
    "maple",
    "marble",
    "meadow",
    "mesa",
    "meteor",
    "mint",
    "mirror",
    "moss",
    "nectar",
    "nickel",
    "oasis",
    "olive",
    "onyx",
    "orchid",
    "otter",
    "paddle",
    "pepper",
    "pebble",
    "pine",
    "planet",
    "plum",
    "prairie",
    "quartz",
    "quill",
    "raven",
    "reef",
    "ribbon",
    "river",
    "robin",
    "saffron",
    "sage",
    "salmon",
    "satin",
    "shadow",
    "shell",
    "signal",
    "silver",
    "sparrow",
    "spruce",
    "stone",
    "summit",
    "swan",
    "tango",
    "thistle",
    "thunder",
    "tiger",
    "timber",
    "topaz",
    "tulip",
    "tundra",
    "velvet",
    "violet",
    "walnut",
    "willow",
]

_N, _R, _P = 2**14, 8, 1  # scrypt cost: about 20 ms and 16 MiB a try here
SALT_BYTES = 16
HASH_BYTES = 32

# Fewer characters than this are refused: a word of two or three letters is guessed
# by a team at the table in a few tries, scrypt or not (and a made-up passphrase has
# about twenty).
MIN_LENGTH = 8

_UNSEEN = {"Cc", "Cf", "Cs", "Co", "Cn"}  # control, format (zero-width), surrogate, private, unassigned
_LEGACY = re.compile(r"[0-9a-f]{64}")
_LEGACY_PREFIX = "crisis-sim white cell:"
_STORED = re.compile(r"scrypt\$([0-9a-f]{16,128})\$([0-9a-f]{64})")


def generate_passphrase() -> str:
    """A fresh passphrase such as 'heron-granite-lotus-42' (about 26 bits of chance)."""
    words = [secrets.choice(WORDS) for _ in range(3)]
    return "-".join(words) + f"-{secrets.randbelow(90) + 10}"


def passphrase_problem(passphrase: str) -> str | None:
    """Why `passphrase` cannot lock the White Cell (too short), or None when it can."""
    # Invisible characters do not count: a zero-width space or a control character pasted
    # from a document made a passphrase of "8 characters" that nobody could see or type.
    length = sum(1 for c in _composed(passphrase) if unicodedata.category(c) not in _UNSEEN)
    if length >= MIN_LENGTH:
        return None
    return (
        f"a White Cell passphrase needs at least {MIN_LENGTH} characters (this one has {length}): "
        "a shorter one is soon guessed at the table"
    )


def hash_passphrase(passphrase: str) -> str:
    """'scrypt$<salt hex>$<hash hex>' for `passphrase`: a new random salt each time."""
    salt = secrets.token_bytes(SALT_BYTES)
    return f"scrypt${salt.hex()}${_scrypt(passphrase, salt).hex()}"


def check_passphrase(passphrase: str, stored: str) -> bool:
    """Whether `passphrase` is the one `stored` was made from (either form).
    A stored value of any other form never matches."""
    if not isinstance(stored, str) or not isinstance(passphrase, str):
        return False
    if _LEGACY.fullmatch(stored):
        legacy = hashlib.sha256((_LEGACY_PREFIX + passphrase).encode("utf-8", "surrogatepass")).hexdigest()
        return hmac.compare_digest(legacy, stored)
    match = _STORED.fullmatch(stored)
    if match is None or len(match.group(1)) % 2:
        return False
    salt = bytes.fromhex(match.group(1))
    # A passphrase is hashed composed (NFC): "é" is one character whichever way a keyboard
    # sends it. Hashes made before were of the characters as typed, in either form.
    stripped = passphrase.strip()
    forms = dict.fromkeys([_composed(passphrase), stripped, unicodedata.normalize("NFD", stripped)])
    return any(hmac.compare_digest(_scrypt_bytes(form, salt).hex(), match.group(2)) for form in forms)


def is_stored_passphrase(stored: object) -> bool:
    """Whether `stored` has the form of a stored passphrase (scrypt or legacy)."""
    if not isinstance(stored, str):
        return False
    match = _STORED.fullmatch(stored)
    return _LEGACY.fullmatch(stored) is not None or (match is not None and len(match.group(1)) % 2 == 0)


def _scrypt(passphrase: str, salt: bytes) -> bytes:
    return _scrypt_bytes(_composed(passphrase), salt)


def _scrypt_bytes(form: str, salt: bytes) -> bytes:
    return hashlib.scrypt(form.encode("utf-8", "surrogatepass"), salt=salt, n=_N, r=_R, p=_P, dklen=HASH_BYTES)


def _composed(passphrase: str) -> str:
    """The passphrase as it is hashed: without the spaces around it, composed (NFC)."""
    return unicodedata.normalize("NFC", passphrase.strip())
