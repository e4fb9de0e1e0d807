"""New database files are the owner's only (0600): they hold customers' messages."""

from __future__ import annotations

import os
import stat

from dashboard.cli import main
from dashboard.db import database


def test_a_new_database_is_owner_only(tmp_path):
    path = tmp_path / "fresh" / "new.duckdb"
    con = database.connect(path)
    con.close()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700


def test_the_cli_writes_owner_only_files_and_restores_the_umask(tmp_path):
    before = os.umask(0o022)
    os.umask(before)
    assert main(["--db", str(tmp_path / "demo.duckdb"), "demo", "--conversations", "300"]) == 0
    assert stat.S_IMODE(os.stat(tmp_path / "demo.duckdb").st_mode) == 0o600
    now = os.umask(before)
    assert now == before
