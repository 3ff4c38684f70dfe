"""The White Cell passphrase: made up when the facilitator types none, and kept
only as a salted, slow hash (scrypt), compared in constant time."""

from __future__ import annotations

import hashlib
import hmac
import secrets

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


def generate_passphrase() -> str:
    """A fresh passphrase such as 'heron-granite-lotus-42' (about 26 bits of chance)."""
    words = [secrets.choice(WORDS) for _ in range(3)]
    return "-".join(words) + f"-{secrets.randbelow(90) + 10}"


def hash_passphrase(passphrase: str) -> str:
    """'scrypt$<salt hex>$<hash hex>' for `passphrase`."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(_norm(passphrase), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return f"scrypt${salt.hex()}${digest.hex()}"


def check_passphrase(passphrase: str, stored: str) -> bool:
    """Whether `passphrase` is the one `stored` was made from. Also opens the
    unsalted SHA-256 locks of saves made before scrypt."""
    if stored.startswith("scrypt$"):
        try:
            _, salt, expected = stored.split("$")
            digest = hashlib.scrypt(_norm(passphrase), salt=bytes.fromhex(salt), n=_N, r=_R, p=_P, dklen=32)
        except ValueError:
            return False
        return hmac.compare_digest(digest.hex(), expected)
    legacy = hashlib.sha256(("crisis-sim white cell:" + passphrase).encode()).hexdigest()
    return hmac.compare_digest(legacy, stored)


def _norm(passphrase: str) -> bytes:
    return passphrase.strip().encode()
