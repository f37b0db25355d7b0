"""A DOCTYPE's internal subset whose entity declarations can do nothing, taken out before the guard refuses
every declaration (``feed_guards.refuse_entity_declarations``: billion laughs, XXE) (hostile feeds, round 20).

Real feeds carry two such subsets, and were refused whole as «this document declares entities»: Drupal's
«<!DOCTYPE rss [<!ENTITY % HTMLlat1 PUBLIC "-//W3C//ENTITIES Latin 1 for XHTML//EN" "http://www.w3.org/TR/xhtml1/
DTD/xhtml-lat1.ent">]>», referenced («%HTMLlat1;») or not (the corpus's pear/hungarian-iso-8859-2.xml: a real
Hungarian weblog's item lost), and entities declared and never referenced. ``harmless_subset_removed`` gives the
body without that subset (nothing declared: nothing to expand, nothing to fetch), with HTML's named references
written as numbers when the subset loaded XHTML's entity sets (what it meant them for); None for any other subset,
which the guard then refuses as before: an entity referenced in the document, a parameter entity of text, a value
holding «&», «%» or «<», a parameter entity referenced that is not one of XHTML's sets.
"""
from __future__ import annotations

import re

from app.monitor.feed_guards import html_references_as_numbers

_QUOTED = rb"(?:\"[^\"%&<>]{0,1000}\"|'[^'%&<>]{0,1000}')"
_DOCTYPE = re.compile(rb"<!DOCTYPE\s+[\w:.-]{1,100}(?:\s+(?:PUBLIC\s+" + _QUOTED + rb"\s+" + _QUOTED + rb"|SYSTEM\s+"
                      + _QUOTED + rb"))?\s*\[")
_DECLARATION = re.compile(rb"\s*+(?:<!--(?:[^-]|-(?!->)){0,2000}-->|<!ENTITY\s+(%\s+)?([\w.-]{1,64})\s+(?:PUBLIC\s+("
                          + _QUOTED + rb")\s+" + _QUOTED + rb"|SYSTEM\s+" + _QUOTED + rb"|(" + _QUOTED + rb"))\s*>"
                          rb"|%([\w.-]{1,64});)")
# What comes before a document's DOCTYPE (a byte-order mark, blanks, its declaration, comments, processing
# instructions): a «<!DOCTYPE … [» past them is text (a review of round 20: one quoted in an item's CDATA lost its subset)
_PROLOG = re.compile(rb"(?:\xef\xbb\xbf)?(?:\s++|<\?(?:[^?]|\?(?!>)){0,1000}+\?>|<!--(?:[^-]|-(?!->)){0,2000}+-->)*+")
_SUBSET_END = re.compile(rb"\s*+\]\s*>")
_REFERENCE = re.compile(rb"&([\w.-]{1,64});")  # a general entity's, as the declarations above name one
_HEAD = 64 * 1024  # where a DOCTYPE and its subset are
_XHTML_SETS = frozenset({b"-//W3C//ENTITIES Latin 1 for XHTML//EN", b"-//W3C//ENTITIES Symbols for XHTML//EN",
                         b"-//W3C//ENTITIES Special for XHTML//EN"})


def harmless_subset_removed(body: bytes) -> bytes | None:
    """``body`` without its DOCTYPE's internal subset when every declaration in it is harmless (the module's
    docstring); None otherwise, and for a body in an encoding that does not write markup in ASCII's bytes."""
    head = body[:_HEAD]
    doctype = _DOCTYPE.match(head, _PROLOG.match(head).end()) if b"\x00" not in head and b"<!ENTITY" in head else None
    if doctype is None:
        return None
    general, parameters, xhtml, referenced = set(), set(), set(), set()
    at = doctype.end()
    while (end := _SUBSET_END.match(head, at)) is None:
        found = _DECLARATION.match(head, at)
        if found is None:
            return None
        at = found.end()
        parameter, name, public, value, reference = found.groups()
        if reference is not None:
            referenced.add(reference)
        elif name is not None and parameter:
            if value is not None:  # text put into the DTD itself
                return None
            parameters.add(name)
            if public is not None and public[1:-1] in _XHTML_SETS:
                xhtml.add(name)
        elif name is not None:
            general.add(name)
    rest = body[end.end():]
    # one pass over the references (a search a declared name was 30 s of CPU for 3,600 names over 14 MB of «&»)
    if not (general or parameters) or referenced - xhtml or any(found.group(1) in general for found in _REFERENCE.finditer(rest)):
        return None
    kept = body[:doctype.start()] + doctype.group()[:-1].rstrip() + b">"
    return kept + (html_references_as_numbers(rest) if referenced else rest)
