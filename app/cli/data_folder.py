"""Why a SQLite database in the data folder cannot be opened or written (session 47): a folder on a read-only
file system or without write permission (SQLite's WAL writes beside the database even to read it), or a disk
with no room. Every command said «the database did not respond (locked or unreachable) … run it again
shortly», which no wait mends; app/cli/usage.py says these instead."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

from flask_babel import gettext as _

from app.extensions import db
from app.services.digits import shown_number

# Below this much room the disk is taken as full: SQLite needs pages for its journal before a write.
FULL_BELOW_BYTES = 1 << 20


def storage_problem(reason: str) -> str | None:
    """The Persian sentence for a SQLite database whose folder is read-only or whose disk is full, else None."""
    url = db.engine.url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    database = Path(url.database).resolve()
    folder = database.parent
    if not folder.is_dir():  # a mistyped HAMZABAN_DATA_DIR, or «instance» read from another folder: not read-only
        return _("پوشهٔ داده‌ها («%(folder)s») نیست (%(reason)s)؛ چیزی ذخیره نشد. HAMZABAN_DATA_DIR را پوشهٔ داده‌های "
                 "همزبان بدهید، یا برای پوشه‌ای تازه «flask --app app init» را اجرا کنید.", folder=str(folder),
                 reason=reason)
    writable = os.access(folder, os.W_OK) and (not database.exists() or os.access(database, os.W_OK))
    if not writable:
        return _("پوشهٔ داده‌ها («%(folder)s») تنها خواندنی است یا اجازهٔ نوشتن در آن نیست (%(reason)s)؛ پایگاه دادهٔ "
                 "SQLite حتی برای خواندن کنار خود می‌نویسد. چیزی ذخیره نشد. پوشه را نوشتنی کنید یا HAMZABAN_DATA_DIR را "
                 "پوشه‌ای نوشتنی بدهید.", folder=str(folder), reason=reason)
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        return None
    if free < FULL_BELOW_BYTES or "full" in reason:
        return _("دیسکِ پوشهٔ داده‌ها («%(folder)s») پر است (%(free)s بایت آزاد؛ %(reason)s)؛ چیزی ذخیره نشد. جا باز کنید و "
                 "دوباره اجرا کنید.", folder=str(folder), free=shown_number(free), reason=reason)
    return None
