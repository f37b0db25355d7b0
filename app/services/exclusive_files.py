"""A file put under a name only if no file has that name at that instant: what `--no-overwrite`
and `backup` (which never writes over a file) need. Checking that the name is free and then
renaming the copy into place let two commands started together both pass the check and both
write, the second over the first (session 40's note for --no-overwrite, session 41's for backup).
"""
from __future__ import annotations

import contextlib
import errno
import os
from pathlib import Path

# link() on a filesystem that has no hard links (some network and FAT mounts, FUSE).
NO_HARD_LINKS = (errno.EPERM, errno.EOPNOTSUPP, errno.EMLINK, errno.ENOSYS)


def put_new(part: str | os.PathLike, target: str | os.PathLike) -> None:
    """Give the written copy ``part`` the name ``target``, refused when the name is taken: a hard link,
    which the system refuses (EEXIST) when the name exists at that instant, then ``part`` removed.
    Without hard links: the name taken with O_EXCL, the copy renamed over it; a rename that fails
    there takes the empty placeholder away again (it was left under the name, and the next
    --no-overwrite refused it as a file already there). ``part`` is in ``target``'s folder.
    :raise FileExistsError: the name is taken; OSError: as link or rename would."""
    try:
        os.link(part, target)
    except OSError as error:
        if isinstance(error, FileExistsError) or error.errno not in NO_HARD_LINKS:
            raise
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
