"""Pre-aggregated tables the aggregate page queries read instead of scanning conversation_facts.

conversation_rollup (queries/derived/conversation_rollup.sql) counts conversation_facts per UTC quarter-hour of the
start x channel x account x priority x incident, so a page over months of data adds up thousands of rows, not
millions. It is rebuilt after conversation_facts in the same transaction as every write (schema.refresh_derived):
whole, or, after an incremental import, only for the UTC hours it touched.
"""

from __future__ import annotations

import duckdb

from dashboard.db import sql

# Derived tables this module owns, each built by queries/derived/<name>.sql.
TABLES = ("conversation_rollup",)


def refresh(con: duckdb.DuckDBPyConnection, touched: bool = False) -> None:
    """Rebuild the rollups from conversation_facts: whole, or with touched=True only the rows of the UTC hours in
    the temp table touched_hours(hour timestamp).

    touched_hours must hold the start hour, before and after the change, of every conversation whose facts changed
    (new, edited or moved conversations, and those whose SLA status a later data end turned from pending to
    breached); conversation_facts must already be current.
    """
    if not touched:
        for name in ("conversation_counts", "conversation_rollup_rows"):  # the rows' definition, read by both paths
            sql.execute(con, f"macros/{name}")
        sql.execute(con, "derived/conversation_rollup")
        return
    sql.execute(con, "rollup/conversation_rollup_delete_touched")
    sql.execute(con, "rollup/conversation_rollup_insert_touched")
