"""Importing files (formats: docs/import_formats.md): validate every input completely, then load it all in one
transaction.

The readers work on in-memory copies, so a bad file raises an InputError before the target database is written and
leaves it byte-for-byte unchanged. The database's write lock is taken first, so an import that cannot write (the app
or another import has the file open) says so at once instead of after reading and scoring the whole file.

May import: core, db, sentiment.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from dashboard.core.errors import UserError
from dashboard.core.progress import say
from dashboard.db import sql
from dashboard.db.database import connect
from dashboard.ingest.care import read_care, read_customers, read_incidents
from dashboard.ingest.load import ImportResult, load
from dashboard.ingest.settings import ImportSettings
from dashboard.ingest.twcs import read_twcs

READERS = {"care": read_care, "twcs": read_twcs}
LOCK_HOLDER = re.compile(r"PID (\d+)")


@contextmanager
def write_lock(db_path: Path) -> Iterator[None]:
    """Hold the database's write lock (when the file exists) for the whole import; a held lock is a UserError.

    A missing database is created only by the load, so a bad input file never leaves an empty database behind.
    """
    if not Path(db_path).exists():
        yield
        return
    try:
        holder = duckdb.connect(str(db_path))
    except duckdb.IOException as error:
        if "lock" not in str(error).lower():
            raise UserError(f"cannot open {db_path} as a DuckDB database ({str(error).splitlines()[0]})") from error
        pid = LOCK_HOLDER.search(str(error))
        by = f" (process {pid.group(1)})" if pid else ""
        raise UserError(
            f"{db_path} is open in another program{by}, such as the running app or another import: stop it first, "
            "or import into another file with --db (and point DASHBOARD_DB at it)"
        ) from error
    except duckdb.Error as error:
        raise UserError(f"cannot open {db_path} as a DuckDB database ({str(error).splitlines()[0]})") from error
    try:
        yield
    finally:
        holder.close()


def import_files(
    db_path: Path,
    kind: str,
    file: Path,
    customers: str | os.PathLike | None = None,
    incidents: str | os.PathLike | None = None,
    settings: ImportSettings | None = None,
) -> ImportResult:
    """Read and validate `file` (and the companion files), then load them into the database at `db_path`."""
    settings = settings or ImportSettings()
    result = ImportResult(kind=kind, file=str(file))
    with write_lock(db_path):
        customer_frame = read_customers(Path(customers), result, settings) if customers else None
        incident_frame = read_incidents(Path(incidents), result, settings) if incidents else None
        messages = READERS[kind](Path(file), result, settings)
        scoring = "" if "sentiment_score" in messages.columns else "scoring sentiment and "
        say(f"{file}: {len(messages):,} messages valid; {scoring}loading into {db_path}")
        con = connect(db_path)
        try:
            load(con, result, messages, customer_frame, incident_frame)
            # Fold the write-ahead log into the file now, so the next reader opens a compact database.
            sql.execute(con, "ingest/checkpoint")
        finally:
            con.close()
    return result
