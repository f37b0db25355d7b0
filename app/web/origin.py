"""The ``Origin`` a browser sends with every form it posts, checked against the site's own (as Django's
and Rails' CSRF checks do): a form posted from any other origin is refused before it is read, whatever
token it carries. The token stays the main defence; this catches what it cannot tell: a page served
over plain HTTP on the site's own host name (a network in the middle before HSTS took hold) posting to
the HTTPS site, and the opposite, and a site whose token leaked. Flask-WTF's own check reads only the
``Referer``, and only over HTTPS; over plain HTTP a foreign ``Origin`` with a valid token was let in
(session 46: «خروج» and «پایان دادن» from another site, 302).

A request without ``Origin`` (a command-line client, an old browser) is left to the token; ``null``
(a sandboxed frame, a page from a file, a redirect that crossed sites) is no origin of this site."""
from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from flask import Flask, current_app, request
from werkzeug.exceptions import BadRequest

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_DEFAULT_PORTS = {"http": 80, "https": 443}


class ForeignOrigin(BadRequest):
    """A state-changing request whose ``Origin`` is not the site's (``origin``: as sent, ``own``: the site's)."""

    def __init__(self, origin: str, own: str):
        super().__init__()
        self.origin = origin
        self.own = own


def _origin(scheme: str, netloc: str) -> tuple[str, str, int] | None:
    """(scheme, host in lower case, port) of an origin; None when it cannot be read."""
    try:
        parts = urlsplit(f"{scheme}://{netloc}")
        port = parts.port
    except ValueError:  # «https://host:99999», «https://[::1»
        return None
    if not parts.hostname or scheme not in _DEFAULT_PORTS:
        return None
    return scheme, parts.hostname.lower().rstrip("."), port or _DEFAULT_PORTS[scheme]


def own_origin() -> str:
    """The site's origin as this request reaches it: its Host, over HTTPS when HAMZABAN_HTTPS says the
    site is served so (a proxy that sends no ``X-Forwarded-Proto`` leaves the request's scheme «http»)."""
    scheme = "https" if current_app.config["HTTPS"] else request.scheme
    return f"{scheme}://{request.host}"


def check_origin() -> None:
    """:raise ForeignOrigin: a state-changing request's ``Origin`` is another site's, the same host over
    the other scheme or port, ``null``, or unreadable."""
    if request.method not in UNSAFE_METHODS:
        return
    sent = request.headers.get("Origin")
    if sent is None:
        return
    own = own_origin()
    mine = _origin(*own.split("://", 1))
    scheme, _sep, netloc = sent.strip().partition("://")
    theirs = _origin(scheme.lower(), netloc) if netloc and "/" not in netloc and "@" not in netloc else None
    if theirs is None or theirs != mine:
        _log_refusal(sent, own, theirs, mine)
        raise ForeignOrigin(sent[:200], own)


def _log_refusal(sent: str, own: str, theirs: tuple | None, mine: tuple | None) -> None:
    """Each refusal in the log (as Django logs each CSRF refusal), with what to change when it is a
    setting's doing rather than another site's: every form of the site is refused then, and the page
    can only tell the user to tell the administrator."""
    log = current_app.logger
    if sent.strip() == "null":
        # Chromium sends «null» with every form, the site's own too, under «Referrer-Policy: no-referrer»
        log.warning("a form posted to %s with «Origin: null» refused: the browser was told to send no referrer "
                    "(a «Referrer-Policy: no-referrer» header a proxy in front adds, or a browser's privacy "
                    "setting; Hamzaban sends «same-origin»): remove it, or every form of such a browser is refused",
                    own)
    elif theirs is not None and mine is not None and theirs[0] == "https" and mine[0] == "http" \
            and theirs[1] == mine[1]:
        # The same host over HTTPS, and the site thinks it is plain HTTP: a proxy that terminates TLS
        # while HAMZABAN_HTTPS is off (and sends no X-Forwarded-Proto the app trusts); nginx's «Host
        # $host» carries no port, so the ports differ too (443 against 80)
        log.error("a form posted from %s to a site that reads itself as %s: if the site is "
                  "served over HTTPS, set HAMZABAN_HTTPS=1", sent, own)
    elif theirs is not None and mine is not None and _proxied() and (
            _is_loopback(mine[1]) or (theirs[:2] == mine[:2] and theirs[2] != mine[2])):
        # nginx without «proxy_set_header Host» sends its upstream's «127.0.0.1:8000»; «Host $host» on a
        # port other than 443 drops the port
        log.error("a form posted from %s to a site that reads itself as %s (the Host its reverse proxy sent): "
                  "if the site is served at %s, the proxy must pass the browser's Host with its port "
                  "(nginx: proxy_set_header Host $http_host; Apache: ProxyPreserveHost On)", sent, own, sent)
    else:
        log.warning("a form posted from %s to %s refused (another site's, or this host over another scheme "
                    "or port)", sent[:200], own)


def _proxied() -> bool:
    """The request came through a reverse proxy the settings trust (it sent the client's address)."""
    return bool(current_app.config["TRUSTED_PROXIES"]) and "X-Forwarded-For" in request.headers


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def register_origin_check(app: Flask) -> None:
    """Check every state-changing request's ``Origin`` before anything reads its form (before CSRF's check,
    so the refusal says why)."""
    app.before_request(check_origin)
