"""The host names the site answers to when ``HAMZABAN_TRUSTED_HOSTS`` is empty (the default, and
``make run``'s): an address typed as such (``127.0.0.1``, ``192.168.1.10``, ``[::1]``) and
``localhost``, and the name of ``HAMZABAN_BASE_URL`` (the address e-mails link to), never another name.

Why (session 48): a page on an attacker's name that its DNS turns to the desk's address a moment
after the page loaded (DNS rebinding) is same-origin with the desk in the victim's browser: its forms
pass the Origin check (app/web/origin.py) and its scripts read the answers, and on ``make run`` the
answer came (200 for ``Host: evil.example``, session 47's note). Such a page always names a host
name, never an address: an address cannot be rebound, and ``localhost`` is resolved by the browser
and the system, not by an attacker's DNS. As Django refuses a host outside ``ALLOWED_HOSTS`` but
``localhost``, ``127.0.0.1`` and ``[::1]`` when it is empty (in DEBUG); an address is taken here
too, so an office opening the desk by its machine's address (``HAMZABAN_HOST=0.0.0.0``) needs no
setting. A name the desk is opened by is listed in ``HAMZABAN_TRUSTED_HOSTS`` (Flask's own check
then takes over, that list only); a name refused says so, naming the setting."""
from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from flask import Flask, current_app, request
from werkzeug.exceptions import SecurityError

LOCAL_NAMES = frozenset({"localhost"})


def host_without_port(host: str) -> str:
    """The name or address of a ``Host`` header, without its port and the brackets of an IPv6 address."""
    if host.startswith("["):
        return host[1:].partition("]")[0]
    return host.rpartition(":")[0] if host.count(":") == 1 else host


def answered_without_a_list(host: str, base_url: str = "") -> bool:
    """Whether a ``Host`` is answered with no ``HAMZABAN_TRUSTED_HOSTS``: an IP address, ``localhost``
    or the host name of ``base_url`` (``HAMZABAN_BASE_URL``, which the operator wrote)."""
    name = host_without_port(host.strip().lower()).rstrip(".")  # «localhost.»: the same name, written in full
    if name in LOCAL_NAMES or (name and name == _idna(urlsplit(base_url).hostname or "")):
        return True
    try:
        ipaddress.ip_address(name.partition("%")[0] if host.startswith("[") else name)  # «[fe80::1%eth0]»
    except ValueError:
        return False
    return True


def _idna(name: str) -> str:
    """``name`` as a browser sends it in ``Host``: «همزبان.ایران» is «xn--mgbb3a5eib.xn--mgba3a4f16a» (Flask's own
    check encodes HAMZABAN_TRUSTED_HOSTS so too); a name that has no such form is kept as written."""
    try:
        return name.rstrip(".").encode("idna").decode("ascii")
    except UnicodeError:
        return name.rstrip(".")


def register_host_check(app: Flask) -> None:
    """Before any other hook: a request for a host name not answered is refused (400, SecurityError's
    page in app/web/errors.py), before a session is read or a form looked at."""

    @app.before_request
    def _refuse_an_unlisted_name() -> None:
        if current_app.config["TRUSTED_HOSTS"]:
            return  # Flask's own check (TRUSTED_HOSTS) refuses any other host
        if "HTTP_HOST" not in request.environ:
            # No Host header (an HTTP/1.0 probe): the server names itself (waitress its machine's
            # name, gunicorn its address), and no browser sends a request without one.
            return
        host = request.host
        if not answered_without_a_list(host, current_app.config["BASE_URL"]):
            current_app.logger.warning(
                "a request for the host name %r refused: with HAMZABAN_TRUSTED_HOSTS empty only IP addresses, "
                "localhost and the name of HAMZABAN_BASE_URL are answered (a page on another name may be an "
                "attacker's, rebound by its DNS to this server); if users open the site by this name, list it in HAMZABAN_TRUSTED_HOSTS",
                host[:200])
            raise SecurityError(f"untrusted host {host[:200]!r}")
