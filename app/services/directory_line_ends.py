"""A CR alone inside a CSV's line (session 40's note): in a file whose lines end in LF (or CRLF),
a carriage return outside quotes ends the row there, as spreadsheets read it too (LibreOffice,
Excel), so one journalist's row becomes two: «اقتصاد\\rسیاست» in the beat cell stored a beat
«اقتصاد» and a journalist named «سیاست». The import reads the file as they do, and says where
(directory_import warns, naming the file's line and the two rows)."""
from __future__ import annotations

import re

from flask_babel import gettext as _

from app.services.digits import shown_number

_LONE_CR = re.compile(r"\r(?!\n)")
_START, _FIELD, _QUOTED, _QUOTE_IN_QUOTED = range(4)
_SHOWN = 10  # places named in the warning, then «…»


def stray_returns(text: str, delimiter: str) -> list[tuple[int, int]]:
    """(line of the file, sheet row) of each CR alone, outside quotes, with text on both sides in its
    line, in a file whose lines end in LF: the row it ends is that sheet row, the next one starts
    after it. Read as the csv module reads (a quote opens a quoted cell only at a cell's start).
    Nothing when the file has no LF (an old Mac file: CR is its line end) or no lone CR (the usual)."""
    if "\n" not in text or not _LONE_CR.search(text):
        return []
    found: list[tuple[int, int]] = []
    line, row, state, line_start = 1, 1, _START, 0
    for index, char in enumerate(text):
        if state == _QUOTED:
            if char == '"':
                state = _QUOTE_IN_QUOTED
            elif char == "\n":
                line, line_start = line + 1, index + 1
            continue
        if state == _QUOTE_IN_QUOTED and char == '"':  # a doubled quote inside a quoted cell
            state = _QUOTED
            continue
        if char == "\n":
            line, row, state, line_start = line + 1, row + 1, _START, index + 1
        elif char == "\r":
            if text[index + 1:index + 2] != "\n":
                end = text.find("\n", index)
                after = text[index + 1:end if end >= 0 else len(text)]
                if after.strip() and text[line_start:index].strip():  # not «\r\r\n», not a CR at a line's end
                    found.append((line, row))
                row += 1
            state = _START
        elif char == delimiter:
            state = _START
        elif char == '"' and state == _START:
            state = _QUOTED
        else:
            state = _FIELD
    return found


def stray_return_warning(found: list[tuple[int, int]]) -> str | None:
    """The import's warning naming where a lone CR cut a row in two (None when nowhere)."""
    if not found:
        return None
    places = "، ".join(_("خط %(line)s فایل (سطر %(row)s و %(next)s)", line=shown_number(line),
                         row=shown_number(row), next=shown_number(row + 1)) for line, row in found[:_SHOWN])
    return _("نویسهٔ CR تنها (پایان سطر در فایل‌های قدیمی مک) بیرون از گیومه درون %(count)s سطر آمده و هر کدام، "
             "چنان‌که برنامه‌های صفحه‌گسترده هم می‌خوانند، دو سطر خوانده شد: %(places)s. اگر یک سطر است، آن نویسه را "
             "بردارید یا آن خانه را میان گیومه («\"») بگذارید.", count=shown_number(len(found)),
             places=places + ("، …" if len(found) > _SHOWN else ""))
