"""Files the commands write (`--out FILE`, `OUT`): why one could not be written, in Persian.

A script that gives a folder that is not there, or one it may not write in, gets exit status 2
and a sentence (``{"error": …}`` under --json), not a Python traceback.
"""
from __future__ import annotations

import errno
from pathlib import Path

import click
from flask_babel import gettext as _

from search_index.normalization import printable


def shown(path: Path | str) -> str:
    """A path for messages and JSON: bytes of its name that are not UTF-8 as «�», control
    characters left out (a terminal's escape codes in a name)."""
    return printable(click.format_filename(path))


def os_reason(error: OSError) -> str:
    """Why a file could not be written, in Persian for the usual reasons (the system's words else)."""
    reasons = {errno.ENOENT: _("پوشهٔ آن نیست"), errno.ENOTDIR: _("پوشهٔ آن نیست"),
               errno.ENOSPC: _("دیسک پر است"), errno.EACCES: _("اجازهٔ نوشتن نیست"),
               errno.EPERM: _("اجازهٔ نوشتن نیست"), errno.EROFS: _("دیسک تنها خواندنی است"),
               errno.EISDIR: _("این نام یک پوشه است"), errno.ENAMETOOLONG: _("نام پرونده بیش از اندازه بلند است"),
               errno.EDQUOT: _("سهمیهٔ دیسک پر است")}
    return reasons.get(error.errno) or error.strerror or str(error)


def not_written(path: Path | str, error: OSError) -> str:
    """The refusal of a file that could not be written: its name and the reason."""
    return _("پروندهٔ «%(path)s» نوشته نشد: %(reason)s", path=shown(path), reason=os_reason(error))
