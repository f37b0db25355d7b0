"""Files the commands write are written whole or not at all (app/cli/output_files.py)."""
from __future__ import annotations

import errno
import os
import stat
import threading

import pytest

from app.cli.output_files import write_file
from app.services import exclusive_files


def test_a_file_is_replaced_whole_and_nothing_is_left_beside_it(tmp_path):
    out = tmp_path / "scorecard.json"
    out.write_bytes(b"last month's report")
    write_file(out, b"this month's report")
    assert out.read_bytes() == b"this month's report"
    assert [p.name for p in tmp_path.iterdir()] == ["scorecard.json"]  # no «.scorecard.json.….part»
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~umask  # as a plain open() would make it
    write_file(out, b"phones", private=True)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_a_write_that_fails_midway_leaves_the_file_that_was_there(tmp_path):
    """What a full disk or a stopped command did: the old report cut to nothing, half a new one."""
    out = tmp_path / "directory.csv"
    out.write_bytes(b"yesterday's export")
    with pytest.raises(TypeError):
        write_file(out, "not bytes: the write itself fails")  # type: ignore[arg-type]
    assert out.read_bytes() == b"yesterday's export"
    assert [p.name for p in tmp_path.iterdir()] == ["directory.csv"]


def test_a_link_is_written_through_and_a_files_mode_is_kept(tmp_path):
    """A diff review: a symbolic link was replaced by a file, and an existing file's mode lost."""
    real = tmp_path / "reports" / "scorecard.json"
    real.parent.mkdir()
    real.write_bytes(b"old")
    real.chmod(0o640)
    link = tmp_path / "latest.json"
    link.symlink_to(real)
    write_file(link, b"new")
    assert link.is_symlink() and real.read_bytes() == b"new"
    assert stat.S_IMODE(real.stat().st_mode) == 0o640


def test_a_path_that_is_no_regular_file_is_written_in_place(tmp_path):
    """`--out /dev/stdout` or a pipe: there is nothing to rename over."""
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    got = []
    reader = threading.Thread(target=lambda: got.append(pipe.read_bytes()))
    reader.start()
    write_file(pipe, b"<?xml opml?>")
    reader.join(10)
    assert got == [b"<?xml opml?>"] and stat.S_ISFIFO(pipe.stat().st_mode)


@pytest.mark.parametrize("no_links", [errno.EPERM, errno.EOPNOTSUPP])
def test_no_overwrite_on_a_filesystem_without_hard_links(tmp_path, monkeypatch, no_links):
    """--no-overwrite takes the name with a hard link (session 41); a filesystem without them (some
    network and FAT mounts: link() fails EPERM or EOPNOTSUPP) takes it with O_EXCL, then renames the
    copy over it. Untested until session 42: written once, refused the second time, nothing beside it;
    and a rename that fails there left an empty file under the name, which the next --no-overwrite
    refused as a file already there."""
    def no_hard_links(*args, **kwargs):
        raise OSError(no_links, os.strerror(no_links))

    monkeypatch.setattr(os, "link", no_hard_links)
    out = tmp_path / "card.pdf"
    write_file(out, b"first", no_overwrite=True)
    with pytest.raises(FileExistsError):
        write_file(out, b"second", no_overwrite=True)
    assert out.read_bytes() == b"first" and [p.name for p in tmp_path.iterdir()] == ["card.pdf"]

    def rename_fails(*args, **kwargs):
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    # Where the kernel has no RENAME_NOREPLACE either (session 43: it takes the name when it has)
    monkeypatch.setattr(exclusive_files, "_RENAMEAT2", None)
    monkeypatch.setattr(os, "replace", rename_fails)
    other = tmp_path / "other.pdf"
    with pytest.raises(OSError) as raised:
        write_file(other, b"lost", no_overwrite=True)
    assert raised.value.errno == errno.EIO
    assert [p.name for p in tmp_path.iterdir()] == ["card.pdf"]  # no empty «other.pdf», no copy beside it
