"""Standard input of the commands that read it (`directory import -`, `routing test`, `cases move
--answer-stdin`, `user create --password-stdin`). Started with it closed («<&-», a cron line or a
service manager that gives none), Python opens no stream at all (``sys.stdin`` is None), and each
of them ended in a traceback and exit 1 (a fresh round of bad input, session 41)."""
from __future__ import annotations

import sys
from typing import BinaryIO

from flask_babel import gettext as _

from app.services import ServiceError


class StdinClosed(ServiceError):
    """Standard input is closed; a ServiceError, so the commands' refusals say it (exit 2)."""


def stdin_closed_message() -> str:
    return _("ورودی استاندارد این فرمان بسته است (مانند «<&-»)؛ آنچه باید خوانده شود را با «< فایل» یا "
             "«|» بدهید. چیزی خوانده نشد.")


def stdin_text():
    """Standard input as text. :raise StdinClosed: the command was started without one."""
    if sys.stdin is None:
        raise StdinClosed(stdin_closed_message())
    return sys.stdin


def stdin_bytes() -> BinaryIO:
    """Standard input's bytes. :raise StdinClosed: the command was started without one."""
    return stdin_text().buffer
