"""Opening the DuckDB file: writable for imports and builds, read-only for the app and reports."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from dashboard.core.errors import UserError
from dashboard.db import schema


def connect(path: Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the database; a missing or unreadable file becomes a UserError saying what to do."""
    if read_only and not Path(path).exists():
        raise UserError(f"no database at {path}: build one with `python -m dashboard demo` or import data")
    if not read_only:
        Path(path).parent.mkdir(parents=True, exist_ok=True, mode=0o700)  # a folder made here is the owner's only
    try:
        con = _open_private(Path(path)) if not read_only and not Path(path).exists() else None
        con = con or duckdb.connect(str(path), read_only=read_only)
    except duckdb.Error as error:
        raise UserError(f"cannot open {path} as a DuckDB database ({str(error).splitlines()[0]})") from error
    try:
        if read_only:
            schema.check_schema(con)
        else:
            schema.ensure_schema(con)
    except schema.SchemaError as error:
        con.close()
        raise UserError(str(error)) from error
    return con


def reader(path: Path) -> duckdb.DuckDBPyConnection:
    """The connection read commands hand to sql.run_query: the database, read-only; or, when another engine answers
    the queries (DASHBOARD_ENGINE=spark), an empty in-memory one, so no DuckDB file is needed and code that reads
    a connection directly finds no tables instead of another database's rows."""
    if os.environ.get("DASHBOARD_ENGINE", "duckdb") != "duckdb":
        return duckdb.connect()
    return connect(path, read_only=True)


@contextmanager
def private_files() -> Iterator[None]:
    """Files created inside are the owner's only (umask 077): the database, its WAL and models hold customer data.

    DuckDB creates its write-ahead log itself during each write, so commands that write hold this for their whole
    run (the CLI does); the umask is process-wide, so it is restored on the way out.
    """
    previous = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(previous)


def _open_private(path: Path) -> duckdb.DuckDBPyConnection:
    """Create a new database file readable and writable by its owner only (0600)."""
    with private_files():
        con = duckdb.connect(str(path))
    os.chmod(path, 0o600)
    return con


def migrate(path: Path) -> str:
    """Bring the database at `path` to the current schema version; say what was done."""
    if not Path(path).exists():
        raise UserError(f"no database at {path}")
    with duckdb.connect(str(path)) as con:
        before = schema.stored_version(con)
        try:
            schema.ensure_schema(con)
        except schema.SchemaError as error:
            raise UserError(str(error)) from error
    return f"{path}: schema version {before} -> {schema.SCHEMA_VERSION}"
