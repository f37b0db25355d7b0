"""Use cases: the only code that commits. Views, CLI and workers call the same functions."""
from __future__ import annotations

from contextlib import contextmanager


class ServiceError(Exception):
    """A domain rule refused the action; str() is the Persian message for the user. ``field``: the
    input it is about, when it is one (the use case's argument: "title", "opened_on"), so a form
    says it under that field; "" for the action as a whole."""

    field = ""


@contextmanager
def about(field: str):
    """Refusals raised inside are about the input ``field`` (unless they already name one)."""
    try:
        yield
    except ServiceError as error:
        if not error.field:
            error.field = field
        raise


class NotAllowed(ServiceError):
    """The actor may not do this (views answer 403)."""


class NotFound(ServiceError):
    """The object does not exist or is outside the actor's scope (views answer 404)."""
