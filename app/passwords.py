"""Passwords: hashing (argon2id) and the rules a new password must meet."""
from __future__ import annotations

import gzip
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise, permutations
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import lazy_gettext as _l

from app.i18n import digit_style

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters

PASSWORD_MIN, PASSWORD_MAX = 10, 128


class PasswordRejected(ValueError):
    """The password breaks a rule; str() is the Persian message for the user."""


# The keyboards a Persian speaker types on: the Persian layout writes «ی», «ک» and Persian digits,
# the Arabic layout «ي», «ك» and Arabic-Indic digits, a numpad Latin digits. A password is hashed
# and checked in one form (after NFKC, as NIST SP 800-63B 5.1.1.2 asks), so it works from whichever
# of them typed it. The table is the passwords' own: a change to it would lock people out, so it
# does not follow the search analysis.
_FOLD = str.maketrans({"\u064a": "\u06cc", "\u0649": "\u06cc", "\u0643": "\u06a9",
                       **{chr(0x06F0 + d): str(d) for d in range(10)},
                       **{chr(0x0660 + d): str(d) for d in range(10)}})


def folded(password: str) -> str:
    """The form a password is hashed and checked in (NFKC, «ي ى ك» as «ی ی ک», digits as 0-9)."""
    return unicodedata.normalize("NFKC", password).translate(_FOLD)


def hash_password(password: str) -> str:
    return _hasher.hash(folded(password))


@dataclass(frozen=True)
class PasswordCheck:
    right: bool
    rehash: bool = False  # right, against a hash of the password as typed (made before folding)

    def __bool__(self) -> bool:
        return self.right


def _verify(stored_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def verify_password(stored_hash: str, password: str) -> PasswordCheck:
    """Whether ``password`` is the one ``stored_hash`` was made of (truthy when right). A hash made
    before passwords were folded holds the password as typed: that is tried second, and then only
    when folding changes the password (the time depends on what was typed, not on the account).
    Longer than PASSWORD_MAX as typed, no password can be it: refused unread (folding and hashing
    megabytes typed into a form took seconds)."""
    if len(password) > PASSWORD_MAX:
        return PasswordCheck(False)
    form = folded(password)
    if _verify(stored_hash, form):
        return PasswordCheck(True)
    if form != password and _verify(stored_hash, password):
        return PasswordCheck(True, rehash=True)
    return PasswordCheck(False)


def needs_rehash(stored_hash: str) -> bool:
    return _hasher.check_needs_rehash(stored_hash)


@lru_cache(maxsize=1)
def dummy_hash() -> str:
    """A valid hash to verify against when the username does not exist, so timing does not tell.

    Made on first use (one argon2 hash), not at import: every CLI command imports this module.
    The login calls it before it looks the username up, so the one slow first call is paid by
    the first login of the process whether the username exists or not."""
    return _hasher.hash("not-a-real-password-just-timing")


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    path = Path(__file__).parent / "data" / "common-passwords.txt.gz"
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return frozenset(line.strip() for line in fh if line.strip())


def _letters(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalpha())


_LEET = str.maketrans("4@3105$7", "aaeiosst")
_LEET_INSIDE = re.compile(r"(?<=[^\W\d_])[4@3105$7]+(?=[^\W\d_])")


def _unleet(text: str) -> str:
    """Digits and marks typed for letters inside a word read as those letters: «H4mz4b4n2026» is
    «Hamzaban2026» (the digits after the word stay digits)."""
    return _LEET_INSIDE.sub(lambda m: m.group().translate(_LEET), text)


def built_from_username(password: str, username: str) -> bool:
    """True when the password is the username made longer: repeated or reversed, in any case,
    with digits and marks around or between the copies (ASVS 5.0 V6.2.11), its parts in another
    order or as initials («rezaei.ali1», «a.rezaei1405» for «ali.rezaei»), digits typed for its
    letters («r3za3i»). Compared on letters only; a username without letters is compared on
    its digits. A review of the login, round 6: the parts swapped passed. A digit between the
    username's own letters is read as a letter too («m0hammadi» is «mohammadi», as the password's
    are: «m0hammadi1403» passed for «m0hammadi»; round 7)."""
    unleeted = _unleet(username)
    return _built_from(password, username) or (unleeted != username and _built_from(password, unleeted))


def _built_from(password: str, username: str) -> bool:
    name, core = _letters(username), _letters(_unleet(password))
    if not name:
        name = "".join(ch for ch in username if ch.isdigit())
        core = "".join(ch for ch in password if ch.isalnum())
        pieces = whole = {name, name[::-1]}
    else:
        parts = [part for part in map(_letters, re.split(r"[^\w]|[\d_]", username.casefold())) if part]
        pieces = {name, name[::-1], *parts, *(part[::-1] for part in parts)}
        whole = {name, name[::-1]}
        if len(parts) > 1:
            pieces |= {part[0] for part in parts}
        if 1 < len(parts) <= 4:
            # all its parts in another order are the name too: «liwu2024» for «wu.li», whose parts
            # are too short to count alone (the second review of this session's change)
            whole |= {"".join(order) for order in permutations(parts)}
            pieces |= whole
    if not name or not core:
        return False
    return _made_of(core, pieces, whole)


def _made_of(core: str, pieces: set[str], whole: set[str]) -> bool:
    """Whether ``core`` is pieces one after another, one of them the whole name or three letters or
    more (an initial or two with digits is no name: «8251937460a»). A walk over the positions, not
    a regular expression: «(?:m|r|mr)+» took seconds on «mrmr…x» and never ended at 128 characters
    (the review of this change)."""
    reached = [0] * (len(core) + 1)  # 0: not reached, 1: by short pieces only, 2: with a long one
    reached[0] = 1
    for at in range(len(core)):
        if not reached[at]:
            continue
        for piece in pieces:
            if core.startswith(piece, at):
                state = 2 if reached[at] == 2 or len(piece) >= 3 or piece in whole else 1
                reached[at + len(piece)] = max(reached[at + len(piece)], state)
    return reached[-1] == 2


def _shown(number: int) -> str:
    """A number of a message in the reader's digits (``app.i18n.digit_style``; the digit table is
    here because search_index's ``to_persian_digits`` is a layer above this module)."""
    return str(number).translate(_PERSIAN_DIGITS) if digit_style() == "fa" else str(number)


_PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


# The standard Persian keyboard (ISIRI 9147) key for key with the Latin one (QWERTY): a password
# typed with the other layout on is the same keys, and guessed as such («password» typed on the
# Persian layout is «حشسسصخقی», «همزبان» typed on the Latin one «ilcfhk»: a review of the login, round 7).
_LATIN_KEYS = "qwertyuiop[]asdfghjkl;'zxcvbnm,"
_PERSIAN_KEYS = "ضصثقفغعهخحجچشسیبلاتنمکگظطزرذدپو"
_TO_PERSIAN = str.maketrans(_LATIN_KEYS + _LATIN_KEYS.upper(), _PERSIAN_KEYS * 2)
_TO_LATIN = str.maketrans(_PERSIAN_KEYS, _LATIN_KEYS)


def keyboard_readings(password: str) -> list[str]:
    """The password as typed, then as the same keys give it on the other layout (Latin → Persian,
    Persian → Latin) where that changes it."""
    readings = [password]
    for table in (_TO_PERSIAN, _TO_LATIN):
        other = password.translate(table)
        if other not in readings:
            readings.append(other)
    return readings


# Words of the service itself (ASVS 5.0 V6.2.11): «hamzaban1405», «همزبان۱۲۳» are guessed first.
CONTEXT_WORDS = ("hamzaban", "همزبان")
_UNSEEN_CATEGORIES = frozenset({"Cc", "Cf", "Mn", "Me", "Zs", "Zl", "Zp"})
_TATWEEL = "\u0640"


def _seen(text: str) -> str:
    """The characters of ``text`` a reader sees: no space, format or control character, combining
    mark or tatweel."""
    return "".join(ch for ch in text if ch != _TATWEEL and unicodedata.category(ch) not in _UNSEEN_CATEGORIES)


_AROUND = re.compile(r"^[\W\d_]+|[\W\d_]+$")


def _common(form: str, seen: str) -> bool:
    """Whether the password is a common one as typed, as seen (a space or an invisible character
    added: «password123 », «pass\u200dword123» passed: a review of the login, round 5), or with
    digits and marks put before or after it («password123!», «admin12345», «!!dragon2024»)."""
    common = _common_passwords()
    lowered = seen.lower()
    core = _AROUND.sub("", lowered)
    # the core's a word of four letters or more: the list holds «ali», «car», and «8472-1936-car» is
    # strong for its digits (the review of this change)
    return form.lower() in common or lowered in common or (len(core) >= 4 and core in common)


def _repeated(seen: str) -> bool:
    """Whether ``seen`` is one piece said again and again, whatever the case: a unit of at most four
    characters («ببببببب», «سلامسلامسلام», «12121212121», the last copy maybe cut short), or any
    shorter piece said whole two times or more («adminadmin», «تهرانتهران»)."""
    text = seen.lower()
    if any(text == (text[:n] * (len(text) // n + 1))[:len(text)] for n in range(1, 5)):
        return True
    return any(len(text) % n == 0 and text == text[:n] * (len(text) // n) for n in range(5, len(text) // 2 + 1))


_ROWS = ("`1234567890-=", "qwertyuiop[]\\", "asdfghjkl;'", "zxcvbnm,./",  # and shifted: «!@#$%^&*()»
         "~!@#$%^&*()_+", "qwertyuiop{}|", 'asdfghjkl:"', "zxcvbnm<>?")
# A keyboard's columns, top to bottom (slanting right as the keys do), unshifted and shifted:
# «1qaz», «zaq1», «2wsx», «cde3» (a review of the login, round 8: «zaq12wsxcde3» passed).
_COLUMNS = ("1qaz", "2wsx", "3edc", "4rfv", "5tgb", "6yhn", "7ujm", "8ik,", "9ol.", "0p;/",
            "!qaz", "@wsx", "#edc", "$rfv", "%tgb", "^yhn", "&ujm", "*ik<", "(ol>", ")p:?")
RUN_MIN = 4  # characters in a row that make a run
RUN_LEFT_MIN = 5  # characters a password must keep besides its runs


def _steps(a: str, b: str) -> set[str]:
    """How ``b`` follows ``a``: the next or the previous character, the same one, the next or the
    previous key of a keyboard row or column."""
    kinds = {kind for kind, step in (("up", 1), ("down", -1), ("same", 0)) if ord(b) - ord(a) == step}
    for row in _ROWS:
        at_a, at_b = row.find(a), row.find(b)
        if at_a >= 0 and at_b >= 0 and abs(at_a - at_b) == 1:
            kinds.add("row+" if at_b > at_a else "row-")
    for column in _COLUMNS:
        at_a, at_b = column.find(a), column.find(b)
        if at_a >= 0 and at_b >= 0 and abs(at_a - at_b) == 1:
            kinds.add("column+" if at_b > at_a else "column-")
    return kinds


RUN_KINDS = ("up", "down", "same", "row+", "row-", "column+", "column-")
ROW_KINDS = ("row+", "row-", "column+", "column-")  # the keyboard's alone


def without_runs(text: str, kinds: tuple[str, ...] = RUN_KINDS) -> str:
    """``text`` less its runs: RUN_MIN characters or more that go up or down one by one («123456789»,
    «4321», «abcd»), along a keyboard row («qwerty», «lkjh», «!@#$») or column («1qaz», «xsw2») or
    repeat one («aaaa»)."""
    steps = [_steps(a, b) for a, b in pairwise(text)]
    covered = [False] * len(text)
    for kind in kinds:
        start = 0
        for i in range(1, len(text) + 1):
            if i < len(text) and kind in steps[i - 1]:
                continue
            if i - start >= RUN_MIN:
                covered[start:i] = [True] * (i - start)
            start = i
    return "".join(ch for ch, run in zip(text, covered) if not run)


def has_control_character(password: str) -> bool:
    """A NUL, a tab…: no key of a keyboard types them, and no password may hold one (``check_password_rules``)."""
    return any(unicodedata.category(ch) == "Cc" for ch in password)


def check_password_rules(password: str, username: str = "") -> None:
    """Raise PasswordRejected unless the password meets current guidance (NIST SP 800-63B).

    10 to 128 characters (as typed and as hashed), not spaces or invisible characters alone, no
    composition rules, not a common password, not built from the username (doubled, reversed,
    digits appended, another case); the last two read the password as it is hashed.
    """
    form = folded(password)  # as it is hashed: «۱۲۳۴۵۶۷۸۹۰» is «1234567890», «ي» + «ٔ» one letter
    if min(len(password), len(form)) < PASSWORD_MIN:
        raise PasswordRejected(str(_l("گذرواژه باید دست‌کم %(n)s نویسه باشد.", n=_shown(PASSWORD_MIN))))
    if max(len(password), len(form)) > PASSWORD_MAX:
        raise PasswordRejected(str(_l("گذرواژه نباید بیش از %(n)s نویسه باشد.", n=_shown(PASSWORD_MAX))))
    seen = _seen(form)
    if not seen:
        raise PasswordRejected(str(_l("گذرواژه نمی‌تواند فقط فاصله یا نویسه‌های نادیدنی باشد.")))
    if has_control_character(password):
        raise PasswordRejected(str(_l("گذرواژه نویسهٔ کنترلی (مانند NUL یا جهش) دارد؛ آن را بی این نویسه بنویسید.")))
    # Counted as they are seen: zero-width and format characters, combining marks, spaces and the
    # tatweel made one typed letter pass the ten (a review of the login, round 2).
    if len(seen) < PASSWORD_MIN:
        raise PasswordRejected(str(_l("گذرواژه باید دست‌کم %(n)s نویسهٔ دیدنی داشته باشد (فاصله، نیم‌فاصله، کشیده و "
                                      "نشانه‌ها شمرده نمی‌شوند).", n=_shown(PASSWORD_MIN))))
    readings = keyboard_readings(form)  # as typed, and the same keys on the other layout
    if username and any(built_from_username(reading, username) for reading in readings):
        raise PasswordRejected(str(_l("گذرواژه از نام کاربری ساخته شده و حدس‌زدنی است؛ گذرواژهٔ دیگری برگزینید.")))
    if any(built_from_username(reading, word) for reading in readings for word in CONTEXT_WORDS):
        raise PasswordRejected(str(_l("گذرواژه از نام این سامانه ساخته شده و حدس‌زدنی است؛ گذرواژهٔ دیگری برگزینید.")))
    if _repeated(seen):
        raise PasswordRejected(str(_l("گذرواژه یک تکهٔ تکرارشده است (مانند «ببببببببب»، «ابابابابابا» یا «adminadmin») و "
                                      "حدس‌زدنی است؛ گذرواژهٔ دیگری برگزینید.")))
    if any(_common(reading, _seen(reading)) for reading in readings):
        raise PasswordRejected(str(_l("این گذرواژه بسیار رایج یا حدس‌زدنی است؛ گذرواژهٔ دیگری برگزینید.")))
    # «Aa123456789», «aaaaaaaaab», «ab12345678», «12344321aa» passed (a review of the login, round 8).
    # On the other layout only its rows: Persian words read there as Latin letters in alphabetical
    # order («انتها» is «hkjih»).
    if any(len(without_runs(_seen(reading).lower(), RUN_KINDS if n == 0 else ROW_KINDS)) < RUN_LEFT_MIN
           for n, reading in enumerate(readings)):
        raise PasswordRejected(str(_l("گذرواژه بیشتر رشته‌ای پشت‌سرهم است (مانند «123456789»، «qwerty» یا «aaaa») و "
                                      "حدس‌زدنی است؛ گذرواژهٔ دیگری برگزینید.")))
