"""A data folder on a read-only file system, or on a full disk (session 47): every command answered «the
database did not respond (locked or unreachable: unable to open database file / disk I/O error) … run it again
shortly», which no wait mends. Now the message names the folder and the cause, exit 2, nothing stored.

Real `flask` processes over a real tmpfs mounted here (a small one, then filled, then remounted read-only):
skipped where this process may not mount (not root, or no tmpfs), and on PostgreSQL (a server's database is
not in the data folder)."""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from tests.conftest import REPO


@pytest.fixture
def small_disk(app, tmp_path):
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if not uri.startswith("sqlite:///"):
        pytest.skip("the data folder holds the database on SQLite only")
    mount = tmp_path / "disk"
    mount.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(mount)], capture_output=True)
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {made.stderr.decode(errors='replace').strip()}")
    try:
        from app.extensions import db
        db.session.commit()
        with closing(sqlite3.connect(uri.removeprefix("sqlite:///"))) as source, \
                closing(sqlite3.connect(mount / "hamzaban.db")) as copy:
            source.backup(copy)  # closed after: a file open for writing keeps the mount from turning read-only
        (mount / "secret_key").write_text("k" * 64)
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _flask(folder: Path, *words: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HAMZABAN_")}
    env.update(HAMZABAN_DATA_DIR=str(folder), HAMZABAN_DATABASE_URL=f"sqlite:///{folder / 'hamzaban.db'}")
    return subprocess.run([sys.executable, "-m", "flask", "--app", "app", *words], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=300)


def _journalists(folder: Path) -> int:
    with closing(sqlite3.connect(f"file:{folder / 'hamzaban.db'}?mode=ro&immutable=1", uri=True)) as conn:
        return conn.execute("select count(*) from journalists").fetchone()[0]


def test_a_full_disk_and_a_read_only_folder_are_named(small_disk):
    rows = "نام,رسانه,سطح رسانه,شهر,تلفن\n" + "".join(
        f"خبرنگار {n},رسانهٔ {n % 40},محلی,تهران,0912{n:07d}\n" for n in range(4000))
    sheet = small_disk.parent / "rows.csv"
    sheet.write_text(rows, encoding="utf-8")
    before = _journalists(small_disk)
    free = os.statvfs(small_disk)
    (small_disk / "filler").write_bytes(b"\0" * (free.f_bavail * free.f_frsize - 4096))  # the disk full
    full = _flask(small_disk, "directory", "import", str(sheet), "--json")
    assert full.returncode == 2, (full.stdout, full.stderr)
    message = json.loads(full.stdout.splitlines()[0])["error"]
    assert f"دیسکِ پوشهٔ داده‌ها («{small_disk}») پر است" in message and "چیزی ذخیره نشد" in message, message
    (small_disk / "filler").unlink()
    assert _journalists(small_disk) == before
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    listed = _flask(small_disk, "cases", "list", "--json")  # reading needs no write here (no WAL left open)
    assert listed.returncode in (0, 2) and "Traceback" not in listed.stderr, listed.stderr
    sheet.write_text("نام,رسانه,سطح رسانه,شهر,تلفن\nخبرنگار تک,رسانهٔ تک,محلی,تهران,09121234567\n", encoding="utf-8")
    refused = _flask(small_disk, "directory", "import", str(sheet), "--json")
    assert refused.returncode == 2, (refused.stdout, refused.stderr)
    message = json.loads(refused.stdout.splitlines()[0])["error"]
    assert f"پوشهٔ داده‌ها («{small_disk}») تنها خواندنی است" in message, message
    plain = _flask(small_disk, "directory", "import", str(sheet))
    assert plain.returncode == 2 and "تنها خواندنی است" in plain.stderr and "Traceback" not in plain.stderr
    assert _journalists(small_disk) == before


def test_a_data_folder_that_is_not_there_is_not_called_read_only(tmp_path):
    """A HAMZABAN_DATA_DIR mistyped, or the default «instance» read from another folder (review of session 47):
    the folder is not there, and the message said it was read-only — its owner would look for a permission
    to mend. It names the folder as missing and asks for `init` or the right folder, exit 2."""
    missing = tmp_path / "نبود" / "پوشهٔ داده"
    listed = _flask(missing, "cases", "list", "--json")
    assert listed.returncode == 2, (listed.stdout, listed.stderr)
    message = json.loads(listed.stdout.splitlines()[0])["error"]
    assert f"پوشهٔ داده‌ها («{missing}») نیست" in message and "init" in message, message
    assert "تنها خواندنی" not in message, message
    assert not missing.exists()
