"""Files the commands write (`--out FILE`, `OUT`): why one could not be written, in Persian.

A script that gives a folder that is not there, or one it may not write in, gets exit status 2
and a sentence (``{"error": …}`` under --json), not a Python traceback. A path among the
installation's own files (``protected``) is never written over: `directory export … hamzaban.db`
turned the live database into a CSV file. A file is written whole or not at all (``write_file``):
a full disk or a stopped command leaves the file that was there, not half of a new one;
``OutputFile`` does it in two steps (written beside, then put in place) for a command that audits
between them, ``StreamOutput`` is standard output in the same shape.
"""
from __future__ import annotations

import errno
import io
import os
import select
import stat
import sys
import tempfile
from pathlib import Path
from typing import NoReturn

import click
from flask import current_app
from flask_babel import gettext as _

from app.extensions import db
from app.services.digits import shown_number
from app.services.exclusive_files import put_new
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
               errno.EISDIR: _("این نام یک پوشه است"), errno.ENAMETOOLONG: _("نام فایل بیش از اندازه بلند است"),
               errno.EDQUOT: _("سهمیهٔ دیسک پر است"), errno.EIO: _("دیسک آن را نگرفت (خطای ورودی و خروجی)"),
               errno.EPIPE: _("خوانندهٔ آن (فرمان پس از «|») پیش از پایان رفت"),
               errno.EFBIG: _("از بزرگ‌ترین اندازه‌ای که این فرایند می‌تواند بنویسد بزرگ‌تر است")}
    return reasons.get(error.errno) or error.strerror or str(error)


def not_written(path: Path | str, error: OSError, written: int = 0, total: int = 0) -> str:
    """The refusal of a file that could not be written: its name and the reason, and how much of it
    went (``written`` of ``total`` bytes) when a stream's reader took part of it. A name taken since
    it was checked, under --no-overwrite (``OutputFile``'s ``no_overwrite``), is that option's refusal."""
    if isinstance(error, FileExistsError):
        return _exists_refusal(path)
    if written:
        return _("فایل «%(path)s» نیمه‌کاره ماند: %(written)s بایت از %(total)s نوشته شد، سپس: %(reason)s",
                 path=shown(path), written=shown_number(written), total=shown_number(total),
                 reason=os_reason(error))
    return _("فایل «%(path)s» نوشته نشد: %(reason)s", path=shown(path), reason=os_reason(error))


def folder_refusal(folder: Path | str) -> str | None:
    """Why no new file can be made in ``folder`` (None: one can), said which: not there (or not a
    folder), a read-only disk, no permission. One message said «not there or not writable» (session
    41's note): a mistyped folder could not be told from a read-only mount. Asked of the system by
    making a file there that no one sees (O_TMPFILE where the system has it), not by os.access."""
    try:
        with tempfile.TemporaryFile(dir=folder):
            return None
    except OSError as error:
        if error.errno in (errno.ENOENT, errno.ENOTDIR) and not os.path.isdir(folder):  # /proc is there (session 46)
            return _("پوشهٔ «%(folder)s» نیست؛ چیزی نوشته نشد.", folder=shown(folder))
        return _("در پوشهٔ «%(folder)s» فایلی نوشته نمی‌شود: %(reason)s؛ چیزی نوشته نشد.", folder=shown(folder),
                 reason=_("سامانه در آن فایل تازه نمی‌سازد") if error.errno == errno.ENOENT else os_reason(error))


def _installation_paths() -> tuple[list[Path], list[Path]]:
    """(folders, files) that hold the installation: the data folder (the database, the secret key,
    stored files), the search index, and the SQLite database with its journal wherever it lies."""
    config = current_app.config
    folders = [Path(config["DATA_DIR"]).resolve(), Path(config["SEARCH_INDEX_DIR"]).resolve()]
    files = []
    url = db.engine.url  # as opened: Flask-SQLAlchemy puts a relative SQLite path in the instance folder
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:" \
            and not url.database.startswith("file:"):
        database = Path(url.database).resolve()
        files = [database, *(database.with_name(database.name + end) for end in ("-wal", "-shm", "-journal"))]
    return folders, files


def protected(path: Path | str) -> str | None:
    """Why a command will not write ``path`` (None: it may): a file of the installation itself —
    the SQLite database or its journal, anything in the search index, or a file already in the
    data folder (the secret key, stored files, a backup). A new file in the data folder may be
    written (nothing is lost)."""
    target = Path(path).resolve()
    folders, files = _installation_paths()
    data_dir, index_dir = folders
    inside = [folder for folder in folders if target == folder or folder in target.parents]
    if target in files or index_dir in inside or (data_dir in inside and target.exists()) or _same_file(target, files):
        return _("«%(path)s» از فایل‌های خود همزبان است (پوشهٔ داده‌ها، پایگاه داده یا نمایهٔ جست‌وجو) و رونویسی "
                 "نمی‌شود؛ خروجی را در پوشهٔ دیگری بنویسید. چیزی نوشته نشد.", path=shown(path))
    return None


def _same_file(target: Path, files: list[Path]) -> bool:
    """Whether ``target`` is one of ``files`` by another name (a hard link)."""
    if not target.exists():
        return False
    for known in files:
        try:
            if known.exists() and os.path.samefile(target, known):
                return True
        except OSError:
            continue
    return False


class OutputFile:
    """``write_file`` in two steps, so a command can audit between them with no transaction open
    while the bytes travel (``directory export``): ``prepare`` writes them into a new file beside
    ``path``, which nobody reads yet (what fails there leaves nothing), and ``deliver`` renames it
    over ``path``; a path written in place (a stream: /dev/stdout, a pipe, a device; a file whose
    folder takes no new file) gets its bytes in ``deliver``. ``discard`` removes what ``prepare``
    left; ``written`` counts the bytes delivered. A symbolic link is written through (the file it
    names is replaced); a file already there keeps its mode, a new one gets the umask's;
    ``private``: readable by its owner only (0600), as `backup` writes; ``no_overwrite``: a file there
    is never replaced, however late it came (exclusive_files.put_new), :raise FileExistsError: instead."""

    def __init__(self, path: Path | str, *, private: bool = False, no_overwrite: bool = False):
        self.path, self.private, self.no_overwrite = path, private, no_overwrite
        self.data = b""
        self.written = 0
        self._target: Path | None = None  # where the prepared copy goes
        self._part: str | None = None  # the prepared copy beside it
        self._in_place: Path | None = None

    def prepare(self, data: bytes) -> None:
        """:raise OSError: as ``open`` would (the copy beside the file is removed)."""
        self.data = data
        if is_stream(self.path):  # asked before realpath: /dev/stdout on a pipe resolves to no path at all
            self._in_place = Path(self.path)
            return
        target = Path(os.path.realpath(self.path))
        try:
            found = target.stat()
        except FileNotFoundError:
            found = None
        if found is not None and not stat.S_ISREG(found.st_mode):
            self._in_place = target
            return
        try:
            descriptor, self._part = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name[:100]}.",
                                                      suffix=".part")
        except PermissionError:
            if found is None:
                raise
            if self.no_overwrite:
                raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(self.path)) from None
            self._in_place = target  # the file may be written, its folder not
            return
        self._target = target
        try:
            with os.fdopen(descriptor, "wb") as handle:
                os.fchmod(handle.fileno(), self._mode(found))
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        except BaseException:
            self.discard()
            raise

    def _mode(self, found: os.stat_result | None) -> int:
        if self.private:
            return 0o600
        if found is not None:
            return stat.S_IMODE(found.st_mode)
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask

    def deliver(self) -> None:
        """The prepared copy renamed over the file (the folder synced: the rename survives a power
        cut), or the bytes written in place. :raise OSError: as ``open`` or ``write`` would."""
        if self._in_place is not None:
            with open(self._in_place, "wb", buffering=0) as handle:
                write_all(handle.fileno(), self.data, self)
            return
        (put_new if self.no_overwrite else os.replace)(self._part, self._target)
        self._part = None
        self.written = len(self.data)
        folder = os.open(self._target.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)

    def discard(self) -> None:
        if self._part is not None:
            Path(self._part).unlink(missing_ok=True)
            self._part = None


class StreamOutput:
    """An open binary stream (standard output) as an ``OutputFile``: nothing to prepare, the bytes
    written by ``deliver``."""

    def __init__(self, stream):
        self.stream = stream
        self.data = b""
        self.written = 0

    def prepare(self, data: bytes) -> None:
        self.data = data

    def deliver(self) -> None:
        """:raise OSError: the reader went away (a broken pipe), a full disk."""
        try:
            descriptor = self.stream.fileno()
        except (OSError, ValueError, io.UnsupportedOperation):  # in memory (the tests' runner): takes it all
            self.stream.write(self.data)
            self.stream.flush()
            self.written = len(self.data)
            return
        self.stream.flush()  # what was written to it before goes first
        write_all(descriptor, self.data, self)

    def discard(self) -> None:
        """Nothing was written before ``deliver``."""


def write_file(path: Path | str, data: bytes, *, private: bool = False, no_overwrite: bool = False) -> None:
    """Write ``data`` to ``path`` whole: into a new file beside it, then renamed over it, so a reader
    never sees half of it and a failure leaves what was there (``OutputFile``). :raise OSError: as
    ``open`` would; FileExistsError: ``no_overwrite`` and a file is there (``not_written`` says so)."""
    output = OutputFile(path, private=private, no_overwrite=no_overwrite)
    output.prepare(data)
    try:
        output.deliver()
    except BaseException:
        output.discard()
        raise


STDIO = "-"  # an output «-»: standard output (an input «-»: standard input)


# The suffixes of the documents the commands write, by format: a name ending in another format's
# suffix is refused (a CSV named .xlsx, a PDF named .xlsx: the program that opens it refuses it).
SUFFIXES = {"csv": (".csv",), "xlsx": (".xlsx",), "pdf": (".pdf",), "json": (".json", ".jsonl")}


def format_mismatch(path: Path | str, fmt: str) -> str | None:
    """Why ``path`` may not hold a document of ``fmt``: its name ends in another format's suffix (or
    the old «.xls»); None when it fits, or ends in no suffix the commands know."""
    suffix = Path(path).suffix
    known = {s for suffixes in SUFFIXES.values() for s in suffixes} | {".xls"}
    if suffix.lower() not in known or suffix.lower() in SUFFIXES.get(fmt, ()):
        return None
    return _("نام فایل «%(path)s» با %(suffix)s پایان می‌یابد اما قالب %(format)s خواسته شد؛ قالب یا نام "
             "فایل را یکی کنید. چیزی نوشته نشد.", path=shown(path), suffix=suffix, format=fmt)


def standard_output(path: Path | str) -> bool:
    """Whether ``path`` names this command's standard output: «-», or «/dev/stdout», «/dev/fd/1»
    (the same file). Written there by ``StreamOutput``, the command's line on standard error: piped,
    the line ended the file (`directory export`, round 9; `report … --out /dev/stdout`, session 39)."""
    if str(path) == STDIO:
        return True
    try:
        here, there = os.fstat(sys.stdout.fileno()), os.stat(path)
    except (OSError, ValueError, io.UnsupportedOperation):
        return False
    return (here.st_dev, here.st_ino) == (there.st_dev, there.st_ino)


def is_terminal(stream) -> bool:
    try:
        return os.isatty(stream.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):
        return False


def stdout_refusal(typed: str, as_json: bool, fmt: str, example: str = "") -> str | None:
    """Why a file of ``fmt`` is not written to standard output, named ``typed`` («-», «/dev/stdout»);
    None: it may be (``example``: a name to write it under instead). With --json the file would be followed by the JSON (a review of the directory
    commands, round 10); a workbook or a PDF is binary, and garbled a terminal (session 36)."""
    if as_json:
        return _("با «%(path)s» خود فایل در خروجی استاندارد نوشته می‌شود و جایی برای JSON نمی‌ماند؛ --json را "
                 "بردارید یا نام فایلی بدهید. چیزی نوشته نشد.", path=shown(typed))
    if fmt in ("xlsx", "pdf") and is_terminal(sys.stdout):
        return _("فایل %(format)s دودویی است و در پایانه خوانا نیست؛ خروجی را به فایلی بفرستید (مانند "
                 "«> %(example)s») یا نام فایلی بدهید. چیزی نوشته نشد.", format=fmt.upper(),
                 example=example or "file." + fmt)
    return None


def write_standard_output(data: bytes) -> str | None:
    """``data`` whole on standard output; the refusal (``not_written``) when its reader went away or
    the disk filled, with how much of it went."""
    output = StreamOutput(sys.stdout.buffer)
    output.prepare(data)
    try:
        output.deliver()
    except OSError as error:
        return not_written(STDIO, error, output.written, len(data))
    return None


def is_stream(path: Path | str) -> bool:
    """Whether ``path`` is there and no regular file or folder: ``/dev/stdout``, a pipe, a terminal
    (written in place; its folder, /dev, need not be writable)."""
    try:
        found = os.stat(path)
    except (OSError, ValueError):
        return False
    return not (stat.S_ISREG(found.st_mode) or stat.S_ISDIR(found.st_mode))


def write_all(descriptor: int, data: bytes, output: OutputFile | StreamOutput) -> None:
    """Every byte of ``data`` to ``descriptor``, counted in ``output.written``. A pipe whose reader goes
    away mid-way ends the write in progress with the count it took, not an error (the next write
    raises EPIPE); standard output's binary layer is unbuffered under PYTHONUNBUFFERED (`python -u`,
    as this machine runs), whose ``write`` returns that short count, and the export said «written»
    (a review of the directory commands). :raise OSError: the reader gone (EPIPE), a full disk."""
    view = memoryview(data)
    while output.written < len(view):
        try:
            count = os.write(descriptor, view[output.written:])
        except BlockingIOError:  # a descriptor left non-blocking by whoever opened it: wait until it takes more
            select.select([], [descriptor], [])
            continue
        if count == 0:  # nothing taken and no error: never loop on it
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        output.written += count


# Writing over a file that is there (session 40's decision): kept, as before. Scripts run by cron
# write the same report every day under the same name, and a refusal would leave yesterday's file
# in place with an exit status a cron line seldom reads. What changed: the line saying the file
# was written says it replaced one, the JSON says so ("replaced": true), and --no-overwrite refuses
# (exit 2, nothing written) for a script that wants the old file kept.
NO_OVERWRITE_OPTION = click.option(
    "--no-overwrite", is_flag=True,
    help="Refuse (exit 2, nothing written) when the output file is there already (default: replace it, and say so).")


def replaces(path: Path | str) -> bool:
    """Whether writing ``path`` replaces a file that is there (a regular file, through a symbolic
    link too; a stream such as /dev/stdout or a pipe is not replaced)."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def overwrite_refusal(path: Path | str, no_overwrite: bool) -> str | None:
    """The refusal of ``--no-overwrite`` when ``path`` is a file already (None: it may be written)."""
    return _exists_refusal(path) if no_overwrite and replaces(path) else None


def _exists_refusal(path: Path | str) -> str:
    return _("فایل «%(path)s» هست و با --no-overwrite رونویسی نمی‌شود؛ نام دیگری بدهید یا --no-overwrite را "
             "بردارید. چیزی نوشته نشد.", path=shown(path))


READER_GONE_EXIT = 128 + 13  # as the shell reports a Unix tool ended by SIGPIPE (`seq 99999 | head -1`)


def stdout_reader_gone(descriptor: int | None = None) -> bool:
    """Whether the pipe on standard output (or ``descriptor``) has lost its reader: a broken pipe met
    elsewhere (a socket, a child's pipe) is no reason to exit quietly (the session's code review).
    On a pipe whose reader closed, poll says POLLERR."""
    try:
        descriptor = sys.stdout.fileno() if descriptor is None else descriptor
        poller = select.poll()
        poller.register(descriptor, select.POLLOUT)
        return any(events & select.POLLERR for _fd, events in poller.poll(0))
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        return False


def reader_gone() -> NoReturn:
    """Standard output's reader went away (`cases list | head -3`): exit quietly, as Unix tools do,
    with the status the shell gives one ended by SIGPIPE (141). Click said nothing and exited 1, as
    a command that failed (the review of the commands, session 40). What is still buffered for the
    pipe goes to /dev/null, so Python's own flush at exit does not print a traceback. Documents
    written to standard output (`directory export -`, `report … --out -`) are not here: they say
    how much of the file went (output_files.write_standard_output)."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):  # no descriptor (the tests' runner)
        pass
    sys.exit(READER_GONE_EXIT)
