"""Who may open a page (the `@access` declaration) and the HTTP security headers."""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import Flask, abort, current_app, redirect, request, url_for
from flask_login import current_user

from app.extensions import login_manager
from app.policy import ALL_ROLES, must_use_second_factor
from app.web.navigation import referring_page, same_site_path


def access(*roles: str, public: bool = False, before_second_factor: bool = False, download: bool = False) -> Callable:
    """Declare who may use a view: `@access(USER_ADMINS)`, `@access(ALL_ROLES)`, `@access(public=True)`.

    Roles are app.policy's sets (or role names). The declaration is stored on the view
    (`view.access_roles`) so the access-matrix test can check every route against it; a view
    without one is refused by `check_declared_access`. An unknown role name is a ValueError at
    import time (a typo would otherwise lock everyone out of the page).

    A user whose role must log in with a second factor (HAMZABAN_MFA_REQUIRED_ROLES) and who has
    not set one up is sent to set it up first; only views declared ``before_second_factor=True``
    (that page, logging out) open before; the page asked for waits as the set-up's ``next``
    (session 46: a form kept through an ended session was lost on the set-up's pages).

    ``download``: the view answers with a file (an attachment, which leaves the browser's page as it
    is). Asked for after the session ended, the login sends the browser to the page whose link it was
    and fetches the file there (``file``): it went to the file itself, and the tab stayed on the
    login's password form, logged in (session 46).
    """
    allowed = frozenset(r for group in roles for r in ((group,) if isinstance(group, str) else group))
    if allowed - ALL_ROLES:
        raise ValueError(f"@access: unknown roles {sorted(allowed - ALL_ROLES)}")

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not public:
                if not current_user.is_authenticated:
                    if request.method not in ("GET", "HEAD"):
                        # A form sent after the session ended: after the login, its address would
                        # be asked for with GET (a 405 for a POST-only page). The login goes back
                        # to the form's page (forms.js puts back what was typed there), else home.
                        return redirect(url_for(login_manager.login_view, next=referring_page()))
                    if download:
                        return redirect(url_for(login_manager.login_view, next=referring_page(),
                                                file=same_site_path(request.full_path.rstrip("?"))))
                    return login_manager.unauthorized()
                if current_user.role not in allowed:
                    abort(403)
                if not before_second_factor and not current_user.has_second_factor and \
                        must_use_second_factor(current_user, current_app.config["MFA_REQUIRED_ROLES"]):
                    waiting = referring_page() if download or request.method not in ("GET", "HEAD") \
                        else same_site_path(request.full_path.rstrip("?"))
                    return redirect(url_for("auth.two_factor", next=None if waiting == "/" else waiting))
            return view(*args, **kwargs)

        wrapped.access_roles = None if public else allowed
        wrapped.access_public = public
        wrapped.access_download = download
        wrapped.access_before_second_factor = before_second_factor
        return wrapped

    return decorator


def register_security_headers(app: Flask) -> None:
    """Add CSP and friends to every response (and HSTS when served over HTTPS); the pages load
    nothing from another host."""
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

    hsts = f"max-age={app.config['HSTS_MAX_AGE']}" + ("; includeSubDomains" if app.config["HSTS_MAX_AGE"] else "")

    @app.after_request
    def _headers(response):
        if app.config["HTTPS"]:  # ASVS 5.0 V3.4.1: on every response, subdomains included, a year
            response.headers["Strict-Transport-Security"] = hsts
        response.headers.setdefault("Content-Security-Policy", csp)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["X-Frame-Options"] = "DENY"
        if request.endpoint != "static" and "no-store" not in response.headers.get("Cache-Control", ""):
            # Every page and file but the static ones: send_file's own «no-cache» let a search export
            # or a report stay in a shared PC's browser cache after logout (a review of the login).
            response.headers["Cache-Control"] = "no-store"
        return response
