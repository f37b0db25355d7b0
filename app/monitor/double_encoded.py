"""Persian encoded twice: UTF-8 text that a CMS read as another encoding and wrote out again in UTF-8 (a MySQL
connection in «latin1» over a UTF-8 table, or a PHP page decoding as windows-1256), the commonest fault of older
Iranian sites. Every title was stored as «Ø§Ø³ØªØ§Ù†» or «ط§ط³طھط§ظ†», unreadable and unfindable by search or
routing, without a word on the feed's page (hostile feeds, round 17).

``twice_encoded`` reads such runs back (the feed's page says so): a run of text (between two tags) in a UTF-8 body, holding three pairs
or more of what a Persian letter's two bytes look like in that code page, whose characters are all that code
page's and whose bytes in it are, whole, UTF-8 with Arabic-script letters. Persian written once never
passes: its letters are bytes 0xC1–0xFE in windows-1256, and two such in a row are no UTF-8."""
from __future__ import annotations

import re

__all__ = ["twice_encoded"]


def _page(decode) -> tuple[dict[int, int | str], str, str]:
    """(character → byte, the characters of bytes 0xD8–0xDB, of bytes 0x80–0xBF) of a code page. Latin-1's
    characters the page has not map to U+FFFF, which no byte is (they are no text of that page)."""
    chars = {b: decode(b) for b in range(0x80, 0x100)}
    table: dict[int, int | str] = dict.fromkeys(range(0x80, 0x100), "\uffff")
    table.update({ord(ch): b for b, ch in chars.items()})
    return (table, "".join(chars[b] for b in range(0xD8, 0xDC)),
            "".join(chars[b] for b in range(0x80, 0xC0)))


# MySQL's «latin1» is windows-1252 with its five holes as the C1 controls; windows-1256 fills every byte.
_PAGES = [_page(lambda b: bytes([b]).decode("cp1252", "ignore") or chr(b)), _page(lambda b: bytes([b]).decode("cp1256"))]
_SIGNS = [re.compile(f"[{re.escape(lead)}][{re.escape(tail)}]") for _, lead, tail in _PAGES]
_ANY_SIGN = re.compile("|".join(sign.pattern for sign in _SIGNS))
_RUN = re.compile(r"[^<>]+")
_ARABIC_LETTER = re.compile("[\u0621-\u064a\u0671-\u06d3\u06fa-\u06fc]")


def twice_encoded(body: bytes) -> bytes | None:
    """The body with every run encoded twice read back, for a UTF-8 body that has such runs; None for any other."""
    if body.isascii() or b"\x00" in body:
        return None
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if len(_ANY_SIGN.findall(text, 0, 1 << 20)) < 3:
        return None
    mended = _RUN.sub(_read_back, text)
    return mended.encode("utf-8") if mended != text else None


def _read_back(run: re.Match) -> str:
    text = run.group()
    for (table, _, _), sign in zip(_PAGES, _SIGNS, strict=True):
        if len(sign.findall(text)) < 3:
            continue
        try:
            read = text.translate(table).encode("latin-1").decode("utf-8")
        except UnicodeError:  # a character that page has not, or bytes that are no UTF-8: written once
            continue
        if len(_ARABIC_LETTER.findall(read)) >= 3:  # (an address or a Latin name beside them stays as it was)
            return read
    return text
