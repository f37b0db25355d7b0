"""A file put under a name only if no file has that name at that instant: what `--no-overwrite`
and `backup` (which never writes over a file) need. Checking that the name is free and then
renaming the copy into place let two commands started together both pass the check and both
write, the second over the first (session 40's note for --no-overwrite, session 41's for backup).
"""
from __future__ import annotations

import contextlib
import ctypes
import errno
import os
from pathlib import Path

# link() on a filesystem that has no hard links (some network and FAT mounts, FUSE).
NO_HARD_LINKS = (errno.EPERM, errno.EOPNOTSUPP, errno.EMLINK, errno.ENOSYS)
# renameat2() where the kernel (before 3.15), the C library or the filesystem has no RENAME_NOREPLACE.
NO_NOREPLACE = (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP)
AT_FDCWD, RENAME_NOREPLACE = -100, 1


def _renameat2():
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2  # glibc 2.28+
    except (AttributeError, OSError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    return function


_RENAMEAT2 = _renameat2()


def rename_no_replace(part: str | os.PathLike, target: str | os.PathLike) -> bool:
    """Rename ``part`` to ``target`` unless ``target`` exists, in one step of the kernel: False when the
    system cannot (no renameat2, no RENAME_NOREPLACE there). :raise FileExistsError: the name is
    taken; OSError: as rename would."""
    if _RENAMEAT2 is None:
        return False
    if _RENAMEAT2(AT_FDCWD, os.fsencode(part), AT_FDCWD, os.fsencode(target), RENAME_NOREPLACE) == 0:
        return True
    code = ctypes.get_errno()
    if code in NO_NOREPLACE:
        return False
    raise OSError(code, os.strerror(code), os.fspath(target)) if code != errno.EEXIST else \
        FileExistsError(code, os.strerror(code), os.fspath(target))


def put_new(part: str | os.PathLike, target: str | os.PathLike) -> None:
    """Give the written copy ``part`` the name ``target``, refused when the name is taken: a hard link,
    which the system refuses (EEXIST) when the name exists at that instant, then ``part`` removed.
    Without hard links: a rename the kernel refuses when the name exists (``rename_no_replace``);
    only where that is missing too, the name taken with O_EXCL and the copy renamed over it (a
    rename that fails there takes the empty placeholder away again; a process killed between the
    two leaves it, which the kernel's rename never does: session 43). ``part`` is in ``target``'s folder.
    :raise FileExistsError: the name is taken; OSError: as link or rename would."""
    try:
        os.link(part, target)
    except OSError as error:
        if isinstance(error, FileExistsError) or error.errno not in NO_HARD_LINKS:
            raise
        if not rename_no_replace(part, target):
            _put_new_without_links(part, Path(target))
        return
    os.unlink(part)


def _put_new_without_links(part: str | os.PathLike, target: Path) -> None:
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        placeholder = os.fstat(descriptor)
    finally:
        os.close(descriptor)
    try:
        os.replace(part, target)
    except BaseException:
        with contextlib.suppress(OSError):  # the rename's error is the one said
            found = os.stat(target)
            if (found.st_dev, found.st_ino) == (placeholder.st_dev, placeholder.st_ino) and not found.st_size:
                os.unlink(target)  # ours, still empty: nobody else's file is taken away
        raise
