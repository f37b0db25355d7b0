"""A desk's year at scale for the web benchmark (issue 16, item 3): 1,000,000 items on PostgreSQL.

    createdb -h 127.0.0.1 -U postgres h_web1m_million
    HAMZABAN_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/h_web1m_million \
    HAMZABAN_DATA_DIR=/tmp/web1m/data HAMZABAN_SEARCH_BACKEND=tantivy \
    flock /tmp/bench.lock .venv/bin/python bench/make_million.py [--items 1000000]
    … then `flock /tmp/bench.lock .venv/bin/flask --app app search rebuild` (the outbox is left empty).

What it writes, into an empty database:

1. `flask init` and `flask seed-demo --no-history`: the 20 agencies, their 42 starter rules, the
   demo users (their passwords go to ``<data>/bench-users.txt``, mode 600, "username password" a
   line), the demo's feeds, cases, contacts and conferences;
2. 300 more outlets (local 40 %, provincial 30 %, national 30 %), one feed each;
3. ``--items`` items built from the 1,500 real articles of ../shared/data/persian-news (title, the
   abstract as the summary, abstract and paragraphs as the text; fresh GUIDs and links), published
   over the year before now in id order, as stories: 80 % of stories one copy, the rest 2–4
   copies in other outlets within 12 hours, clustered (story_clusters); one sighting per item;
   the article's MinHash signature on every copy (its LSH bands, 21 rows an item, are **not**
   written: only the ingest's near-duplicate look-up reads them, no page does);
4. routes as the ingest makes them: each article is analyzed once and matched against the
   agencies' active rules for each outlet scope (the real RuleSet; the question detector for
   ``is_question`` and its reasons; a question no rule took from a local or provincial outlet is
   an unassigned route); every copy gets its article's routes for its outlet's scope, with the
   rule links (item_route_rules). The classifier's routes are left out. Statuses by age: a route
   older than 14 days is new 20 %, seen 10 %, accepted 30 %, dismissed 40 %; a younger one new
   60 %, seen 20 %, accepted 10 %, dismissed 10 %; 300 waiting routes carry a reassignment request;
5. 400 cases opened through ``open_case`` (the admin as actor) from question items routed to an
   agency, over the last 90 days, 3/4 accepted at once; 3,000 contacts of the agencies with
   the outlets over the year.

Bulk: items, sightings, clusters, routes and rule links go in with COPY (psycopg), not through the
ingest service (~300 items/s: 1,000,000 would take an hour). Afterwards: sequences set past the ids,
feeds' item counts, ANALYZE.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
NEWS = ROOT.parent / "shared" / "data" / "persian-news"
SCOPE_SHARES = (("local", 0.4), ("provincial", 0.3), ("national", 0.3))
COPIES = ((1, 0.80), (2, 0.12), (3, 0.05), (4, 0.03))
OLD_STATUSES = (("new", 0.2), ("seen", 0.1), ("accepted", 0.3), ("dismissed", 0.4))
YOUNG_STATUSES = (("new", 0.6), ("seen", 0.2), ("accepted", 0.1), ("dismissed", 0.1))


def pick(rng: random.Random, shares) -> str:
    x, total = rng.random(), 0.0
    for value, share in shares:
        total += share
        if x < total:
            return value
    return shares[-1][0]


def flask(*args: str) -> str:
    out = subprocess.run([sys.executable, "-m", "flask", "--app", "app", *args], cwd=ROOT, capture_output=True,
                         text=True, check=False)
    if out.returncode:
        sys.exit(f"flask {' '.join(args)} failed:\n{out.stdout}\n{out.stderr}")
    return out.stdout


def seed(data_dir: Path) -> None:
    flask("init")
    seeded = flask("seed-demo", "--no-history")
    users = re.findall(r"^\s+(\S+)\s+(admin|supervisor|manager|staff|viewer)\s+(\S+)\s*$", seeded, re.MULTILINE)
    if not users:
        sys.exit("no users in seed-demo's output:\n" + seeded)
    path = data_dir / "bench-users.txt"
    path.touch(mode=0o600)
    path.write_text("".join(f"{name} {password}\n" for name, _role, password in users))
    print(f"seed-demo: {len(users)} users, passwords in {path}", flush=True)


def articles() -> list[dict]:
    found = []
    for path in sorted(NEWS.glob("*.json")):
        for a in json.loads(path.read_text(encoding="utf-8")):
            text = "\n\n".join([a["abstract"], *a["paragraphs"]]).strip()
            if a["title"].strip() and text:
                found.append({"title": a["title"].strip(), "abstract": a["abstract"].strip(), "text": text,
                              "categories": [c for c in (a.get("cat"), a.get("subcat")) if c][:50]})
    return found


def copy_rows(cursor, table: str, columns: list[str], rows) -> int:
    n = 0
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            n += 1
    return n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--cases", type=int, default=400)
    parser.add_argument("--contacts", type=int, default=3000)
    parser.add_argument("--outlets", type=int, default=300)
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args()
    if not os.environ.get("HAMZABAN_DATABASE_URL", "").startswith("postgresql"):
        sys.exit("set HAMZABAN_DATABASE_URL to an empty PostgreSQL database (and HAMZABAN_DATA_DIR)")
    data_dir = Path(os.environ.get("HAMZABAN_DATA_DIR", "instance"))
    data_dir.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    seed(data_dir)

    from sqlalchemy import func, select, text

    from app import create_app
    from app.clock import local_today, to_local
    from app.extensions import db
    from app.monitor import dedupe
    from app.rules.analysis import analyze_item
    from app.rules.detector import detect_public_question
    from app.services.routing import active_rules
    from models import (
        Agency,
        Contact,
        Feed,
        Item,
        ItemRoute,
        Outlet,
        PublicQuestion,
        User,
        utcnow,
    )

    rng = random.Random(args.seed)
    app = create_app()
    with app.app_context():
        session = db.session
        now = utcnow().replace(microsecond=0)
        users = {u.username: u for u in session.scalars(select(User).execution_options(unscoped=True))}
        admin = users["admin"]
        agencies = list(session.scalars(select(Agency).order_by(Agency.id)))

        # 2. outlets and feeds
        for n in range(args.outlets):
            scope = pick(rng, SCOPE_SHARES)
            outlet = Outlet(name=f"رسانهٔ آزمون {n + 1}", kind=rng.choice(("news_agency", "newspaper", "website")), scope=scope, city="", is_active=True,
                            website=f"https://outlet{n + 1}.example.ir", name_key=f"رسانه آزمون {n + 1}")
            session.add(outlet)
            session.flush()
            session.add(Feed(url=f"https://outlet{n + 1}.example.ir/rss", title=outlet.name, outlet_id=outlet.id,
                             is_active=True, poll_interval_minutes=15, next_check_at=now, consecutive_failures=0,
                             item_count=0))
        session.commit()
        feeds = [(f.id, f.outlet_id) for f in session.scalars(select(Feed).where(Feed.outlet_id.is_not(None))
                                                               .order_by(Feed.id))]
        scope_of = dict(session.execute(select(Outlet.id, Outlet.scope)).all())
        print(f"outlets and feeds: {len(feeds)} feeds; {time.monotonic() - started:.0f} s", flush=True)

        # 3–4. the articles, analyzed and routed once per outlet scope
        source = articles()
        active = active_rules()
        prepared = []
        for a in source:
            analyzed = analyze_item(a["title"], a["text"])
            detection = detect_public_question(a["title"], a["text"], item=analyzed)
            reasons = [{"code": r.code, "text": r.text_fa, "snippet": r.snippet} for r in detection.reasons] \
                if detection.is_question else []
            routes = {}
            for scope in ("local", "provincial", "national"):
                by_agency: dict[int, list] = {}
                for rule_id, match in active.ruleset.match(analyzed, outlet_scope=scope, outlet_id=None):
                    agency_id, name = active.rules[rule_id]
                    words = list(dict.fromkeys(c.found for c in match.clauses))
                    by_agency.setdefault(agency_id, []).append({"rule_id": rule_id, "rule": name, "words": words})
                if not by_agency and detection.is_question and scope in app.config["ROUTING_UNASSIGNED_SCOPES"]:
                    by_agency[None] = []
                routes[scope] = by_agency
            sig = dedupe.signature(a["title"], a["text"])
            prepared.append({**a, "routes": routes, "is_question": detection.is_question,
                             "reasons": json.dumps(reasons, ensure_ascii=False),
                             "categories": json.dumps(a["categories"], ensure_ascii=False),
                             "summary_html": f"<p>{a['abstract']}</p>" if a["abstract"] else "",
                             "content_hash": dedupe.content_hash(a["title"], a["text"]),
                             "minhash": dedupe.to_bytes(sig) if sig is not None else None})
        routed = sum(1 for p in prepared if p["routes"]["national"] or p["routes"]["local"])
        print(f"{len(prepared)} articles analyzed, {routed} routed in some scope; "
              f"{time.monotonic() - started:.0f} s", flush=True)

        # the stories: copies, times, outlets; ids in order of publication
        first_item = (session.scalar(select(func.max(Item.id))) or 0) + 1
        first_route = (session.scalar(select(func.max(ItemRoute.id))) or 0) + 1
        first_cluster = (session.scalar(text("SELECT coalesce(max(id), 0) FROM story_clusters")) or 0) + 1
        span = 365 * 86400
        planned = []  # (published_at offset seconds, article index, story number)
        stories = 0
        while len(planned) < args.items:
            k = int(pick(rng, COPIES))
            k = min(k, args.items - len(planned))
            at, article = rng.uniform(0, span), rng.randrange(len(prepared))
            planned += [(at + (rng.uniform(0, 12 * 3600) if c else 0), article, stories) for c in range(k)]
            stories += 1
        planned.sort()
        start = now - timedelta(seconds=span + 12 * 3600)
        story_copies: dict[int, list[int]] = {}
        for n, (_at, _article, story) in enumerate(planned):
            story_copies.setdefault(story, []).append(first_item + n)
        cluster_of: dict[int, int] = {}
        clusters = []
        next_cluster = first_cluster
        for story, ids in story_copies.items():
            if len(ids) > 1:
                cluster_of[story] = next_cluster
                first_at = start + timedelta(seconds=int(planned[ids[0] - first_item][0]))
                clusters.append((next_cluster, ids[0], len(ids), first_at + timedelta(minutes=15)))
                next_cluster += 1

        raw = db.engine.raw_connection()
        try:
            cur = raw.cursor()
            staff_id = users["water.staff"].id
            item_cols = ["id", "feed_id", "outlet_id", "guid", "link", "canonical_link", "link_hash", "title",
                         "summary_html", "text", "author", "categories", "language", "published_at",
                         "published_is_estimated", "fetched_at", "updated_at", "content_hash", "minhash",
                         "cluster_id"]
            sighting_rows, route_rows, link_rows = [], [], []
            route_id = first_route
            story_outlets: dict[int, set] = {}
            requests_left = 300

            def items():
                nonlocal route_id, requests_left
                for n, (at, article, story) in enumerate(planned):
                    item_id = first_item + n
                    a = prepared[article]
                    used = story_outlets.setdefault(story, set())
                    feed_id, outlet_id = rng.choice(feeds)
                    while outlet_id in used and len(used) < len(feeds):
                        feed_id, outlet_id = rng.choice(feeds)
                    used.add(outlet_id)
                    published = start + timedelta(seconds=int(at))
                    fetched = published + timedelta(seconds=rng.randint(60, 900))
                    guid = f"urn:bench:{item_id}:{rng.getrandbits(48):012x}"
                    link = f"https://outlet{outlet_id}.example.ir/news/{item_id}"
                    canonical = dedupe.canonical_link(link)
                    cluster_id = cluster_of.get(story)
                    sighting_rows.append((feed_id, dedupe.entry_key(guid, link, a["title"], a["text"]), item_id,
                                          outlet_id, a["content_hash"], fetched))
                    age = (now - published).days
                    for agency_id, matched in a["routes"][scope_of[outlet_id]].items():
                        status = pick(rng, OLD_STATUSES if age > 14 else YOUNG_STATUSES)
                        changed = status != "new"
                        request = None
                        if agency_id is not None and status in ("new", "seen") and requests_left and \
                                rng.random() < 0.002:
                            other = rng.choice([ag.id for ag in agencies if ag.id != agency_id])
                            request = (other, "این خبر به کار سازمان دیگری مربوط است.", staff_id,
                                       fetched + timedelta(hours=2))
                            requests_left -= 1
                        route_rows.append((
                            route_id, item_id, agency_id, json.dumps([m["rule_id"] for m in matched]),
                            json.dumps(matched, ensure_ascii=False), a["is_question"], a["reasons"], status,
                            admin.id if changed else None,
                            fetched + timedelta(hours=rng.randint(1, 72)) if changed else None, fetched,
                            *(request or (None, None, None, None)), "[]"))
                        link_rows.extend((route_id, m["rule_id"]) for m in matched)
                        route_id += 1
                    yield (item_id, feed_id, outlet_id, guid, link, canonical or "", dedupe.link_hash(canonical),
                           a["title"], a["summary_html"], a["text"], "", a["categories"], "fa", published, False,
                           fetched, None, a["content_hash"], a["minhash"], cluster_id)

            cur.execute("SET synchronous_commit = off")
            copy_rows(cur, "story_clusters", ["id", "first_item_id", "item_count", "created_at"], clusters)
            batch = 100_000
            written = 0
            gen = items()
            while written < len(planned):
                chunk = []
                for row in gen:
                    chunk.append(row)
                    if len(chunk) >= batch:
                        break
                written += copy_rows(cur, "items", item_cols, chunk)
                copy_rows(cur, "item_sightings",
                          ["feed_id", "key_hash", "item_id", "outlet_id", "content_hash", "first_seen_at"],
                          sighting_rows)
                copy_rows(cur, "item_routes",
                          ["id", "item_id", "agency_id", "rule_ids", "matched", "is_question", "question_reasons",
                           "status", "status_changed_by_id", "status_changed_at", "created_at",
                           "request_agency_id", "request_reason", "request_by_id", "request_at", "model_words"],
                          route_rows)
                copy_rows(cur, "item_route_rules", ["item_route_id", "rule_id"], link_rows)
                sighting_rows.clear()
                route_rows.clear()
                link_rows.clear()
                raw.commit()
                print(f"  {written:,} items, {route_id - first_route:,} routes; "
                      f"{time.monotonic() - started:.0f} s", flush=True)
            for table, column, value in (("items", "id", first_item + len(planned)),
                                         ("item_routes", "id", route_id), ("story_clusters", "id", next_cluster),
                                         ("item_sightings", "id", None)):
                cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
                            f"(SELECT coalesce(max({column}), 1) FROM {table}))")
            cur.execute("UPDATE feeds SET item_count = c.n FROM (SELECT feed_id, count(*) AS n FROM items "
                        "GROUP BY feed_id) c WHERE c.feed_id = feeds.id")
            raw.commit()
            print(f"items done: {len(planned):,} items, {len(clusters):,} clusters, "
                  f"{route_id - first_route:,} routes; {time.monotonic() - started:.0f} s", flush=True)
        finally:
            raw.close()

        # 5. cases (through the service) and contacts
        from app.scoping import agency_scope
        from app.services import ServiceError
        from app.services.cases import open_case
        made = 0
        candidates = session.execute(
            select(ItemRoute.item_id, ItemRoute.agency_id, Item.published_at)
            .join(Item, Item.id == ItemRoute.item_id)
            .where(ItemRoute.is_question, ItemRoute.agency_id.is_not(None), ItemRoute.status.in_(("new", "seen")),
                   ItemRoute.item_id >= first_item + len(planned) * 3 // 4)
            .order_by(func.random()).limit(args.cases * 2).execution_options(unscoped=True)).all()
        by_id = {a.id: a for a in agencies}
        with agency_scope(None):
            today = local_today()
            for item_id, agency_id, published_at in candidates:
                if made >= args.cases:
                    break
                # opened within the last 90 days, and not before the item was published (refused)
                first_day = max(today - timedelta(days=89), to_local(published_at).date())
                try:
                    open_case(admin, agency=by_id[agency_id], item_id=item_id, kind="question",
                              opened_on=first_day + timedelta(days=rng.randint(0, (today - first_day).days)),
                              accept=rng.random() < 0.75)
                    made += 1
                except ServiceError as exc:  # an item the agency already has a case for: the next one
                    session.rollback()
                    print(f"  case for item {item_id} refused: {exc}", flush=True)
        outlet_ids = [o for _f, o in feeds]
        for _ in range(args.contacts):
            agency = rng.choice(agencies)
            session.add(Contact(agency_id=agency.id, outlet_id=rng.choice(outlet_ids),
                                direction=rng.choice(("outbound", "inbound")), channel="phone",
                                topic="هماهنگی پوشش خبری", notes="",
                                happened_at=now - timedelta(seconds=rng.randint(0, span)), logged_by_id=admin.id))
        session.commit()
        counts = {name: session.scalar(select(func.count()).select_from(model).execution_options(unscoped=True))
                  for name, model in (("items", Item), ("routes", ItemRoute), ("cases", PublicQuestion),
                                      ("contacts", Contact))}
    raw = None
    import psycopg
    conninfo = os.environ["HAMZABAN_DATABASE_URL"].replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    print(json.dumps({**counts, "cases_opened": made, "seconds": round(time.monotonic() - started)}), flush=True)


if __name__ == "__main__":
    main()
