"""Writing over a file that is there (session 40's decision): reports and `directory export` keep
replacing it — a cron line rewriting the same file daily goes on working — and now say so (the
line, "replaced" in the JSON); --no-overwrite refuses instead (exit 2, the old file kept).
`report scorecard --json`: refusals as {"error"}, a file written said as the other reports say it."""
from __future__ import annotations

import json
import re

import pytest

PERSIAN = re.compile(r"[\u0600-\u06FF]")


@pytest.fixture
def water(make_agency):
    return make_agency(slug="water", name_fa="آب و فاضلاب")


def _run(app, *args: str, status: int = 0):
    result = app.test_cli_runner().invoke(args=list(args))
    assert result.exit_code == status, result.output
    return result


WRITERS = [
    ("report", "cases", "--period", "1405-09", "--agency", "water", "--format", "xlsx", "--out", "{dir}/r.xlsx"),
    ("report", "media", "--period", "1405-09", "--agency", "water", "--format", "pdf", "--out", "{dir}/r.pdf"),
    ("report", "scorecard", "--period", "1405-09", "--format", "xlsx", "--out", "{dir}/r.xlsx"),
    ("report", "scorecard", "--period", "1405-09", "--out", "{dir}/r.jsonl"),
    ("directory", "export", "--format", "csv", "{dir}/r.csv"),
]


@pytest.mark.parametrize("words", WRITERS, ids=lambda w: "-".join(w[:2]) + "-" + w[-1].rsplit(".")[-1])
def test_a_file_there_is_replaced_and_said_so_or_kept_with_no_overwrite(app, water, tmp_path_factory, words):
    tmp_path = tmp_path_factory.mktemp("out")  # not the data folder, whose files are never written over
    args = [word.format(dir=tmp_path) for word in words]
    target = tmp_path / args[-1].rsplit("/", 1)[-1]
    first = json.loads(_run(app, *args, "--json").stdout)
    assert first["replaced"] is False and target.stat().st_size > 0
    again = json.loads(_run(app, *args, "--json").stdout)
    assert again["replaced"] is True  # a cron line's daily rewrite: still written, exit 0
    if "jsonl" not in args[-1]:  # the scorecard's JSON lines to a file say nothing without --json (as before)
        assert "جای فایلی را گرفت" in _run(app, *args).stdout
    target.write_bytes(b"yesterday's")
    refused = _run(app, *args, "--no-overwrite", "--json", status=2)
    error = json.loads(refused.stdout)["error"]
    assert PERSIAN.search(error) and "--no-overwrite" in error
    assert target.read_bytes() == b"yesterday's"
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]  # no part file left beside it
    text = _run(app, *args, "--no-overwrite", status=2)
    assert text.stdout == "" and "--no-overwrite" in text.stderr
    target.unlink()
    assert json.loads(_run(app, *args, "--no-overwrite", "--json").stdout)["replaced"] is False


def test_the_scorecard_takes_json(app, water, tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("out")
    """`report scorecard` had no --json: a script asking for it was refused as a usage error."""
    lines = _run(app, "report", "scorecard", "--period", "1405-09", "--json").stdout.splitlines()
    assert [json.loads(line)["agency"] for line in lines] == ["water"]  # the same JSON lines as without
    plain = _run(app, "report", "scorecard", "--period", "1405-09").stdout.splitlines()
    assert [json.loads(line).keys() for line in plain] == [json.loads(line).keys() for line in lines]
    for bad in (["--period", "1405-13"], ["--period", "1405-09", "--agency", "nowhere"],
                ["--period", "1405-09", "--format", "doc"]):
        result = _run(app, "report", "scorecard", *bad, "--json", status=2)
        assert PERSIAN.search(json.loads(result.stdout)["error"]) and result.stderr == ""
    written = json.loads(_run(app, "report", "scorecard", "--period", "1405-09", "--format", "pdf",
                              "--out", str(tmp_path / "card.pdf"), "--json").stdout)
    assert written == {"file": str(tmp_path / "card.pdf"), "bytes": (tmp_path / "card.pdf").stat().st_size,
                       "kind": "scorecard", "agency": None, "period": "1405-09", "format": "pdf", "replaced": False}


@pytest.mark.parametrize("words", WRITERS[:3], ids=lambda w: "-".join(w[:2]))
def test_a_reports_line_never_prints_the_terminal_escape_codes_of_its_file_name(app, water, tmp_path_factory, words):
    """`report … --out $'r\\e]0;title\\ay.pdf'` printed the name as given: its escape codes set the
    terminal's title (or «\\e[2J» cleared it); `directory export` leaves them out (output_files.shown),
    the reports now too (a fresh round of bad input, session 41)."""
    tmp_path = tmp_path_factory.mktemp("out")
    args = [word.format(dir=tmp_path) for word in words]
    name = args[-1]
    args[-1] = name[:name.rindex("/") + 1] + "r\x1b]0;title\x07\x1b[2Jy" + name[name.rindex("."):]
    for run in (_run(app, *args).stdout, _run(app, *args).stdout):  # written, then replaced
        assert "\x1b" not in run and "\x07" not in run and "گزارش در" in run, repr(run)


def test_a_reports_byte_count_is_in_the_lines_digits(app, water, tmp_path_factory):
    """«گزارش در … نوشته شد (12345 بایت)»: the one number of a Persian line in ASCII digits, where every
    other line shows the page's (session 41's note); the line on standard error of `--out -` too."""
    tmp_path = tmp_path_factory.mktemp("out")
    for args, said in ((("report", "scorecard", "--period", "1405-09", "--format", "xlsx", "--out",
                         str(tmp_path / "card.xlsx")), "stdout"),
                       (("report", "cases", "--period", "1405-09", "--agency", "water", "--format", "xlsx",
                         "--out", "-"), "stderr")):
        line = getattr(_run(app, *args), said)
        count = re.search(r"\((\S+) بایت\)", line)
        assert count and re.fullmatch(r"[۰-۹]+", count.group(1)), line
