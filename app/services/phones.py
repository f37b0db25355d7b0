"""Phone numbers of the media directory: parsed with ``phonenumbers`` (Google's libphonenumber
metadata) and stored in E.164; shown in the international format, left to right.

Accepted as typed by people: Persian and Arabic digits, «0912…», «9121234567», «+98 …»,
«0098…», spaces, dashes, brackets; a number without a country code is read as Iranian
(``DEFAULT_REGION``). A number the library does not hold valid is refused with a message: it is
never stored as typed.
"""
from __future__ import annotations

import re
import unicodedata

import phonenumbers
from flask_babel import gettext as _

from app.services import ServiceError
from search_index.normalization import fold_pasted

DEFAULT_REGION = "IR"
_MAX_LENGTH = 40  # libphonenumber's own limit is 250; nobody types a number this long
# «۰۲۱ ۵۵۰۰ ۱۱۰۹ داخلی ۱۲» (also «داخلي»، «داخلی:»): the extension as libphonenumber reads «ext 12»
_PERSIAN_EXTENSION = re.compile(r"\s*(?:-\s*)?داخل[یي]\s*[:：]?\s*([0-9۰-۹٠-٩]+)\s*$")


def parse_phone(text: str, region: str = DEFAULT_REGION) -> str:
    """The number in E.164 (``+989121234567``), or ServiceError with a Persian message."""
    raw = (text or "").strip()
    if not raw:
        raise ServiceError(_("شمارهٔ تلفن خالی است."))
    if len(raw) > _MAX_LENGTH:
        raise ServiceError(_("شمارهٔ تلفن «%(phone)s» بیش از اندازه بلند است.", phone=raw[:_MAX_LENGTH]))
    # What a copied number carries between its digits and a reader never sees (direction marks and
    # isolates of a Persian line, ZWNJ typed as a separator: fold_pasted, as a pasted case number),
    # and the thin, narrow or figure spaces of a word processor: libphonenumber skips them before
    # the first digit only.
    typed = "".join(" " if unicodedata.category(c) == "Zs" else c for c in fold_pasted(raw))
    try:
        number = phonenumbers.parse(_PERSIAN_EXTENSION.sub(r" ext \1", typed), region)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ServiceError(_("«%(phone)s» شمارهٔ تلفن معتبری نیست؛ مانند ۰۹۱۲۱۲۳۴۵۶۷ یا \u2066+98 21 1234 5678\u2069 بنویسید.",
                             phone=raw))
    if number.extension:
        # E.164 holds no extension: «… ext 12», «x 3», «#12», «داخلی ۱۲» were stored without it, unsaid,
        # or refused as no number (reviews of the commands).
        raise ServiceError(_("شمارهٔ داخلی («%(extension)s») در «%(phone)s» نگه داشته نمی‌شود؛ شماره را بی داخلی "
                             "بنویسید و داخلی را در یادداشت خبرنگار.", extension=number.extension, phone=raw))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_kind(e164: str) -> str:
    """The kind of a number the sheet leaves unsaid: «office» for a fixed line, else «mobile»."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return "mobile"
    return "office" if phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.FIXED_LINE else "mobile"


def sheet_phone(e164: str) -> str:
    """How the directory's sheet writes a number: as dialled from Iran («0912 123 4567», «00 44 20
    7946 0000»). «+98 …» began with «+», which a spreadsheet reads as a formula: the CSV had to
    quote it, and people saw «'+98 912 …» (a walk through the pages). It imports back the same."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_out_of_country_calling_number(number, DEFAULT_REGION)


def display_phone(e164: str) -> str:
    """``+989121234567`` → ``+98 912 123 4567`` (templates wrap it in ``dir="ltr"``)."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
