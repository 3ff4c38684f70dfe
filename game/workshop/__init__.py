"""The workshop: a session that owns the flow of a game at the table, and its saves."""
