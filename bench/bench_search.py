"""Search at scale: N items built from the 1,500 real articles of ../shared/data/persian-news/
(fresh ids, dates spread over two years, 40 outlets of three scopes, a third of the items routed
to one or two of 20 agencies, 30 % of them copies in stories of three), written through the real
backends — Whoosh and tantivy (``search_index``, their ``rebuild`` as ``search rebuild`` calls it,
the Persian analysis included) — and, in the same run, into SQLite FTS5 over the same normalized
text (``persian.normalize``, unicode61 tokenizer, no stems or spelling variants).

Measured per engine (``--engines``, default all three): the rebuild rate (``procs`` writer or
analysis processes, 50,000 documents per commit, then ``finish_rebuild``), the indexer's
incremental rate (500-document commits on top of the full index, one process, as the worker
writes), query latency p50/p95/max per query class and mode in three kinds — ``search`` (no
collapse, no highlighting: the figures of the earlier runs), ``collapsed`` (one result per story)
and ``page`` (collapsed and the 20 hits highlighted: what the search page asks) — and peak memory
of the rebuild (this process and its children, sampled) and of the search process (each engine
searched in a fresh child process), with the load average around each phase and the CPU time.
FTS5 runs the same queries with exact counts, plain and collapsed (GROUP BY story). The totals of
every search are compared between the engines.

Targets (issue 4) at 200,000 items: p95 < 150 ms, indexing ≥ 300 items/s, memory < 600 MB.
Issue 16, tantivy at 1,000,000 items: page p95 ≤ 50 ms and ≤ FTS5's, rebuild ≥ 1,500 items/s,
search process ≤ 600 MB.

    .venv/bin/python bench/bench_search.py [--items 200000] [--procs 2] [--engines whoosh,tantivy,fts5]
        [--dir DIR] [--json out.json]
"""
from __future__ import annotations

import argparse
import gc
import json
import multiprocessing
import os
import platform
import random
import resource
import sqlite3
import sys
import tempfile
import threading
import time
from datetime import date, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from search_index.backend import HitText, IndexDoc, SearchRequest
from search_index.documents import version_of
from search_index.persian import normalize
from search_index.tantivy_backend import TantivyBackend
from search_index.whoosh_backend import WhooshBackend

NEWS = REPO.parent / "shared" / "data" / "persian-news"
START = datetime(2024, 3, 20)
SCOPES = ("local", "provincial", "national")
AGENCIES = [f"agency{n}" for n in range(20)]

# (class, text): fixed before measuring; what a provincial PR officer types.
QUERIES = [("word", q) for q in (
    "سیل", "واکسن", "جاده", "برق", "زلزله", "خشکسالی", "یارانه", "بنزین", "تورم", "بیکاری",
    "گرانی", "استاندار", "شهردار", "قاچاق", "بیمارستان", "ترافیک", "بارندگی", "مدارس")] + [
    ("words", q) for q in (
    "قطعی آب", "قطعی برق", "مسکن مهر", "آلودگی هوا", "قیمت بنزین", "وزیر نیرو", "شورای شهر",
    "بیمه تامین اجتماعی", "مواد مخدر", "جهاد کشاورزی", "محیط زیست", "دانش آموزان", "حوادث جاده ای",
    "احمدی نژاد", "لاریجانی", "هاشمی رفسنجانی")] + [
    ("phrase", q) for q in (
    '"مسکن مهر"', '"آلودگی هوا"', '"وزارت بهداشت"', '"شورای شهر"', '"سازمان حفاظت محیط زیست"',
    '"آموزش و پرورش"', '"بانک مرکزی"', '"نیروی انتظامی"', '"ستاد بحران"')] + [
    ("syntax", q) for q in (
    "سیل یا زلزله", "قطعی آب -برق", "واکسن OR آنفلوانزا", '"روابط عمومی" استانداری', "گرانی مرغ -برنج",
    "بنزین یا گازوئیل سهمیه")]
MODES = ("relevance", "newest", "filtered", "filtered-newest")


ENGINES = {"whoosh": WhooshBackend, "tantivy": TantivyBackend}
STORY_SHARE = 3  # of every 10 articles, one in each block of three rounds over the corpus is a story's copy
KINDS = ("search", "collapsed", "page")  # see the module: plain, one result per story, the page (+ highlighting)


def articles() -> list[dict]:
    items = []
    for path in sorted(NEWS.glob("*.json")):
        items += json.loads(path.read_text(encoding="utf-8"))
    return items


def story_of(n: int, articles_count: int) -> str:
    """Item ``n``'s story: 30 % of the articles come as copies — the same article in three
    consecutive rounds over the corpus (other outlets, other dates) shares one story."""
    article, round_ = (n - 1) % articles_count, (n - 1) // articles_count
    if article % 10 >= STORY_SHARE:
        return ""
    return f"c{(round_ // 3) * articles_count + article + 1}"


def make_docs(source: list[dict], count: int, seed: int = 1405, first: int = 1):
    rng = random.Random(seed)
    outlet_scope = {o: SCOPES[o % 3] for o in range(1, 41)}
    for n in range(first, first + count):
        a = source[(n - 1) % len(source)]
        outlet = rng.randint(1, 40)
        routed = tuple(sorted(rng.sample(AGENCIES, rng.choice((1, 2))))) if rng.random() < 0.33 else ()
        doc = IndexDoc(key=f"item:{n}", doc_type="item", title=a["title"],
                       body="\n".join([a.get("abstract", "")] + a["paragraphs"]), outlet=str(outlet),
                       scope=outlet_scope[outlet], agencies=routed,
                       published=START + timedelta(seconds=rng.randrange(730 * 86400)),
                       story=story_of(n, len(source)))
        yield IndexDoc(**{**doc.__dict__, "version": version_of(doc)})


class RssSampler(threading.Thread):
    """Peak memory of this process and its children (the writer or analysis processes), summed
    two ways: PSS (forked children share the parent's pages, which plain RSS would count twice; it
    also counts the pages of the memory-mapped index files that were read) and anonymous memory
    (the heap: what the processes really allocate). With ``children_only`` this process is left
    out (a search measured in its own child process)."""

    def __init__(self):
        super().__init__(daemon=True)
        self.peak_mb, self.peak_anon_mb, self.stop = 0.0, 0.0, threading.Event()
        self.children_only = False

    def reset(self, children_only: bool = False) -> None:
        self.peak_mb = self.peak_anon_mb = 0.0
        self.children_only = children_only

    @staticmethod
    def _children(me: int) -> list[int]:
        """This process's children, from /proc/<pid>/task/<tid>/children (reading every
        process's status twice a second cost the measured process ~7 % of its time)."""
        found = []
        for tid in os.listdir(f"/proc/{me}/task"):
            try:
                found += [int(pid) for pid in Path(f"/proc/{me}/task/{tid}/children").read_text().split()]
            except OSError:
                continue
        return found

    def _tree(self) -> tuple[float, float]:
        me, pss, anon = os.getpid(), 0, 0
        for pid in ([] if self.children_only else [me]) + self._children(me):
            try:
                rollup = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/smaps_rollup").read_text()
                              .splitlines()[1:] if ":" in line)  # the first line is the address range
            except OSError:
                continue
            pss += int(rollup.get("Pss", "0 kB").split()[0])
            anon += int(rollup.get("Anonymous", "0 kB").split()[0])
        return pss / 1024, anon / 1024

    def run(self):
        while not self.stop.wait(0.5):
            pss, anon = self._tree()
            self.peak_mb, self.peak_anon_mb = max(self.peak_mb, pss), max(self.peak_anon_mb, anon)


def request_for(mode: str, text: str, rng: random.Random) -> SearchRequest:
    filters = {}
    if mode.startswith("filtered"):
        kind = rng.choice(("scope", "outlet", "dates", "agency"))
        if kind == "scope":
            filters["scopes"] = (rng.choice(SCOPES),)
        elif kind == "outlet":
            filters["outlet_ids"] = (rng.randint(1, 40),)
        elif kind == "agency":
            filters["agencies"] = (rng.choice(AGENCIES),)
        else:
            first = date(2024, 4, 1) + timedelta(days=rng.randrange(600))
            filters.update(date_from=first, date_to=first + timedelta(days=90))
    return SearchRequest(text, sort="newest" if mode.endswith("newest") else "relevance", per_page=20, **filters)


def bench_requests(rounds: int) -> list[tuple[str, str, SearchRequest]]:
    """(class, mode, request) of every search of the run: 49 queries × 4 modes × ``rounds``, the
    filters drawn once, so every engine runs the same requests."""
    rng = random.Random(5)
    return [(cls, mode, request_for(mode, text, rng)) for _ in range(rounds) for cls, text in QUERIES for mode in MODES]


def percentiles(values: list[float]) -> dict:
    values = sorted(values)
    pick = lambda q: values[min(len(values) - 1, round(q * (len(values) - 1)))]
    return {"n": len(values), "p50": round(pick(0.5), 1), "p95": round(pick(0.95), 1), "max": round(values[-1], 1)}


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (the writer processes)."""
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def folder_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20


def run_backend(engine: str, docs, count: int, procs: int, folder: Path, source: list[dict], limitmb: int) -> dict:
    """Rebuild ``folder`` with ``engine`` from ``docs`` (the Persian analysis included in the
    rate), then the indexer's incremental path (5,000 new documents in 500-document commits)."""
    backend = ENGINES[engine](folder, writable=True, procs=procs, limitmb=limitmb)
    load_before, cpu_before = load_average(), cpu_seconds()
    started = time.perf_counter()
    backend.rebuild(docs, lambda last, done: print(f"  {engine} {done} docs {time.perf_counter() - started:.0f} s "
                                                   f"load {load_average()}", file=sys.stderr, flush=True),
                    fresh=True, batch_size=50_000)
    indexed = time.perf_counter() - started
    cpu = cpu_seconds() - cpu_before
    load_after = load_average()
    backend.finish_rebuild()
    total = time.perf_counter() - started
    extra = list(make_docs(source, 5000, seed=7, first=count + 1))
    started = time.perf_counter()
    for start in range(0, len(extra), 500):
        backend.index(extra[start:start + 500])
    incremental = len(extra) / (time.perf_counter() - started)
    return {"index_seconds": round(indexed, 1), "merge_seconds": round(total - indexed, 1),
            "items_per_second": round(count / indexed, 1), "items_per_second_with_merge": round(count / total, 1),
            "items_per_cpu_second": round(count / cpu, 1), "index_load_average": [load_before, load_after],
            "incremental_items_per_second": round(incremental, 1), "index_mb": round(folder_mb(folder))}


def run_whoosh(docs, count: int, procs: int, folder: Path, source: list[dict], limitmb: int) -> dict:
    return run_backend("whoosh", docs, count, procs, folder, source, limitmb)


def time_backend(engine: str, folder: Path, source: list[dict], rounds: int) -> dict:
    """Every request of ``bench_requests`` three ways (``KINDS``) through a read-only backend, as
    the web process opens it; the totals of each are kept for the comparison between engines."""
    reader = ENGINES[engine](folder)

    def fetch(keys):
        out = {}
        for key in keys:
            a = source[(int(key.split(":")[1]) - 1) % len(source)]
            out[key] = HitText(a["title"], "\n".join([a.get("abstract", "")] + a["paragraphs"]))
        return out

    reader.search(SearchRequest("آب"))  # open the index
    load_before = load_average()
    timings: dict[str, list[float]] = {}
    totals, timed_out = [], 0
    for cls, mode, request in bench_requests(rounds):
        collapsed = SearchRequest(**{**request.__dict__, "collapse": True})
        # The page first: it pays for the first reading of the query's postings (the search page
        # is what a user waits for); the same query collapsed and plain follow.
        c0, t0 = time.process_time(), time.perf_counter()
        page = reader.search(collapsed, fetch)
        c1, t1 = time.process_time(), time.perf_counter()
        stories = reader.search(collapsed)
        t2 = time.perf_counter()
        plain = reader.search(request)
        t3 = time.perf_counter()
        timed_out += sum(r.timed_out for r in (plain, stories, page))
        totals.append([plain.total, stories.total, stories.items_total])
        for kind, ms in (("page", t1 - t0), ("collapsed", t2 - t1), ("search", t3 - t2)):
            timings.setdefault(f"{kind}/{cls}/{mode}", []).append(ms * 1000)
            timings.setdefault(f"{kind}/all", []).append(ms * 1000)
        timings.setdefault("page-cpu/all", []).append((c1 - c0) * 1000)  # this process's CPU time
    return {"latency_ms": {k: percentiles(v) for k, v in sorted(timings.items())},
            "search_load_average": [load_before, load_average()], "timed_out": timed_out, "totals": totals}


def _time_in_child(engine: str, folder: str, rounds: int, out) -> None:
    gc.freeze()
    out.put(time_backend(engine, Path(folder), articles(), rounds))


def time_in_child(engine: str, folder: Path, rounds: int, sampler: RssSampler) -> dict:
    """``time_backend`` in a fresh (spawned) process: its peak memory is the search process's own."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    child = context.Process(target=_time_in_child, args=(engine, str(folder), rounds, queue))
    sampler.reset(children_only=True)
    child.start()
    result = queue.get()
    child.join()
    result["search_process_peak_pss_mb"] = round(sampler.peak_mb)
    result["search_process_peak_anon_mb"] = round(sampler.peak_anon_mb)
    sampler.reset()
    return result


FTS_SCHEMA = """
CREATE TABLE docs(id INTEGER PRIMARY KEY, published INTEGER, outlet INTEGER, scope TEXT, agencies TEXT, story INTEGER);
CREATE VIRTUAL TABLE fts USING fts5(title, body, tokenize='unicode61 remove_diacritics 2');
CREATE INDEX docs_published ON docs(published);
"""


def fts_match(text: str) -> str:
    """Our search syntax in FTS5's: words AND-ed, "phrases", -word → NOT, OR/یا → OR."""
    parts, negated = [], []
    for token in text.replace("«", '"').replace("»", '"').split('"')[1::2]:
        parts.append('"' + " ".join(normalize(token).replace("\u200c", " ").split()) + '"')
    rest = "".join(text.replace("«", '"').replace("»", '"').split('"')[0::2]).split()
    alternatives = []
    for word in rest:
        if word in ("OR", "یا"):
            alternatives.append(parts.pop() if parts else "")
            continue
        target = negated if word.startswith("-") else parts
        for w in normalize(word.lstrip("-")).replace("\u200c", " ").split():
            target.append(f'"{w}"')
        if alternatives and target is parts:
            parts.append(f"({alternatives.pop()} OR {parts.pop()})")
    query = " AND ".join(parts)
    return query + "".join(f" NOT {n}" for n in negated)


def run_fts(docs, path: Path, rounds: int) -> dict:
    """FTS5 over the same items; searched plain and with copies collapsed (GROUP BY the story: a
    story's best copy by the sort, stories counted with count(DISTINCT))."""
    db = sqlite3.connect(path)
    if docs is None:  # --search-only: the database of an earlier run
        return _search_fts(db, rounds, {"db_mb": round(path.stat().st_size / 2**20)})
    db.executescript(FTS_SCHEMA)
    load_before = load_average()
    started = time.perf_counter()
    count = 0
    with db:
        for doc in docs:
            count += 1
            n = int(doc.key.split(":")[1])
            db.execute("INSERT INTO docs VALUES (?,?,?,?,?,?)", (n, int(doc.published.timestamp()), int(doc.outlet),
                                                               doc.scope, "," + ",".join(doc.agencies) + ",",
                                                               int(doc.story[1:]) if doc.story else None))
            db.execute("INSERT INTO fts(rowid, title, body) VALUES (?,?,?)",
                       (n, normalize(doc.title), normalize(doc.body)))
    rate = count / (time.perf_counter() - started)
    return _search_fts(db, rounds, {"items_per_second": round(rate, 1), "index_load_average": [load_before, load_average()],
                                    "db_mb": round(path.stat().st_size / 2**20)})


def _search_fts(db: sqlite3.Connection, rounds: int, out: dict) -> dict:
    timings: dict[str, list[float]] = {}
    totals = []
    load_before = load_average()
    for cls, mode, request in bench_requests(rounds):
        where, args = ["fts MATCH ?"], [fts_match(request.text)]
        if request.scopes:
            where.append("docs.scope = ?"); args.append(request.scopes[0])
        if request.outlet_ids:
            where.append("docs.outlet = ?"); args.append(request.outlet_ids[0])
        if request.agencies:
            where.append("docs.agencies LIKE ?"); args.append(f"%,{request.agencies[0]},%")
        if request.date_from:
            where.append("docs.published BETWEEN ? AND ?")
            args += [int(datetime.combine(request.date_from, datetime.min.time()).timestamp()),
                     int(datetime.combine(request.date_to, datetime.min.time()).timestamp())]
        sql = " FROM fts JOIN docs ON docs.id = fts.rowid WHERE " + " AND ".join(where)
        newest = request.sort == "newest"
        order = "docs.published DESC" if newest else "bm25(fts, 3.0, 1.0)"
        t0 = time.perf_counter()
        db.execute(f"SELECT docs.id {sql} ORDER BY {order} LIMIT 20", args).fetchall()
        plain = db.execute(f"SELECT count(*) {sql}", args).fetchone()[0]
        t1 = time.perf_counter()
        # bm25() is not allowed inside an aggregate: rank in a subquery, then keep each story's best copy
        rank = "docs.published" if newest else "-bm25(fts, 3.0, 1.0)"
        db.execute(f"WITH m AS MATERIALIZED (SELECT docs.id AS id, docs.story AS story, {rank} AS r {sql}) "
                   "SELECT coalesce(story, -id) AS s, max(r) AS best FROM m GROUP BY s ORDER BY best DESC LIMIT 20",
                   args).fetchall()
        stories = db.execute(f"SELECT count(DISTINCT coalesce(docs.story, -docs.id)) {sql}", args).fetchone()[0]
        t2 = time.perf_counter()
        totals.append([plain, stories, plain])
        for kind, ms in (("search", t1 - t0), ("collapsed", t2 - t1)):
            timings.setdefault(f"{kind}/{cls}/{mode}", []).append(ms * 1000)
            timings.setdefault(f"{kind}/all", []).append(ms * 1000)
    return {**out, "latency_ms": {k: percentiles(v) for k, v in sorted(timings.items())},
            "search_load_average": [load_before, load_average()], "totals": totals}


def compare_totals(out: dict, requests: list) -> dict:
    """Where the engines' totals differ: [plain total, stories, copies] per search. FTS5 has no
    stems and no spelling variants, so its counts are expected to differ from the two backends'."""
    engines = [e for e in ("whoosh", "tantivy", "fts5") if "totals" in out.get(e, {})]
    found = {}
    for i, a in enumerate(engines):
        for b in engines[i + 1:]:
            differ = [(n, x, y) for n, (x, y) in enumerate(zip(out[a]["totals"], out[b]["totals"])) if x != y]
            found[f"{a}-{b}"] = {"searches": len(out[a]["totals"]), "differ": len(differ),
                                 "examples": [{"query": requests[n][2].text, "mode": requests[n][1], a: x, b: y}
                                              for n, x, y in differ[:5]]}
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=200_000)
    parser.add_argument("--procs", type=int, default=2)
    parser.add_argument("--limitmb", type=int, default=64, help="writer memory (Whoosh: per process; tantivy: "
                                                                "at least 50 per thread), as SEARCH_INDEX_LIMITMB")
    parser.add_argument("--rounds", type=int, default=2, help="passes over the query set")
    parser.add_argument("--engines", default="whoosh,tantivy,fts5", help="comma-separated: whoosh, tantivy, fts5")
    parser.add_argument("--dir", help="folder for the indexes (default: a temporary folder, deleted at the end); "
                                      "BENCH_TMP is the temporary folder's parent")
    parser.add_argument("--json", dest="json_path", help="also write the results to this file")
    parser.add_argument("--skip-fts", action="store_true", help="the same as leaving fts5 out of --engines")
    parser.add_argument("--search-only", action="store_true", help="search the indexes an earlier run left in --dir")
    args = parser.parse_args()
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    if args.skip_fts and "fts5" in engines:
        engines.remove("fts5")
    unknown = set(engines) - set(ENGINES) - {"fts5"}
    if unknown:
        parser.error(f"unknown engines: {', '.join(sorted(unknown))}")
    if args.search_only and not args.dir:
        parser.error("--search-only needs --dir")
    source = articles()
    sampler = RssSampler()
    sampler.start()
    out = {"items": args.items, "search_only": args.search_only, "queries": len(QUERIES), "modes": list(MODES), "rounds": args.rounds,
           "procs": args.procs, "limitmb": args.limitmb, "engines": engines, "started": time.strftime("%Y-%m-%d %H:%M:%S"),
           "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()}}
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")) as tmp:
        base = Path(args.dir) if args.dir else Path(tmp)
        base.mkdir(parents=True, exist_ok=True)
        for engine in engines:
            if engine == "fts5":
                continue
            folder = base / engine
            sampler.reset()
            result = {}
            if not args.search_only:
                result = run_backend(engine, make_docs(source, args.items), args.items, args.procs, folder, source,
                                     args.limitmb)
                result["peak_pss_mb_indexing"] = round(sampler.peak_mb)
                result["peak_anon_mb_indexing"] = round(sampler.peak_anon_mb)
                gc.collect()
            result.update(time_in_child(engine, folder, args.rounds, sampler))
            out[engine] = result
            print(f"  {engine} done: {json.dumps({k: v for k, v in result.items() if k != 'totals'})[:900]}",
                  file=sys.stderr, flush=True)
        if "fts5" in engines:
            path = base / "fts.db"
            if not args.search_only:
                path.unlink(missing_ok=True)
            out["fts5"] = run_fts(None if args.search_only else make_docs(source, args.items), path, args.rounds)
        for engine in engines:
            if engine != "fts5" and "fts5" in engines:
                w, f = out[engine]["latency_ms"]["search/all"], out["fts5"]["latency_ms"]["search/all"]
                out[f"ratio_{engine}_to_fts5"] = {k: round(w[k] / f[k], 2) if f[k] else None for k in ("p50", "p95", "max")}
        out["totals_compared"] = compare_totals(out, bench_requests(args.rounds))
    sampler.stop.set()
    out["finished"] = time.strftime("%Y-%m-%d %H:%M:%S")
    text = json.dumps(out, ensure_ascii=False, indent=1)
    print(json.dumps({k: v for k, v in out.items() if k not in engines}, ensure_ascii=False, indent=1))
    if args.json_path:
        Path(args.json_path).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
