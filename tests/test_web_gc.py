"""A web process's built app leaves the garbage collector's generations (app/web_gc.py), and both
servers do it: gunicorn's processes through the config's post_worker_init hook, `flask serve` before
it serves."""
from __future__ import annotations

import gc
import runpy
from pathlib import Path

from app.web_gc import freeze_loaded_app

REPO = Path(__file__).resolve().parent.parent


def test_the_loaded_objects_are_frozen_and_nothing_else_changes():
    kept = object()
    try:
        frozen = freeze_loaded_app()
        # The count may drop a little between the two reads (a frozen object freed meanwhile).
        assert frozen > 0 and gc.get_freeze_count() > 0
        assert gc.is_tracked([kept])  # new objects are still collected as before
    finally:
        gc.unfreeze()
    assert gc.get_freeze_count() == 0


def test_both_servers_freeze_the_app():
    config = runpy.run_path(str(REPO / "deploy" / "gunicorn.conf.py"))
    assert config["post_worker_init"].__code__.co_names == ("freeze_loaded_app",)
    assert "freeze_loaded_app()" in (REPO / "app" / "worker.py").read_text(encoding="utf-8")
