"""A command line that click cannot parse (a missing option or argument, an unknown option, a value
that is not one of the choices, extra words, an unknown command) is refused in Persian with exit
status 2, as a command's own refusals are, and as ``{"error": …}`` on standard output when the
command takes --json: a script that asked for JSON gets JSON (app/cli/usage.py)."""
from __future__ import annotations

import json
import os
import re

import pytest

PERSIAN = re.compile(r"[\u0600-\u06FF]")

BAD_LINES = {
    "a missing argument": (["cases", "move", "--to", "accepted", "--by", "admin", "--json"], "«REF»"),
    "a missing option": (["directory", "export", "out.csv", "--json"], "«--format»"),
    "an unknown option": (["contacts", "stats", "--bogus", "--json"], "«--bogus»"),
    "a value not among the choices": (["directory", "export", "--format", "pdf", "out.pdf", "--json"], "«xlsx»"),
    "extra words": (["cases", "list", "--json", "extra", "words"], "extra words"),
    "an option without its value": (["contacts", "lapsed", "--json", "--agency"], "«--agency»"),
    # a flag given a value: it was told it "needs a value", the opposite
    "a flag given a value": (["cases", "list", "--overdue=yes", "--json"], "«--overdue» مقداری نمی‌پذیرد"),
    "a missing file": (["directory", "import", "--json"], "«FILE»"),
    # a number option: click's English («'abc' is not a valid integer.») was kept inside the sentence
    "no number": (["search", "query", "آب", "--limit", "abc", "--json"],
                  "مقدار «--limit» باید عددی از ۱ تا ۱۰۰۰۰ باشد؛ «abc» نوشته شد."),
    "a number out of range": (["search", "query", "آب", "--limit", "0", "--json"],
                              "مقدار «--limit» باید عددی از ۱ تا ۱۰۰۰۰ باشد؛ «0» نوشته شد."),
    "a negative offset": (["search", "query", "آب", "--offset", "-3", "--json"], "باید عددی دست‌کم ۰ باشد"),
    # commands outside the groups: Flask's own root group printed click's English, nothing on stdout
    "backup without its file": (["backup", "--json"], "«OUT»"),
    "restore without its file": (["restore", "--json"], "«IN»"),
    "seed-demo with an unknown option": (["seed-demo", "--bogus", "--json"], "«--bogus»"),
}


@pytest.mark.one_database  # click refuses the line before the command runs: no database
@pytest.mark.parametrize("args", [["worker", "--bogus"], ["serve", "--no-worker", "extra"]])
def test_the_worker_and_the_server_refuse_a_bad_command_line_in_persian(app, args):
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("خطا:") and "Usage:" not in result.output, result.output
IMPORT_REPORT = {"outlets_new", "journalists_new", "duplicates", "errors", "warnings", "rows", "stored", "encoding",
                 "outlets_planned", "journalists_planned"}


@pytest.mark.one_database  # click refuses the line before the command runs: no database
@pytest.mark.parametrize("label", list(BAD_LINES))
def test_a_bad_command_line_is_refused_in_persian_as_json(app, label):
    args, named = BAD_LINES[label]
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 2, (label, result.output)
    answer = json.loads(result.stdout)
    # `directory import` refuses with every key of its report, as its own refusals do (README).
    keys = {"error"} | (IMPORT_REPORT if args[:2] == ["directory", "import"] else set())
    assert set(answer) == keys and PERSIAN.search(answer["error"]) and named in answer["error"], answer
    assert "Usage:" not in result.output and "Error:" not in result.output
    assert "is not" not in answer["error"]  # no English detail left inside


@pytest.mark.one_database  # click refuses the line before the command runs: no database
def test_without_json_the_message_goes_to_standard_error_in_persian(app):
    result = app.test_cli_runner().invoke(args=["cases", "bogus"])
    assert result.exit_code == 2
    assert result.stdout == "" and "فرمان «bogus» نیست" in result.stderr


@pytest.mark.one_database  # click refuses the line before the command runs: no database
@pytest.mark.parametrize("group", ["cases", "directory", "contacts"])
def test_an_unknown_subcommand_with_json_is_answered_in_json(app, group):
    """The review of the commands (session 26): «cases bogus --json» was said as text on standard
    error, where «flask bogus --json» answers {"error"}."""
    result = app.test_cli_runner().invoke(args=[group, "bogus", "--json"])
    assert result.exit_code == 2 and json.loads(result.stdout)["error"].startswith("فرمان «bogus» نیست")


@pytest.mark.one_database  # click refuses the line before the command runs: no database
@pytest.mark.parametrize("args", [["cases", "--json"], ["directory", "--bogus", "--json"], ["report", "--json"],
                                  ["cases"], ["calendar", "holidays"]])
def test_a_group_given_an_option_or_nothing_is_answered_in_persian(app, args):
    """Session 42's hostile round: an option given to a group itself («cases --json», a script's
    misplaced flag) printed click's English usage on standard error, no JSON, for the top-level
    groups (a nested one, «calendar holidays --json», was already Persian); a group alone printed
    its English help («calendar holidays»: wrapped whole inside a Persian sentence). Now a Persian
    line naming the subcommands (JSON under --json), exit 2."""
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 2, result.output
    assert "Usage:" not in result.output and "Error:" not in result.output, result.output
    said = json.loads(result.stdout)["error"] if "--json" in args else result.stderr
    assert PERSIAN.search(said) and ("--json" not in args or result.stderr == ""), result.output
    assert "list" in said or "export" in said or "scorecard" in said, said  # the subcommands named


def test_an_option_given_twice_is_refused_not_the_last_kept(app):
    """The review of the commands (session 26): «--agency water --agency power» listed power's cases
    only, water's dropped without a word."""
    result = app.test_cli_runner().invoke(args=["cases", "list", "--json", "--agency", "water", "--agency=power"])
    assert result.exit_code == 2 and "«--agency» ۲ بار" in json.loads(result.stdout)["error"]
    flags = app.test_cli_runner().invoke(args=["cases", "list", "--json", "--json"])  # a flag twice is still one
    assert flags.exit_code == 0, flags.output


def test_a_flag_with_its_opposite_is_refused_not_the_last_kept(app):
    """Session 29's note: «report digest-mail --on --off» turned the e-mail off without a word (click
    keeps the last of the pair); the same flag twice is still one."""
    result = app.test_cli_runner().invoke(args=["report", "digest-mail", "--on", "--off", "--json"])
    assert result.exit_code == 2 and "«--on» و «--off» با هم" in json.loads(result.stdout)["error"], result.output
    twice = app.test_cli_runner().invoke(args=["report", "digest-mail", "--on", "--on", "--json"])
    assert twice.exit_code == 0 and json.loads(twice.stdout)["enabled"] is True, twice.output


def test_words_after_the_double_dash_are_no_options(app):
    """Session 29's note: a search for the text «--limit» after «--» was refused as «--limit» given
    twice; after «--» every word is an argument."""
    runner = app.test_cli_runner()
    assert runner.invoke(args=["search", "rebuild"]).exit_code == 0
    result = runner.invoke(args=["search", "query", "--limit", "3", "--json", "--", "--limit"])
    assert result.exit_code == 0 and result.stdout == "", result.output  # searched: nothing found


def test_an_option_whose_value_would_be_another_option_is_refused(app):
    """The review of the commands (session 26): «contacts lapsed --days --json» took «--json» as the
    days, and a script asking for JSON got a text refusal on standard error."""
    result = app.test_cli_runner().invoke(args=["contacts", "lapsed", "--agency", "water", "--days", "--json"])
    assert result.exit_code == 2 and "«--days» مقدار می‌خواهد" in json.loads(result.stdout)["error"]


def test_a_command_without_json_gets_no_json(app):
    result = app.test_cli_runner().invoke(args=["routing", "apply", "1", "--json"])
    assert result.exit_code == 2 and result.stdout == ""
    assert "«--json» در این فرمان نیست" in result.stderr


def test_an_unknown_top_level_command_is_refused_in_persian_by_the_real_flask_command(tmp_path):
    """``flask --app app case list`` (a letter short of ``cases``): Flask's root group printed click's
    English «No such command» and nothing on standard output. Now it is refused in Persian with
    the commands there are, as JSON when --json was asked; the real ``flask`` entry point, run as
    people run it."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {k: v for k, v in os.environ.items() if not k.startswith("HAMZABAN_")}
    env["HAMZABAN_DATA_DIR"] = str(tmp_path / "data")
    repo = Path(__file__).resolve().parents[1]

    text = subprocess.run([sys.executable, "-m", "flask", "--app", "app", "case", "list", "--agency", "water"],
                          cwd=repo, env=env, capture_output=True, text=True, timeout=120)
    assert text.returncode == 2 and text.stdout == "", text
    assert text.stderr.startswith("خطا: فرمان «case» نیست") and "cases، contacts" in text.stderr
    assert "Usage:" not in text.stderr and "No such command" not in text.stderr

    def flask(*args):  # the same root group (`python -m flask` runs flask.cli.cli), in this process
        from click.testing import CliRunner
        from flask.cli import cli

        return CliRunner(env={"HAMZABAN_DATA_DIR": env["HAMZABAN_DATA_DIR"]}).invoke(cli, ["--app", "app", *args])

    as_json = flask("case", "list", "--json")
    assert as_json.exit_code == 2 and json.loads(as_json.stdout)["error"].startswith("فرمان «case» نیست")
    assert flask("cases", "--help").exit_code == 0  # a known command is untouched
    assert flask("db", "--help").exit_code == 0 and flask("routes").exit_code == 0  # Flask's and Flask-Migrate's


@pytest.mark.one_database  # click refuses the line before the command runs: no database
def test_an_unknown_command_through_the_apps_own_group(app):
    result = app.test_cli_runner().invoke(args=["directry", "export", "out.csv", "--json"])
    assert result.exit_code == 2 and json.loads(result.stdout)["error"].startswith("فرمان «directry» نیست")


@pytest.mark.parametrize("args", [
    ["learning", "switch", "{bad}", "on", "--json"], ["user", "unlock", "{bad}", "--json"],
    ["user", "reset-2fa", "{bad}", "--json"], ["calendar", "holidays", "add", "1405/12/01", "{bad}", "--json"],
    ["report", "scorecard", "--period", "1405-08", "--agency", "{bad}"], ["search", "query", "آب{bad}", "--json"],
    ["feeds", "import-file", "nothing.xml", "--outlet", "{bad}", "--json"],
])
def test_bytes_that_are_not_utf8_are_refused_by_every_command(app, args):
    """A script's text in Windows-1256 reaches Python as lone surrogates: only the cases commands
    refused it, the others ended in the database driver's traceback (exit 1), or `search query`
    answered nothing (a review of the commands, round 5). Every group's command refuses it in Persian."""
    bad = os.fsdecode("عنوان".encode("cp1256"))
    result = app.test_cli_runner().invoke(args=[arg.replace("{bad}", bad) for arg in args])
    assert result.exit_code == 2, result.output
    assert "با نویسه‌گذاری UTF-8 نوشته نشده است" in result.output
    if "--json" in args:
        assert list(json.loads(result.stdout)) == ["error"]


def test_codes_in_any_letter_case_and_choices_in_any_digits(app, make_agency):
    """`learning switch water ON` was refused though the README says codes are read in any letter
    case, `routing apply --days ۷` for its Persian digit, `report scorecard --format PDF` where
    `report cases` took it (a review of the commands, round 5)."""
    from app.services.routing import create_rule

    water = make_agency(slug="water", name_fa="شرکت آب و فاضلاب")
    runner = app.test_cli_runner()
    switched = runner.invoke(args=["learning", "switch", "water", "OFF", "--json"])
    assert switched.exit_code == 0 and json.loads(switched.stdout) == {"agency": "water", "learning": False}
    rule = create_rule(water, "آب", "آب", actor_label="test")
    applied = runner.invoke(args=["routing", "apply", str(rule.id), "--days", "۷"])
    assert applied.exit_code == 0, applied.output
    card = runner.invoke(args=["report", "scorecard", "--period", "1403", "--format", "JSON"])
    assert card.exit_code == 0 and json.loads(card.stdout.splitlines()[0])["agency"] == "water"
