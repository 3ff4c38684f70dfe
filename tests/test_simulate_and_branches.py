"""Headless batches (crisis simulate), replays (crisis replay) and counterfactual branches."""

import gc
import json
import subprocess
import sys

import pytest
from helpers import ROOT, TUTORIAL, shipped

from game.analysis.branches import branch, compare, orders_by_turn
from game.analysis.simulate import GAMES_GC_THRESHOLD, parse_bots, run_batch, summarise
from game.engine import Game, GameError
from game.players import DoctrineBot, RandomBot, play_game
from game.workshop.saves import save_game


def crisis(*args, **kwargs):
    return subprocess.run([sys.executable, "-m", "game", *args], cwd=ROOT, capture_output=True, text=True, **kwargs)


# The tutorial's roles; Tehran is bot_only: it plays its doctrine unless named.
ROLES, BOT_ONLY = ["us", "iraq", "militias", "tehran"], ["tehran"]


def test_a_batch_reports_outcomes_turns_scores_and_coverage():
    loaded = shipped(TUTORIAL)
    bots = parse_bots("random", ROLES, BOT_ONLY)
    assert bots == {"us": "random", "iraq": "random", "militias": "random", "tehran": "doctrine"}
    records = run_batch(loaded, 200, seed=1, bots=bots)
    summary = summarise(loaded, records, 1, bots)
    assert sum(o["count"] for o in summary["outcomes"].values()) == 200
    assert 1 <= summary["turns"]["mean"] <= 3
    assert set(summary["scores"]) == set(ROLES)
    # The strike can only be ordered after an attack, so some games never offer it;
    # every action is still chosen somewhere in 200 random games.
    assert summary["coverage"]["actions_never_chosen"] == []


def test_coverage_lists_what_no_game_visits():
    loaded = shipped(TUTORIAL)
    bots = {"us": "doctrine", "iraq": "doctrine", "militias": "doctrine", "tehran": "doctrine"}
    summary = summarise(loaded, run_batch(loaded, 20, 1, bots), 1, bots)
    # Doctrine bots never order a US strike in the first turns of a quiet game.
    chosen_everything = summary["coverage"]["actions_never_chosen"] == []
    assert not chosen_everything
    assert all(a.split(".")[0] in bots for a in summary["coverage"]["actions_never_chosen"])


def test_the_numbers_do_not_depend_on_the_number_of_workers():
    loaded = shipped(TUTORIAL)
    bots = parse_bots("random", ROLES, BOT_ONLY)
    one = summarise(loaded, run_batch(loaded, 60, 7, bots, workers=1), 7, bots)
    two = summarise(loaded, run_batch(loaded, 60, 7, bots, workers=2), 7, bots)
    assert one == two


def test_per_role_bots_are_parsed_and_bad_ones_refused():
    assert parse_bots("us=doctrine", ["us", "iraq"]) == {"us": "doctrine", "iraq": "random"}
    assert parse_bots("passive", ROLES, BOT_ONLY)["tehran"] == "doctrine"
    assert parse_bots("tehran=random", ROLES, BOT_ONLY)["tehran"] == "random"
    with pytest.raises(ValueError, match="unknown role 'uk'"):
        parse_bots("uk=random", ["us"])
    with pytest.raises(ValueError, match="unknown bot"):
        parse_bots("smart", ["us"])


def test_simulate_json_is_one_document_on_stdout_and_repeats_exactly():
    args = ["simulate", "scenarios/tutorial.yaml", "--runs", "50", "--seed", "3", "--json"]
    first, second = crisis(*args), crisis(*args, "--workers", "2")
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout) == json.loads(second.stdout)
    assert first.stdout == second.stdout
    assert first.stderr == ""  # no progress bar when not on a terminal


def test_simulate_usage_errors_exit_2_without_a_traceback():
    result = crisis("simulate", "scenarios/tutorial.yaml", "--runs", "0")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    result = crisis("simulate", "scenarios/tutorial.yaml", "--bots", "genius")
    assert result.returncode == 2 and "unknown bot 'genius'" in result.stderr


def test_replay_verifies_a_save_and_prints_its_timeline(tmp_path):
    game = play_game(Game(shipped(TUTORIAL), 3), {r: RandomBot() for r in ("us", "iraq", "militias")})
    path = save_game(game, tmp_path / "game.json")
    result = crisis("replay", str(path))
    assert result.returncode == 0, result.stderr
    assert "Turn 1" in result.stdout and "GAME OVER" in result.stdout
    assert "matches the save" in result.stderr


def test_replay_of_a_damaged_save_is_an_error_not_a_traceback(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"format": "crisis-sim save", "vers', encoding="utf-8")
    result = crisis("replay", str(path))
    assert result.returncode == 1
    assert "damaged or truncated" in result.stderr and "Traceback" not in result.stderr


# ---------------------------------------------------------------- branches


def doctrine_game(seed=1):
    players = {r: DoctrineBot() for r in ("us", "iraq", "militias")}
    return play_game(Game(shipped(TUTORIAL), seed), players), players


def test_a_branch_replays_up_to_the_turn_and_changes_one_teams_orders():
    game, players = doctrine_game()
    other = branch(game, 1, "militias", ("stand_down",), players)
    assert orders_by_turn(other)["militias"][1] == ("stand_down",)
    assert orders_by_turn(other)["us"][1] == orders_by_turn(game)["us"][1]
    divergence = compare(game, other)
    assert divergence.turn == 1
    # Rolls that both games made come out the same: the dice are keyed, not a stream.
    rolls = lambda g: {(e.turn, e.key): e.roll for e in g.log if type(e).__name__ == "RollMade"}  # noqa: E731
    shared = rolls(game).keys() & rolls(other).keys()
    assert shared and all(rolls(game)[k] == rolls(other)[k] for k in shared)


def test_a_branch_with_the_same_orders_is_the_same_game():
    game, players = doctrine_game(seed=4)
    first = orders_by_turn(game)["us"][1]
    same = branch(game, 1, "us", first, players)
    assert compare(game, same).turn is None


def test_the_whatif_account_is_one_text_for_the_command_and_the_screen():
    """`whatif_lines`: the question, both results, where they part, the branch's own
    timeline under its heading; kinds mark what a screen styles."""
    from game.analysis.branches import HEADING, NOTE, QUESTION, RESULT, whatif_lines

    game, players = doctrine_game()
    lines = whatif_lines(game, 1, "militias", ("stand_down",), players)
    kinds = dict((kind, text) for kind, text in reversed(lines) if kind)
    assert kinds[QUESTION] == "What if Militias had ordered Announce a pause in turn 1?"
    other = branch(game, 1, "militias", ("stand_down",), players)
    turns = other.last_resolved_turn()
    assert (turns, other.rules.outcomes[other.state.outcome].title) == (1, "Calm restored")
    assert kinds[RESULT] == "The branch: Calm restored after 1 turn"  # one turn: no plural
    assert kinds[HEADING] == "The branch from that turn on" and "bots decide afresh" in kinds[NOTE]
    texts = [text for _, text in lines]
    assert "They part ways in turn 1. At the end:" in texts
    after = texts[texts.index(kinds[HEADING]) + 1 :]
    assert "Turn 1" in after and f"Turn {turns}" in after and "Turn 0" not in after
    assert any("Militias orders (branch): Announce a pause" in t for t in after), after
    short = whatif_lines(game, 1, "militias", ("stand_down",), players, with_timeline=False)
    assert short == lines[: len(short)] and HEADING not in dict(short)
    with pytest.raises(GameError, match="turn 9 was not played"):
        whatif_lines(game, 9, "militias", ("stand_down",), players)


def test_an_illegal_branch_is_refused():
    game, players = doctrine_game()
    with pytest.raises(GameError):
        branch(game, 1, "us", ("strike",), players)  # no attack yet: not available
    with pytest.raises(GameError, match="has not been played"):
        branch(game, 9, "us", ("demand_arrests",), players)


@pytest.mark.parametrize(
    "args, message",
    [
        (["schema", "-o", "/nonexistent-folder/x.json"], "no folder"),
        (["transcript", "scenarios/tutorial.yaml", "-o", "/nonexistent-folder/x.txt"], "no folder"),
        (["schema", "-o", "tests"], "is a directory"),
    ],
)
def test_output_files_in_missing_folders_are_errors_not_tracebacks(args, message):
    result = crisis(*args)
    assert result.returncode == 1 and message in result.stderr and "Traceback" not in result.stderr


def test_the_timeline_marks_what_the_white_cell_took_back():
    from game.reports.timeline import timeline

    game = Game(shipped(TUTORIAL), 2)
    game.begin()
    game.start_play()
    from game.players.base import play_turn

    play_turn(game, {r: RandomBot() for r in ("us", "iraq", "militias")})
    game.undo_turn("misread")
    play_turn(game, {r: RandomBot() for r in ("us", "iraq", "militias")})
    text = timeline(game)
    assert "(taken back)" in text and "turn 1 taken back: misread" in text
    after_undo = text.split("turn 1 taken back")[1]
    assert "(taken back)" not in after_undo  # the attempt that counts is not marked


def test_whatif_replays_a_save_with_changed_orders(tmp_path):
    game, _ = doctrine_game()
    path = save_game(game, tmp_path / "g.json", {r: "doctrine" for r in ("us", "iraq", "militias")})
    result = crisis("whatif", str(path), "--turn", "1", "--role", "militias", "--orders", "stand_down")
    assert result.returncode == 0, result.stderr
    assert "What if Militias had ordered Announce a pause in turn 1?" in result.stdout
    assert "They part ways in turn 1" in result.stdout
    # Orders by their label, teams by their name, in any case: the same branch.
    by_label = crisis(
        "whatif", str(path), "--turn", "1", "--role", "iran-aligned militias", "--orders", "announce a PAUSE"
    )
    assert by_label.returncode == 0 and by_label.stdout == result.stdout
    refused = crisis("whatif", str(path), "--turn", "1", "--role", "us", "--orders", "strike")
    assert refused.returncode == 2 and "not available" in refused.stderr and "Traceback" not in refused.stderr


def test_whatif_lists_the_teams_and_actions_there_are_when_one_is_unknown(tmp_path):
    game, _ = doctrine_game()
    path = save_game(game, tmp_path / "g.json", {r: "doctrine" for r in ("us", "iraq", "militias")})
    unknown = crisis("whatif", str(path), "--turn", "1", "--role", "militias", "--orders", "peace")
    assert unknown.returncode == 2
    assert "Militias has no action 'peace'; its actions are:" in unknown.stderr
    assert "  stand_down: Announce a pause" in unknown.stderr
    nobody = crisis("whatif", str(path), "--turn", "1", "--role", "nato", "--orders", "")
    assert nobody.returncode == 2 and "us (United States)" in nobody.stderr


def test_whatif_on_an_unfinished_save_plays_the_branch_only_as_far(tmp_path):
    from game.players.base import play_turn

    game = Game(shipped(TUTORIAL), 4)
    game.begin()
    game.start_play()
    play_turn(game, {r: DoctrineBot() for r in ("us", "iraq", "militias")})  # turn 1 of 3, then saved
    path = save_game(game, tmp_path / "g.json", {r: "doctrine" for r in ("us", "iraq", "militias")})
    result = crisis("whatif", str(path), "--turn", "1", "--role", "militias", "--orders", "stand_down")
    assert result.returncode == 0, result.stderr
    assert "The branch: not ended after 1 turn" in result.stdout
    assert "the game stops after turn 1 so far" in result.stdout
    too_late = crisis("whatif", str(path), "--turn", "2", "--role", "militias", "--orders", "stand_down")
    assert too_late.returncode == 2 and "turn 2 was not played to its results" in too_late.stderr


def test_whatif_does_not_count_a_turn_the_white_cell_took_back(tmp_path):
    """Two turns played, the second taken back: the save holds one turn with its results."""
    from game.players.base import play_turn

    game = Game(shipped(TUTORIAL), 4)
    game.begin()
    game.start_play()
    bots = {r: DoctrineBot() for r in ("us", "iraq", "militias")}
    play_turn(game, bots)
    play_turn(game, bots)
    assert game.last_resolved_turn() == 2
    game.undo_turn("misread")
    assert (game.phase, game.turn, game.last_resolved_turn()) == ("orders", 2, 1)
    path = save_game(game, tmp_path / "g.json", {r: "doctrine" for r in ("us", "iraq", "militias")})
    taken_back = crisis("whatif", str(path), "--turn", "2", "--role", "militias", "--orders", "stand_down")
    assert taken_back.returncode == 2 and "(the last was turn 1)" in taken_back.stderr, taken_back.stderr
    result = crisis("whatif", str(path), "--turn", "1", "--role", "militias", "--orders", "stand_down")
    assert result.returncode == 0, result.stderr
    assert "As played:  not ended after 1 turn" in result.stdout


def test_a_batch_runs_the_garbage_collector_less_often_and_restores_its_thresholds():
    loaded = shipped(TUTORIAL)
    before = gc.get_threshold()
    seen = []
    try:
        gc.set_threshold(700, 10, 10)
        records = run_batch(
            loaded,
            3,
            1,
            {r.id: "random" for r in loaded.scenario.roles},
            progress=lambda n: seen.append(gc.get_threshold()),
        )
        assert gc.get_threshold() == (700, 10, 10)
    finally:
        gc.set_threshold(*before)
    assert len(records) == 3
    assert seen == [(GAMES_GC_THRESHOLD, 10, 10)] * 3
