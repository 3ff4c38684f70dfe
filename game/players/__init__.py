"""Bots and scripted players, behind one small interface (`Player.decide`)."""

from game.players.base import BOT_ONLY_PLAYER, Decision, Player, play_game, play_turn
from game.players.doctrine import DoctrineBot
from game.players.heuristic import HeuristicBot
from game.players.passive import PassiveBot
from game.players.random_bot import RandomBot
from game.players.scripted import ScriptedPlayer

BOTS: dict[str, type[Player]] = {
    "random": RandomBot,
    "doctrine": DoctrineBot,
    "heuristic": HeuristicBot,
    "passive": PassiveBot,
}


def make_bot(kind: str) -> Player:
    try:
        return BOTS[kind]()
    except KeyError:
        raise ValueError(f"unknown bot '{kind}' (choose from {', '.join(BOTS)})") from None


__all__ = [
    "BOTS",
    "BOT_ONLY_PLAYER",
    "Decision",
    "DoctrineBot",
    "HeuristicBot",
    "PassiveBot",
    "Player",
    "RandomBot",
    "ScriptedPlayer",
    "make_bot",
    "play_game",
    "play_turn",
]
