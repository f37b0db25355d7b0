"""Agency isolation in one place.

Every ORM SELECT that touches a model with the `AgencyOwned` mixin is filtered to the current
agency scope (a context variable). Requests set the scope from the logged-in user; the CLI and
the worker run unscoped as the system. Views and services never filter by agency themselves.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from app.extensions import db
from app.policy import sees_all_agencies
from models.base import AgencyOwned

# None = unscoped (system, admin, supervisor); an int = only that agency's rows.
# The sentinel NO_AGENCY scopes a user without an agency to nothing at all.
NO_AGENCY = -1
_scope: ContextVar[int | None] = ContextVar("agency_scope", default=None)


def current_scope() -> int | None:
    return _scope.get()


def set_scope(agency_id: int | None):
    """Set the scope for the rest of this context; returns a token for reset_scope()."""
    return _scope.set(agency_id)


def reset_scope(token) -> None:
    _scope.reset(token)


@contextmanager
def agency_scope(agency_id: int | None) -> Iterator[None]:
    """Run a block as if a user of `agency_id` were asking (None: unscoped)."""
    token = _scope.set(agency_id)
    try:
        yield
    finally:
        _scope.reset(token)


def scope_for_user(user) -> int | None:
    """The scope a user works in: None for cross-agency roles, else their agency."""
    if user is None or not getattr(user, "is_authenticated", False):
        return NO_AGENCY
    if sees_all_agencies(user):
        return None
    return user.agency_id if user.agency_id is not None else NO_AGENCY


@event.listens_for(Session, "do_orm_execute")
def _apply_agency_scope(state: ORMExecuteState) -> None:
    scope = _scope.get()
    if scope is None or not state.is_select or state.execution_options.get("unscoped", False):
        return
    state.statement = state.statement.options(
        with_loader_criteria(
            AgencyOwned,
            lambda cls: cls.agency_id == scope,
            include_aliases=True,
        )
    )


def get_or_404(model, object_id: int):
    """Load one row by id through the agency scope; a row outside the scope is a 404."""
    from flask import abort
    from sqlalchemy import select

    obj = db.session.scalar(select(model).where(model.id == object_id))
    if obj is None:
        abort(404)
    return obj
