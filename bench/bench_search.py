"""Search at scale: N items built from the 1,500 real articles of ../shared/data/persian-news/
(fresh ids, dates spread over two years, 40 outlets of three scopes, a third of the items routed
to one or two of 20 agencies), written straight into the Whoosh backend and, in the same run,
into SQLite FTS5 over the same normalized text (``persian.normalize``, unicode61 tokenizer).

Measured: indexing rate (rebuild: ``procs`` writer processes, 50,000 documents per commit, then
the merge of small segments), the indexer's incremental rate (500-document commits on top of the full index,
one process, as the worker writes), query latency p50/p95/max per query class — search and
count alone, and with the page's highlighting of 20 hits — and peak RSS (this process plus its
writer processes, sampled), with the load average around each phase and the indexing CPU time
(the machine may be shared). FTS5 runs the same queries with exact counts.

Targets (issue 4) at 200,000 items: p95 < 150 ms, indexing ≥ 300 items/s, memory < 600 MB.

    .venv/bin/python bench/bench_search.py [--items 200000] [--procs 2] [--json out.json]
"""
from __future__ import annotations

import argparse
import json
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

from search_index.backend import HitText, IndexDoc, SearchRequest  # noqa: E402
from search_index.documents import version_of  # noqa: E402
from search_index.persian import normalize  # noqa: E402
from search_index.whoosh_backend import WhooshBackend  # noqa: E402

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


def articles() -> list[dict]:
    items = []
    for path in sorted(NEWS.glob("*.json")):
        items += json.loads(path.read_text(encoding="utf-8"))
    return items


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
                       published=START + timedelta(seconds=rng.randrange(730 * 86400)))
        yield IndexDoc(**{**doc.__dict__, "version": version_of(doc)})


class RssSampler(threading.Thread):
    """Peak memory of this process and its children (the writer processes), summed two ways:
    PSS (forked children share the parent's pages, which plain RSS would count twice; it also
    counts the pages of the memory-mapped index files that were read) and anonymous memory
    (the heap: what the processes really allocate)."""

    def __init__(self):
        super().__init__(daemon=True)
        self.peak_mb, self.peak_anon_mb, self.stop = 0.0, 0.0, threading.Event()

    def _tree(self) -> tuple[float, float]:
        me, pss, anon = os.getpid(), 0, 0
        for pid in [me] + [int(p) for p in os.listdir("/proc") if p.isdigit()]:
            try:
                status = Path(f"/proc/{pid}/status").read_text()
                fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
                if pid != me and int(fields.get("PPid", "0")) != me:
                    continue
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


def percentiles(values: list[float]) -> dict:
    values = sorted(values)
    pick = lambda q: values[min(len(values) - 1, int(round(q * (len(values) - 1))))]  # noqa: E731
    return {"n": len(values), "p50": round(pick(0.5), 1), "p95": round(pick(0.95), 1), "max": round(values[-1], 1)}


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (the writer processes)."""
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def run_whoosh(docs, count: int, procs: int, folder: Path, source: list[dict], limitmb: int) -> dict:
    backend = WhooshBackend(folder, writable=True, procs=procs, limitmb=limitmb)
    load_before, cpu_before = load_average(), cpu_seconds()
    started = time.perf_counter()
    backend.rebuild(docs, lambda last, done: print(f"  whoosh {done} docs {time.perf_counter() - started:.0f} s "
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
    size_mb = sum(p.stat().st_size for p in folder.iterdir()) / 2**20
    return {"index_seconds": round(indexed, 1), "merge_seconds": round(total - indexed, 1),
            "items_per_second": round(count / indexed, 1), "items_per_second_with_merge": round(count / total, 1),
            "items_per_cpu_second": round(count / cpu, 1), "index_load_average": [load_before, load_after],
            "incremental_items_per_second": round(incremental, 1), "index_mb": round(size_mb)}


def time_whoosh(folder: Path, source: list[dict], rounds: int) -> dict:
    reader = WhooshBackend(folder)

    def fetch(keys):
        out = {}
        for key in keys:
            a = source[(int(key.split(":")[1]) - 1) % len(source)]
            out[key] = HitText(a["title"], "\n".join([a.get("abstract", "")] + a["paragraphs"]))
        return out

    reader.search(SearchRequest("آب"))  # open the index
    load_before = load_average()
    timings: dict[str, list[float]] = {}
    rng = random.Random(5)
    for _ in range(rounds):
        for cls, text in QUERIES:
            for mode in MODES:
                request = request_for(mode, text, rng)
                c0, t0 = time.process_time(), time.perf_counter()
                reader.search(request)
                c1, t1 = time.process_time(), time.perf_counter()
                reader.search(request, fetch)
                t2 = time.perf_counter()
                timings.setdefault(f"{cls}/{mode}", []).append((t1 - t0) * 1000)
                timings.setdefault("all/search", []).append((t1 - t0) * 1000)
                timings.setdefault("all/search-cpu", []).append((c1 - c0) * 1000)  # this process's CPU time
                timings.setdefault("all/search+highlight", []).append((t2 - t1) * 1000)
    return {"latency_ms": {k: percentiles(v) for k, v in sorted(timings.items())},
            "search_load_average": [load_before, load_average()]}


FTS_SCHEMA = """
CREATE TABLE docs(id INTEGER PRIMARY KEY, published INTEGER, outlet INTEGER, scope TEXT, agencies TEXT);
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
    db = sqlite3.connect(path)
    db.executescript(FTS_SCHEMA)
    started = time.perf_counter()
    count = 0
    with db:
        for doc in docs:
            count += 1
            n = int(doc.key.split(":")[1])
            db.execute("INSERT INTO docs VALUES (?,?,?,?,?)", (n, int(doc.published.timestamp()), int(doc.outlet),
                                                             doc.scope, "," + ",".join(doc.agencies) + ","))
            db.execute("INSERT INTO fts(rowid, title, body) VALUES (?,?,?)",
                       (n, normalize(doc.title), normalize(doc.body)))
    rate = count / (time.perf_counter() - started)
    timings: dict[str, list[float]] = {}
    rng = random.Random(5)
    for _ in range(rounds):
        for cls, text in QUERIES:
            for mode in MODES:
                request = request_for(mode, text, rng)
                where, args = ["fts MATCH ?"], [fts_match(text)]
                if request.scopes:
                    where.append("docs.scope = ?"); args.append(request.scopes[0])  # noqa: E702
                if request.outlet_ids:
                    where.append("docs.outlet = ?"); args.append(request.outlet_ids[0])  # noqa: E702
                if request.agencies:
                    where.append("docs.agencies LIKE ?"); args.append(f"%,{request.agencies[0]},%")  # noqa: E702
                if request.date_from:
                    where.append("docs.published BETWEEN ? AND ?")
                    args += [int(datetime.combine(request.date_from, datetime.min.time()).timestamp()),
                             int(datetime.combine(request.date_to, datetime.min.time()).timestamp())]
                sql = " FROM fts JOIN docs ON docs.id = fts.rowid WHERE " + " AND ".join(where)
                order = "docs.published DESC" if request.sort == "newest" else "bm25(fts, 3.0, 1.0)"
                t0 = time.perf_counter()
                db.execute(f"SELECT docs.id {sql} ORDER BY {order} LIMIT 20", args).fetchall()
                db.execute(f"SELECT count(*) {sql}", args).fetchone()
                timings.setdefault(f"{cls}/{mode}", []).append((time.perf_counter() - t0) * 1000)
                timings.setdefault("all/search", []).append((time.perf_counter() - t0) * 1000)
    size_mb = path.stat().st_size / 2**20
    return {"items_per_second": round(rate, 1), "db_mb": round(size_mb),
            "latency_ms": {k: percentiles(v) for k, v in sorted(timings.items())}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=200_000)
    parser.add_argument("--procs", type=int, default=2)
    parser.add_argument("--limitmb", type=int, default=64, help="Whoosh pool size per writer process")
    parser.add_argument("--rounds", type=int, default=2, help="passes over the query set")
    parser.add_argument("--json", dest="json_path", help="also write the results to this file")
    parser.add_argument("--skip-fts", action="store_true")
    args = parser.parse_args()
    source = articles()
    sampler = RssSampler()
    sampler.start()
    out = {"items": args.items, "queries": len(QUERIES), "modes": list(MODES), "procs": args.procs,
           "limitmb": args.limitmb,
           "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()}}
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")) as tmp:
        folder = Path(tmp) / "whoosh"
        out["whoosh"] = run_whoosh(make_docs(source, args.items), args.items, args.procs, folder, source,
                                   args.limitmb)
        out["whoosh"]["peak_pss_mb_indexing"] = round(sampler.peak_mb)
        out["whoosh"]["peak_anon_mb_indexing"] = round(sampler.peak_anon_mb)
        sampler.peak_mb = sampler.peak_anon_mb = 0.0
        out["whoosh"].update(time_whoosh(folder, source, args.rounds))
        out["whoosh"]["peak_pss_mb_searching"] = round(sampler.peak_mb)
        out["whoosh"]["peak_anon_mb_searching"] = round(sampler.peak_anon_mb)
        if not args.skip_fts:
            out["fts5"] = run_fts(make_docs(source, args.items), Path(tmp) / "fts.db", args.rounds)
            w, f = out["whoosh"]["latency_ms"]["all/search"], out["fts5"]["latency_ms"]["all/search"]
            out["ratio_whoosh_to_fts5"] = {k: round(w[k] / f[k], 2) if f[k] else None for k in ("p50", "p95", "max")}
    sampler.stop.set()
    text = json.dumps(out, ensure_ascii=False, indent=1)
    print(text)
    if args.json_path:
        Path(args.json_path).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
