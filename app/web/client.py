"""Who is asking, as the login and session services need it: the address, the browser, and the
signed "remembered browser" cookie written at each login (it lets an account's owner log in from
a browser they used before while strangers' guesses make that username wait). The cookie names
the username, a random nonce and a tag of the password it logged in with: a browser is
remembered for that password only (app/services/login.py, ``remembered``)."""
from __future__ import annotations

import hashlib
import ipaddress

from flask import Flask, Response, current_app, g, request
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.exceptions import ServiceUnavailable
from werkzeug.middleware.proxy_fix import ProxyFix

from app.services.login_keys import device_tag
from app.services.networks import network_of
from app.services.sessions import Client

SESSION_ID_KEY = "_sid"  # the server-side session's id in the signed cookie, next to Flask-Login's user key
DEVICE_COOKIE = "hamzaban_device"  # "__Secure-hamzaban_device" over HTTPS (``_device_cookie``)
DEVICE_DAYS = 180


class CookieSession(SecureCookieSessionInterface):
    """Flask's signed-cookie session, except that a response may leave the browser's cookie as it
    is (``leave_cookie``): Flask-Login's "strong" protection rewrites the cookie of every
    anonymous request that carries one, which would replace a cookie another answer set meanwhile."""

    def save_session(self, app: Flask, session, response: Response) -> None:
        if g.get("leave_cookie"):
            return
        super().save_session(app, session, response)


def session_identifier() -> str:
    """What Flask-Login's "strong" protection ties a session to: the client's address and its
    User-Agent. Flask-Login's own reads the address from the first X-Forwarded-For entry, which
    the client writes itself (a proxy appends the address it saw): behind a proxy a thief sent the
    owner's address there and was let in with a copied cookie. Here the address is the one the app
    counts, ``request.remote_addr`` (after HAMZABAN_TRUSTED_PROXIES' ProxyFix; with no proxy trusted
    the header reaches the app since session 45 and is not read). The digest is made as Flask-Login makes it, so the
    sessions of a server without a proxy stay valid across this change. An IPv6 address is read
    as the throttle reads it, by its /64 (``network_of``): a phone's privacy address changes
    inside it every few hours, and its session ended each time (session 43)."""
    remote = request.remote_addr or ""
    address = (network_of(remote) if ":" in remote else remote).encode("utf-8")
    agent = request.headers.get("User-Agent")
    base = f"{address}|{agent.encode('utf-8') if agent is not None else None}"
    return hashlib.sha512(base.encode("utf-8")).hexdigest()


def leave_cookie() -> None:
    """This response sets no session cookie (the browser keeps the one it has)."""
    g.leave_cookie = True


def _device_cookie() -> str:
    """The remembered-browser cookie's name: over HTTPS with the "__Secure-" prefix (a browser takes
    it only over HTTPS, with Secure); not "__Host-", which asks for Path=/ and this one is /login's."""
    return f"__Secure-{DEVICE_COOKIE}" if current_app.config["HTTPS"] else DEVICE_COOKIE


def _serializer() -> URLSafeTimedSerializer:
    """Signed with the time it was written: a copy older than ``DEVICE_DAYS`` is a stranger's browser
    whatever its own expiry says (the cookie's Max-Age was the only bound, and a copied value never
    expired: a review of the login, round 7). Cookies signed before without a time read as a stranger's
    until their next login."""
    return URLSafeTimedSerializer(current_app.secret_key, salt="hamzaban-remembered-browser")


class ClientUnknown(ServiceUnavailable):
    """The connection has no IP address (a proxy on a unix socket) and no proxy is trusted
    (HAMZABAN_TRUSTED_PROXIES 0): the login cannot tell one client from another (app/web/errors.py says it)."""


class ProxyNotTrusted(ClientUnknown):
    """A reverse proxy on this machine reaches the app over TCP loopback and no proxy is trusted: every
    client is its 127.0.0.1 (app/web/errors.py says it)."""


class ProxySentNoAddress(ClientUnknown):
    """HAMZABAN_TRUSTED_PROXIES names a proxy, and a peer on loopback sent no X-Forwarded-For: every client
    is the proxy's 127.0.0.1 (app/web/errors.py says it)."""


# What a reverse proxy writes, and a browser never does: a loopback peer that sends one of them is a proxy.
# Waitress no longer drops them before the app (``app.server_errors.create_server``); nothing reads them
# while no proxy is trusted.
_PROXY_HEADERS = ("Forwarded", "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host", "X-Forwarded-Port",
                  "X-Forwarded-Prefix", "X-Real-IP", "Via")
_warned_elsewhere = False


def _check_no_untrusted_proxy() -> None:
    """:raise ProxyNotTrusted: no proxy is trusted and a peer on this machine's loopback sent a proxy's
    header: nginx's ``proxy_pass http://127.0.0.1:8000`` without HAMZABAN_TRUSTED_PROXIES made every
    client 127.0.0.1 to the throttle (one stranger's failures a wait for every user's first login) and
    to the session's binding, and nothing said so (session 44's note). A browser on the machine (a
    developer's, a test's) sends none of these headers. A peer elsewhere that sends them (a client
    writing them, an office's forward proxy) is no proxy of ours: not refused, its header not read,
    the first one logged once per process in case it is a gateway on another host."""
    global _warned_elsewhere
    sent = [name for name in _PROXY_HEADERS if name in request.headers]
    if not sent:
        return
    try:
        peer = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return  # no IP address: ``current_client``'s own refusal
    if _is_loopback(str(peer)):
        current_app.logger.error("a reverse proxy on this machine (%s, it sent %s) that HAMZABAN_TRUSTED_PROXIES "
                                 "does not name: every client is %s; logins are refused until it names it. No proxy in front "
                                 "(a browser on this machine)? Then a browser extension, or a proxy the browser uses "
                                 "for this address, adds the header: turn it off here, do not set the setting",
                                 request.remote_addr, ", ".join(sent), request.remote_addr)
        raise ProxyNotTrusted()
    if not _warned_elsewhere:
        _warned_elsewhere = True
        current_app.logger.warning("%s sent %s and HAMZABAN_TRUSTED_PROXIES does not name it: not read; if it is "
                                   "the site's reverse proxy, name it there", request.remote_addr, ", ".join(sent))


PROXY_PEER = "hamzaban.proxy_peer"  # the environ's (connection's address, listed?) under a list (``TrustedProxyList``)


def _listed_peer() -> tuple[str, bool] | None:
    """Under a list of proxies (HAMZABAN_TRUSTED_PROXIES names addresses): the connection's own address and
    whether it is one of them; None under a count or none."""
    return request.environ.get(PROXY_PEER) if isinstance(current_app.config["TRUSTED_PROXIES"], tuple) else None


def current_client() -> Client:
    """The request's client (the address after HAMZABAN_TRUSTED_PROXIES' X-Forwarded-For).

    :raise ClientUnknown: the address is no IP address while no proxy is trusted: behind a proxy on a
        unix socket (waitress names every client «localhost», gunicorn «») every client was one to the
        throttle, whose one stranger's failures then made every new browser wait, site-wide, and to the
        session's binding (session 44). Not trusted by default instead: nginx passes a client's own
        X-Forwarded-For on unless told to append to it, and the client would choose its address."""
    if not current_app.config["TRUSTED_PROXIES"] and not _is_ip(request.remote_addr or ""):
        current_app.logger.error("the client's address %r is no IP address (a proxy on a unix socket?): "
                                 "set HAMZABAN_TRUSTED_PROXIES; logins are refused until then", request.remote_addr)
        raise ClientUnknown()
    listed = _listed_peer()
    if not current_app.config["TRUSTED_PROXIES"] or (listed is not None and not listed[1]):
        # Under a list, a connection from elsewhere is a client (its own address counts) or a proxy the
        # list forgot: on loopback every client would be its 127.0.0.1, refused as with no proxy trusted.
        _check_no_untrusted_proxy()
    elif listed is not None:
        if "X-Forwarded-For" not in request.headers:  # a listed proxy that sent none, or only unreadable entries
            current_app.logger.error("HAMZABAN_TRUSTED_PROXIES lists %r, and its request carries no readable "
                                     "X-Forwarded-For: every client would be it; logins are refused until the "
                                     "proxy sends it", listed[0])
            raise ProxySentNoAddress()
    elif "X-Forwarded-For" not in request.headers and (_is_loopback(request.remote_addr or "")
                                                       or not _is_ip(request.remote_addr or "")):
        # The mirror case: a proxy on loopback trusted by the setting that sends no address of its client
        # (nginx without «proxy_set_header X-Forwarded-For»): every client was its 127.0.0.1 again
        # (session 45). A process on the machine that bypasses the proxy is refused too (it is no client
        # the proxy speaks for). An entry that AddressProxyFix could not read is dropped, and refused so.
        # On a unix socket the same: every client was the socket's no-address («localhost», «»).
        current_app.logger.error("HAMZABAN_TRUSTED_PROXIES is set, but a request from %r carries no X-Forwarded-For: "
                                 "every client would be %r; logins are refused until the proxy sends it",
                                 request.remote_addr, request.remote_addr)
        raise ProxySentNoAddress()
    device = None
    raw = request.cookies.get(_device_cookie())
    if raw:
        try:
            data = _serializer().loads(raw, max_age=DEVICE_DAYS * 86400)
        except BadSignature:
            data = None
        if isinstance(data, dict) and all(isinstance(data.get(part), str) for part in ("u", "n", "p")):
            device = (data["u"], data["n"], data["p"])
    return Client(address=request.remote_addr or "", user_agent=request.user_agent.string or "", device=device)


def remember_browser(response: Response, username: str, nonce: str, password: str) -> Response:
    """Write the remembered-browser cookie (sent to the login pages only; the user as a keyed tag of
    the name, ``device_tag``); ``password``: the tag of
    the password the login was made with (``login.password_tag``)."""
    response.set_cookie(_device_cookie(), _serializer().dumps({"u": device_tag(username), "n": nonce, "p": password}),
                        max_age=DEVICE_DAYS * 86400, path="/login", httponly=True, samesite="Lax",
                        secure=bool(current_app.config["HTTPS"]))
    return response


class AddressProxyFix(ProxyFix):
    """Werkzeug's ProxyFix, that takes the trusted hop's entry of ``X-Forwarded-For`` only when it
    is an IP address (a port after it, «203.0.113.7:51234» or «[2001:db8::1]:443», as some proxies
    write, is left out). Behind HAMZABAN_TRUSTED_PROXIES a client that reached the app without
    the proxy wrote that entry itself, and anything passed: «not-an-ip» became the login
    throttle's address and the session's. Such a request keeps the address of its connection."""

    def __call__(self, environ, start_response):
        header = environ.get("HTTP_X_FORWARDED_FOR")
        if header is not None:
            environ = {**environ}
            entries = [entry.strip() for entry in header.split(",")]
            if len(entries) >= self.x_for and (address := _address(entries[-self.x_for])) is not None:
                entries[-self.x_for] = address
                environ["HTTP_X_FORWARDED_FOR"] = ", ".join(entries)
            else:
                del environ["HTTP_X_FORWARDED_FOR"]
        return super().__call__(environ, start_response)


class TrustedProxyList:
    """HAMZABAN_TRUSTED_PROXIES as addresses or networks (``config.parse_trusted_proxies``): a connection from
    one of them (or over a unix socket, whose file's permissions say who connects) is a proxy, and the
    client is the rightmost ``X-Forwarded-For`` entry that is not a listed address (the proxies' own entries
    skipped: nginx in front of a second proxy on the same machine writes «client, 127.0.0.1»); its
    ``X-Forwarded-Proto`` gives the scheme. A connection from anywhere else keeps its own address, whatever
    it writes: under a count, a host that reached the app's port (a gateway on another machine means the
    app listens beyond loopback) wrote its own X-Forwarded-For and chose a new address for every guess
    (session 46). A listed proxy's request whose entries cannot be read loses the header, and its login
    is refused (``current_client``)."""

    def __init__(self, app, networks: tuple[str, ...]):
        self.app = app
        self.networks = tuple(ipaddress.ip_network(network) for network in networks)

    def listed(self, address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        ip = (ip.ipv4_mapped or ip) if ip.version == 6 else ip  # a dual-stack listener's ::ffff:127.0.0.1
        return any(ip in network for network in self.networks)

    def client(self, header: str) -> str | None:
        entries = [_address(entry.strip()) for entry in header.split(",")]
        for entry in reversed(entries):
            if entry is None:
                return None  # an entry a listed proxy wrote and no address: nothing to count on
            if not self.listed(entry):
                return entry
        return entries[0]  # every entry a proxy of ours: a browser on the proxy's own host

    def __call__(self, environ, start_response):
        peer = environ.get("REMOTE_ADDR") or ""
        trusted = self.listed(peer) or not _is_ip(peer)
        environ = {**environ, PROXY_PEER: (peer, trusted)}
        if trusted:
            header = environ.pop("HTTP_X_FORWARDED_FOR", None)
            client = self.client(header) if header else None
            if client is not None:
                environ["HTTP_X_FORWARDED_FOR"], environ["REMOTE_ADDR"] = header, client
                scheme = (environ.get("HTTP_X_FORWARDED_PROTO") or "").rsplit(",", 1)[-1].strip().lower()
                if scheme in ("http", "https"):
                    environ["wsgi.url_scheme"] = scheme
        return self.app(environ, start_response)


def _is_loopback(address: str) -> bool:
    """127.0.0.0/8, ::1, or an IPv4 loopback address seen as IPv4-mapped IPv6 (a dual-stack listener)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return (ip.ipv4_mapped or ip).is_loopback if ip.version == 6 else ip.is_loopback


def _is_ip(address: str) -> bool:
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return False
    return True


def _address(entry: str) -> str | None:
    """The IP address of a forwarded entry, without brackets, a port or an IPv6 zone; None when it is none."""
    if entry.startswith("["):  # «[2001:db8::1]:443»
        entry = entry[1:].split("]", 1)[0]
    elif entry.count(":") == 1:  # «203.0.113.7:51234» (an IPv6 address has several colons)
        entry = entry.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(entry)
    except ValueError:
        return None
    # Without an IPv6 zone («2001:db8::1%eth0»): Python takes any text after «%» for one, and a client
    # that wrote this entry itself put its own words in the audit's and the session list's address
    # (a review of the login, session 39); a zone names an interface of the proxy's host, no client.
    return str(address).partition("%")[0]
