"""The administrator's side of the login's waits: which users wait before their next try, whose code
step is closed (CODE_FAILURES_MAX wrong codes in a row), and lifting both (the users page and
`flask user unlock`). Apart from app/services/login.py, the login itself (session 45: that module
had reached the 400-line cap)."""
from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _

from app import clock, throttle
from app.extensions import db
from app.policy import can_manage_users
from app.services import NotAllowed, code_failures, login_wave
from app.services.audit import record
from app.services.login_keys import account_key, code_step_key, network_key, normalize_username, signed_in_key
from app.services.login_throttle import ADDRESS_REFUSED_PREFIX, refusing_addresses
from models import User


def lift_wait(user: User, *, actor, actor_label: str = "") -> bool:
    """The administrator lets a username try again at once: its failures are forgotten, and its
    wrong codes in a row (the closed code step opens).

    Not the waits of the user's remembered browsers (``login:device:<nonce>``): the nonce is only
    in the browser's signed cookie, and nothing on the server ties it to the user, so they cannot
    be found; such a wait ends by itself (at most LOGIN_MAX_DELAY_SECONDS).

    And the waits of the addresses that refused a try at the user's name (``refusing_addresses``:
    an office's address a stranger sprayed); the stranger there may then try again, as after a
    wait runs out (a review of the login, session 38: lifting changed nothing for such a user).

    True when something was lifted; False, and nothing audited, when the account had nothing to lift
    (``user unlock`` run again: session 47's re-run rule; it audited a second unlocking)."""
    if actor is not None and not can_manage_users(actor):  # None: the command line (the server's shell)
        raise NotAllowed(_("تنها مدیر سامانه محدودیت ورود را برمی‌دارد."))
    addresses = sorted(refusing_addresses([user.id]).get(user.id, []))
    lifted = throttle.clear(account_key(normalize_username(user.username)), signed_in_key(user.id),
                   code_failures.code_failures_key(user.id), code_failures.renewal_failures_key(user.id),
                   code_step_key(user.id),
                   *(network_key(network) for network in addresses),
                   *(f"{ADDRESS_REFUSED_PREFIX}{user.id}:{network}" for network in addresses))
    login_wave.grant_pass(user.id, clock.utcnow())  # and a wave of failures across the site lets it through
    if not lifted:
        return False
    record("account.unlocked", actor=actor, actor_label=actor_label, obj=user,
           **({"addresses": addresses} if addresses else {}))
    db.session.commit()
    return True


def waiting_usernames(users: list[User]) -> dict[str, datetime]:
    """Which of these users must wait before the next try (at the password or at the code step of
    a browser not remembered: the review of this session's change, the users page showed no wait
    there and offered no way to lift it), by username, and until when."""
    pairs = [(account_key(normalize_username(user.username)), user.username) for user in users]
    pairs += [(key(user.id), user.username) for user in users for key in (code_step_key, login_wave.refused_key)]
    names = {user.id: user.username for user in users}
    # an address's wait that refused a try at the name (lifted with the user's: ``lift_wait``)
    pairs += [(network_key(network), names[user_id])
              for user_id, networks in refusing_addresses(list(names)).items() for network in networks]
    found = throttle.waiting_until(sorted({key for key, _name in pairs}), clock.utcnow())
    waiting: dict[str, datetime] = {}
    for key, username in pairs:
        if key in found:
            waiting[username] = max(found[key], waiting.get(username, found[key]))
    return waiting


def codes_locked_usernames(users: list[User]) -> frozenset[str]:
    """The usernames among ``users`` whose code step is closed (CODE_FAILURES_MAX wrong codes in a row)."""
    locked = code_failures.codes_locked_users([user.id for user in users])
    return frozenset(user.username for user in users if user.id in locked)
