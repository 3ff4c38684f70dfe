"""Domain errors: a rule of the game was broken by the caller, not a bug."""


class GameError(Exception):
    """Base of every error the engine raises for an illegal step."""


class PhaseError(GameError):
    """The step is not allowed in the current phase (orders after adjudication...)."""


class IllegalOrder(GameError):
    """An order the role may not give: unknown, unavailable, unaffordable, too many."""


class NotYourRole(GameError):
    """Orders or a view for a role the caller does not hold."""
