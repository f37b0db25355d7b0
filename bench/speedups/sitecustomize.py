"""With ``BENCH_FUSED=1`` and this folder on PYTHONPATH, every process a bench starts (its children,
the rebuild's spawned analysis processes) reads through the prototype: routing's ``read_field``, the
classifier's ``_known_features`` (``BENCH_FUSED_FEATURES=0``: not) and ``fields.text_tokens``' token
list (``BENCH_FUSED_TOKENS=0``: not). Build it first (``build.sh``); bench/README.md, session 48."""
import os
import sys
from pathlib import Path

if os.environ.get("BENCH_FUSED") == "1":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    import fused

    import app.rules.analysis

    app.rules.analysis.read_field = fused.read_field
    if os.environ.get("BENCH_FUSED_FEATURES", "1") == "1":
        import app.learning.features

        app.learning.features._known_features = fused.known_features
    if os.environ.get("BENCH_FUSED_TOKENS", "1") == "1":
        import search_index.tantivy_backend.fields

        search_index.tantivy_backend.fields.token_tuples = fused.token_list
