"""Join codes: one per seat, made by `secrets`, kept only as salted hashes.

A code is 12 characters from an alphabet without look-alikes (no 0/O, 1/I/L),
shown in three groups: `K7QM-4XPT-9RWB`, about 59 bits. Typing is forgiving
(lower case, spaces and dashes are fine). The host keeps SHA-256 hashes with
a salt of its own, in the game's autosave, so a resumed host knows the same
codes; a code is checked against every seat's hash in constant time, and
wrong codes from one address are throttled.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import math
import secrets
from dataclasses import dataclass, field
from typing import Any

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 12
BITS = LENGTH * math.log2(len(ALPHABET))


def new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, LENGTH, 4))


def normalise(code: str) -> str:
    return "".join(c for c in code.upper() if c not in " -\t")


def _hash(salt: bytes, code: str) -> bytes:
    return hashlib.sha256(salt + normalise(code).encode("utf-8", "replace")).digest()


class Codes:
    """Each seat's code, as a salted hash."""

    def __init__(self, salt: bytes, hashes: dict[str, bytes]):
        self.salt = salt
        self.hashes = hashes

    @classmethod
    def issue(cls, seats: list[str]) -> tuple[Codes, dict[str, str]]:
        """New codes for `seats`: the hashes to keep, and the codes to print once."""
        salt = secrets.token_bytes(16)
        plain = {seat: new_code() for seat in seats}
        return cls(salt, {seat: _hash(salt, code) for seat, code in plain.items()}), plain

    def seat_of(self, code: str) -> str | None:
        """The seat whose code this is. Every seat's hash is compared, each in constant time."""
        given = _hash(self.salt, code[:64])
        found = None
        for seat, expected in self.hashes.items():
            if hmac.compare_digest(given, expected):
                found = seat
        return found

    def saved(self) -> dict[str, Any]:
        return {"salt": self.salt.hex(), "hashes": {seat: h.hex() for seat, h in self.hashes.items()}}

    @classmethod
    def restored(cls, data: Any, seats: set[str]) -> Codes | None:
        """The codes `saved` wrote, or None when `data` is not that (a save without a host's codes)."""
        try:
            salt = bytes.fromhex(data["salt"])
            hashes = {seat: bytes.fromhex(h) for seat, h in data["hashes"].items()}
        except (TypeError, KeyError, ValueError, AttributeError):
            return None
        if len(salt) != 16 or set(hashes) != seats or any(len(h) != 32 for h in hashes.values()):
            return None
        return cls(salt, hashes)


@dataclass(slots=True)
class Throttle:
    """Wrong codes from one address: a few are free, then each waits twice as long as the last.

    `free` wrong codes within `window` seconds cost nothing; after that the address
    is refused for 1 s, then 2, 4, ... up to `longest`, whatever it sends. A right code
    does not wipe the slate: a team that knows its own code must not use it to
    reset the count while it guesses another seat's."""

    free: int = 5
    window: float = 600.0
    longest: float = 60.0
    failures: dict[str, list[float]] = field(default_factory=dict)
    until: dict[str, float] = field(default_factory=dict)

    def wait(self, address: str, now: float) -> float:
        """Seconds `address` must still wait before its next try (0: it may try now)."""
        return max(self.until.get(counted_as(address), 0.0) - now, 0.0)

    def failed(self, address: str, now: float) -> None:
        address = counted_as(address)
        recent = [t for t in self.failures.get(address, []) if now - t < self.window]
        recent.append(now)
        self.failures[address] = recent[-100:]
        over = len(recent) - self.free
        if over > 0:
            self.until[address] = now + min(2.0 ** (over - 1), self.longest)
        if len(self.failures) > 10_000:  # forget the oldest addresses rather than grow without end
            oldest = min(self.failures, key=lambda a: self.failures[a][-1])
            self.failures.pop(oldest)
            self.until.pop(oldest, None)


@dataclass(slots=True)
class WebTabs:
    """The browser behind each join client the web front starts (one per browser tab).

    Those clients all connect from this machine, so wrong codes typed in any tab counted
    against one address, and a few of them locked every browser out. The web front gives
    each tab's client a ticket that names the browser's address; the host counts a
    client's wrong codes against that address when the client connects from this machine
    with a ticket it gave out (from anywhere else, a ticket counts for nothing)."""

    browsers: dict[str, str] = field(default_factory=dict)  # ticket: the browser's address
    # Each tab runs a join client, a process of its own (tens of MB): without a bound,
    # anyone on the network could open tabs until the host's machine ran out of memory.
    most: int = 40  # tabs in all: a workshop's teams and White Cell, with room to spare
    most_per_browser: int = 12  # a classroom behind one NAT address is one "browser"

    def open(self, browser: str) -> str | None:
        """A ticket for a new tab of `browser`; None when too many tabs are open (from it, or in all)."""
        if (
            len(self.browsers) >= self.most
            or sum(counted_as(b) == counted_as(browser) for b in self.browsers.values()) >= self.most_per_browser
        ):
            return None
        ticket = secrets.token_urlsafe(16)
        self.browsers[ticket] = browser
        return ticket

    def close(self, ticket: str) -> None:
        self.browsers.pop(ticket, None)

    def browser(self, connected_from: str, ticket: str | None) -> str | None:
        """The address of the browser a connection speaks for; None for a connection that
        speaks for itself (no ticket, one this front never gave or took back, or not from here).
        Its wrong codes count against that address, the very count of a connection from
        there: a browser does not get a second count by going through the web front."""
        if ticket is None or ticket not in self.browsers or not is_loopback(connected_from):
            return None
        return self.browsers[ticket]


def counted_as(address: str) -> str:
    """What an address's wrong codes and tabs count against: an IPv4 address itself, an IPv6
    address's /64 network. A machine may take any address of its /64 at will (privacy
    addresses rotate on their own), so counting IPv6 addresses one by one would give it a
    fresh count of wrong codes for each."""
    try:
        ip = ipaddress.ip_address(address)
        if isinstance(ip, ipaddress.IPv6Address):
            if ip.ipv4_mapped is not None:  # ::ffff:192.0.2.7 is 192.0.2.7 on a dual-stack socket
                return str(ip.ipv4_mapped)
            return str(ipaddress.IPv6Network((int(ip), 64), strict=False))
        return str(ip)
    except ValueError:
        return address


def is_loopback(address: str) -> bool:
    """Whether `address` (a number, not a name) is this machine's."""
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False
