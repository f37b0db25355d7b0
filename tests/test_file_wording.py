"""«پرونده» is a case on this desk: a message that means a file (uploaded, exported, read from disk)
says «فایل». Session 40's walk found «انتخاب پرونده…» read as «choose a case…»; 84 messages more
(CSV and XLSX refusals, backups, exports, the evidence form) still said «پرونده» for a file."""
from __future__ import annotations

import importlib.util
import re

from app.monitor import local_files, opml
from tests.conftest import REPO

_spec = importlib.util.spec_from_file_location("translations_script", REPO / "scripts" / "translations.py")
translations = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(translations)

# The English says which one is meant: a file (or an upload), and no case.
MEANS_A_FILE = re.compile(r"\bfiles?\b|\bupload", re.IGNORECASE)
MEANS_A_CASE = re.compile(r"\bcases?\b", re.IGNORECASE)


def test_no_message_calls_a_file_a_case():
    wrong = []
    for message in translations.load("en"):
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        english = message.string if isinstance(message.string, tuple) else (message.string,)
        if not message.id or not any("پرونده" in one for one in ids):
            continue
        if any(MEANS_A_FILE.search(one or "") for one in english) and not any(
                MEANS_A_CASE.search(one or "") for one in english):
            wrong.append(f"{ids[0]}  →  {english[0]}")
    assert not wrong, f"{len(wrong)} message(s) say «پرونده» for a file:\n" + "\n".join(wrong)


def test_the_feed_monitor_says_file_for_a_file():
    """Not gettext messages: stored on the feed as its last error and shown on the feeds page."""
    said = [local_files.UNREADABLE_FA, *opml.MESSAGES.values()]
    assert all("پرونده" not in one and "فایل" in one for one in said), said


def test_the_evidence_form_labels_its_file_field_file(app):
    from app.web.forms.evidence import EvidenceForm

    with app.test_request_context():
        form = EvidenceForm(meta={"csrf": False})
        assert form.file.label.text == "فایل" and "پرونده" not in form.remove_file.label.text


def test_the_directory_import_page_says_file(client, make_user):
    """The page that takes a CSV or XLSX file: «سطر نخست پرونده سرستون‌هاست» was left (its English
    says «the first row», so the catalog's test above did not see it)."""
    from tests.conftest import login

    login(client, make_user(role="staff"))
    page = client.get("/directory/import/").get_data(as_text=True)
    body = page[page.index("<main"):page.index("</main>")]  # the menu's «پرونده‌ها» are the cases
    assert "سطر نخست فایل" in body and "پرونده" not in body


def test_the_desks_name_has_one_spelling():
    """«همزبان», as DESIGN.md, the login page and the menu write it: seven messages (the refused start-up
    and the feed monitor's) said «هم‌زبان» with a ZWNJ (session 47's note)."""
    with_zwnj = "هم\u200cزبان"
    places = [path for folder in ("app", "views", "templates", "static/js", "docs") for path in (REPO / folder).rglob("*")
              if path.suffix in (".py", ".html", ".txt", ".js", ".md") and with_zwnj in path.read_text(encoding="utf-8")]
    messages = [message.id for message in translations.load("en") if with_zwnj in str(message.id)]
    assert not places and not messages, (places, messages)
