"""OPML subscription lists: reading (safely) and writing.

Reading uses expat directly with handlers that refuse any DOCTYPE, entity declaration or external
entity before it can be used (billion laughs, XXE), whatever the document's encoding. OPML has no
legitimate use for any of them.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from xml.parsers import expat

MAX_OPML_BYTES = 2 * 1024 * 1024
MAX_OUTLINES = 20_000

MESSAGES = {
    "too_big": "فایل OPML بزرگ‌تر از ۲ مگابایت است.",
    "doctype": "فایل OPML نباید DOCTYPE یا ENTITY داشته باشد؛ برای ایمنی خوانده نشد.",
    "malformed": "فایل OPML خراب است ({detail}).",
    "not_opml": "این فایل OPML نیست (عنصر ریشهٔ opml را ندارد).",
    "too_many": "فایل OPML بیش از ۲۰٬۰۰۰ خوراک دارد.",
}


class OpmlError(ValueError):
    """The document cannot be used; str() is the Persian message."""

    def __init__(self, code: str, **values):
        super().__init__(MESSAGES[code].format(**values))
        self.code = code


@dataclass
class OpmlFeed:
    url: str
    title: str = ""
    site_url: str = ""
    category: str = ""  # the text of the enclosing outline folder, if any
    outlet: str = ""  # our own attributes: the outlet's name, kind and scope
    outlet_kind: str = ""
    outlet_scope: str = ""


class _Refused(Exception):
    pass


def _refuse(*_args) -> None:
    raise _Refused()


def parse_opml(data: bytes) -> list[OpmlFeed]:
    """The feed outlines (those with an `xmlUrl`, whatever its scheme) of an OPML document, in order.
    Raises OpmlError for big, malformed or non-OPML documents and for any DOCTYPE/ENTITY."""
    if len(data) > MAX_OPML_BYTES:
        raise OpmlError("too_big")
    feeds: list[OpmlFeed] = []
    folders: list[str] = []
    root: list[str] = []

    def start(name: str, attrs: dict) -> None:
        if not root:
            root.append(name)
        if name != "outline":
            return
        url = (attrs.get("xmlUrl") or attrs.get("xmlurl") or "").strip()
        title = " ".join((attrs.get("title") or attrs.get("text") or "").split())
        if url:
            # Every scheme is listed: the import refuses a «javascript:», «file:» or «data:» address
            # with its reason (it was left out unsaid, the administrator not told which lines).
            if len(feeds) >= MAX_OUTLINES:
                raise OpmlError("too_many")
            feeds.append(OpmlFeed(url=url, title=title, site_url=(attrs.get("htmlUrl") or "").strip(),
                                  category=folders[-1] if folders else "",
                                  outlet=" ".join((attrs.get("outlet") or "").split()),
                                  outlet_kind=(attrs.get("outletKind") or "").strip(),
                                  outlet_scope=(attrs.get("outletScope") or "").strip()))
            folders.append(folders[-1] if folders else "")
        else:
            folders.append(title)

    def end(name: str) -> None:
        if name == "outline":
            folders.pop()

    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    parser.UnparsedEntityDeclHandler = _refuse
    parser.ExternalEntityRefHandler = _refuse
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        parser.Parse(data, True)
    except _Refused:
        raise OpmlError("doctype") from None
    except expat.ExpatError as exc:
        raise OpmlError("malformed", detail=expat.ErrorString(exc.code)) from None
    except OpmlError:
        raise  # «too many», from a handler (an OpmlError is a ValueError too)
    except ValueError:  # expat reads no multi-byte encoding but UTF-8/16 («gb2312», «shift_jis»): a traceback before
        raise OpmlError("malformed", detail="رمزگذاری آن جز UTF-8 یا UTF-16 است") from None
    if not root or root[0].lower() != "opml":
        raise OpmlError("not_opml")
    return feeds


def build_opml(feeds: list[OpmlFeed], title: str = "Hamzaban feeds") -> bytes:
    """An OPML 2.0 document, one folder outline per category."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    ET.SubElement(head, "dateCreated").text = format_datetime(datetime.now(UTC), usegmt=True)
    body = ET.SubElement(root, "body")
    folders: dict[str, ET.Element] = {}
    for feed in feeds:
        parent = body
        if feed.category:
            if feed.category not in folders:
                folders[feed.category] = ET.SubElement(body, "outline", text=feed.category, title=feed.category)
            parent = folders[feed.category]
        attrs = {"type": "rss", "text": feed.title or feed.url, "title": feed.title or feed.url, "xmlUrl": feed.url}
        if feed.site_url:
            attrs["htmlUrl"] = feed.site_url
        for name, value in (("outlet", feed.outlet), ("outletKind", feed.outlet_kind),
                            ("outletScope", feed.outlet_scope)):
            if value:
                attrs[name] = value
        ET.SubElement(parent, "outline", attrs)
    ET.indent(root)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8", xml_declaration=False) + b"\n"
