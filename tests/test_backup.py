"""`flask --app app backup OUT` / `restore IN` (issue 14, item 7): a round trip that compares every
table row for row, the data folder's files and a search; and every bad input refused with a
Persian message, nothing changed. Runs on SQLite, and on PostgreSQL with
HAMZABAN_TEST_DATABASE_URL (pg_dump / pg_restore of the machine)."""
from __future__ import annotations

import io
import json
import os
import re
import stat
import tarfile
from pathlib import Path

import flask_migrate
import pytest
from sqlalchemy import MetaData, select, text

from app import create_app
from app.extensions import db
from app.services.alerts import create_saved_search
from app.services.indexing import CHECKPOINT_KEY, LEASE_KEY, drain
from app.services.routing import create_rule
from tests.monitor.test_ingest import cli_import
from tests.services.test_alerts import POWER, ROAD, WATER, write_feed

QUERY = "قطعی آب"
# Rows the restore itself writes: its audit entry, and the index rebuild's lease and checkpoint.
RESTORE_BOOKKEEPING = {"settings": {LEASE_KEY, CHECKPOINT_KEY}}


def every_row() -> dict[str, list[tuple]]:
    """Every table of the database as it is (reflected, so alembic_version too), in key order."""
    db.session.remove()
    meta = MetaData()
    meta.reflect(bind=db.engine)
    rows = {}
    with db.engine.connect() as connection:
        for table in meta.sorted_tables:
            order = list(table.primary_key.columns) or list(table.columns)
            rows[table.name] = [tuple(r) for r in connection.execute(select(table).order_by(*order))]
    return rows


def without_restore_bookkeeping(rows: dict) -> dict:
    kept = dict(rows)
    kept["settings"] = [r for r in rows["settings"] if r[0] not in RESTORE_BOOKKEEPING["settings"]]
    return kept


def data_files(folder: Path) -> dict[str, bytes]:
    skip = ("test.db", "hamzaban.db", "search-index")
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.is_symlink() and not p.relative_to(folder).parts[0].startswith(skip)}


def search_ids(app) -> list[int]:
    result = app.test_cli_runner().invoke(args=["search", "query", QUERY, "--json", "--limit", "50"])
    assert result.exit_code == 0, result.output
    return [json.loads(line)["id"] for line in result.stdout.splitlines() if line.strip()]


def is_postgresql(app) -> bool:
    return app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")


def empty_database(app) -> None:
    """Drop every table of the test database (PostgreSQL: the schema; SQLite: the file is new)."""
    if is_postgresql(app):
        db.session.remove()
        with db.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        db.engine.dispose()


def target_app(app, folder: Path):
    """An installation on an empty data folder (and, on PostgreSQL, the same, emptied database)."""
    url = app.config["SQLALCHEMY_DATABASE_URI"] if is_postgresql(app) else f"sqlite:///{folder / 'hamzaban.db'}"
    return create_app({"TESTING": True, "DATA_DIR": str(folder), "SEARCH_INDEX_DIR": str(folder / "search-index"),
                       "SQLALCHEMY_DATABASE_URI": url})


@pytest.fixture
def installation(app, tmp_path, make_agency, make_user):
    """A used installation: feeds imported, items routed and indexed, alerts, files in the data folder."""
    flask_migrate.stamp(directory=app.extensions["migrate"].directory)  # alembic_version, as `init` leaves it
    water = make_agency(slug="water", name_fa="شرکت آب و فاضلاب")
    create_rule(water, "آب", "قطعی آب", actor_label="test")
    user = make_user(role="staff", agency=water, username="ali.rezaei", email="ali@example.ir")
    create_saved_search(user, "آب", QUERY)
    cli_import(app, write_feed(tmp_path, "one", WATER, POWER, ROAD))
    drain()
    data = Path(app.config["DATA_DIR"])
    (data / "secret_key").write_text("the-secret-key-of-this-installation")
    (data / "secret_key").chmod(0o600)
    (data / "exports").mkdir(exist_ok=True)
    (data / "exports" / "export-1.csv").write_text("id,title\n1,قطعی آب\n", "utf-8")
    (data / "uploads" / "2026").mkdir(parents=True)
    (data / "uploads" / "2026" / "evidence.pdf").write_bytes(b"%PDF-1.4 " + bytes(range(256)))
    outside = tmp_path.parent / f"{tmp_path.name}-outside.txt"
    outside.write_text("not part of the installation")
    (data / "link-to-outside").symlink_to(outside)
    return app


def test_round_trip_restores_every_row_every_file_and_the_same_search(installation, tmp_path):
    app = installation
    rows, files, found = every_row(), data_files(Path(app.config["DATA_DIR"])), search_ids(app)
    assert found and rows["alembic_version"] and rows["items"] and rows["notifications"] and rows["item_routes"]
    out = tmp_path / "backups" / "hamzaban.tar.gz"
    out.parent.mkdir()
    result = app.test_cli_runner().invoke(args=["backup", str(out), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["database"] == ("postgresql" if is_postgresql(app) else "sqlite")
    assert summary["files"] == 4  # secret key, export, upload, the feed file; not the symbolic link
    assert stat.S_IMODE(out.stat().st_mode) == 0o600  # it holds the secret key and password hashes
    with tarfile.open(out) as tar:
        names = tar.getnames()
    assert "files/link-to-outside" not in names and not any("search-index" in n for n in names)

    empty_database(app)
    folder = tmp_path / "restored"
    restored = target_app(app, folder)
    with restored.app_context():
        result = restored.test_cli_runner().invoke(args=["restore", str(out), "--json"])
        assert result.exit_code == 0, result.output
        done = json.loads(result.stdout)
        assert done["indexed"] == len(rows["items"]) and done["upgraded"] is False
        after = every_row()
        audit = after["audit_entries"].pop()
        assert "backup.restored" in audit
        assert without_restore_bookkeeping(after) == without_restore_bookkeeping(rows)
        assert data_files(folder) == files
        assert stat.S_IMODE((folder / "secret_key").stat().st_mode) == 0o600
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700  # as `init` makes it (the code review)
        assert search_ids(restored) == found
        db.session.remove()
        db.engine.dispose()


# --- bad inputs: a Persian message, exit 2, nothing changed --------------------------------------


@pytest.fixture
def archive(installation, tmp_path) -> Path:
    out = tmp_path / "good.tar.gz"
    result = installation.test_cli_runner().invoke(args=["backup", str(out)])
    assert result.exit_code == 0, result.output
    return out


def rewrite(source: Path, target: Path, change) -> Path:
    """A copy of the archive with `change(name, data, manifest)` applied to its members."""
    with tarfile.open(source) as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar.getmembers()}
    manifest = json.loads(members["manifest.json"])
    change(members, manifest)
    members["manifest.json"] = json.dumps(manifest).encode()
    with tarfile.open(target, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return target


def tables_and_rows(app) -> dict | None:
    """PostgreSQL: every table of the target database and its row count (None on SQLite)."""
    if not is_postgresql(app):
        return None
    return {name: len(rows) for name, rows in every_row().items()}


def refused(app, folder: Path, archive_path: Path, *fragments: str, persian_only: bool = False) -> None:
    before = sorted(os.listdir(folder)) if folder.exists() else None
    siblings = sorted(os.listdir(folder.parent))
    with app.app_context():
        database = tables_and_rows(app)
        result = app.test_cli_runner().invoke(args=["restore", str(archive_path), "--json"])
        assert result.exit_code == 2, result.output
        message = json.loads(result.stdout)["error"]
        assert any("\u0600" <= ch <= "\u06ff" for ch in message), message
        for fragment in fragments:
            assert fragment in message, message
        # the reason in Persian, not Python's English in brackets (session 42's note: a truncated archive)
        assert not persian_only or not re.search(r"[A-Za-z]", message), message
        assert (sorted(os.listdir(folder)) if folder.exists() else None) == before  # nothing written
        assert sorted(os.listdir(folder.parent)) == siblings  # no staging folder left behind
        assert tables_and_rows(app) == database
        db.session.remove()
        db.engine.dispose()


def test_a_missing_archive(installation, tmp_path):
    empty_database(installation)
    refused(target_app(installation, tmp_path / "restored"), tmp_path / "restored", tmp_path / "no-such.tar.gz",
            "پیدا نشد")


@pytest.mark.parametrize("damage", ["not an archive", "truncated", "truncated in the middle", "no manifest", "member changed",
                                    "member missing", "not ours", "path outside"])
def test_a_damaged_archive(installation, archive, tmp_path, damage):
    bad = tmp_path / "bad.tar.gz"
    if damage == "not an archive":
        bad.write_bytes(b"PK\x03\x04 this is a zip file, not a backup")
    elif damage == "truncated":
        bad.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    elif damage == "truncated in the middle":  # the gzip stream's first blocks only
        bad.write_bytes(archive.read_bytes()[:2000])
    elif damage == "no manifest":
        with tarfile.open(archive) as src, tarfile.open(bad, "w:gz") as dst:
            for member in src.getmembers():
                if member.name != "manifest.json":
                    dst.addfile(member, src.extractfile(member))
    elif damage == "member changed":
        rewrite(archive, bad, lambda m, man: m.update({"files/secret_key": b"another key"}))
    elif damage == "member missing":
        rewrite(archive, bad, lambda m, man: m.pop("files/secret_key"))
    elif damage == "not ours":
        rewrite(archive, bad, lambda m, man: man.update({"format": "something-else"}))
    else:
        def escape(members, manifest):
            members["files/../../escaped.txt"] = b"x"
            manifest["members"]["files/../../escaped.txt"] = "0" * 64
        rewrite(archive, bad, escape)
    empty_database(installation)
    refused(target_app(installation, tmp_path / "restored"), tmp_path / "restored", bad, "خراب",
            persian_only=damage in ("not an archive", "truncated", "truncated in the middle"))
    assert not (tmp_path / "escaped.txt").exists()


def test_an_archive_of_another_format_version(installation, archive, tmp_path):
    bad = rewrite(archive, tmp_path / "v2.tar.gz", lambda m, man: man.update({"version": 2}))
    empty_database(installation)
    refused(target_app(installation, tmp_path / "restored"), tmp_path / "restored", bad, "نسخهٔ")


def test_an_archive_of_a_newer_schema(installation, archive, tmp_path):
    bad = rewrite(archive, tmp_path / "newer.tar.gz", lambda m, man: man.update({"schema_revision": "9999"}))
    empty_database(installation)
    refused(target_app(installation, tmp_path / "restored"), tmp_path / "restored", bad, "تازه‌تری", "9999")


def test_an_archive_of_the_other_database_kind(installation, archive, tmp_path):
    other = "sqlite" if is_postgresql(installation) else "postgresql"
    bad = rewrite(archive, tmp_path / "other.tar.gz", lambda m, man: man.update({"database": other}))
    empty_database(installation)
    refused(target_app(installation, tmp_path / "restored"), tmp_path / "restored", bad, other)


def test_a_data_folder_that_is_not_empty(installation, archive, tmp_path):
    folder = tmp_path / "restored"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine")
    empty_database(installation)
    refused(target_app(installation, folder), folder, archive, "خالی نیست")
    assert (folder / "notes.txt").read_text() == "mine"


def test_a_database_that_is_not_empty(installation, archive, tmp_path):
    """PostgreSQL: the configured database still has the installation's tables."""
    if not is_postgresql(installation):
        pytest.skip("SQLite: the database lives in the data folder, which must be empty")
    db.session.remove()
    refused(target_app(installation, tmp_path / "restored"), tmp_path / "restored", archive, "خالی نیست")


def test_backup_refuses_to_overwrite(installation, archive):
    before = archive.read_bytes()
    result = installation.test_cli_runner().invoke(args=["backup", str(archive), "--json"])
    assert result.exit_code == 2 and "از پیش هست" in json.loads(result.stdout)["error"]
    assert archive.read_bytes() == before


def test_a_database_member_that_is_not_a_database(installation, archive, tmp_path):
    """Its checksum is right (it was written so), but it is no database: SQLite's integrity
    check or pg_restore refuses it, before anything is written."""
    import hashlib

    def garbage(members, manifest):
        name = "database.pgdump" if "database.pgdump" in members else "database.sqlite3"
        members[name] = b"SQLite format 3\x00" + b"\x07" * 4096
        manifest["members"][name] = hashlib.sha256(members[name]).hexdigest()

    bad = rewrite(archive, tmp_path / "garbage.tar.gz", garbage)
    empty_database(installation)
    refused(target_app(installation, tmp_path / "restored"), tmp_path / "restored", bad,
            "pg_restore" if is_postgresql(installation) else "خراب")


def test_a_backup_of_an_older_schema_is_brought_up_to_date(app, tmp_path):
    """A backup taken before the last migration: restored, then upgraded to the head revision."""
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory(app.extensions["migrate"].directory)
    head = scripts.get_revision(scripts.get_current_head())
    empty_database(app)
    (tmp_path / "old").mkdir()
    old = target_app(app, tmp_path / "old")
    with old.app_context():
        flask_migrate.upgrade(directory=old.extensions["migrate"].directory, revision=head.down_revision)
        out = tmp_path / "old.tar.gz"
        result = old.test_cli_runner().invoke(args=["backup", str(out), "--json"])
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["schema_revision"] == head.down_revision
        db.session.remove()
        db.engine.dispose()
    empty_database(app)
    new = target_app(app, tmp_path / "new")
    with new.app_context():
        result = new.test_cli_runner().invoke(args=["restore", str(out), "--json"])
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["upgraded"] is True
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == head.revision
        db.session.remove()
        db.engine.dispose()


def test_a_backup_onto_a_full_disk_is_refused_in_persian_and_leaves_nothing(app, tmp_path):
    """`backup OUT` onto a disk that fills (here the process may write no file past 16 KB, as a full
    disk stops it: SQLite's copy of the database fails with «database or disk is full») ended in a
    traceback, exit 1 (a fresh round of bad input, session 41): exit 2, the Persian reason, and no
    archive, partial file or staging folder left."""
    import os
    import resource
    import subprocess
    import sys

    from tests.conftest import REPO

    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("pg_dump's own failure is said by the service")
    folder = tmp_path / "backups"
    folder.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("HAMZABAN_")}
    env.update(HAMZABAN_DATA_DIR=str(tmp_path), HAMZABAN_DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"])
    for json_option in (["--json"], []):
        done = subprocess.run([sys.executable, "-m", "flask", "--app", "app", "backup", str(folder / "b.tar.gz"),
                               *json_option], cwd=REPO, env=env, capture_output=True, text=True, timeout=120,
                              preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (16384, 16384)))
        assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
        said = json.loads(done.stdout)["error"] if json_option else done.stderr
        # SQLite says a write past the limit is an I/O error (a full disk: «database or disk is full»)
        assert "نوشته نشد" in said and ("دیسک" in said or "بزرگ‌تر" in said) and "error" not in said, said
        if not json_option:
            assert said.startswith("خطا: ")
        assert list(folder.iterdir()) == []


def test_backups_racing_for_one_name_write_it_once_and_say_it_in_persian(app, tmp_path_factory):
    """`backup OUT` checked that OUT was not there, then renamed its archive over it (session 41's
    note): backups started together at one name all passed the check and all wrote (through one
    «OUT.partial», each truncating the others'), exit 0 each. The name is now taken with a hard
    link: one writes, the others are refused as a file already there, and the archive is whole.
    Its line was English («backup written to …»): Persian now, its numbers in Persian digits."""
    from app.services.backup import backup
    from tests.test_cli_no_overwrite_race import run_together

    folder = tmp_path_factory.mktemp("backups")  # outside the data folder (its files are backed up)
    out = folder / "b.tar.gz"
    threads = 4
    outcomes = run_together(app, threads, lambda n: backup(out).bytes)
    written = [outcome for outcome in outcomes.values() if isinstance(outcome, int)]
    assert len(outcomes) == threads and len(written) == 1, outcomes
    assert all(isinstance(o, str) and "از پیش هست" in o for o in outcomes.values() if o is not written[0]), outcomes
    assert out.stat().st_size == written[0] and stat.S_IMODE(out.stat().st_mode) == 0o600
    with tarfile.open(out) as tar:
        assert tar.getnames()[0] == "manifest.json"
    assert [p.name for p in folder.iterdir()] == ["b.tar.gz"]  # no partial archive, no staging folder
    result = app.test_cli_runner().invoke(args=["backup", str(folder / "c.tar.gz")])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("پشتیبان در ") and "written" not in result.stdout, result.stdout
    assert f"{(folder / 'c.tar.gz').stat().st_size:,}".replace(",", "") not in result.stdout  # Persian digits


@pytest.mark.one_database  # refused by the name typed, before the service reads the database (app/cli/backup.py)
@pytest.mark.parametrize("typed, says", [("-", "خروجی استاندارد"), ("/dev/stdout", "خروجی استاندارد"),
                                         ("", "نام فایل"), ("{here}", "پوشه است")])
def test_a_backup_to_no_file_is_refused_in_persian(app, tmp_path_factory, monkeypatch, typed, says):
    """Session 42's hostile round: «backup -» wrote the secret key and the password hashes into a file
    named «-» (elsewhere «-» is standard output), exit 0; «backup ""» said the current folder was a
    file already there; «backup /tmp» kept click's English «File '/tmp' is a directory.»; and
    «backup /dev/stdout» said its folder was not there. Each is refused in Persian, nothing written."""
    here = tmp_path_factory.mktemp("here")
    monkeypatch.chdir(here)
    result = app.test_cli_runner().invoke(args=["backup", typed.format(here=here), "--json"])
    assert result.exit_code == 2, result.output
    error = json.loads(result.stdout)["error"]
    assert says in error and "File '" not in error and "از پیش هست" not in error, error
    assert list(here.iterdir()) == []


@pytest.mark.one_database  # refused by the name typed, before the service reads the database (app/cli/backup.py)
@pytest.mark.parametrize("typed, says", [("", "نام فایل"), ("{here}", "پوشه است")])
def test_a_restore_from_no_file_is_refused_in_persian(app, tmp_path_factory, typed, says):
    """As `backup`: «restore /tmp» kept click's English «File '/tmp' is a directory.», «restore ""»
    looked for a backup named «.» (session 42's hostile round)."""
    here = tmp_path_factory.mktemp("here")
    result = app.test_cli_runner().invoke(args=["restore", typed.format(here=here), "--json"])
    assert result.exit_code == 2, result.output
    error = json.loads(result.stdout)["error"]
    assert says in error and "File '" not in error and "«.»" not in error, error
