"""Reports of a game: its timeline as text, the after-action review, charts."""
