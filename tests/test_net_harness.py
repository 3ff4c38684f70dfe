"""The network tests' harness: a test that outlives its bound fails, and says where each
seat and task was waiting, even when the test swallows the cancel and ends quietly."""

from __future__ import annotations

import asyncio
import contextlib
import socket

import pytest
from net_harness import Seat, run_bounded


def test_a_test_that_outlives_its_bound_fails_even_if_it_swallows_the_cancel():
    async def stalls_then_ends_quietly():
        with socket.socket() as nothing_there:  # a host that never answers
            nothing_there.bind(("127.0.0.1", 0))
            us = Seat(f"ws://127.0.0.1:{nothing_there.getsockname()[1]}", "AAAA-BBBB-CCCC", "us")
            with contextlib.suppress(asyncio.CancelledError):  # what the bound must see through
                await us.do("read_public")

    with pytest.raises(AssertionError) as failed:
        run_bounded(stalls_then_ends_quietly(), 0.3)
    report = str(failed.value)
    assert report.startswith("still running after 0.3 s")
    # Where the seat was (its command unanswered) and where the test waited (this file's line).
    assert "  us: " in report and "unanswered commands ['read_public']" in report
    assert "the test (pending):\n    tests/test_net_harness.py:" in report
    assert 'in stalls_then_ends_quietly: await us.do("read_public")' in report
    assert "seat us (pending):\n    game/net/client.py:" in report


def test_a_test_within_its_bound_passes_or_fails_as_itself():
    async def passes():
        await asyncio.sleep(0)

    async def fails():
        raise ValueError("its own failure")

    run_bounded(passes(), 1)
    with pytest.raises(ValueError, match="its own failure"):
        run_bounded(fails(), 1)
