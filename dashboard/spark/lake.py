"""The lake layout: every table of a DuckDB database as Parquet under one folder, with a manifest.json.

<lake>/<table>/        one folder per table (Parquet files; day-partitioned tables hold <day column>=YYYY-MM-DD
                       subfolders, a Hive layout Spark, DuckDB and most engines read)
<lake>/manifest.json   schema version, data end, row counts, and the partition column of each table

Partition columns are extra (derived from a timestamp of the row), so readers drop them to see the table as DuckDB does.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path
from typing import Any

import duckdb

from dashboard.core.errors import UserError

MANIFEST = "manifest.json"
LAKE_VERSION = 1
# Tables read by day ranges: partitioned by the day of the timestamp every page query filters on.
DAY_PARTITIONS = {
    "messages": ("sent_date", "sent_at"),
    "conversations": ("started_date", "started_at"),
    "conversation_facts": ("started_date", "started_at"),
    "conversation_rollup": ("quarter_date", "quarter_at"),
}


def table_names(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every base table in the database's main schema, by name."""
    with con.cursor() as cursor:
        rows = cursor.execute(
            "select table_name from information_schema.tables "
            "where table_type = 'BASE TABLE' and table_schema = 'main' order by table_name"
        ).fetchall()
    return [name for (name,) in rows]


def export_parquet(con: duckdb.DuckDBPyConnection, lake: Path) -> dict[str, Any]:
    """Write every table to <lake>/<table>/ as Parquet (day-partitioned where listed) and the manifest; return it."""
    started = time.perf_counter()
    lake.mkdir(parents=True, exist_ok=True)
    tables: dict[str, Any] = {}
    for name in table_names(con):
        target = lake / name
        if target.exists():
            shutil.rmtree(target)
        partition = DAY_PARTITIONS.get(name)
        with con.cursor() as cursor:
            relation = cursor.table(name)
            if partition:
                day_column, time_column = partition
                day = duckdb.ColumnExpression(time_column).cast(duckdb.sqltypes.DATE).alias(day_column)
                relation.select(duckdb.StarExpression(), day).write_parquet(str(target), partition_by=[day_column])
            else:
                target.mkdir()
                relation.write_parquet(str(target / "data.parquet"))
        with con.cursor() as cursor:
            count = cursor.table(name).count("*").fetchall()[0][0]
        tables[name] = {"rows": count, "partition_by": partition[0] if partition else None}
    manifest: dict[str, Any] = {
        "lake_version": LAKE_VERSION,
        "schema_version": _schema_version(con),
        "data_end_at": _data_end(con),
        "exported_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "tables": tables,
    }
    (lake / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    manifest["seconds"] = time.perf_counter() - started
    return manifest


def read_manifest(lake: Path) -> dict[str, Any]:
    """The lake's manifest; a missing or unreadable one is a UserError saying how to make it."""
    path = Path(lake) / MANIFEST
    if not path.is_file():
        raise UserError(f"no lake at {lake} (no {MANIFEST}): write one with `python -m dashboard export parquet DIR`")
    try:
        return json.loads(path.read_text())
    except json.JSONDecodeError as error:
        raise UserError(f"{path} is not valid JSON ({error.msg}): export the lake again") from error


def version(lake: Path) -> int:
    """The lake's version: its manifest's modification time (ns). Export and build write the manifest last, so a
    rewritten lake has a new version and caches keyed on it are not served stale."""
    path = Path(lake) / MANIFEST
    try:
        return path.stat().st_mtime_ns
    except OSError as error:
        raise UserError(
            f"no lake at {lake} (no {MANIFEST}): write one with `python -m dashboard export parquet DIR`"
        ) from error


def write_manifest(lake: Path, manifest: dict[str, Any]) -> None:
    """Replace the lake's manifest (after a build adds or rewrites tables)."""
    (Path(lake) / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")


def _schema_version(con: duckdb.DuckDBPyConnection) -> int | None:
    with con.cursor() as cursor:
        row = cursor.execute("select value from schema_info where key = 'schema_version'").fetchone()
    return int(row[0]) if row else None


def _data_end(con: duckdb.DuckDBPyConnection) -> str | None:
    with con.cursor() as cursor:
        row = cursor.execute("select max(last_message_at) from conversations").fetchone()
    assert row is not None  # an aggregate without group by returns one row
    value = row[0]
    return value.isoformat() if value is not None else None
