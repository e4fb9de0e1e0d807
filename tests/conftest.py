"""Shared fixtures: small seeded DuckDB databases built the same way users build theirs."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from dashboard.db import database
from dashboard.ingest.load import STAGED_COLUMNS, ImportResult, load

DEMO_CONVERSATIONS = 4000


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """A small demo database (read it, never write it: it is shared by the whole session)."""
    from dashboard.demo.build import build_demo

    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    build_demo(path, conversations=DEMO_CONVERSATIONS, seed=11)
    return path


@pytest.fixture
def demo_con(demo_db) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the shared demo database."""
    con = database.connect(demo_db, read_only=True)
    yield con
    con.close()


def message_frame(rows: list[dict]) -> pd.DataFrame:
    """A staged message frame from hand-written rows; unspecified columns are null, row_number follows order."""
    frame = pd.DataFrame(rows)
    for column in STAGED_COLUMNS:
        if column not in frame.columns:
            frame[column] = None
    frame["row_number"] = range(1, len(frame) + 1)
    for column in ("sent_at", "closed_at"):
        frame[column] = pd.to_datetime(frame[column])
    return frame[list(STAGED_COLUMNS)]


@pytest.fixture
def build_db(tmp_path):
    """Build a database from hand-written message rows (and optional incidents / customers frames)."""

    def build(rows: list[dict], incidents: pd.DataFrame | None = None, customers: pd.DataFrame | None = None):
        path = tmp_path / "given.duckdb"
        con = database.connect(path)
        load(con, ImportResult("test", "given"), message_frame(rows) if rows else None, customers, incidents)
        return con

    return build
