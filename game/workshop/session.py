"""A workshop session: one game, who sits at which role, and its saves.

The interface asks the session what happens next (which team is to give
orders, whether the turn can resolve) and tells it what the teams decided.
The session runs the bots, resolves turns and autosaves after every change,
so an interrupted game loses at most the orders a team had not yet sent.
It holds no rules (those are the engine's) and no user interface.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from game.engine import Game, Seat
from game.engine import events as ev
from game.players import make_bot
from game.scenario.loader import Loaded, load
from game.workshop.saves import SAVES_DIR, autosave_path, read_save, restore, save_game

HUMAN = "human"
EXPIRY_CHOICES = ("keep", "bot")  # on a timer's expiry: send the orders so far, or let the doctrine bot decide


@dataclass(slots=True)
class Settings:
    seating: dict[str, str]  # role -> "human" or a bot kind
    seed: int = 1
    max_turns: int | None = None
    timer_minutes: int = 0  # 0: no timer
    on_expiry: str = "keep"
    white_cell_lock: str | None = None  # sha256 of the facilitator's passphrase, if one was set

    def saved(self) -> dict:
        return {
            "timer_minutes": self.timer_minutes,
            "on_expiry": self.on_expiry,
            "white_cell_lock": self.white_cell_lock,
        }

    def opens_white_cell(self, passphrase: str) -> bool:
        return self.white_cell_lock is None or passphrase_hash(passphrase) == self.white_cell_lock


def passphrase_hash(passphrase: str) -> str:
    return hashlib.sha256(("crisis-sim white cell:" + passphrase).encode()).hexdigest()


@dataclass(slots=True)
class Session:
    loaded: Loaded
    game: Game
    settings: Settings
    saves_dir: Path = SAVES_DIR
    last_save: Path | None = None
    autosave_error: str | None = None

    # ------------------------------------------------------------ creating

    @classmethod
    def new(cls, loaded: Loaded, settings: Settings, saves_dir: Path = SAVES_DIR) -> Session:
        game = Game(loaded, settings.seed, settings.max_turns)
        session = cls(loaded, game, settings, saves_dir)
        game.begin()
        return session

    @classmethod
    def resume(cls, path: Path, scenario_path: Path | None = None, saves_dir: Path = SAVES_DIR) -> Session:
        """Load a save; raises SaveError or ScenarioError with a message for the user."""
        save = read_save(path)
        loaded = load(scenario_path or Path(save.scenario_path))
        game = restore(save, loaded)
        kept = save.settings  # checked by read_save
        settings = Settings(
            dict(save.players),
            save.seed,
            save.max_turns,
            kept.get("timer_minutes", 0),
            kept.get("on_expiry", "keep"),
            kept.get("white_cell_lock"),
        )
        return cls(loaded, game, settings, saves_dir, last_save=path)

    # ------------------------------------------------------------- reading

    @property
    def scenario(self):
        return self.loaded.scenario

    def is_human(self, role: str) -> bool:
        return self.settings.seating.get(role, HUMAN) == HUMAN

    def humans(self) -> list[str]:
        return [r for r in self.game.rules.role_ids if self.is_human(r)]

    def next_human(self) -> str | None:
        """The next human team that has not given its orders this turn."""
        if self.game.phase != "orders":
            return None
        return next((r for r in self.humans() if r not in self.game.pending), None)

    def turn_events(self, turn: int | None = None) -> list[ev.Event]:
        """The events of the latest run of `turn` (default: the last resolved turn)."""
        game = self.game
        if turn is None:
            turn = game.turn if game.phase == "debrief" else game.turn - 1
        return game.attempt(turn)

    # ------------------------------------------------------------- acting

    def start(self) -> None:
        """From the briefings to turn 1."""
        if self.game.phase == "briefing":
            self.game.start_play()
            self.autosave()

    def submit(self, role: str, actions: Iterable[str]) -> None:
        self.game.submit(role, tuple(actions), "human")
        self.autosave()

    def play_bots(self) -> None:
        """Orders for every bot team that has not given them yet."""
        for role in self.game.rules.role_ids:
            if not self.is_human(role) and role not in self.game.pending:
                make_bot(self.settings.seating[role]).play(Seat(self.game, role))

    def expire(self, role: str, selection: Iterable[str]) -> None:
        """A team's timer ran out: send what it had chosen, or let the doctrine bot decide."""
        if self.settings.on_expiry == "bot":
            decision = make_bot("doctrine").decide(Seat(self.game, role))
            self.game.submit(
                role,
                decision.actions,
                "timeout",
                [f"time ran out; the doctrine bot chose: {r}" for r in decision.reasons],
            )
        else:
            chosen = tuple(selection)
            self.game.submit(role, chosen, "timeout", ["time ran out; sent as chosen so far"] * len(chosen))
        self.autosave()

    def ready(self) -> bool:
        return self.game.phase == "orders" and not self.game.waiting_for()

    def resolve(self) -> list[ev.Event]:
        """Resolve the turn; returns its events."""
        start = len(self.game.log)
        self.game.resolve()
        self.autosave()
        return self.game.log[start:]

    # -------------------------------------------------------------- saving

    def players(self) -> dict[str, str]:
        return {r: self.settings.seating.get(r, HUMAN) for r in self.game.rules.role_ids}

    def autosave(self) -> None:
        """Save to the scenario's autosave file; a failure is kept for the UI to show."""
        try:
            save_game(self.game, autosave_path(self.loaded, self.saves_dir), self.players(), self.settings.saved())
            self.autosave_error = None
        except OSError as exc:
            self.autosave_error = f"autosave failed: {exc.strerror or exc}"

    def save_path(self, name: str) -> Path:
        return self.saves_dir / f"{safe_name(name)}.json"

    def save(self, name: str | None = None) -> Path:
        """Save to saves/<name>.json (a name from the scenario and turn if none is given)."""
        stem = name or f"{self.scenario.id}-turn{self.game.turn}"
        path = save_game(self.game, self.save_path(stem), self.players(), self.settings.saved())
        self.last_save = path
        return path


def safe_name(text: str) -> str:
    cleaned = "".join(c if c.isalnum() or c in "-_" else "-" for c in text.strip())
    return cleaned.strip("-") or "game"
