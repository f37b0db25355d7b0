"""Forms that create a record act once (app/services/submissions.py): ``once_field`` puts the
form's token in the page; ``sent_before`` claims it when the form is acted on."""
from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_login import current_user
from markupsafe import Markup

from app.services.submissions import AlreadySent, abandon, claim, new_token

__all__ = ["abandon", "once_field", "sent_before"]  # abandon: the create was refused, its claim goes


def once_field() -> Markup:
    """The hidden field of a form that creates a record: a fresh token on every rendering (a form
    shown again after a refusal is a new sending)."""
    return Markup(f'<input type="hidden" name="once" value="{new_token()}">')


def sent_before(endpoint: str, back: str | None = None, **values):
    """None for a form sent the first time (its token claimed, to commit with what it creates);
    for one sent before (a second click, «back» and send again), a redirect to ``back`` (a safe
    address the form came from, e.g. a quick entry's page) or ``endpoint``, with the message that
    nothing was made twice."""
    try:
        claim(request.form.get("once"), current_user)
    except AlreadySent as sent:
        flash(str(sent), "info")
        return redirect(back or url_for(endpoint, **values))
    return None
