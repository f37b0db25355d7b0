"""The Persian text forms of DESIGN.md (pure Python, no Flask, no Whoosh):

* ``normalize`` — the search-side fold (Arabic letters to Persian, digits to ASCII, diacritics and
  invisible characters removed, Latin lower-cased). ZWNJ is kept: the tokenizer
  (``search_index.persian``) needs it.
* ``normalize_for_storage`` — the gentle form stored from user input (ي→ی, ك→ک, no bidi or control characters but tab and line breaks).
* ``ascii_digits`` and ``to_persian_digits`` — for numbers read and for display.
* ``without_diacritics`` — only the harakat and the tatweel removed (a typed username).
* ``fold_pasted`` — a code copied from a Persian line (a case reference, a period): marks and
  ZWNJ dropped, every kind of dash as "-".
* ``hamza_folded`` — a normalized term of a few words written with the hamza on another seat, in
  the spelling the lexicons hold (the tokenizer's terms: ``search_index.persian.word_term``).
"""
from __future__ import annotations

import re
import unicodedata

ZWNJ = "\u200c"
ZWSP = "\u200b"
# Characters that mark a part boundary inside a word like ZWNJ does: ZWSP, and the bidi marks LRM,
# RLM and ALM, which some keyboards and editors put where ZWNJ belongs («مشاوره<LRM>ای»). The
# normalizer removes them all but ZWNJ; the tokenizer splits a word's parts at every one of them.
PART_BOUNDARIES = ZWNJ + ZWSP + "\u200e\u200f\u061c"

_BIDI_CONTROLS = "\u200e\u200f\u061c" + "".join(map(chr, range(0x202A, 0x202F))) + "".join(
    map(chr, range(0x2066, 0x206A))
)
# Invisible characters that never separate words: removed by normalize, kept inside tokens.
INVISIBLE = _BIDI_CONTROLS + "\u200b\u200d\u00ad\ufeff\u2060"
_PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
_ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"


def _ranges(*pairs: tuple[int, int]) -> str:
    return "".join(chr(c) for lo, hi in pairs for c in range(lo, hi + 1))


_DIACRITICS = _ranges((0x064B, 0x065F), (0x0670, 0x0670), (0x0610, 0x061A), (0x06D6, 0x06ED)) + "\u0640"


def _digit_map() -> dict[int, str]:
    table = {ord(d): str(i) for i, d in enumerate(_PERSIAN_DIGITS)}
    table.update({ord(d): str(i) for i, d in enumerate(_ARABIC_DIGITS)})
    table.update({0x066B: ".", 0x066C: ""})
    return table


def _search_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    for chars, target in (
        ("\u064a\u0649\u06d2\u06d3\u0626", "ی"),
        ("\u0643\u06aa" + _ranges((0x06AB, 0x06AE)), "ک"),
        ("\u0629\u06c0" + _ranges((0x06C1, 0x06C3)) + "\u06d5\u06be", "ه"),
        ("\u0622\u0623\u0625\u0671", "ا"),
        ("\u0624", "و"),
        ("\u066a", "%"),
    ):
        table.update({ord(c): target for c in chars})
    table.update(_digit_map())
    table.update({ord(c): None for c in _DIACRITICS + INVISIBLE})
    return table


_SEARCH_TABLE = str.maketrans(_search_table())
# A hamza at a word's end after «ه» or «ا»: the ezafe written as a hamza («روزنامهء شهر», older typing
# of «روزنامهٔ», whose «ٔ» the table removes), and the Arabic spelling of words Persian writes without
# it («ارتقاء», «اعضاء», «امضاء», «شهداء»: 235 times in the 1,500 articles; «امناء» missed «هیأت امنا»,
# a review of search, round 2). A hamza inside a word («ماءالشعیر») or after another letter («جزء»,
# «شیء») stays.
_FINAL_HAMZA = re.compile("([\u0647\u0627])\u0621(?!\\w)")
# Control characters but tab and line breaks (C0, DEL and C1): PostgreSQL refuses a NUL in text (a
# 500 on a typed username), a terminal's escape codes would reach whoever reads a command's output
# (C1 holds the one-byte CSI «\x9b»), and an XLSX export drops them (a directory name holding one
# came back from its own export as another person).
CONTROLS = "".join(chr(c) for c in (*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0)))
# Invisible characters that are no part of a word as read: the zero-width space, the word joiner and
# the soft hyphen (an imported name kept them, and looked the same as the name without: a review of
# the directory commands, round 8). ZWNJ (a Persian word's own) and ZWJ stay.
_INVISIBLE_IN_STORAGE = "\u200b\u2060\u00ad"
# Arabic «ي» and «ك» as Persian writes them: stored user input, and a Persian item's text as shown.
_PERSIAN_LETTERS = {"\u064a": "ی", "\u0643": "ک"}
_PERSIAN_LETTERS_TABLE = str.maketrans(_PERSIAN_LETTERS)
_STORAGE_TABLE = str.maketrans(
    {**_PERSIAN_LETTERS,
     **{c: None for c in _BIDI_CONTROLS + "\ufeff" + _INVISIBLE_IN_STORAGE + CONTROLS}}
)
_UNPRINTABLE_TABLE = str.maketrans(dict.fromkeys(CONTROLS))
# Full-width digits too («１４０５»: an East Asian layout, a pasted document): Python's int() and click
# read them, so a period or a count took them while a date or a case number refused them (session 42).
_ASCII_DIGITS_TABLE = str.maketrans({**_digit_map(), **{0xFF10 + i: str(i) for i in range(10)}})
# Hyphen, non-breaking hyphen, figure dash, en and em dash, minus: what a keyboard or a word
# processor puts where "-" was typed.
_PASTED_TABLE = str.maketrans({**dict.fromkeys(INVISIBLE + ZWNJ), **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2212", "-")})
_DISPLAY_DIGITS_TABLE = str.maketrans(
    {**{str(i): d for i, d in enumerate(_PERSIAN_DIGITS)},
     **{a: p for a, p in zip(_ARABIC_DIGITS, _PERSIAN_DIGITS)}}
)


def normalize(text: str) -> str:
    """Search-side fold of DESIGN.md: NFKC, then the letter/digit table, then lower case; the
    hamza at a word's end after «ه» or «ا» is left out («روزنامهء» is «روزنامهٔ», «اعضاء» «اعضا»).

    Idempotent: when the table removed an invisible character between a letter and its
    combining mark («e», ZWSP, U+0301), the pair is composed again (NFKC once more), as the next
    normalization would (found by tests/search_index/test_persian_properties.py).
    """
    if text.isascii():
        return text.lower()
    folded = unicodedata.normalize("NFKC", text).translate(_SEARCH_TABLE).lower()
    if "\u0621" in folded:
        folded = _FINAL_HAMZA.sub(r"\1", folded)
    return folded if unicodedata.is_normalized("NFKC", folded) else unicodedata.normalize("NFKC", folded)


def normalize_for_storage(text: str) -> str:
    """Gentle fold for stored user input: ي→ی, ك→ک, bidi controls, BOM, zero-width space, word
    joiner, soft hyphen and control characters (but tab and line breaks) removed."""
    return text.translate(_STORAGE_TABLE)


def persian_letters(text: str) -> str:
    """``text`` with the Arabic «ي» and «ك» as Persian «ی» and «ک», nothing else changed (what
    ``normalize_for_storage`` folds of letters; a Persian item's stored text as shown)."""
    return text.translate(_PERSIAN_LETTERS_TABLE)


def printable(text: str) -> str:
    """``text`` as typed, without its control characters (but tab and line breaks): safe to print on
    a terminal or to quote in a message (a cell, an option's value)."""
    return text.translate(_UNPRINTABLE_TABLE)


def name_typed(text: str) -> str:
    """A name or label as people type it, for comparing: ``normalize``d, without ZWNJ or spaces
    («آب‌وفاضلاب», «آب و فاضلاب» and «آب وفاضلاب» are one; «كم فوريت» is «کم‌فوریت»)."""
    return "".join(normalize(text or "").replace("\u200c", " ").split())


def ascii_digits(text: str) -> str:
    """Persian, Arabic-Indic and full-width digits to ASCII (٫ → '.', ٬ dropped), for numbers and dates."""
    return text.translate(_ASCII_DIGITS_TABLE)


def fold_pasted(text: str) -> str:
    """A code copied from a Persian line («۱۴۰۵–۰۹» with an RLM, «ق-۱۴۰۵-۱۲») as typed: direction
    marks, ZWNJ and other invisible characters dropped, dashes as "-" (digits stay as they are)."""
    return text.translate(_PASTED_TABLE)


_DIACRITICS_TABLE = str.maketrans(dict.fromkeys(_DIACRITICS))


def without_diacritics(text: str) -> str:
    """``text`` without what ``normalize`` removes of Arabic script's marks: the harakat, the superscript
    alef, the Quranic marks and the tatweel «ـ»; nothing else changed («علـیِ» is «علی»)."""
    return text.translate(_DIACRITICS_TABLE)


# What an address typed or pasted (a feed's, a publication link) must not hold: white space, control
# characters (a NUL cut a stored address short), bidi marks and controls (an override turns it
# around on the page), invisible joiners.
UNSEEN_IN_ADDRESS = re.compile("[\\s\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


def to_persian_digits(value: object) -> str:
    """ASCII and Arabic-Indic digits to Persian digits, for display."""
    return str(value).translate(_DISPLAY_DIGITS_TABLE)


# Words written with the hamza on another seat, or without it, which ``normalize``'s letter table
# leaves apart («هیئت» gives «هییت», «هیأت» and «هیات» give «هیات»; «مسئول» «مسیول», «مسؤول»
# «مسوول», and «مسول» as 7 of the 1,500 articles write it): folded to the spelling the lexicons hold, with the endings such a word takes
# («مسؤولان», «هیأت‌های» part by part). Only these words, each the same word in every spelling:
# no letter rule folds them all without making others one («سؤال» → «سیال» would be "fluid").
_HAMZA_SPELLINGS = {"هیات": "هییت", "مسوول": "مسیول", "مسول": "مسیول", "مساله": "مسیله", "سیوال": "سوال", "شوون": "شیون",
                    "رووف": "ریوف", "جرات": "جریت", "نشات": "نشیت"}
_HAMZA_ENDINGS = frozenset(("", "ی", "ای", "ها", "های", "هایی", "هایش", "هایشان", "ان", "ین", "انه", "ات", "اتی",
                            "یت", "یتی", "یتها", "یتهای", "ش", "شان", "م", "مان", "ت", "تان"))
_HAMZA_HEADS = frozenset(spelling[:3] for spelling in _HAMZA_SPELLINGS)


def hamza_folded(term: str) -> str:
    """A normalized term with the hamza spellings above folded to the lexicons' («مسوولان» → «مسیولان»)."""
    if term[:3] in _HAMZA_HEADS:
        for spelling, folded in _HAMZA_SPELLINGS.items():
            if term.startswith(spelling) and term[len(spelling):] in _HAMZA_ENDINGS:
                return folded + term[len(spelling):]
    return term
