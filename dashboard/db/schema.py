"""The DuckDB data model (docs/data_model.md): tables, table macros, and the schema version.

This module owns every `create` statement. Opening a database made by an older version migrates it where that is
safe (table macros and new tables) and otherwise says what to do.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from dashboard.core.definitions import DEFAULT_FIRST_RESPONSE_TARGET_MINUTES
from dashboard.db import rollups, sql

# 2: conversation_facts became a table rebuilt on every write (was a view).
# 3: coverage_days (dense span, collection gaps, stray days), rebuilt on every write; conversations.started_outside_file
#    (twcs reply trees whose first tweet answers one absent from the file) and the import_notes table (what an importer
#    noticed about the file, kept with the import).
# 4: conversation_facts lost its data_end_at column (the data_end_at() macro gives it), so an import replaces only the
#    facts it touched; conversation_starts_hourly (starts per UTC hour), from which coverage_days is derived.
# 5: conversation_rollup (conversation_facts counted per UTC quarter-hour x channel x account x priority x incident,
#    dashboard/db/rollups.py), kept current by every write; the aggregate page queries read it.
SCHEMA_VERSION = 5
CHANNELS = ("twitter", "messenger", "instagram", "email", "chat")
PRIORITIES = ("low", "normal", "high", "major")
AUTHOR_TYPES = ("customer", "agent", "bot")
# Resolution targets per priority; first-response targets are DEFAULT_FIRST_RESPONSE_TARGET_MINUTES on every channel.
DEFAULT_RESOLUTION_TARGET_MINUTES = {"low": 72 * 60, "normal": 24 * 60, "high": 8 * 60, "major": 4 * 60}
MACROS_DIR = Path(__file__).resolve().parents[2] / "queries" / "macros"
# The shared macros in queries/macros/, each after the ones it calls: those the derived tables are built with, then
# those reading the derived tables (DuckDB binds a macro when it is created, so these need the tables first).
DERIVATION_MACROS = ("data_end_at", "conversation_fact_rows", "conversation_start_counts", "is_influencer_customer")
PAGE_MACROS = (
    "scoped_conversations",
    "period_conversations",
    "to_local",
    "tz_offsets",
    "local_conversations",
    "covered_hours",
    "conversation_counts",
    "conversation_rollup_rows",
    "range_rollup",
    "scoped_rollup",
    "period_rollup",
    "local_rollup",
    "period_response_quantiles",
    "volume_baseline",
    "incident_baseline_lags",
)
MACROS = DERIVATION_MACROS + PAGE_MACROS
# The views of an import's touched conversations that the incremental refresh reads (queries/ingest/touched_views.sql).
TOUCHED_ROWS = "touched_conversation_rows"

TABLES = """
create table if not exists schema_info (
    key varchar primary key,
    value varchar not null
);

create table if not exists messages (
    message_id varchar not null,  -- unique by import (anti-join); no index, so bulk loads stay fast
    conversation_id varchar not null,
    sent_at timestamp not null,
    author_type varchar not null check (author_type in ('customer', 'agent', 'bot')),
    author_id varchar,
    text varchar,
    sentiment_score double,
    sentiment_label varchar check (sentiment_label in ('negative', 'neutral', 'positive'))
);

create table if not exists conversations (
    conversation_id varchar primary key,
    channel varchar not null,
    account varchar,
    customer_id varchar,
    started_at timestamp not null,
    first_response_at timestamp,
    last_message_at timestamp not null,
    closed_at timestamp,
    priority varchar not null default 'normal',
    tags varchar[],
    agent_id varchar,
    message_count integer not null,
    customer_message_count integer not null,
    start_sentiment_score double,
    start_sentiment_label varchar,
    end_sentiment_score double,
    end_sentiment_label varchar,
    is_influencer boolean not null default false,
    incident_id varchar,
    started_outside_file boolean default false
);

create table if not exists customers (
    customer_id varchar primary key,
    segment varchar,
    plan varchar,
    monthly_value double,
    customer_since date,
    churned_at timestamp,
    follower_count bigint,
    is_media boolean not null default false
);

create table if not exists incidents (
    incident_id varchar primary key,
    title varchar not null,
    started_at timestamp not null,
    ended_at timestamp not null,
    severity varchar,
    services varchar,
    source varchar not null default 'recorded' check (source in ('recorded', 'detected')),
    check (ended_at >= started_at)
);

create table if not exists sla_policies (
    channel varchar not null,
    priority varchar not null,
    first_response_target_minutes integer not null,
    resolution_target_minutes integer not null,
    primary key (channel, priority)
);

create table if not exists import_log (
    imported_at timestamp not null,
    kind varchar not null,
    file varchar not null,
    rows_loaded bigint not null,
    rows_skipped bigint not null,
    skipped_reasons varchar,
    analyzer varchar
);

create table if not exists import_notes (
    imported_at timestamp not null,  -- the import_log row it belongs to (with file)
    file varchar not null,
    kind varchar not null,
    count bigint,
    detail varchar not null
);
"""


class SchemaError(RuntimeError):
    """The database cannot be used by this version of the dashboard."""


def stored_version(con: duckdb.DuckDBPyConnection) -> int | None:
    """The schema version recorded in the database, or None for an empty database."""
    if not table_exists(con, "schema_info"):
        return None
    row = con.execute("select value from schema_info where key = 'schema_version'").fetchone()
    return int(row[0]) if row else None


def create_macros(con: duckdb.DuckDBPyConnection, names: tuple[str, ...] = MACROS) -> None:
    """(Re)create the macros in queries/macros/ named (default: all), in dependency order."""
    for name in names:
        con.execute((MACROS_DIR / f"{name}.sql").read_text())


def seed_sla_policies(con: duckdb.DuckDBPyConnection) -> None:
    """Insert the default policy for every channel x priority that has none."""
    rows = [
        (channel, priority, DEFAULT_FIRST_RESPONSE_TARGET_MINUTES, DEFAULT_RESOLUTION_TARGET_MINUTES[priority])
        for channel in CHANNELS
        for priority in PRIORITIES
    ]
    con.executemany("insert or ignore into sla_policies values (?, ?, ?, ?)", rows)


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create or migrate the schema on a writable connection."""
    version = stored_version(con)
    if version is not None and version > SCHEMA_VERSION:
        raise SchemaError(
            f"the database has schema version {version}, newer than this dashboard's {SCHEMA_VERSION}: "
            "upgrade the dashboard or point --db at another file"
        )
    con.execute(TABLES)
    seed_sla_policies(con)
    if version is not None and version < 2:
        con.execute("drop view if exists conversation_facts")
    if version is not None and version < 3:
        con.execute("alter table conversations add column if not exists started_outside_file boolean default false")
        con.execute("update conversations set started_outside_file = false where started_outside_file is null")
        con.execute("drop table if exists conversation_facts")
    if version is not None and version < 4:
        con.execute("drop table if exists conversation_facts")
    create_macros(con, DERIVATION_MACROS)
    if not table_exists(con, "conversation_facts"):
        refresh_facts(con)
    if not table_exists(con, "conversation_starts_hourly"):
        sql.execute(con, "derived/conversation_starts_hourly")
        refresh_coverage(con)
    if not table_exists(con, "coverage_days"):
        refresh_coverage(con)
    if not all(table_exists(con, name) for name in rollups.TABLES):
        rollups.refresh(con)  # before the macros that read it
    create_macros(con, PAGE_MACROS)
    con.execute(
        "insert or replace into schema_info values ('schema_version', $version)", {"version": str(SCHEMA_VERSION)}
    )


def check_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Raise SchemaError unless a (read-only) connection holds the current schema."""
    version = stored_version(con)
    if version != SCHEMA_VERSION:
        raise SchemaError(
            f"the database has schema version {version}, this dashboard needs {SCHEMA_VERSION}: "
            "run `python -m dashboard migrate` (or rebuild it with `python -m dashboard demo`)"
        )


def table_exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    """Whether the database has a base table called `name`."""
    query = "select count(*) from information_schema.tables where table_name = $name and table_type = 'BASE TABLE'"
    row = con.execute(query, {"name": name}).fetchone()
    assert row is not None  # count(*) returns one row
    return row[0] > 0


def refresh_facts(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild the conversation_facts table (queries/derived/conversation_facts.sql) from the tables it derives from."""
    sql.execute(con, "derived/conversation_facts")


def refresh_derived(con: duckdb.DuckDBPyConnection, touched: bool = False) -> None:
    """Everything derived from the stored data, in dependency order; call after any write, inside its transaction.

    touched=False rebuilds it all. touched=True updates only what the temp tables touched_conversations
    (conversation_id) and touched_hours (hour: the UTC start hours of those conversations, before and after the write)
    name, giving the same tables as a rebuild; an import fills them (queries/ingest/touched_*.sql).
    """
    if not touched:
        refresh_incident_membership(con, "conversations")
        refresh_facts(con)
        sql.execute(con, "derived/conversation_starts_hourly")
        refresh_coverage(con)
        rollups.refresh(con)
        return
    sql.execute(con, "ingest/touched_views")
    refresh_incident_membership(con, TOUCHED_ROWS)
    sql.execute(con, "ingest/conversation_facts_replace_touched")
    sql.execute(con, "ingest/conversation_starts_hourly_recount")
    refresh_coverage(con)
    rollups.refresh(con, touched=True)  # the rollup rows of the hours in touched_hours


def refresh_coverage(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild the coverage_days table (queries/derived/coverage_days.sql) from conversation_starts_hourly."""
    sql.execute(con, "derived/coverage_days")


def refresh_incident_membership(con: duckdb.DuckDBPyConnection, source: str = "conversations") -> None:
    """Set conversations.incident_id of the conversations in table or view `source`: the latest-starting incident whose
    window holds the start, recorded incidents first (queries/ingest/conversations_incident_membership.sql)."""
    sql.execute(con, "ingest/conversations_incident_membership", source=source)
