"""The after-action report: golden files, contents from the log, escaping of
hostile text, well-formed HTML, Markdown that renders, the comparison of
several games, the handouts, and the commands."""

from __future__ import annotations

import difflib
import os
import re
import stat
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from helpers import FLAGSHIP, ROOT, TUTORIAL, from_data, mini, mini_data, shipped, started
from markdown_it import MarkdownIt
from report_games import (
    EVIL_URL,
    GOLDEN_PLAYERS,
    GOOD_URL,
    HOSTILE,
    golden_game,
    hostile_game,
    hostile_loaded,
)

from game.cli.main import main
from game.engine import Game
from game.engine import events as ev
from game.players import DoctrineBot, RandomBot, play_game, play_turn
from game.reports import html, markdown
from game.reports.compare import build_comparison
from game.reports.handouts import handouts
from game.reports.history import game_beside_the_record, real_timeline, turn_of
from game.reports.report import build_report, render_report, write_report
from game.scenario import ScenarioError
from game.workshop.saves import read_save, restore, save_game

GOLDEN = ROOT / "tests" / "golden"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def golden():
    return golden_game()


# ------------------------------------------------------------ golden files


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_the_golden_report_is_reproduced(golden, fmt):
    """The flagship game of tests/report_games.py, both formats. After an intended
    change, re-record with `make golden` (UPDATE_GOLDEN=1 for this test)."""
    path = GOLDEN / f"report-baghdad-2023.{fmt}"
    fresh = render_report(golden, GOLDEN_PLAYERS, fmt)
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(fresh, encoding="utf-8")
    recorded = path.read_text(encoding="utf-8")
    if fresh != recorded:
        diff = "".join(difflib.unified_diff(recorded.splitlines(True), fresh.splitlines(True), str(path), "now", n=2))
        pytest.fail(f"the report changed (re-record with `make golden` if intended):\n{diff[:6000]}")


def test_a_replayed_save_gives_the_same_report(golden, tmp_path):
    path = save_game(golden, tmp_path / "g.json", GOLDEN_PLAYERS)
    save = read_save(path)
    again = restore(save, shipped(FLAGSHIP))
    for fmt in ("html", "md"):
        assert render_report(again, save.players, fmt) == render_report(golden, GOLDEN_PLAYERS, fmt)


# ----------------------------------------------------------------- contents


def counted(game):
    """The log without what the White Cell's undo took back (the override's re-run replaces turn 2)."""
    undo = max(i for i, e in enumerate(game.log) if isinstance(e, ev.TurnUndone))
    opened = max(i for i, e in enumerate(game.log[:undo]) if isinstance(e, ev.OrdersOpened) and e.turn == 2)
    return game.log[:opened] + game.log[undo:]


def test_the_report_reveals_every_order_and_roll_of_the_game(golden):
    text = render_report(golden, GOLDEN_PLAYERS, "md")
    for e in counted(golden):
        if isinstance(e, ev.OrdersRevealed):
            for role, actions in e.orders:
                labels = ", ".join(markdown.md(golden.rules.actions[f"{role}.{a}"].label) for a in actions)
                assert labels in text, (e.turn, role)
        if isinstance(e, ev.RollMade):
            die = f"rolled {e.roll}" if e.roll is not None else "no roll needed"
            assert f"{markdown.md(e.label)}: chance {e.base:g}" in text and die in text


def test_the_report_names_the_teams_the_seed_the_outcome_and_the_scores(golden):
    report = build_report(golden, GOLDEN_PLAYERS)
    end = next(e for e in reversed(golden.log) if isinstance(e, ev.GameEnded))
    assert [(t.role, t.played_by) for t in report.teams] == [
        ("us", "human team"),
        ("iraq", "doctrine bot"),
        ("iran", "doctrine bot"),  # a party no team plays: always its doctrine
        ("militias", "doctrine bot"),
    ]
    assert report.seed == 1 and report.start == "8 December 2023"
    assert [(s.role, s.total) for s in report.debrief.scores] == list(end.scores)
    text = render_report(golden, GOLDEN_PLAYERS, "md")
    assert "| Seed | 1 |" in text
    for role, total in end.scores:
        assert f"### {markdown.md(golden.rules.roles[role].name)}: {total} points" in text


def test_the_teams_reasoning_and_the_white_cell_appear_with_what_the_rules_gave(golden):
    text = render_report(golden, GOLDEN_PLAYERS, "md")
    assert "why, in the team's words: *Put Baghdad in front.*" in text
    assert "what the team thought the others intended: *The militias want us to overreact.*" in text
    assert "Facilitator news: The White Cell" in text
    override = next(e for e in golden.log if isinstance(e, ev.RollOverridden))
    assert "Roll overridden" in text and "the rules gave: the dice said" in text
    assert markdown.md(override.reason) in text


def test_news_that_only_some_teams_saw_says_whose_it_was(golden):
    """The report shows every headline; one that went to a single team ("reach your depots")
    is tagged with that team, read from the scenario's own visibility of the order."""
    scenario = golden.scenario
    private = {
        f"{r.id}.{a.id}": r.short_name or r.name for r in scenario.roles for a in r.actions if a.visibility == "private"
    }
    text = render_report(golden, GOLDEN_PLAYERS, "md")
    tagged = 0
    for turn in build_report(golden, GOLDEN_PLAYERS).turns:
        for item in turn.news:
            expected = f"{private[item.ref]} only" if item.source == "action" and item.ref in private else None
            assert item.audience == expected, (turn.number, item.text)
            if expected:
                tagged += 1
                assert f"- *\\[{expected}\\]* {markdown.md(item.text)}" in text
    assert tagged >= 3


def test_an_inject_says_what_it_did_even_when_it_was_news_only():
    from game.reports.debrief import InjectRecord, TrackShift

    tension = TrackShift("tension", "Tension", 50, 33)
    assert InjectRecord("a", "A", False, (tension,), 0, 0.17).effects == "Tension 50 → 33 (-17)"
    assert InjectRecord("b", "B", False, (), 2, 0).effects == "pushed the ladder up 2 steps"
    assert InjectRecord("c", "C", False, (), -1, 0).effects == "pushed the ladder down 1 step"
    assert InjectRecord("d", "D", False, (), 0, 0).effects == "news only"


def test_the_players_default_to_who_gave_the_orders_in_the_log(golden):
    teams = build_report(golden).teams
    assert [t.player for t in teams] == ["doctrine"] * 4  # the US's later turns were the bot's


def test_charts_show_the_ladder_and_each_track_that_moved(golden):
    report = build_report(golden, GOLDEN_PLAYERS)
    moved = [t.key for t in report.debrief.tracks if t.role is None and len(set(report.debrief.series[t.key])) > 1]
    assert [t.key for t in report.charts] == moved and moved
    root = ET.fromstring(strip_doctype(render_report(golden, GOLDEN_PLAYERS, "html")))
    charts = root.iter(f"{SVG}svg")
    assert len(list(charts)) == 1 + len(moved)
    text = render_report(golden, GOLDEN_PLAYERS, "md")
    assert text.count("```text") == 1 + len(moved)


def test_an_unfinished_game_has_a_report_too():
    game = Game(shipped(TUTORIAL), 4)
    game.begin()
    game.start_play()
    play_turn(game, {r: RandomBot() for r in game.rules.role_ids})
    text = render_report(game, None, "md")
    assert "Not finished: 1 of 3 turns played" in text and "### Turn 1," in text and "### Turn 2," not in text


def test_only_the_questions_that_apply_are_in_the_report():
    data = mini_data()
    data["debrief"] = {
        "questions": [
            {"text": "Talks opened: who gained?", "when": "talks"},
            {"text": "Why did talks never open?", "when": "not talks"},
            {"text": "What did Alpha want?", "roles": ["b"]},
        ]
    }
    game = Game(from_data(data), 1)
    game.begin()
    game.start_play()
    game.submit("a", ["calm_down"])
    game.submit("b", ["talk"])  # opens talks
    game.resolve()
    for fmt in ("md", "html"):
        text = render_report(game, None, fmt)
        assert "Talks opened: who gained?" in text and "What did Alpha want?" in text
        assert "Why did talks never open?" not in text


# ------------------------------------------------------ the real timeline


def test_history_entries_fall_in_the_turn_whose_days_cover_them():
    # The test scenario starts on 1 January 2024 with 7-day turns: turn 1 is 1-7
    # January, turn 2 is 8-14, turn 3 is 15-21; the 22nd comes after a 3-turn game.
    cases = {"2023-12-31": 0, "2024-01-01": 1, "2024-01-07": 1, "2024-01-08": 2, "2024-01-21": 3, "2024-01-22": 4}
    assert {date: turn_of("2024-01-01", 7, date) for date in cases} == cases
    data = mini_data()
    data["sources"] = [{"id": "s", "title": "T", "outlet": "O", "date": "2024"}]
    data["history"] = [
        {"date": d, "text": f"on {d}", "provenance": {"basis": "reported", "cite": ["s"]}} for d in sorted(cases)
    ]
    real = real_timeline(from_data(data).scenario, 3)
    assert [r.date for r in real.before] == ["2023-12-31"]
    assert [[r.date for r in turn] for turn in real.turns] == [
        ["2024-01-01", "2024-01-07"],
        ["2024-01-08"],
        ["2024-01-21"],
    ]
    assert [r.date for r in real.after] == ["2024-01-22"]
    assert real.for_turn(1)[0].when == "1 January 2024" and real.for_turn(4) == ()
    shorter = real_timeline(from_data(data).scenario, 2)  # a game set to fewer turns
    assert [r.date for r in shorter.after] == ["2024-01-21", "2024-01-22"]


def test_the_flagship_sets_its_weeks_beside_the_record(golden):
    real = game_beside_the_record(golden)
    assert real == real_timeline(shipped(FLAGSHIP).scenario, 8)
    texts = lambda events: " ".join(r.text for r in events)  # noqa: E731
    assert "embassy compound in Baghdad is hit" in texts(real.for_turn(1))
    assert "identified and several arrested" in texts(real.for_turn(1))  # 14 December: still the first week
    assert "Tower 22" in texts(real.for_turn(8))  # 28 January: the week of 26 January
    assert "85 targets" in texts(real.after) and "Kirkuk" in texts(real.before)
    assert all(turn for turn in real.turns), "every week of the flagship has a real event beside it"
    history = shipped(FLAGSHIP).scenario.history
    assert all("2023-10" <= h.date <= "2024-02-29" for h in history)
    assert all(h.provenance.basis in ("reported", "disputed") and h.provenance.cite for h in history)


def history_errors(entry, sources=({"id": "s", "title": "T", "outlet": "O", "date": "2024"},)):
    data = mini_data()
    data["sources"] = list(sources)
    data["history"] = [entry]
    with pytest.raises(ScenarioError) as caught:
        from_data(data)
    return [str(d) for d in caught.value.diagnostics if d.severity == "error"]


def test_a_history_entry_must_be_real_dated_and_sourced():
    (error,) = history_errors({"date": "2024-01-02", "text": "x", "provenance": {"basis": "fictional"}})
    assert "its basis is 'reported' or 'disputed', not 'fictional'" in error
    assert re.match(r"mini\.yaml:\d+:\d+: error:", error)
    (error,) = history_errors({"date": "2024-01-02", "text": "x", "provenance": {"basis": "reported"}})
    assert "a reported fact needs 'cite'" in error
    (error,) = history_errors({"date": "2024-13-02", "text": "x", "provenance": {"basis": "reported", "cite": ["s"]}})
    assert "'2024-13-02' is not a valid date" in error
    (error,) = history_errors({"date": "2024-01-02", "text": "x"})
    assert "history entry is missing the required key 'provenance'" in error
    (error,) = history_errors({"date": "2024-01-02", "text": "x", "provenance": {"basis": "reported", "cite": ["t"]}})
    assert "unknown source 't'" in error


def test_history_out_of_date_order_is_a_warning_and_needs_no_second_date():
    data = mini_data()
    data["sources"] = [{"id": "s", "title": "T", "outlet": "O", "date": "2024"}]
    fact = {"basis": "reported", "cite": ["s"]}
    data["history"] = [
        {"date": "2024-01-05", "text": "later", "provenance": fact},
        {"date": "2024-01-02", "text": "earlier", "provenance": fact},
    ]
    (warning,) = [str(w) for w in from_data(data).warnings]
    assert "history entry of 2024-01-02 comes after one of 2024-01-05" in warning


# ---------------------------------------------------------- hostile text


def strip_doctype(page: str) -> str:
    assert page.startswith("<!DOCTYPE html>\n")
    return page.removeprefix("<!DOCTYPE html>\n")


@pytest.fixture(scope="module")
def hostile():
    return hostile_game()


def test_the_html_report_is_well_formed_and_shows_hostile_text_as_text(hostile):
    page = render_report(hostile, None, "html")
    root = ET.fromstring(strip_doctype(page))  # a strict XML parser: every tag closed, every entity known
    names = {el.tag.split("}")[-1] for el in root.iter()}
    assert not names & {"script", "iframe", "object", "embed", "link", "img", "foreignObject"}
    assert not [a for el in root.iter() for a in el.attrib if a.lower().startswith("on")]
    links = [el.get("href") for el in root.iter("a")]
    assert links == [GOOD_URL]  # the javascript: address stays text
    text = "".join(root.itertext())
    assert text.count(HOSTILE) >= 12, "each hostile text is shown, as text"
    assert EVIL_URL in text and f'"{EVIL_URL}"' not in page  # shown, never an attribute
    assert page.count("<svg") == page.count("</svg>") == len(list(root.iter(f"{SVG}svg")))
    for svg in root.iter(f"{SVG}svg"):
        assert not [el for el in svg.iter() if el.tag.split("}")[-1] not in SVG_ELEMENTS]


SVG_ELEMENTS = {"svg", "title", "rect", "line", "text", "polyline", "circle", "path"}


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def rendered(markdown_text: str) -> Tags:
    """The Markdown as a CommonMark renderer with GitHub's tables shows it,
    raw HTML allowed through (as a viewer that does not sanitise would)."""
    parser = Tags()
    parser.feed(MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).render(markdown_text))
    return parser


def test_the_markdown_report_shows_hostile_text_as_text(hostile):
    shown = rendered(render_report(hostile, None, "md"))
    allowed = {"h1", "h2", "h3", "p", "ul", "ol", "li", "strong", "em", "table", "thead", "tbody", "tr", "th", "td"}
    allowed |= {"pre", "code", "a", "br"}
    assert {tag for tag, _ in shown.tags} <= allowed
    assert [attrs.get("href") for tag, attrs in shown.tags if tag == "a"] == [GOOD_URL]
    text = "".join(shown.text)
    assert text.count(HOSTILE) >= 12 and EVIL_URL in text
    assert "{braces}" in text and "\\{" not in text


def test_markdown_escaping_keeps_ordinary_text_as_it_is():
    for text in ["Tension rose 40 -> 55 (+15, US: Strike)", "1. not a list", "- not a bullet", "# not a heading"]:
        assert "".join(rendered(markdown.md(text)).text).strip() == text


def test_a_code_block_cannot_be_closed_by_the_text_inside_it():
    block = markdown.code_block(["level ```` name"])
    assert block[0] == "`````text" and block[-1] == "`````"


# --------------------------------------------------------------- several


def bot_game(loaded, seed, bots, first=None):
    game = Game(loaded, seed)
    game.begin()
    game.start_play()
    if first:
        for role, actions in first.items():
            game.submit(role, actions, "human")
    return play_game(game, bots)


def test_games_of_one_scenario_side_by_side():
    loaded = mini()
    bots = {"a": DoctrineBot(), "b": DoctrineBot()}
    one = bot_game(loaded, 5, bots, {"a": ["calm_down"], "b": ["wait"]})
    same = bot_game(loaded, 5, bots, {"a": ["calm_down"], "b": ["wait"]})
    other = bot_game(loaded, 5, bots, {"a": ["calm_down"], "b": ["talk"]})
    c = build_comparison([("one", one, None), ("same", same, None), ("other", other, None)])
    assert [d.turn for d in c.divergences] == [None, 1]
    assert c.divergences[0].what == "the same game as one"
    assert c.divergences[1].what == "the orders: Bravo ordered Wait in one, Talk in other"
    assert [[g.score(r) for r, _ in c.roles] for g in c.games] == [
        [
            next(s for r2, s in next(e for e in g.log if isinstance(e, ev.GameEnded)).scores if r2 == r)
            for r, _ in c.roles
        ]
        for g in (one, same, other)
    ]
    assert sum(n for _, n in c.outcomes) == 3
    for text in (html.comparison_page(c), markdown.comparison_text(c)):
        assert "parts from one in turn 1" in text and "same game as one" in text
    ET.fromstring(strip_doctype(html.comparison_page(c)))


def test_games_diverging_later_name_the_turn():
    loaded = mini()
    game_a = Game(loaded, 7)
    game_b = Game(loaded, 7)
    for game, second in ((game_a, "wait"), (game_b, "talk")):
        game.begin()
        game.start_play()
        game.submit("a", ["calm_down"])
        game.submit("b", ["wait"])
        game.resolve()
        game.submit("a", ["calm_down"])
        game.submit("b", [second])
        game.resolve()
    c = build_comparison([("A", game_a, None), ("B", game_b, None)])
    assert (c.divergences[0].turn, c.divergences[0].what) == (2, "the orders: Bravo ordered Wait in A, Talk in B")


def test_games_of_different_scenarios_are_not_compared():
    with pytest.raises(ValueError, match="compare games of one scenario"):
        build_comparison([("a", Game(mini(), 1), None), ("b", Game(shipped(TUTORIAL), 1), None)])


# ---------------------------------------------------------------- handouts


def private_texts(loaded, role):
    """Everything only `role` may read: its private briefing, objectives, own
    private tracks and its moves."""
    r = loaded.scenario.role(role)
    texts = [str(p.text if hasattr(p, "text") else p) for p in r.private_briefing]
    texts += [o.text for o in r.objectives] + [a.label for a in r.actions]
    texts += [t.label for t in r.tracks if t.visibility != "public"]
    return {" ".join(t.split()) for t in texts}


def page_text(page: str) -> str:
    return " ".join("".join(ET.fromstring(strip_doctype(page)).itertext()).split())


@pytest.mark.parametrize("path", [FLAGSHIP, TUTORIAL], ids=lambda p: p.stem)
def test_a_teams_handout_holds_nothing_private_of_another_team(path):
    loaded = shipped(path)
    pages = {h.name: page_text(html.handout_page(h)) for h in handouts(loaded)}
    roles = [r.id for r in loaded.scenario.roles if not r.bot_only]  # no team plays a bot-only role
    assert sorted(pages) == sorted(["public"] + [f"team-{r}" for r in roles])
    for role in roles:
        own = private_texts(loaded, role)
        assert any(t in pages[f"team-{role}"] for t in own), "the page holds the team's own secrets"
        for other in roles:
            if other == role:
                continue
            for secret in private_texts(loaded, other) - own:
                assert secret not in pages[f"team-{role}"], (role, other, secret)
        for secret in private_texts(loaded, role):
            assert secret not in pages["public"], (role, secret)


def test_handouts_escape_hostile_text():
    for handout in handouts(hostile_loaded()):
        page = html.handout_page(handout)
        root = ET.fromstring(strip_doctype(page))
        assert not [el for el in root.iter() if el.tag in ("script", "a")]
        assert HOSTILE in "".join(root.itertext())


# ---------------------------------------------------------------- commands


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_report_command_writes_html_or_markdown_and_compares(tmp_path, capsys, golden):
    first = save_game(golden, tmp_path / "first.json", GOLDEN_PLAYERS)
    code, _, err = run(capsys, "report", str(first), "-o", str(tmp_path / "r.html"))
    assert code == 0 and "Wrote the report" in err
    assert (tmp_path / "r.html").read_text(encoding="utf-8") == render_report(golden, GOLDEN_PLAYERS, "html")
    code, out, _ = run(capsys, "report", str(first), "--format", "md")
    assert code == 0 and out == render_report(golden, GOLDEN_PLAYERS, "md")
    code, _, _ = run(capsys, "report", str(first), "-o", str(tmp_path / "r.md"))
    assert (tmp_path / "r.md").read_text(encoding="utf-8").startswith("# After-action report")
    second = bot_game(shipped(FLAGSHIP), 2, {r: RandomBot() for r in ("us", "iraq", "militias")})
    other = save_game(second, tmp_path / "second.json", {r: "random" for r in ("us", "iraq", "militias")})
    code, out, _ = run(capsys, "report", str(first), str(other), "--format", "md")
    assert code == 0 and out.startswith("# 2 games of") and "second.json: parts from first.json in turn 1" in out
    assert "United States: random bot<br>Government of Iraq: random bot" in out
    assert "United States: human team<br>Government of Iraq: doctrine bot" in out


def test_report_command_errors_are_plain_messages(tmp_path, capsys):
    code, _, err = run(capsys, "report", str(tmp_path / "missing.json"))
    assert code == 1 and "crisis report: error:" in err and "no such file" in err
    a = save_game(bot_game(mini(), 1, {"a": DoctrineBot(), "b": DoctrineBot()}), tmp_path / "a.json")
    tutorial = bot_game(shipped(TUTORIAL), 1, {r: DoctrineBot() for r in ("us", "iraq", "militias")})
    b = save_game(tutorial, tmp_path / "b.json")
    code, _, err = run(capsys, "report", str(a), str(b), "--scenario", str(TUTORIAL))
    assert code == 1 and "Traceback" not in err
    code, _, err = run(capsys, "report", str(b), "-o", str(tmp_path / "no" / "r.html"))
    assert code == 1 and "no folder" in err
    with pytest.raises(SystemExit) as exc:
        main(["report", str(b), "--format", "pdf"])
    assert exc.value.code == 2


def test_handouts_command_writes_one_page_per_team(tmp_path, capsys):
    umask = os.umask(0o022)  # the usual one: new files readable by all
    try:
        code, out, _ = run(capsys, "handouts", str(TUTORIAL), "-o", str(tmp_path / "h"))
    finally:
        os.umask(umask)
    assert code == 0
    assert sorted(p.name for p in (tmp_path / "h").iterdir()) == [
        "public.html",
        "team-iraq.html",
        "team-militias.html",
        "team-us.html",
    ]
    assert "United States only" in out
    # A team's page holds its private briefing: its owner's only, as saves are, even over an older copy.
    assert {stat.S_IMODE(p.stat().st_mode) for p in (tmp_path / "h").iterdir()} == {0o600}
    assert stat.S_IMODE((tmp_path / "h").stat().st_mode) == 0o700
    (tmp_path / "h" / "team-us.html").chmod(0o644)
    assert run(capsys, "handouts", str(TUTORIAL), "-o", str(tmp_path / "h"))[0] == 0
    assert stat.S_IMODE((tmp_path / "h" / "team-us.html").stat().st_mode) == 0o600
    (tmp_path / "file").write_text("x")
    code, _, err = run(capsys, "handouts", str(TUTORIAL), "-o", str(tmp_path / "file"))
    assert code == 1 and "is a file" in err


def test_transcript_can_save_the_bot_game_for_a_report(tmp_path, capsys):
    save = tmp_path / "bots.json"
    code, out, err = run(capsys, "transcript", str(TUTORIAL), "--seed", "3", "--save", str(save))
    assert code == 0 and out.startswith("# Transcript") and "crisis report" in err
    bots = {"us": "doctrine", "iraq": "doctrine", "militias": "doctrine", "tehran": "doctrine"}
    assert read_save(save).players == bots
    code, out, _ = run(capsys, "report", str(save), "--format", "md")
    assert code == 0 and "| United States | doctrine bot |" in out
    code, _, err = run(capsys, "transcript", str(TUTORIAL), "--save", str(tmp_path / "no" / "g.json"))
    assert code == 1 and "no folder" in err


def test_write_report_is_the_call_for_the_review_screen(tmp_path, golden):
    path = write_report(golden, GOLDEN_PLAYERS, tmp_path / "aar.html", "html")
    assert path == tmp_path / "aar.html" and path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert os.listdir(tmp_path) == ["aar.html"]  # no temporary file left behind
    with pytest.raises(ValueError, match="unknown report format 'pdf'"):
        write_report(golden, GOLDEN_PLAYERS, tmp_path / "aar.pdf", "pdf")


def test_the_report_and_transcript_commands_write_files_their_owner_alone_may_read(tmp_path, golden):
    """`crisis report -o` and `crisis transcript -o` hold every team's secrets: 0600 whatever
    the umask (a reviewer found them world-readable), a new file or one replaced."""
    save = save_game(golden, tmp_path / "g.json", GOLDEN_PLAYERS)
    (tmp_path / "old.md").write_text("an older report")
    (tmp_path / "old.md").chmod(0o644)
    old = os.umask(0o022)
    try:
        for name in ("aar.md", "old.md"):
            assert main(["report", str(save), "-o", str(tmp_path / name)]) == 0
        assert main(["transcript", str(TUTORIAL), "-o", str(tmp_path / "t.txt")]) == 0
    finally:
        os.umask(old)
    for name in ("aar.md", "old.md", "t.txt"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600, name


def test_every_report_is_readable_by_its_owner_only(tmp_path, golden):
    """A report reveals every team's orders and secrets, mid-game or finished (before the
    debrief, on a shared machine): 0600 whatever the umask, as a save is."""
    import stat

    assert golden.over
    old = os.umask(0o022)
    try:
        finished = write_report(golden, GOLDEN_PLAYERS, tmp_path / "done.html", "html")
        game = started(shipped(TUTORIAL))
        game.submit("us", [])
        unfinished = write_report(game, None, tmp_path / "open.md", "md")
    finally:
        os.umask(old)
    assert stat.S_IMODE(finished.stat().st_mode) == 0o600
    assert stat.S_IMODE(unfinished.stat().st_mode) == 0o600


def test_the_tutorial_shows_each_new_key_once():
    """The tutorial is the authors' worked example: it uses history, ask_intent
    and a question with a condition and roles."""
    from game.scenario.model import Question

    s = shipped(TUTORIAL).scenario
    assert s.ask_intent and len(s.history) == 1
    questions = [q for q in s.debrief.questions if isinstance(q, Question)]
    assert any(q.when is not None for q in questions) and any(q.roles for q in questions)
