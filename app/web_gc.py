"""The garbage collector in a web process (gunicorn's, or `flask serve`'s).

Once the app is built, the objects it holds for the process's life (modules, the compiled templates,
the Persian analysis' lexicons, the routing rules) are moved to the collector's permanent
generation (``gc.freeze``): a full collection, which otherwise walks every one of them each time
it runs in the middle of some request, then walks only what requests made. Nothing is freed or
kept differently; they were never garbage.
"""
from __future__ import annotations

import gc


def freeze_loaded_app() -> int:
    """Collect once, then freeze what is left; returns how many objects were frozen."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
