"""Why a SQLite database in the data folder cannot be opened or written (session 47): a folder on a read-only
file system or without write permission (SQLite's WAL writes beside the database even to read it), or a disk
with no room. Every command said «the database did not respond (locked or unreachable) … run it again
shortly», which no wait mends; app/cli/usage.py says these instead."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

from app.extensions import db
from app.i18n import N_
from app.services.digits import shown_number

# Below this much room the disk is taken as full: SQLite needs pages for its journal before a write.
FULL_BELOW_BYTES = 1 << 20
# What SQLite says of another connection's lock: a wait mends it, however little room the disk has (session 47's
# leftover: a lock on a disk with less than 1 MB free was called a full disk).
LOCKED = ("database is locked", "database table is locked", "busy")


def storage_problem(reason: str) -> str | None:
    """The Persian sentence for a SQLite database whose folder is read-only or whose disk is full, else None.
    The folder is named the data folder only when it is HAMZABAN_DATA_DIR; a database that HAMZABAN_DATABASE_URL
    keeps elsewhere is named as its own folder, with that setting (it named HAMZABAN_DATA_DIR: session 47)."""
    url = db.engine.url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    database = Path(url.database).resolve()
    folder = database.parent
    sentences = _DATA_FOLDER if folder == Path(current_app.config["DATA_DIR"]).resolve() else _DATABASE_FOLDER
    if not folder.is_dir():  # a mistyped HAMZABAN_DATA_DIR, or «instance» read from another folder: not read-only
        return _(sentences["missing"], folder=str(folder), reason=reason)
    if not (os.access(folder, os.W_OK) and (not database.exists() or os.access(database, os.W_OK))):
        return _(sentences["read_only"], folder=str(folder), reason=reason)
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        return None
    if "full" in reason or (free < FULL_BELOW_BYTES and not any(word in reason.lower() for word in LOCKED)):
        return _(sentences["full"], folder=str(folder), free=shown_number(free), reason=reason)
    return None


_DATA_FOLDER = {
    "missing": N_("پوشهٔ داده‌ها («%(folder)s») نیست (%(reason)s)؛ چیزی ذخیره نشد. HAMZABAN_DATA_DIR را پوشهٔ داده‌های "
                  "همزبان بدهید، یا برای پوشه‌ای تازه «flask --app app init» را اجرا کنید."),
    "read_only": N_("پوشهٔ داده‌ها («%(folder)s») تنها خواندنی است یا اجازهٔ نوشتن در آن نیست (%(reason)s)؛ پایگاه دادهٔ "
                    "SQLite حتی برای خواندن کنار خود می‌نویسد. چیزی ذخیره نشد. پوشه را نوشتنی کنید یا HAMZABAN_DATA_DIR را "
                    "پوشه‌ای نوشتنی بدهید."),
    "full": N_("دیسکِ پوشهٔ داده‌ها («%(folder)s») پر است (%(free)s بایت آزاد؛ %(reason)s)؛ چیزی ذخیره نشد. جا باز کنید و "
               "دوباره اجرا کنید."),
}
_DATABASE_FOLDER = {  # the database file outside the data folder (HAMZABAN_DATABASE_URL)
    "missing": N_("پوشهٔ پایگاه داده («%(folder)s») نیست (%(reason)s)؛ چیزی ذخیره نشد. HAMZABAN_DATABASE_URL را نشانی "
                  "پایگاه دادهٔ همزبان بدهید."),
    "read_only": N_("پوشهٔ پایگاه داده («%(folder)s») تنها خواندنی است یا اجازهٔ نوشتن در آن نیست (%(reason)s)؛ پایگاه "
                    "دادهٔ SQLite حتی برای خواندن کنار خود می‌نویسد. چیزی ذخیره نشد. پوشه را نوشتنی کنید یا "
                    "HAMZABAN_DATABASE_URL را در پوشه‌ای نوشتنی بدهید."),
    "full": N_("دیسکِ پوشهٔ پایگاه داده («%(folder)s») پر است (%(free)s بایت آزاد؛ %(reason)s)؛ چیزی ذخیره نشد. جا باز "
               "کنید و دوباره اجرا کنید."),
}
