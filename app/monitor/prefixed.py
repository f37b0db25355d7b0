"""An RSS whose every element carries a prefix, read as the RSS it is (hostile feeds, round 19).

A generator's XML serializer may put the whole feed in a namespace of its own («<n:rss xmlns:n="http://…">
<n:channel><n:item>…») or write a prefix it never declares («<rss:rss><rss:channel>…», which is no XML): feedparser
found no RSS element in the first (refused as «not an RSS or Atom feed») and no item in the second (refused as
broken): every item lost on every poll. When a document gave no item and its root is such a prefixed «rss», the
prefix is taken off its elements (and its declaration dropped) and the document read again; that reading is kept
only if it finds items. RSS 1.0's «rdf:RDF» with «rss:» elements and Atom's «atom:feed» are read by feedparser as
they are (their namespaces are known to it)."""
from __future__ import annotations

import re

# The root element after the declaration, comments, a doctype and processing instructions: «<P:rss …»
_ROOT = re.compile(rb"\A(?:\xef\xbb\xbf)?(?:\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>)*<([A-Za-z_][\w.-]{0,40}):rss[\s>/]",
                   re.DOTALL | re.IGNORECASE)
_HEAD = 64 * 1024  # where the root is (after a long comment at most)


def unprefixed(body: bytes) -> bytes | None:
    """``body`` with its root's prefix taken off every element's name and its declaration dropped; None when the root
    is not a prefixed «rss» (UTF-8 and single-byte encodings: the prefix in ASCII)."""
    found = _ROOT.match(body[:_HEAD])
    if not found:
        return None
    prefix = re.escape(found[1])
    bare = re.sub(rb"<(/?)" + prefix + rb":(?=[A-Za-z_])", rb"<\1", body)
    return re.sub(rb"\s+xmlns:" + prefix + rb"""\s*=\s*(?:"[^"]*"|'[^']*')""", b"", bare, count=1)
