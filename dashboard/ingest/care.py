"""The care export (PRODUCT.md §2): one row per message, plus the optional customers and incidents files.

Each reader loads a file as text into a scratch DuckDB, stops at the first bad row with an InputError naming the
file, the 1-based data row and the column, and returns a typed pandas frame for `load`. Nothing here opens the
target database.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from dashboard.db import schema, sql
from dashboard.ingest import common
from dashboard.ingest.load import CUSTOMER_COLUMNS, STAGED_COLUMNS, ImportResult

CARE_COLUMNS = STAGED_COLUMNS[1:]
CARE_REQUIRED = ("conversation_id", "message_id", "sent_at", "author_type", "channel")
INCIDENT_COLUMNS = ("incident_id", "title", "started_at", "ended_at", "severity", "services")
INCIDENT_REQUIRED = INCIDENT_COLUMNS[:4]

CARE_KINDS = {
    "conversation_id": ("required", ()),
    "message_id": ("required", ()),
    "sent_at": ("timestamp", ()),
    "author_type": ("choice", schema.AUTHOR_TYPES),
    "channel": ("choice", schema.CHANNELS),
    "priority": ("choice", schema.PRIORITIES),
    "customer_id": ("customer", ()),
    "follower_count": ("count", ()),
    "is_media": ("bool", ()),
    "closed_at": ("timestamp", ()),
}


CUSTOMER_KINDS = {
    "customer_id": ("required", ()),
    "monthly_value": ("number", ()),
    "customer_since": ("timestamp", ()),
    "churned_at": ("timestamp", ()),
    "follower_count": ("count", ()),
    "is_media": ("bool", ()),
}


INCIDENT_KINDS = {
    "incident_id": ("required", ()),
    "title": ("required", ()),
    "started_at": ("timestamp", ()),
    "ended_at": ("timestamp", ()),
    "ended_at:order": ("order", ()),
}


def _note_ignored(result: ImportResult, path: Path, found: list[str], known: tuple[str, ...]) -> None:
    ignored = [name or "(unnamed)" for name in found if name not in known]
    if ignored:
        result.notes.append(f"{path.name}: ignored column(s) {', '.join(ignored)}")


def read_care(path: Path, result: ImportResult) -> pd.DataFrame:
    """Read and validate a care export (CSV or Parquet); return the staged messages frame for `load`."""
    label = str(path)
    with common.scratch() as con:
        found = common.read_raw(con, path, CARE_COLUMNS, CARE_REQUIRED, "care export")
        _note_ignored(result, path, found, CARE_COLUMNS)
        allowed = {"author_types": schema.AUTHOR_TYPES, "channels": schema.CHANNELS, "priorities": schema.PRIORITIES}
        common.check_rows(
            con, label, "ingest/care_problems_first", CARE_KINDS, {k: list(v) for k, v in allowed.items()}
        )
        sql.execute(con, "ingest/care_typed")
        sql.execute(con, "ingest/raw_drop")
        result.skip(
            "repeated row (same message_id and content as an earlier row)",
            common.drop_duplicates(con, label, "message_id"),
        )
        result.skip(
            "conversation has no customer message", sql.execute(con, "ingest/care_customerless_delete").fetchone()[0]
        )
        frame = sql.execute(con, "ingest/care_staged_messages").df()
    frame["tags"] = [None if tags is None or tags is pd.NA else list(tags) for tags in frame["tags"]]
    return frame


def _read_companion(
    path: Path, result: ImportResult, spec: tuple[tuple[str, ...], tuple[str, ...], str, str, str, dict]
) -> tuple[pd.DataFrame, list[str]]:
    """Read a companion file through its problem and typing queries; return the frame and the columns present."""
    columns, required, what, problems, typed, kinds = spec
    with common.scratch() as con:
        found = common.read_raw(con, path, columns, required, what)
        _note_ignored(result, path, found, columns)
        common.check_rows(con, str(path), problems, kinds)
        sql.execute(con, typed)
        repeats = common.drop_duplicates(con, str(path), required[0])
        if repeats:
            result.notes.append(f"{path.name}: {repeats:,} repeated row(s) ignored")
        frame = sql.execute(con, "ingest/companion_typed_rows").df()
    return frame, [name for name in columns if name in found]


def read_customers(path: Path, result: ImportResult) -> pd.DataFrame:
    """Read and validate a customers file; return only the columns it has (absent ones keep stored values)."""
    spec = (
        CUSTOMER_COLUMNS,
        ("customer_id",),
        "customers file",
        "ingest/customer_problems_first",
        "ingest/customer_typed",
        CUSTOMER_KINDS,
    )
    frame, present = _read_companion(path, result, spec)
    return frame[present]


def read_incidents(path: Path, result: ImportResult) -> pd.DataFrame:
    """Read and validate an incidents file; return the incidents frame for `load`."""
    spec = (
        INCIDENT_COLUMNS,
        INCIDENT_REQUIRED,
        "incidents file",
        "ingest/incident_problems_first",
        "ingest/incident_typed",
        INCIDENT_KINDS,
    )
    frame, _ = _read_companion(path, result, spec)
    return frame
