"""Backup and restore of an installation: the database and the files of the data folder.

A backup is one gzip'd tar archive:

    manifest.json         format, version, database kind, schema revision, sha256 of every member
    database.sqlite3      SQLite: a copy taken with SQLite's online backup API (consistent while
                          the web server and the worker write), rollback-journal mode
    database.pgdump       PostgreSQL: `pg_dump --format=custom` (one consistent snapshot)
    files/…               every regular file of the data folder: the secret key, search exports,
                          anything uploaded; not the database files, not the search index
                          (`search rebuild` writes it again from the database), no symbolic link,
                          no backup archive (known by its manifest, whatever its name: a folder that
                          keeps its backups would hold every earlier one again) and no staging
                          folder of a backup or restore running beside it (`.hamzaban-backup-…`)

The archive holds the secret key and the password hashes: it is written readable by its owner
only (0600) and must be kept like the database itself.

Restore checks everything before it changes anything: the archive opens, the manifest is one of
ours and of a version this code reads, every member has its checksum, the SQLite copy passes
`PRAGMA integrity_check`, the data folder is empty (or missing) and, on PostgreSQL, the database
has no table. Then it restores the database (PostgreSQL: `pg_restore --single-transaction`),
moves the files in, brings the schema up to date (Alembic), records an audit entry and rebuilds
the search index. Every refusal raises ServiceError with a Persian message.
"""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url

from app.clock import utcnow
from app.extensions import db
from app.leases import release_every_lease
from app.services import ServiceError
from app.services.audit import record
from app.services.backup_archive import (
    FILES,
    FORMAT,
    PG_MEMBER,
    SQLITE_MEMBER,
    STAGING_PREFIXES,
    VERSION,
    corrupt,
    is_backup_archive,
    sha256,
    unpack,
    write_archive,
)
from app.services.digits import shown_number
from app.services.exclusive_files import put_new

SQLITE_SIDE_FILES = ("", "-wal", "-shm", "-journal")
PG_TIMEOUT_SECONDS = 3600


@dataclass
class BackupSummary:
    path: str
    database: str
    files: int
    bytes: int
    schema_revision: str | None


@dataclass
class RestoreSummary:
    database: str
    files: int
    created_at: str
    schema_revision: str | None
    upgraded: bool


# --- where things are -------------------------------------------------------------------------

def _kind(url: str) -> str:
    backend = make_url(url).get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise ServiceError(_("پشتیبان‌گیری تنها برای SQLite و PostgreSQL است (پایگاه داده: %(kind)s).",
                             kind=backend))
    return backend


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        raise ServiceError(_("پایگاه دادهٔ SQLite در حافظه است و فایلی برای پشتیبان ندارد."))
    return Path(database).resolve()


def _excluded(config, out: Path | None = None) -> set[Path]:
    """Paths of the data folder a backup leaves out: the database, the search index, the archive."""
    paths = {Path(config["SEARCH_INDEX_DIR"]).resolve()}
    if _kind(config["SQLALCHEMY_DATABASE_URI"]) == "sqlite":
        base = str(_sqlite_path(config["SQLALCHEMY_DATABASE_URI"]))
        paths |= {Path(base + side) for side in SQLITE_SIDE_FILES}
    if out is not None:
        paths.add(out)
    return paths


def _data_files(data_dir: Path, excluded: set[Path]) -> list[Path]:
    """Regular files of the data folder, outside the excluded paths; symbolic links are skipped
    (a link could point anywhere on the machine), and so are backup archives (an earlier backup
    kept in the data folder was in every later one, each archive holding all the ones before it)
    and the staging folders of backups and restores running beside this one."""
    found = []
    for root, dirs, names in os.walk(data_dir):
        here = Path(root)
        dirs[:] = sorted(d for d in dirs if not (here / d).is_symlink() and not d.startswith(STAGING_PREFIXES)
                         and (here / d).resolve() not in excluded)
        for name in sorted(names):
            path = here / name
            if path.is_symlink() or not path.is_file() or path.resolve() in excluded or is_backup_archive(path):
                continue
            found.append(path)
    return found


def _conninfo(params: dict) -> str:
    """A libpq connection string: each value quoted, backslash and quote escaped."""
    def quote(value) -> str:
        return "'" + str(value).replace("\\", "\\\\").replace("'", "\\'") + "'"

    return " ".join(f"{key}={quote(value)}" for key, value in params.items() if value not in (None, ""))


def _pg_command(tool: str, url: str) -> tuple[list[str], dict]:
    """The start of a pg_dump/pg_restore command line for `url`, and its environment (the
    password goes in PGPASSWORD, never on the command line where `ps` shows it)."""
    program = shutil.which(tool)
    if program is None:
        raise ServiceError(_("برنامهٔ %(tool)s روی این دستگاه نیست؛ بستهٔ postgresql-client (هم‌نسخهٔ سرور "
                             "PostgreSQL) را نصب کنید.", tool=tool))
    parsed = make_url(url)
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    params = {"host": parsed.host, "port": parsed.port, "user": parsed.username, "dbname": parsed.database,
              **{k: v for k, v in parsed.query.items() if isinstance(v, str)}}
    return [program, "--dbname", _conninfo(params)], env


def _run(command: list[str], env: dict, what: str) -> None:
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=PG_TIMEOUT_SECONDS,
                              check=False)
    except subprocess.TimeoutExpired:
        raise ServiceError(_("%(what)s در زمان مقرر به پایان نرسید.", what=what)) from None
    if done.returncode != 0:
        raise ServiceError(_("%(what)s ناموفق بود: %(detail)s", what=what,
                             detail=(done.stderr or done.stdout).strip()[-2000:]))


def _schema_revision(connection) -> str | None:
    if "alembic_version" not in inspect(connection).get_table_names():
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


# --- backup -----------------------------------------------------------------------------------

def _copy_sqlite(source: Path, target: Path) -> str | None:
    """A consistent copy of a live SQLite database (the online backup API); its schema revision."""
    if not source.is_file():
        raise ServiceError(_("پایگاه دادهٔ SQLite در «%(path)s» نیست.", path=str(source)))
    src, dst = sqlite3.connect(str(source)), sqlite3.connect(str(target))
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file in the archive
        has_version = dst.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'")
        row = dst.execute("SELECT version_num FROM alembic_version").fetchone() if has_version.fetchone() else None
    finally:
        src.close()
        dst.close()
    return row[0] if row else None


def backup(out: str | os.PathLike) -> BackupSummary:
    """Write a backup archive of the database and the data folder's files to `out` (a new file).

    :raise ServiceError: `out` exists or its folder does not, the database cannot be read, or
        pg_dump is missing or fails. Nothing is left behind on failure.
    """
    config = current_app.config
    out = Path(out).resolve()
    if out.exists():
        raise ServiceError(_("فایل «%(path)s» از پیش هست؛ برای پشتیبان نام تازه‌ای بدهید.", path=str(out)))
    if not out.parent.is_dir():
        raise ServiceError(_("پوشهٔ «%(path)s» نیست.", path=str(out.parent)))
    url = config["SQLALCHEMY_DATABASE_URI"]
    kind = _kind(url)
    data_dir = Path(config["DATA_DIR"]).resolve()
    with tempfile.TemporaryDirectory(prefix=STAGING_PREFIXES[0], dir=out.parent) as staging_name:
        staging = Path(staging_name)
        if kind == "sqlite":
            database = SQLITE_MEMBER
            revision = _copy_sqlite(_sqlite_path(url), staging / database)
        else:
            database = PG_MEMBER
            with db.engine.connect() as connection:
                revision = _schema_revision(connection)
            command, env = _pg_command("pg_dump", url)
            _run(command + ["--format=custom", "--no-owner", "--no-privileges", "--file", str(staging / database)],
                 env, "pg_dump")
        members = {database: staging / database}
        excluded = _excluded(config, out) | {staging.resolve()}
        for path in _data_files(data_dir, excluded) if data_dir.is_dir() else []:
            name = FILES + path.relative_to(data_dir).as_posix()
            copy = staging / name
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, copy)
            members[name] = copy
        manifest = {"format": FORMAT, "version": VERSION, "database": kind, "schema_revision": revision,
                    "created_at": utcnow().isoformat(timespec="seconds"),
                    "members": {name: sha256(path) for name, path in members.items()}}
        # Written in the staging folder (removed whatever happens), then given its name only if no
        # file has it at that instant: checked, then renamed over it, backups started together at
        # one name all wrote, exit 0 each (session 41's note).
        archive = staging / "archive.tar.gz"
        write_archive(archive, manifest, members)
        try:
            put_new(archive, out)
        except FileExistsError:
            raise ServiceError(_("فایل «%(path)s» از پیش هست؛ برای پشتیبان نام تازه‌ای بدهید.", path=str(out))) from None
        _sync_folder(out.parent)
    return BackupSummary(path=str(out), database=kind, files=len(members) - 1, bytes=out.stat().st_size,
                         schema_revision=revision)


def _sync_folder(folder: Path) -> None:
    """The archive's new name on the disk (a power cut right after the backup keeps it)."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


# --- restore ----------------------------------------------------------------------------------

def _require_empty_target(data_dir: Path, kind: str, url: str) -> None:
    if data_dir.exists() and (not data_dir.is_dir() or any(data_dir.iterdir())):
        raise ServiceError(_("پوشهٔ دادهٔ «%(path)s» خالی نیست؛ بازگردانی تنها در پوشهٔ دادهٔ خالی (یا نبوده) انجام "
                             "می‌شود تا چیزی از دست نرود. HAMZABAN_DATA_DIR را به پوشه‌ای تازه بدهید.",
                             path=str(data_dir)))
    if kind == "sqlite":
        target = _sqlite_path(url)
        if target.exists() and target.stat().st_size:
            raise ServiceError(_("پایگاه دادهٔ «%(path)s» از پیش هست؛ بازگردانی تنها در پایگاه دادهٔ تازه انجام "
                                 "می‌شود.", path=str(target)))
        return
    with db.engine.connect() as connection:
        tables = inspect(connection).get_table_names()
    db.engine.dispose()
    if tables:
        raise ServiceError(_("پایگاه دادهٔ PostgreSQL خالی نیست (%(count)s جدول دارد)؛ بازگردانی تنها در پایگاه "
                             "دادهٔ تازه انجام می‌شود.", count=shown_number(len(tables))))


def _check_revision(revision: str | None) -> bool:
    """True when the schema must be brought up to date after the restore; refuses a revision this
    code does not know (a backup of a newer Hamzaban)."""
    if revision is None:
        return False
    from alembic.script import ScriptDirectory  # here, not at every command's start (app/extensions.py)
    from alembic.util import CommandError

    scripts = ScriptDirectory(current_app.extensions["migrate"].directory)
    try:
        known = scripts.get_revision(revision)
    except (CommandError, KeyError, ValueError):
        known = None
    if known is None:
        raise ServiceError(_("این پشتیبان از نسخهٔ تازه‌تری از همزبان است (شمای %(revision)s را این نسخه "
                             "نمی‌شناسد)؛ نخست همزبان را به‌روز کنید. چیزی تغییر نکرد.", revision=revision))
    return revision not in scripts.get_heads()


def _check_sqlite(path: Path) -> None:
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
            verdict = connection.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise corrupt(str(exc)) from None
    if verdict != "ok":
        raise corrupt(verdict)


def restore(archive: str | os.PathLike) -> RestoreSummary:
    """Restore a backup archive onto an empty data folder (and an empty database).

    Everything is checked before anything changes (see the module doc); the search index is not
    in the archive: rebuild it afterwards (`flask --app app restore` does).
    :raise ServiceError: the archive is missing, damaged, of another version or of another
        database kind, the data folder or the database is not empty, pg_restore fails.
    """
    config = current_app.config
    archive = Path(archive)
    if not archive.is_file():
        raise ServiceError(_("فایل پشتیبان «%(path)s» پیدا نشد.", path=str(archive)))
    url = config["SQLALCHEMY_DATABASE_URI"]
    kind = _kind(url)
    data_dir = Path(config["DATA_DIR"]).resolve()
    _require_empty_target(data_dir, kind, url)
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=STAGING_PREFIXES[1], dir=data_dir.parent) as staging_name:
        staging = Path(staging_name)
        manifest = unpack(archive, staging)
        if manifest.get("database") != kind:
            raise ServiceError(_("این پشتیبان از پایگاه دادهٔ %(found)s است و این نصب %(kind)s دارد؛ چیزی تغییر "
                                 "نکرد.", found=str(manifest.get("database")), kind=kind))
        revision = manifest.get("schema_revision")
        upgrade_needed = _check_revision(revision)
        files = [name for name in manifest["members"] if name.startswith(FILES)]
        if kind == "sqlite":
            _check_sqlite(staging / SQLITE_MEMBER)
        else:
            command, env = _pg_command("pg_restore", url)
            _run(command + ["--single-transaction", "--exit-on-error", "--no-owner", "--no-privileges",
                            str(staging / PG_MEMBER)], env, "pg_restore")
        data_dir.mkdir(mode=0o700, exist_ok=True)  # as `init` makes it: the database holds password hashes
        for name in files:
            target = data_dir / name[len(FILES):]
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(staging / name, target)
        if kind == "sqlite":
            target = _sqlite_path(url)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(staging / SQLITE_MEMBER, target)
    db.engine.dispose()  # new connections open the restored database
    if upgrade_needed:
        import flask_migrate

        flask_migrate.upgrade(directory=current_app.extensions["migrate"].directory)
    release_every_lease()
    record("backup.restored", actor_label="cli", created_at=manifest.get("created_at"), schema_revision=revision,
           files=len(files))
    db.session.commit()
    return RestoreSummary(database=kind, files=len(files), created_at=str(manifest.get("created_at")),
                          schema_revision=revision, upgraded=upgrade_needed)
