"""A held write lock is reported before the file is read; a killed import leaves nothing the next import keeps."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

import dashboard.ingest
from dashboard.cli import main
from dashboard.ingest import import_files

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
CARE = FIXTURES / "care_small.csv"
HOLD = """
import duckdb, sys, time

con = duckdb.connect(sys.argv[1], read_only=True)  # as the app holds it
print("ready", flush=True)
time.sleep(60)
"""
KILL = """
import os, sys
from pathlib import Path
from dashboard.db import schema
from dashboard.ingest import import_files

schema.refresh_facts = lambda con: os.kill(os.getpid(), 9)  # die inside the load's transaction
import_files(Path(sys.argv[1]), "care", Path(sys.argv[2]))
"""


@pytest.fixture(scope="module")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("locks") / "db.duckdb"
    import_files(db, "care", CARE)
    return db


@pytest.fixture
def db(template_db: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "db.duckdb"
    shutil.copyfile(template_db, copy)
    return copy


def python(*args: str, **kwargs) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, *args], cwd=ROOT, env=env, text=True, **kwargs)


def test_open_database_is_reported_before_the_file_is_read(db: Path, capsys, monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("the file was read although the database is locked")

    monkeypatch.setitem(dashboard.ingest.READERS, "care", refuse)
    holder = python("-c", HOLD, str(db), stdout=subprocess.PIPE)
    try:
        assert holder.stdout.readline().strip() == "ready"
        capsys.readouterr()
        started = time.perf_counter()
        assert main(["--db", str(db), "import", "care", str(CARE)]) == 2
        err = capsys.readouterr().err.strip()
    finally:
        holder.kill()
        holder.wait()
    assert time.perf_counter() - started < 5
    assert err.count("\n") == 0 and f"error: {db} is open in another program (process {holder.pid})" in err
    assert "stop it first, or import into another file with --db" in err


def test_killed_import_leaves_nothing_behind(db: Path, tmp_path: Path) -> None:
    big = tmp_path / "big.csv"
    lines = ["conversation_id,message_id,sent_at,author_type,channel,customer_id,text"]
    lines += [
        f"k{i // 2},n{i},2024-03-02T10:{i % 60:02d}:00Z,{'agent' if i % 2 else 'customer'},chat,u{i // 2},text {i}"
        for i in range(20_000)
    ]
    big.write_text("\n".join(lines) + "\n")
    clean = tmp_path / "clean.duckdb"
    shutil.copyfile(db, clean)
    import_files(clean, "care", big)
    killed = python("-c", KILL, str(db), str(big))
    assert killed.wait(timeout=300) == -9
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("select count(*) from messages").fetchone() == (5,)
    result = import_files(db, "care", big)
    assert result.rows_loaded == 20_000
    assert not Path(f"{db}.wal").exists()
    assert db.stat().st_size <= clean.stat().st_size * 1.1, (db.stat().st_size, clean.stat().st_size)
