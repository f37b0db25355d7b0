"""The data folder `flask init` makes: only its owner reads it (session 36, a review of the login)."""
from __future__ import annotations

import stat

from app.cli import ensure_data_dir
from app.config import SECRET_KEY_FILE


def test_init_makes_a_data_folder_only_its_owner_reads(tmp_path):
    """The database holds password hashes and second-factor secrets: a new data folder is 0700 and
    the secret key 0600; a folder that exists keeps its owner's mode."""
    made = ensure_data_dir(str(tmp_path / "data"))
    assert stat.S_IMODE(made.stat().st_mode) == 0o700
    assert stat.S_IMODE((made / SECRET_KEY_FILE).stat().st_mode) == 0o600
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o750)
    assert stat.S_IMODE(ensure_data_dir(str(shared)).stat().st_mode) == 0o750
