"""Importing files (formats: docs/import_formats.md): validate every input completely, then load it all in one
transaction.

The readers work on in-memory copies, so a bad file raises an InputError before the target database is even
opened and leaves it byte-for-byte unchanged.

May import: core, db, sentiment.
"""

from __future__ import annotations

import os
from pathlib import Path

from dashboard.core.progress import say
from dashboard.db.database import connect
from dashboard.ingest.care import read_care, read_customers, read_incidents
from dashboard.ingest.load import ImportResult, load
from dashboard.ingest.twcs import read_twcs

READERS = {"care": read_care, "twcs": read_twcs}


def import_files(
    db_path: Path,
    kind: str,
    file: Path,
    customers: str | os.PathLike | None = None,
    incidents: str | os.PathLike | None = None,
) -> ImportResult:
    """Read and validate `file` (and the companion files), then load them into the database at `db_path`."""
    result = ImportResult(kind=kind, file=str(file))
    customer_frame = read_customers(Path(customers), result) if customers else None
    incident_frame = read_incidents(Path(incidents), result) if incidents else None
    messages = READERS[kind](Path(file), result)
    say(f"{file}: {len(messages):,} messages valid; scoring sentiment and loading into {db_path}")
    con = connect(db_path)
    try:
        load(con, result, messages, customer_frame, incident_frame)
    finally:
        con.close()
    return result
