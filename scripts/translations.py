#!/usr/bin/env python3
"""Keep the English catalog in step with the Persian messages in the code.

    python scripts/translations.py          # extract, update translations/en, compile the .mo,
                                            # then list the messages still without English
    python scripts/translations.py check    # change nothing; exit 1 if a message lacks English
                                            # or the .mo is older than the .po

`make translations` runs the first form. The messages are Persian (`_()`, `_l()`, `gettext`,
`N_()`, `{{ _('…') }}`); babel.cfg says which files are read and which function names count.

Adding a string: write it in Persian through `_()` (named placeholders: `%(count)s`; counts
through `ngettext`), run `make translations`, fill in the `msgstr` it lists in
translations/en/LC_MESSAGES/messages.po, run `make translations` again (it compiles the .mo)
and commit the .po and the .mo with the code. A string picked at run time (`gettext(label)`)
is only found if it is marked where it is written: `N_("…")` or `_l("…")`.

An edited msgid keeps its old English marked `#, fuzzy` (`git diff` shows the old msgid):
correct the English and delete the flag. A msgid that disappears stays at the end of the .po
as `#~`, and its English comes back by itself if the msgid does. A comment starting with
`TRANSLATORS:` just above a call is copied into the catalog for the translator.

tests/test_translations.py uses `extract()`, `load()`, `missing()` and `mo_is_current()` from here.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tomllib
from difflib import SequenceMatcher
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
MAPPING = ROOT / "babel.cfg"
TRANSLATIONS = ROOT / "translations"
TEMPLATE = TRANSLATIONS / "messages.pot"
LOCALES = ("en",)  # Persian is the source language: it needs no catalog
PROJECT = "Hamzaban"
COMMENT_TAG = "TRANSLATORS:"
TEMPLATE_HEADER = """\
# The messages of Hamzaban's interface, extracted from its Persian source.
# Written by scripts/translations.py (`make translations`): do not edit."""
CATALOG_HEADER = """\
# {language} translations of Hamzaban's interface; the source is Persian.
# Fill in msgstr only: `make translations` adds new messages and compiles."""
FUZZY_CUTOFF = 0.8  # how alike an old msgid must be for its English to be offered as a guess
# Header lines that change on every run; a file that differs only in them is not rewritten.
VOLATILE_HEADERS = (b'"POT-Creation-Date:', b'"PO-Revision-Date:')


def po_path(locale: str) -> Path:
    return TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"


def mo_path(locale: str) -> Path:
    return TRANSLATIONS / locale / "LC_MESSAGES" / "messages.mo"


def extract(root: Path = ROOT) -> Catalog:
    """The messages in the sources root/babel.cfg lists, as `pybabel extract -F babel.cfg` finds them."""
    mapping = root / MAPPING.name
    with mapping.open() as fileobj:
        method_map, options_map = parse_mapping_cfg(fileobj, str(mapping))
    # Walk only the top folders babel.cfg names (not .venv, static, tests…): this keeps it fast.
    top_folders = {pattern.split("/", 1)[0] for pattern, _ in method_map}
    everywhere = any("*" in folder for folder in top_folders)

    def wanted(dirpath: str) -> bool:
        if os.path.basename(dirpath).startswith("."):
            return False
        relative = os.path.relpath(dirpath, root).replace(os.sep, "/")
        return everywhere or relative.split("/", 1)[0] in top_folders

    catalog = Catalog(project=PROJECT, version=_version(), header_comment=TEMPLATE_HEADER,
                      charset="utf-8", fuzzy=False)
    found = extract_from_dir(root, method_map, options_map, comment_tags=(COMMENT_TAG,),
                             strip_comment_tags=True, directory_filter=wanted)
    for filename, lineno, message, comments, context in found:
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def _version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as fileobj:
        return tomllib.load(fileobj)["project"]["version"]


def load(locale: str) -> Catalog:
    """The committed catalog of `locale` (an empty one if there is none yet)."""
    path = po_path(locale)
    if not path.exists():
        catalog = Catalog(locale=locale, project=PROJECT, version=_version(), charset="utf-8",
                          fuzzy=False)
        catalog.header_comment = CATALOG_HEADER.format(language=catalog.locale.english_name)
        return catalog
    with path.open("rb") as fileobj:
        return read_po(fileobj, locale=locale)


def update(catalog: Catalog, template: Catalog) -> Catalog:
    """Merge the extracted messages into `catalog`, keeping every translation it already has."""
    catalog.update(template, update_creation_date=True)
    for message in catalog:
        if message.previous_id and _likeness(message.previous_id[0], message.id) < FUZZY_CUTOFF:
            # Babel offers the English of any msgid 60% alike as a fuzzy guess; between short
            # Persian phrases that is mostly noise («رسانه» got "System administrator"), so a
            # guess is kept only from a msgid that is nearly the same sentence.
            message.string = ("",) * len(message.string) if message.pluralizable else ""
            message.flags = set(template.get(message.id, message.context).flags)
            message.previous_id = []
        # `#| msgid …` (the msgid before an edit, as GNU msgmerge writes it) is read back by
        # Babel as a user comment that would then stay for good: drop it.
        message.user_comments = [c for c in message.user_comments if not c.startswith("|")]
    # Babel matches new msgids only against live ones; a msgid that went away and came back
    # (an edit undone, a string moved back) gets its own old English from the obsolete
    # entries rather than nothing or a fuzzy guess from a similar msgid.
    obsolete = {_key(old): key for key, old in catalog.obsolete.items()
                if is_translated(old) and not old.fuzzy}
    for message in catalog:
        if not message.id or (is_translated(message) and not message.fuzzy):
            continue
        key = obsolete.get(_key(message))
        if key is not None and message.pluralizable == catalog.obsolete[key].pluralizable:
            message.string = catalog.obsolete.pop(key).string
            message.flags.discard("fuzzy")
            message.previous_id = []
    return catalog


def _key(message: Message) -> tuple:
    return (message.id if isinstance(message.id, str) else tuple(message.id), message.context)


def _likeness(old: str, new: str | tuple) -> float:
    return SequenceMatcher(None, old, new if isinstance(new, str) else new[0]).ratio()


def is_translated(message: Message) -> bool:
    """Whether every form of the message has a non-blank translation (fuzzy or not)."""
    strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
    return bool(strings) and all(s and s.strip() for s in strings)


def missing(catalog: Catalog, template: Catalog | None = None) -> list[Message]:
    """Messages of `template` (default: all of `catalog`) with no usable translation in `catalog`.

    Usable means present, not empty (every plural form) and not marked fuzzy; a message of
    `template` absent from `catalog` is returned as the template's message.
    """
    wanted = template if template is not None else catalog
    result = []
    for message in wanted:
        if not message.id:
            continue
        own = catalog.get(message.id, message.context)
        if own is None or own.fuzzy or not is_translated(own):
            result.append(own or message)
    return result


def compiled(catalog: Catalog) -> bytes:
    """The .mo of `catalog`, as `pybabel compile` writes it (fuzzy messages left out)."""
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def mo_messages(data: bytes) -> dict:
    """{(msgid, context): msgstr} of a .mo file's bytes, the header left out (a plural message's
    ids and strings as tuples: read_mo gives lists)."""
    catalog = read_mo(io.BytesIO(data))

    def frozen(value):
        return tuple(value) if isinstance(value, list) else value

    return {(frozen(m.id), m.context): frozen(m.string) for m in catalog if m.id}


def mo_is_current(locale: str) -> bool:
    """Whether the committed .mo holds exactly the translations of the committed .po."""
    path = mo_path(locale)
    return path.exists() and mo_messages(path.read_bytes()) == mo_messages(compiled(load(locale)))


def _po_bytes(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    # No line numbers: an edit elsewhere in a file would otherwise rewrite every location line.
    write_po(buffer, catalog, include_lineno=False)
    return buffer.getvalue()


def _write(path: Path, data: bytes) -> bool:
    """Write `data` unless the file already says the same (up to its date headers)."""
    def stable(content: bytes) -> list[bytes]:
        return [line for line in content.splitlines() if not line.startswith(VOLATILE_HEADERS)]

    if path.exists() and stable(path.read_bytes()) == stable(data):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True


def describe(message: Message) -> str:
    """One line for a message lacking English: its state, msgid and the files it comes from."""
    where = ", ".join(sorted({filename for filename, _ in message.locations})) or "?"
    msgid = message.id if isinstance(message.id, str) else " | ".join(message.id)
    state = "fuzzy" if message.fuzzy and is_translated(message) else "missing"
    return f"  [{state}] {msgid}    ({where})"


def sync() -> int:
    """Extract, update and compile every locale; list what still needs English."""
    template = extract()
    changed = [TEMPLATE] if _write(TEMPLATE, _po_bytes(template)) else []
    todo = {}
    for locale in LOCALES:
        catalog = update(load(locale), template)
        if _write(po_path(locale), _po_bytes(catalog)):
            changed.append(po_path(locale))
        # Compiled from the .po as it now is on disk, so a run that changes nothing rewrites nothing.
        if _write(mo_path(locale), compiled(load(locale))):
            changed.append(mo_path(locale))
        todo[locale] = missing(catalog)
    for path in changed:
        print(f"wrote {path.relative_to(ROOT)}")
    total = sum(1 for m in template if m.id)
    for locale, messages in todo.items():
        print(f"{locale}: {total - len(messages)} of {total} messages translated")
        if messages:
            print(f"still to translate in {po_path(locale).relative_to(ROOT)} "
                  "(fill in msgstr, remove `fuzzy`, then run this again to compile):")
            print("\n".join(describe(m) for m in messages))
    return 0


def check() -> int:
    """Report, without writing, messages lacking English and a .mo that is out of date."""
    template = extract()
    problems = []
    for locale in LOCALES:
        problems += [f"{locale}:" + describe(m)[1:] for m in missing(load(locale), template)]
        if not mo_is_current(locale):
            problems.append(f"{locale}: {mo_path(locale).relative_to(ROOT)} is not compiled from the .po")
    print("\n".join(problems) if problems else "translations are complete and compiled")
    if problems:
        print("run `make translations`, translate what it lists, run it again")
    return 1 if problems else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", nargs="?", choices=["sync", "check"], default="sync")
    args = parser.parse_args()
    return check() if args.command == "check" else sync()


if __name__ == "__main__":
    sys.exit(main())
