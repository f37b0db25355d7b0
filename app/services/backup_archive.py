"""The backup archive: a gzip'd tar with `manifest.json` first (format, version, database kind,
schema revision, creation time, the sha256 of every member), the database (`database.sqlite3`
or `database.pgdump`) and the data folder's files under `files/`. `write_archive` writes it
readable by its owner only, synced; `unpack` checks it member by member (see app/services/backup.py).
`is_backup_archive` knows one by its content, whatever its name, so a backup leaves earlier ones out.
"""
from __future__ import annotations

import errno
import gzip
import hashlib
import io
import json
import os
import re
import tarfile
import zlib
from pathlib import Path, PurePosixPath

from flask_babel import gettext as _

from app.services import ServiceError

FORMAT = "hamzaban-backup"
VERSION = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database.sqlite3"
PG_MEMBER = "database.pgdump"
FILES = "files/"
# The folders a backup and a restore write in before anything has its name (tempfile's prefix);
# a backup of a data folder that holds one (a backup running beside it) leaves it out.
STAGING_PREFIXES = (".hamzaban-backup-", ".hamzaban-restore-")
_HEAD_BYTES, _HEAD_READS = 64 * 1024, 64  # what is_backup_archive inflates, from at most 1 MiB read
# the manifest's own format, its first key (write_archive): not a note of it inside another file's manifest
_OUR_FORMAT = re.compile(rb'\s*\{\s*"format"\s*:\s*"' + FORMAT.encode() + rb'"')


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_archive(out: Path, manifest: dict, members: dict[str, Path]) -> None:
    """Write the archive to the new file `out` (0600: it holds the secret key and the password
    hashes), synced to the disk. The caller writes it beside its name and then puts it there
    (backup.py: a failed backup never leaves a file that looks whole). :raise FileExistsError: `out`
    is there."""
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        with tarfile.open(fileobj=fh, mode="w:gz") as tar:
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mode = len(data), 0o600
            tar.addfile(info, io.BytesIO(data))
            for name, path in members.items():
                tar.add(path, arcname=name)
        fh.flush()
        os.fsync(fh.fileno())


def is_backup_archive(path: Path) -> bool:
    """True when `path` is a backup archive of ours, by its content whatever its name: gzip'd, its
    first member `manifest.json` naming our format (write_archive puts "format" first). Inflates
    at most _HEAD_BYTES from at most _HEAD_READS reads: a tar header may say its long name or pax
    record is gigabytes long, and tarfile reads it whole (a gzip bomb so named filled the memory
    of every backup); a file it cannot read so is not one."""
    try:
        with path.open("rb") as fh:
            if fh.read(2) != b"\x1f\x8b":
                return False
            fh.seek(0)
            inflate, head = zlib.decompressobj(16 + zlib.MAX_WBITS), b""
            for _ in range(_HEAD_READS):
                chunk = fh.read(16 * 1024)
                if not chunk or inflate.eof or len(head) >= _HEAD_BYTES:
                    break
                head += inflate.decompress(chunk, _HEAD_BYTES - len(head))
            with tarfile.open(fileobj=io.BytesIO(head), mode="r:") as tar:
                first = tar.next()
                if first is None or first.name != MANIFEST or not first.isfile():
                    return False
                head = head[first.offset_data:first.offset_data + min(first.size, 4096)]  # a cut one too
    except (tarfile.TarError, EOFError, zlib.error, OSError):
        return False
    return _OUR_FORMAT.match(head) is not None


def corrupt(detail: str) -> ServiceError:
    return ServiceError(_("فایل پشتیبان خراب است یا پشتیبان همزبان نیست (%(detail)s)؛ چیزی تغییر نکرد.",
                          detail=detail))


def _reason(exc: BaseException) -> str:
    """Why an archive could not be read, in the reader's words (it was Python's English in brackets)."""
    if isinstance(exc, EOFError) or "end of data" in str(exc):
        return _("فایل نیمه‌تمام است و پیش از پایانش بریده شده")
    if isinstance(exc, (zlib.error, gzip.BadGzipFile)):
        return _("فشرده نیست یا فشرده‌سازی‌اش آسیب دیده است")
    if isinstance(exc, (tarfile.TarError, ValueError, AttributeError)):
        return _("ساختار بایگانی آن درست نیست")
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return _("جای خالی دیسک تمام شد")
    return str(exc) or type(exc).__name__


def _member_name_ok(name: str) -> bool:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or "\\" in name:
        return False
    return name in (SQLITE_MEMBER, PG_MEMBER) or (name.startswith(FILES) and len(name) > len(FILES))


def unpack(archive: Path, staging: Path) -> dict:
    """Read and check the archive into `staging`; returns the manifest. Only the members the
    manifest lists are written, each checked against its sha256."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            members = {m.name: m for m in tar.getmembers()}
            found = members.get(MANIFEST)
            if found is None or not found.isfile():
                raise corrupt(_("فهرست پشتیبان در آن نیست"))
            if found.size > 64 << 20:
                raise corrupt(_("فهرست پشتیبان بیش از اندازه بزرگ است"))
            manifest = json.loads(tar.extractfile(found).read())
            if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
                raise corrupt(_("فهرست پشتیبان از همزبان نیست"))
            if manifest.get("version") != VERSION:
                raise ServiceError(_("این پشتیبان با قالب نسخهٔ %(found)s نوشته شده و این نسخهٔ همزبان تنها قالب "
                                     "نسخهٔ %(known)s را می‌خواند؛ چیزی تغییر نکرد.",
                                     found=str(manifest.get("version")), known=str(VERSION)))
            listed = manifest.get("members")
            if not isinstance(listed, dict) or not any(n in listed for n in (SQLITE_MEMBER, PG_MEMBER)):
                raise corrupt(_("پایگاه داده در آن نیست"))
            for name, digest in listed.items():
                member = members.get(name)
                if not _member_name_ok(name) or member is None or not member.isfile():
                    raise corrupt(_("بخش «%(name)s» نیست", name=name))
                target = staging / name
                target.parent.mkdir(parents=True, exist_ok=True)
                hashed = hashlib.sha256()
                with tar.extractfile(member) as src, target.open("wb") as dst:
                    for block in iter(lambda: src.read(1 << 20), b""):
                        hashed.update(block)
                        dst.write(block)
                if hashed.hexdigest() != digest:
                    raise corrupt(_("بخش «%(name)s» آسیب دیده است", name=name))
                target.chmod((member.mode & 0o777) | 0o600)  # as it was (the secret key: 0600)
    except ServiceError:
        raise
    except (tarfile.TarError, EOFError, zlib.error, OSError, ValueError, AttributeError) as exc:
        raise corrupt(_reason(exc)) from None
    return manifest
