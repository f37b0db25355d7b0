"""The prototype's scripts' corpus: the 1,500 articles of ../shared/data/persian-news as documents
(title; abstract and paragraphs as the body, as bench_search.py writes them) and as routing's fields
(the title; the body cut as ``analyze_item`` cuts it, with the lead). Importing it puts the
repository on ``sys.path``."""
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
NEWS = REPO.parent / "shared" / "data" / "persian-news"


def docs() -> list[tuple[str, str]]:
    return [(a.get("title") or "", "\n".join([a.get("abstract") or "", *a.get("paragraphs", [])]))
            for path in sorted(NEWS.glob("*.json")) for a in json.loads(path.read_text(encoding="utf-8"))]


def routing_fields() -> list[tuple[str, int]]:
    """(text, lead_chars) as ``_Fields`` reads them: the titles, then the bodies."""
    from app.rules.analysis import BODY_CHARS, LEAD_CHARS, _lead

    read = docs()
    return [(title, -1) for title, _ in read] + [(_lead(body, BODY_CHARS), LEAD_CHARS) for _, body in read]
