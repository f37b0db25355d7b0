"""An RSS whose every element carries a prefix, read as the RSS it is (hostile feeds, round 19).

A generator's XML serializer may put the whole feed in a namespace of its own («<n:rss xmlns:n="http://…">
<n:channel><n:item>…»), write a prefix it never declares («<rss:rss><rss:channel>…», which is no XML), or prefix
every element but the root and every attribute («<rss rss:version=2.0><rss:channel>…<rss:guid rss:isPermaLink=true>»:
a static-site generator's, kagi-benchmark/7ef13a42fa7e177a of the corpus, 35 items): feedparser found no RSS element
in the first (refused as «not an RSS or Atom feed») and no item in the others (refused as broken): every item lost on
every poll. When a document gave no item and its root is «rss» or «P:rss» with «P:channel» in it, the prefix is
taken off its elements' and attributes' names (its declaration dropped) and the document read again; that reading is
kept only if it finds items. RSS 1.0's «rdf:RDF» with «rss:» elements and Atom's «atom:feed» are read by feedparser
as they are (their namespaces are known to it)."""
from __future__ import annotations

import re

# The root element after the declaration (even a broken one), comments, a doctype: «<rss …» or «<P:rss …». Their
# run is taken whole («*+»): a page after 26 blanks took ~10 s, the blanks split every way (a review of round 19)
_ROOT = re.compile(rb"\A(?:\xef\xbb\xbf)?(?:\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>)*+<(?:([A-Za-z_][\w.-]{0,40}):)?rss[\s>/]",
                   re.DOTALL | re.IGNORECASE)
_CHANNEL = re.compile(rb"<([A-Za-z_][\w.-]{0,40}):channel[\s>]")
_HEAD = 64 * 1024  # where the root and its channel are (after a long comment at most)


def unprefixed(body: bytes) -> bytes | None:
    """``body`` with the prefix of its «rss» or «channel» taken off every element's and attribute's name and its
    declaration dropped; None when neither carries one (UTF-8 and single-byte encodings: the prefix in ASCII)."""
    head = body[:_HEAD]
    root = _ROOT.match(head)
    channel = _CHANNEL.search(head, root.end()) if root and not root[1] else None
    prefix = re.escape(root[1] if root and root[1] else channel[1] if channel else b"")
    if not prefix:
        return None
    declaration = re.compile(rb"""\s+xmlns:""" + prefix + rb"""\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)""")
    attribute = re.compile(rb"(?<=\s)" + prefix + rb":(?=[A-Za-z_][\w.-]*\s*=)")

    def tag(found: re.Match) -> bytes:
        return b"<" + found[1] + attribute.sub(b"", declaration.sub(b"", found[2])) + b">"

    return re.sub(rb"<(/?)(?:" + prefix + rb":)?([A-Za-z_][^<>]*)>", tag, body)
