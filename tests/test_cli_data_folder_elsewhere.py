"""Two of session 47's leftovers in the data-folder messages (app/cli/data_folder.py), over a real tmpfs:
- a SQLite database that HAMZABAN_DATABASE_URL keeps outside HAMZABAN_DATA_DIR, on a read-only file system, was
  called «the data folder» and HAMZABAN_DATA_DIR was the setting to mend (the data folder was writable);
- a database locked by another process on a disk with less than 1 MB free was called a full disk, which no
  freeing of room mends and a wait does («… اندکی بعد دوباره اجرا کنید»)."""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

from tests.conftest import REPO
from tests.test_cli_data_folder_storage import _journalists, small_disk  # noqa: F401 (a fixture)

SHEET = "نام,رسانه,سطح رسانه,شهر,تلفن\nخبرنگار تک,رسانهٔ تک,محلی,تهران,09121234567\n"


def _flask(data: Path, database: Path, *words: str, **env_more: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HAMZABAN_")}
    env.update(HAMZABAN_DATA_DIR=str(data), HAMZABAN_DATABASE_URL=f"sqlite:///{database}", **env_more)
    return subprocess.run([sys.executable, "-m", "flask", "--app", "app", *words], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=300)


def test_a_database_kept_outside_the_data_folder_is_named_as_its_own(small_disk, tmp_path):  # noqa: F811
    data = tmp_path / "داده"
    data.mkdir()
    (data / "secret_key").write_text("k" * 64)
    sheet = tmp_path / "one.csv"
    sheet.write_text(SHEET, encoding="utf-8")
    before = _journalists(small_disk)
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    refused = _flask(data, small_disk / "hamzaban.db", "directory", "import", str(sheet), "--json")
    assert refused.returncode == 2, (refused.stdout, refused.stderr)
    message = json.loads(refused.stdout.splitlines()[0])["error"]
    assert f"پوشهٔ پایگاه داده («{small_disk}») تنها خواندنی است" in message, message
    assert "HAMZABAN_DATABASE_URL" in message and "HAMZABAN_DATA_DIR" not in message, message
    assert "پوشهٔ داده‌ها" not in message, message
    assert _journalists(small_disk) == before


def test_a_lock_on_a_nearly_full_disk_is_a_lock(small_disk, tmp_path):  # noqa: F811
    sheet = tmp_path / "one.csv"
    sheet.write_text(SHEET, encoding="utf-8")
    before = _journalists(small_disk)
    free = os.statvfs(small_disk)
    (small_disk / "filler").write_bytes(b"\0" * (free.f_bavail * free.f_frsize - 512 * 1024))  # 512 KB left
    with closing(sqlite3.connect(small_disk / "hamzaban.db", isolation_level=None)) as holder:
        holder.execute("begin exclusive")  # another process's write under way
        locked = _flask(small_disk, small_disk / "hamzaban.db", "directory", "import", str(sheet), "--json",
                        HAMZABAN_SQLITE_BUSY_TIMEOUT_MS="300")
        holder.execute("rollback")
    assert locked.returncode == 2, (locked.stdout, locked.stderr)
    message = json.loads(locked.stdout.splitlines()[0])["error"]
    assert "پر است" not in message and "اندکی بعد دوباره اجرا کنید" in message, message
    (small_disk / "filler").unlink()
    assert _journalists(small_disk) == before


def test_a_database_url_into_a_folder_not_there_names_that_setting(tmp_path):
    data = tmp_path / "داده"
    data.mkdir()
    (data / "secret_key").write_text("k" * 64)
    missing = tmp_path / "نبود"
    listed = _flask(data, missing / "hamzaban.db", "cases", "list", "--json")
    assert listed.returncode == 2, (listed.stdout, listed.stderr)
    message = json.loads(listed.stdout.splitlines()[0])["error"]
    assert f"پوشهٔ پایگاه داده («{missing}») نیست" in message and "HAMZABAN_DATABASE_URL" in message, message
    assert "HAMZABAN_DATA_DIR" not in message and not missing.exists()
