"""The English catalog covers every Persian message in the code, is compiled, and is used."""
from __future__ import annotations

import importlib.util
import re
import shutil
import textwrap
from collections import Counter

import pytest
from jinja2 import TemplateSyntaxError

from tests.conftest import REPO, csrf_token, login

_spec = importlib.util.spec_from_file_location("translations_script", REPO / "scripts" / "translations.py")
translations = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(translations)

HOW_TO_FIX = ("run `make translations`, fill in the listed msgstr in "
              "translations/en/LC_MESSAGES/messages.po (and delete `#, fuzzy` once checked), "
              "run `make translations` again and commit the .po and the .mo")

PERSIAN = re.compile(r"[\u0600-\u06FF]")
# One %-directive as Python's %-formatting reads it, `%%` included.
DIRECTIVE = re.compile(r"%(?:\([^)]*\))?[#0 +-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?[diouxXeEfFgGcrsa%]")


@pytest.fixture(scope="module")
def english():
    return translations.load("en")


def test_every_message_in_the_code_has_an_english_translation(english):
    template = translations.extract()
    assert len(template) > 100  # the extraction really read the sources
    missing = translations.missing(english, template)
    assert not missing, (f"{len(missing)} message(s) have no English translation; {HOW_TO_FIX}:\n"
                         + "\n".join(translations.describe(m) for m in missing))


def test_the_committed_mo_is_compiled_from_the_committed_po():
    assert translations.mo_path("en").exists(), HOW_TO_FIX
    assert translations.mo_is_current("en"), (
        "translations/en/LC_MESSAGES/messages.mo differs from messages.po; " + HOW_TO_FIX)


def _directives(text: str) -> tuple[Counter, str]:
    """The %-directives of `text` and what is left once they are taken out."""
    return Counter(DIRECTIVE.findall(text)), DIRECTIVE.sub("", text)


def test_translations_keep_the_placeholders_of_their_msgid(english):
    wrong = []
    for message in english:
        if not message.id or message.fuzzy or not translations.is_translated(message):
            continue  # fuzzy ones are not compiled (and the test above lists them)
        if isinstance(message.id, str):
            pairs = [(message.id, message.string)]
        else:  # plural: form 0 answers the singular msgid, the others the plural one
            pairs = [(message.id[min(i, 1)], form) for i, form in enumerate(message.string)]
        for source, text in pairs:
            expected, _ = _directives(source)
            found, rest = _directives(text)
            if found != expected or "%" in rest:
                wrong.append(f"  {source!r}\n    -> {text!r}")
    assert not wrong, ("these translations do not have exactly the placeholders of their msgid "
                       "(a literal percent sign is written %% only where the msgid does so too):\n"
                       + "\n".join(wrong))


def test_the_extraction_finds_every_way_of_marking_a_message(tmp_path):
    """babel.cfg: Flask-Babel's lazy forms and templates are read; tests and .venv are not."""
    shutil.copy(REPO / "babel.cfg", tmp_path / "babel.cfg")
    files = {
        "app/web/forms/sample.py": """
            from flask_babel import gettext, lazy_gettext, lazy_ngettext, ngettext, pgettext
            from flask_babel import gettext as _, lazy_gettext as _l
            from app.jalali import N_
            A = _l("lazy short")
            B = lazy_gettext("lazy long")
            C = N_("marked only")
            def f(n):
                # TRANSLATORS: a note for the translator
                return (_("underscore"), gettext("gettext %(name)s", name="x"),
                        ngettext("%(num)s item", "%(num)s items", n), pgettext("menu", "in context"),
                        lazy_ngettext("%(num)s lazy", "%(num)s lazies", n))
        """,
        "views/sample.py": 'from flask_babel import gettext as _\nX = _("view")\n',
        "models/sample.py": 'from flask_babel import lazy_gettext as _l\nX = _l("model")\n',
        "search_index/sample.py": 'from flask_babel import gettext as _\nX = _("search")\n',
        "templates/feeds/sample.html": """
            {% extends "base.html" %}
            {% block content %}{{ _('template') }} {{ _('template %(n)s', n=3) }}
            {{ ngettext('%(num)s feed', '%(num)s feeds', 2) }}
            {% trans count=2 %}{{ count }} block{% pluralize %}{{ count }} blocks{% endtrans %}
            {% endblock %}
        """,
        "tests/test_sample.py": 'from flask_babel import gettext as _\nX = _("not a tests message")\n',
        ".venv/lib/sample.py": 'X = _("not a .venv message")\n',
        "scripts/sample.py": 'X = _("not a scripts message")\n',
    }
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")

    catalog = translations.extract(tmp_path)
    found = {(m.id if isinstance(m.id, str) else tuple(m.id), m.context) for m in catalog if m.id}
    assert found == {
        ("lazy short", None), ("lazy long", None), ("marked only", None), ("underscore", None),
        ("gettext %(name)s", None), (("%(num)s item", "%(num)s items"), None),
        ("in context", "menu"), (("%(num)s lazy", "%(num)s lazies"), None),
        ("view", None), ("model", None), ("search", None),
        ("template", None), ("template %(n)s", None), (("%(num)s feed", "%(num)s feeds"), None),
        (("%(count)s block", "%(count)s blocks"), None),
    }
    assert catalog.get("underscore").auto_comments == ["a note for the translator"]


def test_a_template_that_does_not_parse_stops_the_extraction(tmp_path):
    shutil.copy(REPO / "babel.cfg", tmp_path / "babel.cfg")
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "broken.html").write_text("{{ _('x') }}{% if %}", encoding="utf-8")
    with pytest.raises(TemplateSyntaxError):
        translations.extract(tmp_path)


def test_the_english_interface_is_left_to_right_and_in_english(client, make_user):
    response = client.post("/language/en", data={"csrf_token": csrf_token(client), "next": "/login"})
    assert response.status_code == 302
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in html
    assert "Log in to Hamzaban" in html and ">Log in</button>" in html
    assert "ورود" not in html  # no Persian left on the page
    # Lazy strings (menu, role names) are translated too, and the choice survives logging in.
    login(client, make_user(role="staff"))
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in page
    assert "Dashboard" in page and "PR officer" in page and "Log out" in page


def test_audit_event_names_are_shown_in_english(app):
    from flask_babel import force_locale

    from app.services.audit import ACTION_LABELS, action_label

    with app.test_request_context(), force_locale("en"):
        untranslated = [action for action in ACTION_LABELS if PERSIAN.search(action_label(action))]
    assert not untranslated


def test_every_recorded_audit_action_has_a_label():
    """An action without a label would show its code (e.g. «routing_rule.x») on Persian pages."""
    import re
    from pathlib import Path

    from app.services.audit import ACTION_LABELS

    root = Path(__file__).resolve().parent.parent
    recorded = {m for folder in ("app", "views", "search_index") for path in (root / folder).rglob("*.py")
                for m in re.findall(r'record\(\s*"([a-z_]+\.[a-z_]+)"', path.read_text(encoding="utf-8"))}
    assert recorded and recorded - set(ACTION_LABELS) == set()


@pytest.fixture
def english_by_default(monkeypatch, request):
    """The test app made with ``HAMZABAN_DEFAULT_LOCALE=en`` in the environment."""
    monkeypatch.setenv("HAMZABAN_DEFAULT_LOCALE", "en")
    return request.getfixturevalue("app")


def test_the_default_locale_setting_is_the_language_of_a_reader_who_chose_none(english_by_default):
    """``HAMZABAN_DEFAULT_LOCALE=en`` had no effect on the pages: the locale selector answered
    Persian whenever the session held no choice. A reader's own choice still wins."""
    assert english_by_default.config["BABEL_DEFAULT_LOCALE"] == "en"
    client = english_by_default.test_client()
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in html and "Log in to Hamzaban" in html
    client.post("/language/fa", data={"csrf_token": csrf_token(client), "next": "/login"})
    assert '<html lang="fa" dir="rtl">' in client.get("/login").get_data(as_text=True)


def test_without_the_setting_the_pages_are_persian(client):
    assert '<html lang="fa" dir="rtl">' in client.get("/login").get_data(as_text=True)
