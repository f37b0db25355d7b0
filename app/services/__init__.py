"""Use cases: the only code that commits. Views, CLI and workers call the same functions."""


class ServiceError(Exception):
    """A domain rule refused the action; str() is the Persian message for the user."""


class NotAllowed(ServiceError):
    """The actor may not do this (views answer 403)."""


class NotFound(ServiceError):
    """The object does not exist or is outside the actor's scope (views answer 404)."""
