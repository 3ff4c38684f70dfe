"""A team's copy of the after-action report, saved from `crisis join` in a terminal (`d`)."""

from __future__ import annotations

import asyncio
import os
import stat
from pathlib import Path

import pytest

from game.tui.base import SeatApp
from game.tui.screens.remote import ReportScreen, report_file_name, report_folder, write_new

REPORT = "# After-action report\n\nTension fell to **35**.\n"


class ReportApp(SeatApp):
    """Just the report screen, as the join client shows it at the end."""

    CSS_PATH = str(Path(__file__).parents[1] / "game" / "tui" / "app.tcss")  # the app's own styles

    def __init__(self) -> None:
        super().__init__(handover_delay=0)
        self.told: list[tuple[str, str]] = []

    def on_mount(self) -> None:
        self.push_screen(ReportScreen(REPORT, "crisis-report-us.md"))

    def tell(self, message: str, severity: str = "information", timeout: float = 5) -> None:
        self.told.append((message, severity))
        super().tell(message, severity, timeout)


def press_d_times(times: int, hint: list[str] | None = None) -> list[tuple[str, str]]:
    """What the team is told after pressing d `times` times (`hint`: the line under the report then)."""

    async def run() -> list[tuple[str, str]]:
        app = ReportApp()
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            for _ in range(times):
                await pilot.press("d")
                await pilot.pause()
            if hint is not None:
                hint.append(str(app.screen.query_one("#report-hint").render()))
        return app.told

    return asyncio.run(run())


def test_d_saves_the_report_in_the_downloads_folder_and_says_where(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "Downloads").mkdir()
    hint: list[str] = []
    told = press_d_times(1, hint)
    saved = tmp_path / "Downloads" / "crisis-report-us.md"
    assert saved.read_text(encoding="utf-8") == REPORT
    assert told == [(f"The report is saved as {saved.resolve()}", "information")]
    assert hint == [f"Saved as {saved.resolve()}   (d: another copy   escape: back)"]  # the message goes; this stays
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600  # every team's secrets: its owner's only, as a save


def test_without_a_downloads_folder_the_report_goes_where_crisis_join_was_started(tmp_path, monkeypatch):
    # Textual's own delivery wrote to ~/Downloads, failed quietly when it was missing,
    # and the team was told the report was saved.
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    told = press_d_times(1)
    assert (tmp_path / "crisis-report-us.md").read_text(encoding="utf-8") == REPORT
    assert told[0][0].endswith(str((tmp_path / "crisis-report-us.md").resolve()))


def test_a_second_copy_never_replaces_the_first(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    downloads = tmp_path / "Downloads"
    downloads.mkdir()
    (downloads / "crisis-report-us.md").write_text("last month's workshop", encoding="utf-8")
    told = press_d_times(2)
    assert (downloads / "crisis-report-us.md").read_text(encoding="utf-8") == "last month's workshop"
    assert (downloads / "crisis-report-us-2.md").read_text(encoding="utf-8") == REPORT
    assert (downloads / "crisis-report-us-3.md").read_text(encoding="utf-8") == REPORT
    assert [m for m, _ in told] == [
        f"The report is saved as {(downloads / name).resolve()}"
        for name in ("crisis-report-us-2.md", "crisis-report-us-3.md")
    ]


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into a read-only folder")
def test_a_folder_that_cannot_be_written_gives_an_error_not_a_traceback(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    downloads = tmp_path / "Downloads"
    downloads.mkdir()
    downloads.chmod(0o500)
    try:
        told = press_d_times(1)
    finally:
        downloads.chmod(0o700)
    assert told == [("Could not save the report: Permission denied", "error")]
    assert list(downloads.iterdir()) == []


def test_a_write_that_fails_midway_leaves_no_half_report(tmp_path, monkeypatch):

    def open_then_fail(fd, *args, **kwargs):
        class Failing:  # the file was created before the disk filled
            def __enter__(self):
                return self

            def __exit__(self, *exc):
                os.close(fd)
                return False

            def write(self, text):
                raise OSError(28, "No space left on device")

        return Failing()

    monkeypatch.setattr(os, "fdopen", open_then_fail)
    with pytest.raises(OSError, match="No space left"):
        write_new(tmp_path, "crisis-report-us.md", REPORT)
    assert list(tmp_path.iterdir()) == []


def test_report_folder_is_downloads_only_when_it_exists(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    assert report_folder() == tmp_path
    (tmp_path / "Downloads").mkdir()
    assert report_folder() == tmp_path / "Downloads"


def test_the_copy_is_named_for_the_game_it_reports():
    assert report_file_name("Baghdad, December 2023: Mortars on the Embassy") == (
        "after-action-report-baghdad-december-2023-mortars.md"
    )
    assert report_file_name("Tutorial: Rockets at Camp Juniper") == "after-action-report-tutorial-rockets-at-camp.md"
    assert report_file_name("../../etc/passwd ☃") == "after-action-report-etc-passwd.md"
    assert report_file_name("") == "after-action-report.md"
