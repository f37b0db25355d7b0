"""--no-overwrite on a filesystem without hard links leaves no empty file behind (session 43).

Without hard links (some network, FAT and FUSE mounts: link() fails EPERM or EOPNOTSUPP) the name
was taken by creating an empty placeholder with O_EXCL, then the written copy was renamed over it.
A writer killed between the two (SIGKILL, the machine stopped) left the empty file under the name:
a «report.pdf» of 0 bytes, and every later --no-overwrite refused the name as taken. The name is now
taken by the rename itself, refused by the kernel when the name exists (renameat2 with
RENAME_NOREPLACE): no placeholder, nothing to leave. The placeholder stays only where the kernel or
the filesystem has no such rename.
"""
from __future__ import annotations

import errno
import os
import subprocess
import sys
import textwrap

import pytest

from app.services import exclusive_files
from app.services.exclusive_files import put_new

# A real process: link() fails as without hard links, and the process is killed (SIGKILL) at the
# first plain rename it makes, which the placeholder's way needs and the kernel's way does not.
WRITER = textwrap.dedent("""
    import errno, os, signal, sys
    from app.services.exclusive_files import put_new

    def no_hard_links(*args, **kwargs):
        raise OSError(errno.EPERM, os.strerror(errno.EPERM))

    def killed(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGKILL)

    os.link = no_hard_links
    os.replace = os.rename = killed
    part = sys.argv[1] + ".part"
    with open(part, "wb") as handle:
        handle.write(b"%PDF whole report")
    put_new(part, sys.argv[1])  # as write_file(..., no_overwrite=True) delivers its copy
""")


def test_a_writer_killed_leaves_no_empty_file_under_the_name(tmp_path):
    out = tmp_path / "report.pdf"
    done = subprocess.run([sys.executable, "-c", WRITER, str(out)], cwd=os.getcwd(), capture_output=True,
                          timeout=60)
    assert not (out.exists() and out.stat().st_size == 0), "an empty placeholder was left under the name"
    assert done.returncode == 0, done.stderr.decode()
    assert out.read_bytes() == b"%PDF whole report" and [p.name for p in tmp_path.iterdir()] == ["report.pdf"]


@pytest.mark.parametrize("renameat2", [True, False], ids=["kernel-rename", "placeholder"])
def test_the_name_taken_is_still_refused_without_hard_links(tmp_path, monkeypatch, renameat2):
    """Refused with the kernel's rename, and (where it is missing too) with the O_EXCL placeholder."""
    def no_hard_links(*args, **kwargs):
        raise OSError(errno.EOPNOTSUPP, os.strerror(errno.EOPNOTSUPP))

    monkeypatch.setattr(os, "link", no_hard_links)
    if not renameat2:
        monkeypatch.setattr(exclusive_files, "_RENAMEAT2", None)
    first, second, out = tmp_path / "a.part", tmp_path / "b.part", tmp_path / "card.csv"
    first.write_bytes(b"first")
    second.write_bytes(b"second")
    put_new(first, out)
    with pytest.raises(FileExistsError):
        put_new(second, out)
    assert out.read_bytes() == b"first" and second.read_bytes() == b"second"
