"""Domain errors raised by services; mapped to HTTP statuses in one place (middleware)."""


class DomainError(Exception):
    """Base of every error a service raises on purpose. ``message`` is safe to show."""

    status = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotAllowed(DomainError):
    """The user may not do this (403)."""

    status = 403


class NotFound(DomainError):
    """Missing, or belongs to another practice: the two are indistinguishable (404)."""

    status = 404


class Conflict(DomainError):
    """The action clashes with the current state, e.g. a second join (409)."""

    status = 409


class Invalid(DomainError):
    """The input is wrong; ``field`` names the form field to show it next to (422)."""

    status = 422
