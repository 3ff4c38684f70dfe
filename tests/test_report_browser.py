"""The HTML report in a real browser: headless Chromium renders it to a PNG that
is not blank. CI installs Chromium (Debian's package, in .ci/run); without a
browser the test skips and says why."""

from __future__ import annotations

import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from report_games import GOLDEN_PLAYERS, golden_game

from game.reports.report import write_report

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
# As root, on a machine without a network: no sandbox, no GPU, and no background
# connections (each would be refused, many at a time).
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--force-device-scale-factor=0.5",  # a quarter of the pixels: quicker to check, same layout
]


def browser() -> str:
    found = next((shutil.which(name) for name in BROWSERS if shutil.which(name)), None)
    if found is None:
        pytest.skip("no Chromium here (apt-get install chromium; .ci/run installs it for CI)")
    return found


def screenshot(page: Path, tmp_path: Path, size: str = "1280,1600") -> Path:
    png = tmp_path / f"{page.stem}.png"
    profile = tmp_path / f"profile-{page.stem}"
    profile.mkdir()
    subprocess.run(
        [
            browser(),
            *FLAGS,
            f"--user-data-dir={profile}",
            f"--screenshot={png}",
            f"--window-size={size}",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return png


def add_bytes(a: bytes, b: bytes) -> bytes:
    """Byte-wise (a + b) mod 256 over whole rows at once (bit tricks on big integers)."""
    n = len(a)
    low, high = int.from_bytes(b"\x7f" * n, "big"), int.from_bytes(b"\x80" * n, "big")
    x, y = int.from_bytes(a, "big"), int.from_bytes(b, "big")
    return (((x & low) + (y & low)) ^ ((x ^ y) & high)).to_bytes(n, "big")


def pixels(png: Path) -> list[bytes]:
    """The pixels (RGB bytes) of an 8-bit RGB or RGBA PNG, as Chromium writes them."""
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour, *_ = header
    assert depth == 8 and colour in (2, 6), f"unexpected PNG kind (depth {depth}, colour type {colour})"
    size = 3 if colour == 2 else 4
    raw, stride = zlib.decompress(idat), width * size
    rows, previous = [], bytes(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], raw[start + 1 : start + 1 + stride]
        if kind == 2:  # Up, the commonest: one addition for the whole row
            line = add_bytes(line, previous)
        elif kind != 0:  # Sub, Average, Paeth (PNG spec, section 9), byte by byte
            out = bytearray(line)
            for i in range(stride):
                a = out[i - size] if i >= size else 0
                b, c = previous[i], previous[i - size] if i >= size else 0
                if kind == 1:
                    out[i] = (out[i] + a) & 255
                elif kind == 3:
                    out[i] = (out[i] + (a + b) // 2) & 255
                else:
                    p = a + b - c
                    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                    out[i] = (out[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
            line = bytes(out)
        rows.append(line)
        previous = line
    return [r[i : i + 3] for r in rows for i in range(0, stride, size)]


def ink(png: Path) -> tuple[float, int]:
    """The share of pixels that are not the background (the commonest colour), and the number of colours."""
    colours = pixels(png)
    counts: dict[bytes, int] = {}
    for c in colours:
        counts[c] = counts.get(c, 0) + 1
    return 1 - max(counts.values()) / len(colours), len(counts)


def test_the_report_renders_in_a_browser_to_a_page_that_is_not_blank(tmp_path):
    page = write_report(golden_game(), GOLDEN_PLAYERS, tmp_path / "report.html", "html")
    share, colours = ink(screenshot(page, tmp_path))
    assert share > 0.02, f"only {share:.2%} of the page is drawn"
    assert colours > 20  # text, tables and the chart's colours, anti-aliased
    # A blank page is told apart, so the check above can fail.
    blank = tmp_path / "blank.html"
    blank.write_text("<!DOCTYPE html><html><body></body></html>", encoding="utf-8")
    assert ink(screenshot(blank, tmp_path, "320,240")) == (0, 1)
