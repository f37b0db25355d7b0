"""What a login try is counted on and how the audit names it: the typed username as accounts store
it (``fold_username``), its keyed tags (never the name as typed: people type their password into the
name box), and the throttle's keys (a username's, a remembered browser's, a signed-in user's, the code
step's, an address's). Apart from app/services/login_throttle.py, which counts on them (session 45:
that module had reached the 400-line cap)."""
from __future__ import annotations

import hashlib
import hmac
import unicodedata

from flask import current_app

from app.i18n import N_
from app.services.networks import network_of
from app.services.sessions import Client
from models import User
from search_index.normalization import without_diacritics
from search_index.persian import ascii_digits
from search_index.persian import normalize_for_storage as normalize_input


def fold_username(username: str) -> str:
    """A typed username as accounts store it (``accounts.clean_username``): NFKC, ي→ی, ك→ک, ى→ی,
    Persian digits as ASCII, lower case, no spaces at the ends, no invisible character: no username
    holds one (``clean_username`` refuses them), and a ZWNJ typed with the Persian keyboard's
    Shift+Space kept its owner out with «wrong username or password» (session 40). NFKC first (as the
    password's ``passwords.folded``): «ＡＤＭＩＮ» typed with a full-width layout on is «admin», and an
    Arabic presentation form («ﻙ») is its letter, then folded as typed (session 41). The harakat and
    the tatweel «ـ» are dropped as search drops them: no username holds one (``clean_username`` refuses
    them), so «علـی» or «عَلی» typed at the login is «علی» and no one else (they answered «wrong»,
    session 47's note)."""
    folded = ascii_digits(normalize_input(without_diacritics(unicodedata.normalize("NFKC", username or ""))))
    folded = folded.replace("\u0649", "ی")
    return "".join(ch for ch in folded if unicodedata.category(ch) != "Cf").strip().lower()


def normalize_username(username: str) -> str:
    """``fold_username``, at most 64 characters (the throttle's key and the login's look-up)."""
    return fold_username(username)[:64]


def account_key(username: str, client: Client | None = None) -> str:
    """The key a try on ``username`` counts on: the remembered browser's, else the username's, by
    a keyed tag (``name_tag``): the counters kept what was typed in the name box, a password too,
    for a day and into the backups (a review of the login, round 4)."""
    if remembers(client, username):
        return f"login:device:{client.device[1]}"
    return f"login:user:{name_tag(username, 32)}"


def name_tag(username: str, length: int) -> str:
    """A typed name's keyed tag (HMAC-SHA256 with the secret key, hex): the same for the same name,
    nothing of it readable without the key."""
    return hmac.new(current_app.secret_key.encode(), username.encode(), hashlib.sha256).hexdigest()[:length]


def device_tag(username: str) -> str:
    """What the remembered-browser cookie holds for its user: the name's keyed tag, not the name
    (signed, not encrypted: the browser's profile showed the last user's name for 180 days after
    logging out, a review of the login, round 6)."""
    return name_tag("device:" + normalize_username(username), 32)


def remembers(client: Client | None, username: str) -> bool:
    """Whether the client's remembered-browser cookie was written for ``username``."""
    return bool(client is not None and client.device and client.device[0] == device_tag(username))


def signed_in_key(user_id: int) -> str:
    """The key a signed-in user's re-typed secret counts on (``take_attempt(signed_in=…)``)."""
    return f"login:signed-in:{user_id}"


CODE_STEP_PREFIX = "login:code-step:"


def code_step_key(user_id: int) -> str:
    """The key the login's code step counts on in a browser not remembered: the account's own,
    apart from the username's. On the username's, the right password's own try (counted until the
    login finishes) set the wait the code step then had to sit out: at the cap (300 s, which a
    stranger's guesses reach) the code page waited as long as it was open (five minutes), and the
    owner of a second factor could not log in from a new browser even after the guessing stopped
    (a review of the login, round 6). Only a holder of the right password reaches the code step."""
    return f"{CODE_STEP_PREFIX}{user_id}"


def address_key(client: Client) -> str:
    return network_key(network_of(client.address))


def network_key(network: str) -> str:
    """The key of an address's count (``network_of``'s form of it)."""
    return f"login:addr:{network}"


UNKNOWN_NAME_LABEL = N_("نام ناشناخته")  # stored in the audit in Persian, shown in the reader's language


def typed_name_label(username: str, user: User | None) -> str:
    """How the audit names a failed login: an account's username, but a name no account has only by a
    keyed tag («نام ناشناخته ۳f…»): people type their password into the name box, and the audit
    is read by supervisors (a review of the login, round 3). The tag is the same for the same
    name, so repeated tries at one name still stand together."""
    if user is not None:
        return user.username
    return f"{UNKNOWN_NAME_LABEL} {name_tag(username, 10)}"
