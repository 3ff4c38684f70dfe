"""Networked play: the host that owns a game and serves each seat its own view, and the protocol."""
