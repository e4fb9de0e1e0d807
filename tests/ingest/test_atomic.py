"""Imports are all-or-nothing: a bad file never opens the database, a failed load rolls back
(docs/import_formats.md)."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import duckdb
import pytest

import dashboard.ingest
from dashboard.core.errors import InputError
from dashboard.db import schema
from dashboard.ingest import import_files

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CARE = FIXTURES / "care_small.csv"
INCIDENTS = FIXTURES / "incidents_small.csv"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def counts(db: Path) -> tuple:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(
            "select (select count(*) from messages), (select count(*) from conversations), "
            "(select count(*) from incidents), (select count(*) from import_log)"
        ).fetchone()


@pytest.fixture(scope="module")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("atomic") / "db.duckdb"
    import_files(db, "care", CARE)
    return db


@pytest.fixture
def db(template_db: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "db.duckdb"
    shutil.copyfile(template_db, copy)
    return copy


@pytest.fixture
def no_connect(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if the importer opens the target database."""

    def refuse(*args, **kwargs):
        raise AssertionError("the target database was opened although an input file was bad")

    monkeypatch.setattr(dashboard.ingest, "connect", refuse)


def test_bad_main_file_never_opens_the_database(no_connect: None, db: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("conversation_id,message_id,sent_at,author_type,channel,customer_id\nc9,m9,never,customer,chat,u9\n")
    with pytest.raises(InputError, match="row 1, column 'sent_at'"):
        import_files(db, "care", bad)


def test_bad_companion_file_never_opens_the_database(no_connect: None, db: Path, tmp_path: Path) -> None:
    bad = tmp_path / "incidents.csv"
    bad.write_text("incident_id,title,started_at,ended_at\ni9,Outage,2024-03-02T10:00:00Z,2024-03-01T10:00:00Z\n")
    before = digest(db)
    with pytest.raises(InputError, match="row 1, column 'ended_at'"):
        import_files(db, "care", CARE, incidents=bad)
    assert digest(db) == before


def test_bad_file_does_not_create_a_missing_database(tmp_path: Path) -> None:
    target = tmp_path / "new" / "db.duckdb"
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(InputError, match="the file is empty"):
        import_files(target, "twcs", empty)
    assert not target.parent.exists()


def test_failure_inside_the_load_rolls_everything_back(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = counts(db)
    fresh = db.parent / "fresh.csv"
    # New message ids, so the load inserts rows before it fails at its last step.
    fresh.write_text(
        "conversation_id,message_id,sent_at,author_type,channel,customer_id\n"
        "d1,n1,2024-03-03T10:00:00Z,customer,chat,u7\n"
        "d1,n2,2024-03-03T10:10:00Z,agent,chat,\n"
    )

    def explode(con):
        raise RuntimeError("disk full")

    monkeypatch.setattr(schema, "refresh_facts", explode)
    with pytest.raises(RuntimeError, match="disk full"):
        import_files(db, "care", fresh, incidents=INCIDENTS)
    monkeypatch.undo()
    # Opening read-only here also proves the importer closed its writable connection.
    assert counts(db) == before


def test_successful_import_adds_to_the_database_and_logs_it(db: Path) -> None:
    messages, conversations, incidents, logs = counts(db)
    result = import_files(db, "care", CARE, incidents=INCIDENTS)
    assert result.rows_loaded == 0 and result.incidents == 1
    assert counts(db) == (messages, conversations, incidents + 1, logs + 1)
