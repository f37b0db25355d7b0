"""Where a tantivy rebuild's CPU goes, per process and per thread (issue 16's rebuild line).

Runs ``TantivyBackend.rebuild`` as ``bench_search.py`` does (its documents, ``--procs`` analysis
processes, 50,000 documents per commit, a fresh folder, ``--limitmb`` of writer memory: 64 as
there) and samples every thread of this process and every child process from ``/proc`` twice a
second: the writer's thread (main), the pool's
task and result threads (pickling the chunks out, unpickling the columns back), tantivy's own
threads (indexing, merging, by their names) and each analysis process. The writer's thread is
split further by timing its calls with ``time.thread_time``: waiting for the next analysed
document (``stream``), building the tantivy ``Document`` (``tantivy_document``), handing it over
(``add_document``) and the commits. Prints one JSON object (``--json`` writes it too).

    .venv/bin/python bench/profile_rebuild.py [--items 50000] [--procs 2] [--dir DIR]

Run from a ``git worktree`` of another commit (copy this file there) to compare trees.
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from bench_search import articles, make_docs  # noqa: E402

import search_index.tantivy_backend as tb  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")


def _stat(path: str) -> tuple[str, float] | None:
    try:
        text = Path(path).read_text()
    except OSError:
        return None
    name = text[text.index("(") + 1:text.rindex(")")]
    fields = text[text.rindex(")") + 2:].split()
    return name, (int(fields[11]) + int(fields[12])) / TICK  # utime + stime


class Sampler(threading.Thread):
    """The last CPU seconds seen of every thread here and of every child process."""

    def __init__(self):
        super().__init__(daemon=True, name="sampler")
        self.threads: dict[int, tuple[str, float]] = {}
        self.children: dict[int, tuple[str, float]] = {}
        self.names: dict[int, str] = {}
        self.stop = threading.Event()

    def sample(self) -> None:
        me = os.getpid()
        self.names.update((t.native_id, t.name) for t in threading.enumerate())
        for tid in os.listdir(f"/proc/{me}/task"):
            found = _stat(f"/proc/{me}/task/{tid}/stat")
            if found:
                self.threads[int(tid)] = found
            try:
                kids = Path(f"/proc/{me}/task/{tid}/children").read_text().split()
            except OSError:
                kids = []
            for pid in kids:
                found = _stat(f"/proc/{pid}/stat")
                if found:
                    self.children[int(pid)] = found

    def run(self) -> None:
        while not self.stop.wait(0.5):
            self.sample()


class Clock:
    """CPU (thread_time) and wall seconds spent in named calls of the writer's thread."""

    def __init__(self):
        self.cpu: dict[str, float] = defaultdict(float)
        self.wall: dict[str, float] = defaultdict(float)

    def timed(self, name: str, call):
        def wrapper(*args, **kwargs):
            c, w = time.thread_time(), time.perf_counter()
            try:
                return call(*args, **kwargs)
            finally:
                self.cpu[name] += time.thread_time() - c
                self.wall[name] += time.perf_counter() - w
        return wrapper

    def stream(self, iterator):
        iterator = iter(iterator)
        while True:
            c, w = time.thread_time(), time.perf_counter()
            try:
                item = next(iterator)
            except StopIteration:
                return
            finally:
                self.cpu["stream"] += time.thread_time() - c
                self.wall["stream"] += time.perf_counter() - w
            yield item


class TimedWriter:
    def __init__(self, writer, clock: Clock):
        self._writer = writer
        self.add_document = clock.timed("add_document", writer.add_document)
        self.commit = clock.timed("commit", writer.commit)
        self.wait_merging_threads = clock.timed("wait_merging_threads", writer.wait_merging_threads)

    def __getattr__(self, name):
        return getattr(self._writer, name)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=50_000)
    parser.add_argument("--procs", type=int, default=2)
    parser.add_argument("--limitmb", type=int, default=64)
    parser.add_argument("--dir", default=None)
    parser.add_argument("--json", default=None)
    args = parser.parse_args()
    source = articles()
    clock = Clock()
    tb.tantivy_document = clock.timed("tantivy_document", tb.tantivy_document)
    analysed = tb._analysed
    tb._analysed = lambda *a: clock.stream(analysed(*a))
    original_writer = tb.TantivyBackend._writer
    tb.TantivyBackend._writer = lambda self, *a, **k: TimedWriter(original_writer(self, *a, **k), clock)
    collections = defaultdict(lambda: [0, 0.0])
    gc_started = [0.0]

    def gc_timed(phase, info):  # the writer's process's cyclic collections (any thread)
        if phase == "start":
            gc_started[0] = time.perf_counter()
        else:
            collections[info["generation"]][0] += 1
            collections[info["generation"]][1] += time.perf_counter() - gc_started[0]

    gc.callbacks.append(gc_timed)
    sampler = Sampler()
    with tempfile.TemporaryDirectory(dir=args.dir) as folder:
        backend = tb.TantivyBackend(Path(folder), writable=True, procs=args.procs, limitmb=args.limitmb)
        load_before = os.getloadavg()
        me0, kids0 = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        main_cpu0 = time.thread_time()
        sampler.sample()
        at_start = dict(sampler.threads)
        sampler.start()
        started = time.perf_counter()
        count = backend.rebuild(make_docs(source, args.items), fresh=True, batch_size=50_000)
        wall = time.perf_counter() - started
        main_cpu = time.thread_time() - main_cpu0
        sampler.stop.set()
        sampler.join()
        me1, kids1 = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    self_cpu = me1.ru_utime + me1.ru_stime - me0.ru_utime - me0.ru_stime
    kids_cpu = kids1.ru_utime + kids1.ru_stime - kids0.ru_utime - kids0.ru_stime
    per_ms = lambda seconds: round(seconds * 1000 / count, 4)
    threads: dict[str, float] = defaultdict(float)
    for tid, (comm, cpu) in sampler.threads.items():
        name = "main" if tid == os.getpid() else sampler.names.get(tid, comm)
        threads[name.split(" ")[-1].strip("()") if name.startswith("Thread-") else name] += (
            cpu - at_start.get(tid, ("", 0.0))[1])
    out = {
        "tree": str(REPO), "items": count, "procs": args.procs, "limitmb": args.limitmb, "wall_s": round(wall, 2),
        "items_per_s": round(count / wall, 1), "items_per_cpu_s": round(count / (self_cpu + kids_cpu), 1),
        "load": [round(x, 2) for x in load_before] + [round(x, 2) for x in os.getloadavg()],
        "ms_per_doc": {"all": per_ms(self_cpu + kids_cpu), "writer_process": per_ms(self_cpu),
                       "analysis_processes": per_ms(kids_cpu), "main_thread": per_ms(main_cpu)},
        "threads_ms_per_doc": {name: per_ms(cpu) for name, cpu in sorted(threads.items(), key=lambda x: -x[1])},
        "children_ms_per_doc": sorted(per_ms(cpu) for _name, cpu in sampler.children.values()),
        "main_calls_cpu_ms_per_doc": {k: per_ms(v) for k, v in clock.cpu.items()},
        "main_calls_wall_ms_per_doc": {k: per_ms(v) for k, v in clock.wall.items()},
        "writer_gc_by_generation": {g: {"count": n, "wall_ms_per_doc": per_ms(t)} for g, (n, t) in
                                    sorted(collections.items())},
    }
    text = json.dumps(out, indent=1)
    print(text)
    if args.json:
        Path(args.json).write_text(text)


if __name__ == "__main__":
    main()
