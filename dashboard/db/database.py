"""Opening the DuckDB file: writable for imports and builds, read-only for the app and reports."""

from __future__ import annotations

from pathlib import Path

import duckdb

from dashboard.core.errors import UserError
from dashboard.db import schema


def connect(path: Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the database; a missing or unreadable file becomes a UserError saying what to do."""
    if read_only and not Path(path).exists():
        raise UserError(f"no database at {path}: build one with `python -m dashboard demo` or import data")
    if not read_only:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(str(path), read_only=read_only)
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
