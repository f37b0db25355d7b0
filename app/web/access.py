"""Who may open a page (the `@access` declaration) and the HTTP security headers."""
from __future__ import annotations

from functools import wraps
from typing import Callable

from flask import Flask, abort, request
from flask_login import current_user

from app.extensions import login_manager
from app.policy import ALL_ROLES


def access(*roles: str, public: bool = False) -> Callable:
    """Declare who may use a view: `@access(USER_ADMINS)`, `@access(ALL_ROLES)`, `@access(public=True)`.

    Roles are app.policy's sets (or role names). The declaration is stored on the view
    (`view.access_roles`) so the access-matrix test can check every route against it; a view
    without one is refused by `check_declared_access`. An unknown role name is a ValueError at
    import time (a typo would otherwise lock everyone out of the page).
    """
    allowed = frozenset(r for group in roles for r in ((group,) if isinstance(group, str) else group))
    if allowed - ALL_ROLES:
        raise ValueError(f"@access: unknown roles {sorted(allowed - ALL_ROLES)}")

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not public:
                if not current_user.is_authenticated:
                    return login_manager.unauthorized()
                if current_user.role not in allowed:
                    abort(403)
            return view(*args, **kwargs)

        wrapped.access_roles = None if public else allowed
        wrapped.access_public = public
        return wrapped

    return decorator


def register_security_headers(app: Flask) -> None:
    """Add CSP and friends to every response; the pages load nothing from another host."""
    csp = "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "form-action 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
        ]
    )

    @app.after_request
    def _headers(response):
        response.headers.setdefault("Content-Security-Policy", csp)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["X-Frame-Options"] = "DENY"
        if request.endpoint != "static":
            response.headers.setdefault("Cache-Control", "no-store")
        return response
