"""The network tests' harness: a test that outlives its bound fails, and says where each
seat and task was waiting, even when the test swallows the cancel and ends quietly."""

from __future__ import annotations

import asyncio
import contextlib

import pytest
from net_harness import Seat, hosted, run_bounded


def test_a_test_that_outlives_its_bound_fails_even_if_it_swallows_the_cancel(tmp_path):
    async def stalls_then_ends_quietly():
        async with hosted(tmp_path) as (host, plain, uri):
            us = Seat(uri, plain["us"], "us")
            await us.at("public_briefing")
            with contextlib.suppress(asyncio.CancelledError):  # what the bound must see through
                await asyncio.Event().wait()

    with pytest.raises(AssertionError) as failed:
        run_bounded(stalls_then_ends_quietly(), 0.5)
    report = str(failed.value)
    assert report.startswith("still running after 0.5 s")
    # Where the seat was (its last frame) and where the test waited (this file's line).
    assert "us: connected, last frame n=1 stage {'kind': 'public_briefing'" in report
    assert "the test (pending):\n    tests/test_net_harness.py:" in report
    assert "in stalls_then_ends_quietly: await asyncio.Event().wait()" in report
    assert "host: pusher" in report and "seat us" in report


def test_a_test_within_its_bound_passes_or_fails_as_itself():
    async def passes():
        await asyncio.sleep(0)

    async def fails():
        raise ValueError("its own failure")

    run_bounded(passes(), 1)
    with pytest.raises(ValueError, match="its own failure"):
        run_bounded(fails(), 1)
