"""The vendored front-end files are exactly those the manifest lists, with their hashes."""
from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO


def test_vendor_manifest_matches_the_files():
    result = subprocess.run([sys.executable, str(REPO / "scripts" / "vendor.py"), "check"],
                            capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 problems" in result.stdout
