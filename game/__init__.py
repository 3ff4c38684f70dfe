"""crisis-sim: a text-based tabletop crisis simulation for the terminal."""

__version__ = "0.1.0"
