"""A folder or a missing file where a command's argument is a file (session 47): click's English
«File '/tmp' is a directory.» was kept inside the Persian sentence; now the whole sentence is Persian
(English under the English locale), exit 2, `{"error"}` under --json, nothing stored."""
from __future__ import annotations

import json

from flask_babel import force_locale


def test_a_folder_given_for_a_feed_file_is_said_in_persian(app, tmp_path):
    runner = app.test_cli_runner()
    for args in (["feeds", "import-opml", str(tmp_path), "--json"], ["feeds", "import-file", str(tmp_path), "--json"]):
        refused = runner.invoke(args=args)
        assert refused.exit_code == 2, refused.output
        message = json.loads(refused.output)["error"]
        assert message == f"«{tmp_path}» پوشه است، نه فایل؛ نشانی خود فایل را بدهید.", message


def test_a_missing_file_is_said_in_persian_and_in_english(app, tmp_path):
    missing = tmp_path / "nothing.opml"
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["feeds", "import-opml", str(missing), "--json"])
    assert refused.exit_code == 2
    assert json.loads(refused.output)["error"] == f"فایل «{missing}» نیست؛ نشانی آن را درست بنویسید."
    with app.test_request_context(), force_locale("en"):
        import click

        from app.cli.usage_messages import persian_message
        error = click.BadParameter(f"File '{missing}' does not exist.",
                                   param=click.Argument(["path"], type=click.Path(exists=True)))
        assert persian_message(error) == f"There is no file «{missing}»; write its path correctly."
