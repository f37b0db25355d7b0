"""Counts in the commands' messages agree with their noun: «1 rows of the file have errors», «more than 1 days»,
«1 journalists and 1 outlets written» in English (session 46's note of session 45), while Persian keeps its noun
singular after a number, in Persian digits. The commands speak Persian (no request, no reader's choice); English
is what the same messages say under the English locale (a page, or a test's ``force_locale``)."""
from __future__ import annotations

import json

from flask_babel import force_locale

from tests.services import contact_fixtures
from tests.services.directory_files import (
    cli,  # noqa: F401 - the fixture
    csv_bytes,
)
from tests.services.test_directory_import import GOOD

cworld = contact_fixtures.cworld


def _in_english(app, args):
    with app.test_request_context(), force_locale("en"):
        return app.test_cli_runner().invoke(args=args)


def test_one_bad_row_is_one_row_in_english_and_persian(app, cli, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes([*GOOD, ["بد", "", "", "", "0912", "", ""]]))
    persian = json.loads(cli("import", str(path), "--json", status=2).stdout)["error"]
    assert persian.startswith("۱ سطر فایل خطا دارد"), persian
    english = json.loads(_in_english(app, ["directory", "import", str(path), "--json"]).stdout)["error"]
    assert english == "1 row of the file has errors (each in «errors»); nothing was stored."


def test_one_journalist_and_one_outlet_exported_in_english(app, cli, tmp_path):
    path = tmp_path / "one.csv"
    path.write_bytes(csv_bytes([GOOD[0]]))
    cli("import", str(path), "--json")
    persian = cli("export", "--format", "csv", str(tmp_path / "out.csv")).stdout
    assert persian.startswith("۱ خبرنگار و "), persian
    english = _in_english(app, ["directory", "export", "--format", "csv", str(tmp_path / "out2.csv")]).stdout
    assert english.startswith("1 journalist and ") and "journalists" not in english, english


def test_lapsed_outlets_more_than_one_day_in_english(app, cworld):
    result = _in_english(app, ["contacts", "lapsed", "--agency", "water", "--days", "1"])
    assert result.exit_code == 0, result.output
    assert "(more than 1 day): 3" in result.stdout, result.stdout
    persian = app.test_cli_runner().invoke(args=["contacts", "lapsed", "--agency", "water", "--days", "1"]).stdout
    assert "(بیش از ۱ روز): ۳" in persian, persian


def test_one_working_day_past_the_calendars_end_in_english(app):
    result = _in_english(app, ["calendar", "add-working-days", "1499/12/29", "1", "--json"])
    assert result.exit_code == 2
    assert json.loads(result.stdout)["error"].startswith("1 working day after 1499/12/29 goes past the end"), result.stdout
