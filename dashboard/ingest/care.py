"""The care export: one row per message, plus the optional customers and incidents files.

Each reader loads a file as text into a scratch DuckDB, stops at the first bad row with an InputError naming the
file, the 1-based data row and the column (or, with --skip-invalid, skips and counts every bad row), and returns a
typed pandas frame for `load`. Nothing here opens the target database.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from dashboard.db import schema, sql
from dashboard.ingest import common
from dashboard.ingest.load import CUSTOMER_COLUMNS, STAGED_COLUMNS, ImportResult
from dashboard.ingest.settings import ImportSettings

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
    "follower_count:range": common.FOLLOWER_RANGE,
    "is_media": ("bool", ()),
    "closed_at": ("timestamp", ()),
}


CUSTOMER_KINDS = {
    "customer_id": ("required", ()),
    "monthly_value": ("number", ()),
    "monthly_value:range": common.VALUE_RANGE,
    "customer_since": ("timestamp", ()),
    "churned_at": ("timestamp", ()),
    "follower_count": ("count", ()),
    "follower_count:range": common.FOLLOWER_RANGE,
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


def read_care(path: Path, result: ImportResult, settings: ImportSettings | None = None) -> pd.DataFrame:
    """Read and validate a care export (CSV or Parquet); return the staged messages frame for `load`."""
    label, settings = str(path), settings or ImportSettings()
    with common.scratch() as con:
        found = common.read_raw(con, path, CARE_COLUMNS, CARE_REQUIRED, "care export")
        _note_ignored(result, path, found, CARE_COLUMNS)
        allowed = {"author_types": schema.AUTHOR_TYPES, "channels": schema.CHANNELS, "priorities": schema.PRIORITIES}
        params = {key: list(values) for key, values in allowed.items()}
        common.check_rows(con, label, "ingest/care_problem_rows", CARE_KINDS, settings, result.skip, params)
        sql.execute(con, "ingest/care_typed")
        sql.execute(con, "ingest/raw_drop")
        result.skip(
            "repeated row (same message_id and content as an earlier row)",
            common.drop_duplicates(con, label, "message_id"),
        )
        _note_disagreements(con, result, path)
        frame = sql.execute(con, "ingest/care_staged_messages").df()
    frame["tags"] = [None if tags is None or tags is pd.NA else list(tags) for tags in frame["tags"]]
    return frame


def _note_disagreements(con: duckdb.DuckDBPyConnection, result: ImportResult, path: Path) -> None:
    """Report conversations whose rows disagree on channel, account or customer (the first row's value is used)."""
    for column, count, conversation, values in sql.execute(con, "ingest/care_conversation_disagreements").fetchall():
        if count:
            result.notes.append(
                f"{path.name}: {count:,} conversation(s) have rows that disagree on {column} (e.g. {conversation}: "
                f"{', '.join(map(repr, values))}); the first row's {column} is used"
            )


def _read_companion(
    path: Path,
    result: ImportResult,
    spec: tuple[tuple[str, ...], tuple[str, ...], str, str, str, dict],
    settings: ImportSettings,
) -> tuple[pd.DataFrame, list[str]]:
    """Read a companion file through its problem and typing queries; return the frame and the columns present."""
    columns, required, what, problems, typed, kinds = spec
    with common.scratch() as con:
        found = common.read_raw(con, path, columns, required, what)
        _note_ignored(result, path, found, columns)
        skip = lambda reason, count: result.skip(f"{path.name}: {reason}", count)  # noqa: E731
        common.check_rows(con, str(path), problems, kinds, settings, skip)
        sql.execute(con, typed)
        repeats = common.drop_duplicates(con, str(path), required[0])
        if repeats:
            result.notes.append(f"{path.name}: {repeats:,} repeated row(s) ignored")
        frame = sql.execute(con, "ingest/companion_typed_rows").df()
    return frame, [name for name in columns if name in found]


def read_customers(path: Path, result: ImportResult, settings: ImportSettings | None = None) -> pd.DataFrame:
    """Read and validate a customers file; return only the columns it has (absent ones keep stored values)."""
    spec = (
        CUSTOMER_COLUMNS,
        ("customer_id",),
        "customers file",
        "ingest/customer_problem_rows",
        "ingest/customer_typed",
        CUSTOMER_KINDS,
    )
    frame, present = _read_companion(path, result, spec, settings or ImportSettings())
    return frame[present]


def read_incidents(path: Path, result: ImportResult, settings: ImportSettings | None = None) -> pd.DataFrame:
    """Read and validate an incidents file; return the incidents frame for `load`."""
    spec = (
        INCIDENT_COLUMNS,
        INCIDENT_REQUIRED,
        "incidents file",
        "ingest/incident_problem_rows",
        "ingest/incident_typed",
        INCIDENT_KINDS,
    )
    frame, _ = _read_companion(path, result, spec, settings or ImportSettings())
    return frame
