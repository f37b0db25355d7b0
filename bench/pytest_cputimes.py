"""A pytest plugin: per test, its wall, this process's CPU, its reaped child processes' CPU and the SQL
statements run in this process (any engine), one JSON line appended to $CPUTIMES_OUT as each test ends,
so a run stopped part way still tells what it ran (--durations and --junitxml tell only at the end).

    PYTHONPATH=bench CPUTIMES_OUT=/tmp/t.jsonl python -m pytest -p no:xdist -p pytest_cputimes ...

CPUTIMES_APP_ONLY=1 keeps only the tests the PostgreSQL pass runs (those taking ``app``; add
``-m "not browser and not one_database"``): one of them that runs no SQL and starts no process
proves on PostgreSQL what it proved on SQLite (candidates for ``one_database``, read each by hand).
"""
import json
import os
import resource
import time

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

OUT = os.environ.get("CPUTIMES_OUT", "/tmp/cputimes.jsonl")
COUNT = [0]


@event.listens_for(Engine, "before_cursor_execute")
def _count(*args, **kwargs):
    COUNT[0] += 1


def _children():
    u = resource.getrusage(resource.RUSAGE_CHILDREN)
    return u.ru_utime + u.ru_stime


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    w, c, k, n = time.monotonic(), time.process_time(), _children(), COUNT[0]
    yield
    with open(OUT, "a") as f:
        f.write(json.dumps({"id": item.nodeid, "wall": round(time.monotonic() - w, 3),
                            "cpu": round(time.process_time() - c, 3), "kids": round(_children() - k, 3),
                            "sql": COUNT[0] - n, "app": "app" in getattr(item, "fixturenames", ()),
                            "marks": sorted({m.name for m in item.iter_markers()} & {"slow", "browser", "one_database"}),
                            "load": os.getloadavg()[0]}) + "\n")


def pytest_collection_modifyitems(config, items):
    """CPUTIMES_APP_ONLY: keep the tests the PostgreSQL pass runs (those taking ``app``)."""
    if os.environ.get("CPUTIMES_APP_ONLY"):
        kept = [i for i in items if "app" in getattr(i, "fixturenames", ())]
        kept_ids = {id(i) for i in kept}
        config.hook.pytest_deselected(items=[i for i in items if id(i) not in kept_ids])
        items[:] = kept
