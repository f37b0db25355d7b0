"""Jinja filters: Persian digits, Jalali dates in local time (HAMZABAN_TIMEZONE), relative time,
highlighted words.

Persian digits and month names when the interface language is Persian; ASCII digits and
transliterated month names when it is English. Outside a request (e-mails, CLI) Persian is used.
"""
from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal

import segno
from flask import Flask
from flask_babel import gettext as _
from jinja2 import pass_context
from markupsafe import Markup, escape

from app.hijri import format_hijri
from app.i18n import N_, digit_style
from app.jalali import (
    format_jalali_date,
    format_jalali_datetime,
    format_jalali_month,
    relative_time,
    to_jalali,
    weekday_name,
)
from app.rules.detector import COUNTER_CUE_CODES
from app.services.login_keys import UNKNOWN_NAME_LABEL
from app.services.phones import display_phone
from app.web.item_text import item_persian, item_title, shown_html, stored_item_title
from search_index.persian import to_persian_digits


def fa_digits(value) -> str:
    """Numbers and strings with Persian digits (ASCII kept for English); None shows as nothing."""
    if value is None:
        return ""
    if digit_style() != "fa":
        return value if isinstance(value, Markup) else str(value)
    if isinstance(value, float):
        text = f"{value:g}".replace(".", "٫")
    else:
        text = str(value)
    converted = to_persian_digits(text)
    return Markup(converted) if isinstance(value, Markup) else converted


def fa_number(value) -> str:
    """A count or a total as its reader reads it, thousands grouped: «۱۰٬۰۰۰» (the Persian separator
    «٬») on a Persian page, "10,000" in English; «۱۰۰۰۰» was hard to read at a glance (session 40's
    walk). Not for years, ids, case or row numbers: they stay whole (``fa_digits``). What is no
    number (None, a string) is shown as ``fa_digits`` shows it."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return fa_digits(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    # a float to 6 decimals («0.30000000000000004» is 0.3; in places, never an exponent: 0.00002 was
    # «2e-05»), a Decimal with the places it has; ``g`` gave 1234567.5 as «1.23457e+06» and a
    # Decimal went ungrouped
    if isinstance(value, float):
        text = f"{value:,.6f}".rstrip("0").rstrip(".")
        text = "0" if text == "-0" else text
    else:
        text = f"{value:,}" if isinstance(value, int) else f"{value:,f}"
    if digit_style() != "fa":
        return text
    return to_persian_digits(text.replace(",", "٬").replace(".", "٫"))


def pct(value) -> str:
    """A figure already out of 100 with the reader's digits and sign: «۳۵٫۷٪», "35.7%"; None: nothing."""
    if value is None:
        return ""
    return f"{fa_digits(value)}٪" if digit_style() == "fa" else f"{value}%"


def percent(value: float | None) -> str:
    """A share 0..1 as a whole percent: «۸۲٪» in Persian, "82%" in English; None shows nothing."""
    if value is None:
        return ""
    whole = round(float(value) * 100)
    return to_persian_digits(f"{whole}٪") if digit_style() == "fa" else f"{whole}%"


def phone(e164: str | None) -> str:
    """``+989121234567`` → «+۹۸ ۹۱۲ ۱۲۳ ۴۵۶۷» (international format; wrap it in ``dir="ltr"``,
    link it as ``tel:{{ e164 }}``)."""
    return fa_digits(display_phone(e164)) if e164 else ""


def jdate(value: date | datetime | None, long: bool = False) -> str:
    """1405/09/05 (a datetime is taken as UTC and shown as the local day, HAMZABAN_TIMEZONE).

    One style per context (session 44): a day in a table's column or a list's line, and in a date
    field, is numeric «۱۴۰۵/۰۹/۰۵» (it lines up, and is what the picker writes); a day in a heading,
    a sentence or a record's own details is long=True, «۵ آذر ۱۴۰۵»; a moment is jdatetime's
    «۵ آذر ۱۴۰۵، ۱۴:۳۰» everywhere."""
    return format_jalali_date(value, digits=digit_style(), long=long)


def jdatetime_filter(value: datetime | None) -> str:
    """«۵ آذر ۱۴۰۵، ۱۴:۳۰» in local time (HAMZABAN_TIMEZONE)."""
    return format_jalali_datetime(value, digits=digit_style())


def reltime(value: datetime | None) -> str:
    """«۳ روز پیش», «۲ ساعت دیگر»."""
    return relative_time(value, digits=digit_style())


def jmonth(value) -> str:
    """«آذر ۱۴۰۵» from a date/datetime or a (jalali year, month) pair."""
    if value is None:
        return ""
    if isinstance(value, (date, datetime)):
        j = to_jalali(value)
        year, month = j.year, j.month
    else:
        year, month = value
    return format_jalali_month(year, month, digits=digit_style())


def jweekday(value: date | datetime | None) -> str:
    """«جمعه» (a datetime is taken as UTC and named as the local day, HAMZABAN_TIMEZONE)."""
    if value is None:
        return ""
    return weekday_name(to_jalali(value).togregorian().weekday(), digits=digit_style())


def hijri(key: str | None) -> str:
    """«۱۰ محرم ۱۴۴۷» from a stored Hijri day «1447-01-10»."""
    return format_hijri(key, digits=digit_style())


def highlight(segments) -> Markup:
    """Text pieces ``(text, matched)`` as HTML: every piece escaped, the matched ones in <mark>."""
    return Markup("").join(Markup("<mark>%s</mark>") % text if matched else escape(text)
                           for text, matched in segments or ())


_IMAGE = re.compile(r"<img\b[^>]*>")  # nh3 writes «>» inside an attribute as «&gt;»: a tag ends at its «>»
_IMAGE_ATTRIBUTE = re.compile(r'\b(src|alt)="([^"]*)"')


def item_html(html: str | None) -> Markup:
    """An item's HTML, cleaned by nh3 when it was stored, for its page: each image is a link to
    it, «[تصویر]» or its alt text. The pages' CSP loads no image from another site (a reader's
    address is not given to every outlet, and the intranet may have no internet): each showed as
    a broken image."""
    def link(match: re.Match) -> str:
        attributes = dict(_IMAGE_ATTRIBUTE.findall(match.group(0)))  # values already escaped by nh3
        source = attributes.get("src", "")
        if not source.startswith(("https://", "http://")):
            return ""
        label = attributes.get("alt", "").strip() or escape(_("تصویر"))
        return f'<a class="item-image" href="{source}" rel="noopener noreferrer nofollow" target="_blank">[{label}]</a>'

    return Markup(_IMAGE.sub(link, html or ""))


def qr_data_uri(text: str) -> str:
    """A QR code of ``text`` as an SVG data: URI (the CSP allows data: images; nothing leaves the server)."""
    return segno.make(text, error="m").svg_data_uri(scale=5, dark="#000", light="#fff")


_BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("YaBrowser/", "Yandex"), ("Firefox/", "Firefox"),
             ("Chrome/", "Chrome"), ("Version/", "Safari"))
_SYSTEMS = (("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"), ("Windows", "Windows"),
            ("Mac OS X", "macOS"), ("CrOS", "ChromeOS"), ("Linux", "Linux"))
_VERSION = re.compile(r"[\d]+")


def browser(user_agent: str | None) -> str:
    """«Chrome 124 · Linux» from a User-Agent header (the sessions' lists showed «Mozilla/5.0 (X11;
    Linux x86_64)…», cut short: a newcomer's walk); the header as it is when neither is known."""
    text = user_agent or ""
    name = next(((label, text.split(mark, 1)[1]) for mark, label in _BROWSERS if mark in text), None)
    system = next((label for mark, label in _SYSTEMS if mark in text), "")
    if name is None and not system:
        return text[:80]
    version = _VERSION.match(name[1]) if name else None
    shown = f"{name[0]} {version.group(0)}" if version else (name[0] if name else "")
    return " · ".join(part for part in (shown, system) if part)


# A code written with a hyphen («UTF-8», «windows-1256», «ISO-8859-1») in a line of Persian: at a phone's width
# the browser broke it after its hyphen, «windows-» at one line's end and «1256» at the next's (a browser walk,
# session 39). Not a part of an address or a longer word («example.ir/a-b», «x-y@z»), nor a tag's attribute.
_HYPHENATED_CODE = re.compile(r"(?<![\w./:@-])[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)+(?![\w/@-])")
_TAG = re.compile(r"(<[^>]*>)")


def unbroken(text) -> Markup:
    """``text`` escaped (markup kept as it is), each short hyphenated Latin code in it on one line."""
    if text is None:
        return Markup("")

    def keep(found: re.Match) -> str:
        code = found.group(0)
        return f'<span class="text-nowrap">{code}</span>' if len(code) <= 24 else code

    parts = _TAG.split(str(escape(text)))
    return Markup("".join(part if i % 2 else _HYPHENATED_CODE.sub(keep, part) for i, part in enumerate(parts)))


def _at_render_time(func):
    """The filter as Jinja sees it, run when the page is drawn. Jinja evaluates a filter of a
    constant («'1405/09/20'|fa_digits») once, when it compiles the template, unless the filter takes
    the context: the digits of whoever opened the page first would stay until a restart."""
    @pass_context
    def run(_context, *args, **kwargs):
        return func(*args, **kwargs)

    return run


# Who did it when no user did: the labels the commands and jobs write (``actor_label``), said in the
# reader's language (the learning page showed «seed-demo», «starter»: a walk through the pages).
_SYSTEM_ACTORS = {"cli": N_("خط فرمان"), "seed-demo": N_("دادهٔ نمایشی"), "starter": N_("همراه سامانه"),
                  "system": N_("سامانه"), "worker": N_("کارگزار پس‌زمینه"), "import-file": N_("درون‌بری فایل")}


def actor(label: str | None) -> str:
    """An actor label as shown: a system label translated, a failed login's name no account has
    («نام ناشناخته ۳f…») with its words translated and its tag as written, a person's as written."""
    said = _SYSTEM_ACTORS.get(label or "")
    if said:
        return _(said)
    if label and label.startswith(f"{UNKNOWN_NAME_LABEL} "):
        return f"{_(UNKNOWN_NAME_LABEL)}{label[len(UNKNOWN_NAME_LABEL):]}"
    return label or ""


def isolated(value) -> Markup:
    """A name or title said inside a sentence, in a <bdi> of its own: a Persian name in an English
    sentence took the date after it along, «Approved by مدیر روابط عمومی, 16 Azar 1405» read
    «Approved by 16 ,مدیر روابط عمومی Azar 1405» (session 42's walk). «…»|isolated in a message's
    argument."""
    return Markup("<bdi>{}</bdi>").format(value if value is not None else "")


def separator(major: bool = False) -> Markup:
    """Between the parts of a line (an outlet, a date, an agency, a status): «، » on a Persian page,
    « · » on an English one; every such line of a Persian page uses it (session 43). A middle dot
    beside a Persian digit reads as that script's zero: «آب و فاضلاب · آذر ۱۴۰۵» read «… ۰ آذر ۱۴۰۵»,
    «نسخهٔ ۲ ·» «نسخهٔ ۲۰» (session 42's walk). ``major``: before a part that holds a «،» list of its
    own («واژه‌ها: آب، برق»), «؛ », as Persian parts a list whose items hold commas. The English dot
    is held to the part before it by a no-break space: « · » let a phone's line end before the dot,
    «· Edit» beginning the next line (session 43's review); «،» and «؛» never begin a line.
    ``{{ sep() }}``, ``{{ sep(major=True) }}``."""
    if digit_style() == "fa":
        return Markup("؛ ") if major else Markup("، ")
    return Markup("\u00a0· ")


# Persian and Arabic letters; their digits (U+0660-0669, U+06F0-06F9) are laid out left to right
# as any digit is, and say nothing of the words' direction.
_PERSIAN_LETTER = re.compile(r"[\u0600-\u065F\u066A-\u06EF\u06FA-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]")


def words_dir(query: str | None) -> str:
    """The direction a rule's or a saved search's words are laid out in: right to left when they
    hold a Persian letter, even if a Latin one comes first («"IRNA" یا ایرنا -تهران», session 41);
    left to right when they hold none: «-leak water» read «leak water-» (session 43), and numbers
    alone «1404 -1403» read «1403- 1404» (session 43's review). No words at all: right to left.
    ``<bdi dir="{{ rule.query|words_dir }}">``."""
    text = (query or "").strip()
    return "ltr" if text and not _PERSIAN_LETTER.search(text) else "rtl"


def register_template_filters(app: Flask) -> None:
    for name, func in (("fa_digits", fa_digits), ("jdate", jdate), ("jdatetime", jdatetime_filter),
                       ("reltime", reltime), ("jmonth", jmonth), ("jweekday", jweekday), ("hijri", hijri),
                       ("phone", phone), ("percent", percent), ("pct", pct), ("fa_number", fa_number),
                       ("actor", actor)):  # these read the reader's language
        app.add_template_filter(_at_render_time(func), name)
    app.add_template_filter(highlight, "highlight")
    app.add_template_filter(unbroken, "unbroken")
    app.add_template_filter(isolated, "isolated")
    app.add_template_filter(words_dir, "words_dir")
    app.jinja_env.globals["sep"] = separator
    app.jinja_env.tests["counter_cue"] = lambda reason: getattr(reason, "code", None) in COUNTER_CUE_CODES or (
        isinstance(reason, dict) and reason.get("code") in COUNTER_CUE_CODES)
    app.add_template_filter(qr_data_uri, "qr_data_uri")
    app.add_template_filter(browser, "browser")
    app.add_template_filter(item_html, "item_html")
    app.add_template_filter(item_title, "item_title")
    app.add_template_filter(stored_item_title, "stored_item_title")
    app.add_template_filter(lambda html, item: Markup(shown_html(str(html or ""), item_persian(item))), "item_shown_html")
