"""The terminal interface (Textual). It drives the engine through a Session
and holds no rules; nothing outside this package imports Textual."""
