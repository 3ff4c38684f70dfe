"""The small text pieces the screens are built of (game/tui/text.py, game/tui/hanging.py)."""

import asyncio

from rich.console import Console
from rich.text import Text

from game.engine.views import TrackView
from game.tui.hanging import Hanging
from game.tui.text import track_line


def track(value: float, high: float, unit: str) -> TrackView:
    return TrackView("attacks", "Attacks this game", value, 0, high, unit, "public", None)


def test_a_track_line_gives_its_unit_once_after_the_scale():
    """'0 attacks/50 attacks' read twice the word it needs at 80 columns: '0/50 attacks'."""
    assert track_line(track(0, 50, " attacks")).plain.endswith(" 0/50 attacks")
    assert track_line(track(45, 100, "")).plain.endswith(" 45/100")
    assert track_line(track(7.5, 10, "%")).plain.endswith(" 7.5/10%")


def rows(text: Text, width: int) -> list[str]:
    """What a page of `width` columns shows of `text`, row by row."""
    console = Console(width=width, color_system=None, legacy_windows=False)
    with console.capture() as captured:
        console.print(Hanging(text))
    return [row.rstrip() for row in captured.get().splitlines()]


def test_an_indented_line_wraps_under_its_indent_and_two_more():
    """At 80 columns a dice line of the results wrapped to the left edge ("SUCCESS" alone
    under "Iraq: ..."): it must stay under the line it belongs to."""
    line = "   dice: Demand arrests: chance 60% + 20 (talks give cover) = 80%, rolled 78: SUCCESS"
    assert rows(Text(line), 40) == [
        "   dice: Demand arrests: chance 60% + 20",
        "     (talks give cover) = 80%, rolled",
        "     78: SUCCESS",
    ]


def test_bullets_and_numbers_wrap_under_their_text_and_prose_at_the_margin():
    text = Text(
        "• a bullet that is long enough to wrap over two lines\n"
        "12. a question long enough to wrap over two lines\n"
        "Prose at the margin wraps at the margin as before."
    )
    assert rows(text, 30) == [
        "• a bullet that is long enough",
        "  to wrap over two lines",
        "12. a question long enough to",
        "    wrap over two lines",
        "Prose at the margin wraps at",
        "the margin as before.",
    ]


def test_a_wrapped_line_keeps_its_styles_and_its_words():
    text = Text.assemble("  Turn 1 ✘ believed: ", ("nothing of this order (only its effects)", "bold"))
    page = Hanging(text)
    console = Console(width=30)
    lines = console.render_lines(page, console.options.update_width(30), pad=False)
    assert ["".join(s.text for s in line).rstrip() for line in lines] == [
        "  Turn 1 ✘ believed: nothing",
        "    of this order (only its",
        "    effects)",
    ]
    last = [s for s in lines[2] if s.text.strip()]
    assert last and all(s.style is not None and s.style.bold for s in last)
    assert str(page) == text.plain  # what the tests that scan a screen read


def test_a_header_leaves_out_the_date_before_it_cuts_a_word():
    """With the clock paused at 60 columns the header read 'orders' as 'ord…'."""
    from textual.app import App

    from game.tui.widgets.header import SeatHeader
    from game.workshop.present import Header

    header = Header("s", "us", "United States", 2, 8, "11 December 2023", "Friction")

    class One(App):
        def compose(self):
            yield SeatHeader(header, "orders", id="h")

    async def run(width: int) -> str:
        app = One()
        async with app.run_test(size=(width, 5)) as pilot:
            widget = app.query_one(SeatHeader)
            widget.show(extra="⏱ 09:23 paused")
            await pilot.pause()
            return str(widget.render())

    wide, narrow = asyncio.run(run(100)), asyncio.run(run(60))
    assert "United States · Turn 2 of 8 · 11 December 2023 · orders" in wide
    assert narrow.startswith("United States · Turn 2 of 8 · orders") and "…" not in narrow
    assert narrow.rstrip().endswith("⏱ 09:23 paused")


def test_a_long_question_in_a_dialog_wraps_instead_of_being_cut():
    """The override's question was cut at 80 columns: 'Why? (the team'."""
    from pathlib import Path

    from textual.app import App

    from game.tui.screens.dialogs import Ask

    question = "Fire on the embassy: make it a failure. Why? (the teams see it with the results of the turn)"

    class One(App):
        CSS_PATH = str(Path(__file__).parents[1] / "game" / "tui" / "app.tcss")

        def on_mount(self):
            self.push_screen(Ask(question))

    async def run():
        app = One()
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            title = app.screen.query_one(".dialog-title")
            dialog = app.screen.query_one(".dialog")
            assert title.region.height >= 2  # wrapped onto a second line
            assert dialog.region.contains_region(title.region)

    asyncio.run(run())


def test_a_new_footer_is_drawn_without_restyling_its_keys(monkeypatch):
    """Every key of a new footer was restyled twice (made compact, then not): two thirds of
    all the restyling the game's screens did. The keys are drawn as before (the snapshot
    tests), none restyled; the palette's key stays compact."""
    from textual.app import App
    from textual.binding import Binding
    from textual.dom import DOMNode
    from textual.widgets._footer import FooterKey

    from game.tui.widgets.footer import KeyFooter

    restyled: list[str] = []
    update = DOMNode.update_node_styles

    def counted(node, animate=True):
        restyled.append(type(node).__name__)
        update(node, animate)

    monkeypatch.setattr(DOMNode, "update_node_styles", counted)

    class One(App):
        BINDINGS = [Binding("a", "one", "One"), Binding("b", "two", "Two"), Binding("c", "three", "Three")]

        def compose(self):
            yield KeyFooter()

    async def run():
        app = One()
        async with app.run_test(size=(80, 5)) as pilot:
            for _ in range(50):  # the footer is built once the app has the focus
                await pilot.pause()
                if len(app.query(FooterKey)) > 3:
                    break
            keys = list(app.query(FooterKey))
            assert [k.description for k in keys if not k.has_class("-command-palette")] == ["One", "Two", "Three"]
            assert all(k.compact == k.has_class("-compact") == k.has_class("-command-palette") for k in keys)

    asyncio.run(run())
    assert restyled.count("FooterKey") == 1  # the palette's, made compact as it mounts (was 7)


def test_a_role_with_nothing_to_score_is_not_ranked_on_the_end_screen():
    """The projector read 'Iran (IRGC Quds Force): 0 of 0 possible points'."""
    from game.tui import render
    from game.workshop.present import EndView, Header, ScoreShown

    header = Header("s", None, "All teams", 8, 8, "1 February 2024", "Fragile quiet")
    scores = (
        ScoreShown("United States", 8, 10, 2, (("Keep cohesion", True, 2),)),
        ScoreShown("Iran (IRGC Quds Force)", 0, 0, 0, ()),
        ScoreShown("Iran-aligned militias", 0, 6, 0, (("Stay in the state", False, 2),)),
    )
    text = render.end(EndView(header, "Fragile quiet", "Quiet.", None, "after 8 turns", scores)).plain
    assert "1. United States: 8 of 10 possible points" in text
    assert "2. Iran-aligned militias: 0 of 6 possible points" in text
    assert "0 of 0" not in text and "Not scored in this scenario: Iran (IRGC Quds Force)." in text


def test_the_ladder_and_the_tracks_fit_their_width_one_line_each_with_an_ellipsis():
    """On a projector at 80x24 the room's ladder labels wrapped onto a second line, and the
    tracks too: each rung and each track is one line now, shortened where it must be, and
    what says where the game stands ("◀ now", "(ends game)") is never the part cut."""
    from game.engine.views import TrackView
    from game.tui.render import ladder
    from game.tui.screens.remote import fitted_tracks
    from game.workshop.present import Header, LevelShown, SituationView

    header = Header("A game", "room", "The room", 1, 8, "8 December 2023", "Strikes")
    levels = (
        LevelShown("Negotiated calm", True, False),
        LevelShown("Strikes and counter-strikes between the militias and the coalition", False, True),
        LevelShown("Open conflict between the United States and the militias", True, False),
    )
    tracks = (
        TrackView("tension", "Tension", 50, 0, 100, "", "public", "fictional"),
        TrackView("attacks", "Attacks on US forces since 17 October", 82, 0, 400, " attacks", "public", "disputed"),
    )
    view = SituationView(header, levels, tracks, "Tension", (50,), ())
    rungs = ladder(view, 36).plain.splitlines()
    assert rungs == [
        "  Open conflict between… (ends game)",
        "▶ Strikes and counter-strike…  ◀ now",
        "  Negotiated calm (ends game)",
    ]
    # A column of 38: no room for a bar; the labels keep all the room the values leave.
    assert fitted_tracks(view, 38).plain.splitlines() == [
        "Tension" + " " * 25 + "50/100",
        "Attacks on US forces s… 82/400 attacks",
    ]
    # 80 columns: whole labels, bars (20% of 12 cells is 2), and the provenance tags.
    assert fitted_tracks(view, 80).plain.splitlines() == [
        "Tension" + " " * 31 + "██████░░░░░░" + " " * 9 + "50/100 [fiction]",
        "Attacks on US forces since 17 October ██░░░░░░░░░░ 82/400 attacks [disputed]",
    ]
