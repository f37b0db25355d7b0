"""Command lines as scripts write them (session 40's note): a flag given a value under --json, and
a listing read by `head`, which closes the pipe before the end."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from tests.services import case_fixtures

desk = case_fixtures.desk
PERSIAN = re.compile(r"[\u0600-\u06FF]")


@pytest.mark.one_database  # click refuses the line before the command runs: no database
@pytest.mark.parametrize("args", [
    ["cases", "list", "--json=yes"],
    ["contacts", "lapsed", "--agency", "water", "--json=1"],
    ["directory", "export", "--json=true", "-"],
    ["cases", "bogus", "--json=yes"],
])
def test_a_json_flag_given_a_value_is_refused_as_json(app, args):
    """«--json=yes»: click's «does not take a value» was said as text on standard error; the
    command line asked for JSON, so the refusal is JSON on standard output (exit 2)."""
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 2, result.output
    [line] = result.stdout.splitlines()
    error = json.loads(line)["error"]
    assert PERSIAN.search(error), error
    assert "--json" in error or "bogus" in error


@pytest.mark.one_database
def test_a_listing_read_by_head_exits_quietly(app, desk, tmp_path):
    """`cases list | head -1` exited 1 (click's answer to EPIPE), as a failed command; now quietly
    with the status a Unix tool ended by SIGPIPE gets (141), and no traceback."""
    from tests.conftest import REPO

    for _ in range(3):
        desk.open("assigned")
    env = {k: v for k, v in os.environ.items() if not k.startswith("HAMZABAN_")}
    env.update(HAMZABAN_DATA_DIR=str(tmp_path), HAMZABAN_DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"])
    for words in (["cases", "list", "--json"],):  # one run: a process start is some 2.5 s
        # The pipe is closed before the command writes: its first line meets no reader.
        reader, writer = os.pipe()
        os.close(reader)
        done = subprocess.run([sys.executable, "-m", "flask", "--app", "app", *words], cwd=REPO, env=env,
                              stdout=writer, stderr=subprocess.PIPE, timeout=120)
        os.close(writer)
        assert done.returncode == 141, done.stderr.decode()
        assert done.stderr == b"", done.stderr.decode()


def test_only_a_pipe_without_its_reader_counts_as_the_reader_gone():
    """A broken pipe elsewhere (a socket, a child's pipe) is a failure to show, not `| head` closing
    standard output (the session's code review: every BrokenPipeError exited quietly with 141)."""
    from app.cli.output_files import stdout_reader_gone

    reader, writer = os.pipe()
    try:
        assert not stdout_reader_gone(writer)  # its reader is still there
        os.close(reader)
        reader = None
        assert stdout_reader_gone(writer)
    finally:
        os.close(writer)
        if reader is not None:
            os.close(reader)
    with open(os.devnull, "w") as null:  # not a pipe at all
        assert not stdout_reader_gone(null.fileno())
