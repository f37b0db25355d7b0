"""Every real-world and feedparser test feed of ../shared/data/feeds goes through parse_feed.

One test per top folder, each iterating its files and collecting failures (2,300 parametrized
tests would cost more in collection than the parsing). A FeedParseError is an acceptable
outcome (refused documents); any other exception, or executable markup in the cleaned HTML,
is a failure.
"""
from __future__ import annotations

import ast
import html
import re
from pathlib import Path

import pytest

from app.monitor.clean import html_to_text
from app.monitor.parse import FeedParseError, parse_feed
from tests.conftest import shared_data

pytestmark = pytest.mark.slow  # still part of `make test`; ~10 s of CPU on 2 cores

FOLDERS = ("feedparser", "miniflux", "pear", "kagi-benchmark")
SKIP_NAMES = {"NOTICE.md", "LICENSE", "LICENSE.txt", "README.md"}

_DANGEROUS = re.compile(
    r"<\s*/?\s*(?:script|style|iframe|frame|object|embed|applet|base|meta|link|form)\b"
    r"|\son[a-z]+\s*="
    r"|(?:java|vb)script\s*:|\bdata\s*:",
    re.IGNORECASE,
)
_TAG = re.compile(r"<[^>]*>")


def dangerous(summary_html: str) -> list[str]:
    """Executable markup in cleaned HTML. Tags are read with their attribute values entity-
    decoded (``&#106;avascript:`` is javascript:), and the whole text is checked decoded too:
    nh3 escapes text, so a decoded ``<script`` in text can only be a feed *talking about*
    scripts; those must still show up escaped in the raw output, never as a tag."""
    found = [m.group(0) for tag in _TAG.findall(summary_html) for m in _DANGEROUS.finditer(html.unescape(tag))]
    if re.search(r"<\s*script", summary_html, re.IGNORECASE):
        found.append("<script (raw)")
    return found


def corpus_files(folder: str) -> list[Path]:
    root = shared_data("feeds") / folder
    if not root.is_dir():
        pytest.skip(f"shared test data not present: {root}")
    return [p for p in sorted(root.rglob("*")) if p.is_file() and p.name not in SKIP_NAMES]


@pytest.mark.parametrize("folder", FOLDERS)
def test_every_feed_parses_without_crash_and_without_executable_markup(folder):
    failures: list[str] = []
    parsed = refused = entries = 0
    for path in corpus_files(folder):
        name = path.relative_to(shared_data("feeds"))
        try:
            feed = parse_feed(path.read_bytes())
        except FeedParseError as exc:
            refused += 1
            if not exc.message_fa or not exc.code:
                failures.append(f"{name}: FeedParseError without a Persian message or code")
            continue
        except Exception as exc:  # noqa: BLE001 - the point is to report every crash
            failures.append(f"{name}: {type(exc).__name__}: {exc}")
            continue
        parsed += 1
        entries += len(feed.entries)
        for index, entry in enumerate(feed.entries):
            bad = dangerous(entry.summary_html)
            if bad:
                failures.append(f"{name} entry {index}: {bad[:3]}")
            for value in (entry.link, feed.link):
                if value and not value.lower().startswith(("http://", "https://")):
                    failures.append(f"{name} entry {index}: unsafe link {value!r}")
            if entry.published is not None and entry.published.utcoffset() is None:
                failures.append(f"{name} entry {index}: naive published datetime")
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(failures[:50])
    assert parsed > refused  # the corpus is mostly feeds: a parser refusing everything fails here
    assert entries > 0


_EXPECT = re.compile(r"Expect:\s*(.*?)\n-->", re.DOTALL)
_EXPECT_ENTRY_VALUE = re.compile(
    r"entries\[0\]\[['\"](?:description|summary|content)['\"]\](?:\[0\]\[['\"]value['\"]\])?\s*==\s*(.+)$", re.DOTALL
)


def _python_string(source: str) -> str:
    """The expected value of an Expect: line: a string literal or 'a' + 'b' concatenation."""

    def value(node: ast.AST) -> str:
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return value(node.left) + value(node.right)
        return ast.literal_eval(node)

    return value(ast.parse(source.strip(), mode="eval").body)


def _words(text: str) -> str:
    return " ".join(text.split())


def test_sanitize_cases_remove_what_feedparser_removes():
    """feedparser's wellformed/sanitize files state the sanitized value of an entry. Our text
    must be part of that text (we drop at least what feedparser drops: its sanitizer keeps
    script bodies and iframe fallbacks as text, nh3 removes them) and be empty only when it is."""
    root = shared_data("feeds") / "feedparser" / "wellformed" / "sanitize"
    if not root.is_dir():
        pytest.skip(f"shared test data not present: {root}")
    checked, failures = 0, []
    for path in sorted(root.glob("*.xml")):
        expect = _EXPECT.search(path.read_text("utf-8", "replace"))
        match = _EXPECT_ENTRY_VALUE.search(expect.group(1)) if expect else None
        if not match:
            continue
        expected = _words(html_to_text(_python_string(match.group(1))))
        entries = parse_feed(path.read_bytes()).entries
        ours_html = entries[0].summary_html if entries else ""
        ours = _words(entries[0].text) if entries else ""
        checked += 1
        if dangerous(ours_html) or ours not in expected or bool(ours) != bool(expected):
            failures.append(f"{path.name}: ours={ours!r} expected={expected!r} html={ours_html[:120]!r}")
    assert checked > 400
    assert not failures, "\n".join(failures[:30])


def test_a_cdf_channel_is_read_for_its_items_and_one_without_items_said_as_such():
    """The corpus's CDF files (Microsoft's Channel Definition Format, feedparser's tests): those with an ITEM give it;
    the seven channels without one were refused as «not an RSS or Atom feed», which said nothing of what they are
    (session 45's note; hostile feeds, round 20). Each is now said as a channel without items."""
    root = shared_data("feeds") / "feedparser" / "wellformed" / "cdf"
    if not root.is_dir():
        pytest.skip(f"shared test data not present: {root}")
    empty = sorted(root.glob("channel_*.xml"))
    assert len(empty) == 7
    for path in empty:
        with pytest.raises(FeedParseError) as refused:
            parse_feed(path.read_bytes())
        assert refused.value.code == "not_a_feed" and "CDF" in refused.value.message_fa, path.name
    assert [e.title for e in parse_feed((root / "item_title.xml").read_bytes()).entries] == ["Example item"]
    assert [e.link for e in parse_feed((root / "item_href_map_link.xml").read_bytes()).entries] == ["http://www.example.org/"]
    with pytest.raises(FeedParseError) as other:
        parse_feed(b"<?xml version='1.0'?><!-- x --><catalog><book>x</book></catalog>")
    assert other.value.code == "not_a_feed" and "CDF" not in other.value.message_fa
