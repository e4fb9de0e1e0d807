"""Load validated messages into the database in one transaction and derive conversations from them.

Every import path (care export, twcs, the demo generator) ends here with a *staged* frame of messages in the care
export's columns plus a `row_number` giving file order. Nothing here validates user input: the
readers do that before the target database is opened, so a bad file never touches it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import duckdb
import pandas as pd
import pyarrow as pa

from dashboard.core.definitions import INFLUENCER_FOLLOWERS
from dashboard.db import schema, sql
from dashboard.sentiment import analyzer as sentiment

STAGED_COLUMNS = (
    "row_number",
    "conversation_id",
    "message_id",
    "sent_at",
    "author_type",
    "author_id",
    "text",
    "channel",
    "account",
    "customer_id",
    "priority",
    "tags",
    "follower_count",
    "is_media",
    "closed_at",
)
CUSTOMER_COLUMNS = (
    "customer_id",
    "segment",
    "plan",
    "monthly_value",
    "customer_since",
    "churned_at",
    "follower_count",
    "is_media",
)
# An import touching more than 1 / FULL_REFRESH_SHARE of the conversations rebuilds the derived tables whole.
FULL_REFRESH_SHARE = 4
INCIDENT_COLUMNS = ("incident_id", "title", "started_at", "ended_at", "severity", "services", "source")


@dataclass
class ImportResult:
    """What an import did: rows loaded, rows skipped with reasons, conversations touched."""

    kind: str
    file: str
    rows_loaded: int = 0
    rows_skipped: int = 0
    skipped_reasons: dict[str, int] = field(default_factory=dict)
    conversations: int = 0
    customers: int = 0
    incidents: int = 0
    messages_updated: int = 0
    conversation_changes: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    note_rows: list[tuple[str, int | None, str]] = field(default_factory=list)

    def note(self, kind: str, count: int | None, detail: str) -> None:
        """Note something about the file that the numbers depend on; printed and stored in import_notes."""
        self.notes.append(detail)
        self.note_rows.append((kind, count, detail))

    def stored_notes(self) -> list[tuple[str, int | None, str]]:
        """Every note as (kind, count, detail); plain notes (such as replaced incidents) have kind 'other'."""
        kept = {detail for _, _, detail in self.note_rows}
        return self.note_rows + [("other", None, note) for note in self.notes if note not in kept]

    def skip(self, reason: str, count: int = 1) -> None:
        """Count `count` rows skipped for `reason`."""
        if count:
            self.skipped_reasons[reason] = self.skipped_reasons.get(reason, 0) + count
            self.rows_skipped += count

    def summary(self) -> str:
        """One human-readable paragraph for the CLI."""
        lines = [
            f"{self.file}: loaded {self.rows_loaded:,} messages into {self.conversations:,} conversations"
            + (f", {self.customers:,} customers" if self.customers else "")
            + (f", {self.incidents:,} incidents" if self.incidents else "")
            + f"; skipped {self.rows_skipped:,} rows."
        ]
        changes = [f"{n:,} conversations changed {what}" for what, n in self.conversation_changes.items() if n]
        if self.messages_updated or changes:
            lines.append("; ".join([f"  updated {self.messages_updated:,} messages", *changes]))
        lines += [f"  skipped {count:,}: {reason}" for reason, count in sorted(self.skipped_reasons.items())]
        lines += [f"  note: {note}" for note in self.notes]
        return "\n".join(lines)


def _stage_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Add sentiment to a staged message frame (unless a caller scored it already), tags as ';'-joined text."""
    if "sentiment_score" not in frame.columns:
        scores, labels = sentiment.score_texts(frame["text"].tolist(), author_types=frame["author_type"].tolist())
        frame = frame.assign(sentiment_score=scores, sentiment_label=labels)
    tags = frame["tags"].dropna()
    if len(tags) and isinstance(tags.iloc[0], list | tuple):
        frame = frame.assign(tags=frame["tags"].map(lambda t: ";".join(t) if isinstance(t, list | tuple) else t))
    if "started_outside_file" not in frame.columns:
        frame = frame.assign(started_outside_file=False)
    return frame


def _drop_customerless(
    con: duckdb.DuckDBPyConnection, staged: pd.DataFrame, result: ImportResult
) -> pd.DataFrame | None:
    """Register the staged frame without the conversations that have no customer message, in it nor stored (counted
    as skipped); None when nothing is left."""
    con.register("staged", staged)
    if staged["author_type"].eq("customer").groupby(staged["conversation_id"]).any().all():
        return staged  # every conversation has a customer message here: nothing to look up
    skipped = sql.execute(con, "ingest/staged_customerless_conversations").df()
    if skipped.empty:
        return staged
    result.skip("conversation has no customer message", int(skipped["row_count"].sum()))
    con.unregister("staged")
    kept = staged[~staged["conversation_id"].isin(skipped["conversation_id"])].reset_index(drop=True)
    if kept.empty:
        return None
    con.register("staged", kept)
    return kept


def upsert_customers(con: duckdb.DuckDBPyConnection, customers: pd.DataFrame) -> int:
    """Insert or update customers from a companion file; columns it lacks (or leaves blank) keep their stored values."""
    frame = customers.copy()
    for column in CUSTOMER_COLUMNS:
        if column not in frame.columns:
            frame[column] = pd.Series([None] * len(frame), dtype=object)
    con.register("staged_customers", frame[list(CUSTOMER_COLUMNS)])
    sql.execute(con, "ingest/customers_snapshot_companion")
    sql.execute(con, "ingest/customers_insert_new")
    sql.execute(con, "ingest/customers_upsert")
    con.unregister("staged_customers")
    return len(customers)


def upsert_incidents(con: duckdb.DuckDBPyConnection, incidents: pd.DataFrame, notes: list[str]) -> int:
    """Insert or replace incidents (by incident_id), noting each stored incident replaced with different content."""
    frame = incidents.copy()
    for column in INCIDENT_COLUMNS:
        if column not in frame.columns:
            frame[column] = "recorded" if column == "source" else None
    con.register("staged_incidents", frame[list(INCIDENT_COLUMNS)])
    for incident_id, title, started_at, ended_at in sql.execute(con, "ingest/incidents_replaced").fetchall():
        window = f"{started_at:%Y-%m-%d %H:%M} to {ended_at:%Y-%m-%d %H:%M}"
        notes.append(f"replaced incident {incident_id!r} (was {title!r}, {window})")
    sql.execute(con, "ingest/incidents_upsert")
    con.unregister("staged_incidents")
    return len(frame)


def derive_conversations(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Derive again every conversation in temp table conversation_attrs from its stored messages; return how many
    stored conversations changed, per attribute (channel, account, customer, priority, closed_at).

    The one derivation (queries/derived/conversations.sql) that imports, the demo and rescore share. Influencer
    flags and incident membership are set afterwards (mark_influencers, schema.refresh_derived).
    """
    sql.execute(con, "derived/conversations")
    changes = sql.execute(con, "ingest/conversation_attribute_changes").df().iloc[0]
    sql.execute(con, "ingest/conversations_delete_touched")
    sql.execute(con, "ingest/conversations_insert_derived")
    return {str(name): int(count) for name, count in changes.items()}


def mark_influencers(con: duckdb.DuckDBPyConnection) -> None:
    """Flag conversations whose customer is an influencer (follower count or media account)."""
    sql.execute(con, "ingest/conversations_mark_influencers", followers=INFLUENCER_FOLLOWERS)


def refresh_touched(con: duckdb.DuckDBPyConnection) -> None:
    """Bring flags and derived tables up to date after an import's writes: only what it touched (temp tables from
    queries/ingest/touched_*.sql), or everything when it touched more than a quarter of all conversations (a first
    import, say), where a rebuild is cheaper. Both give the same tables."""
    sql.execute(con, "ingest/touched_add_changes")
    touched, total = sql.execute(con, "ingest/touched_share").fetchall()[0]
    if touched * FULL_REFRESH_SHARE > total:
        mark_influencers(con)
        schema.refresh_derived(con)
        return
    sql.execute(con, "ingest/conversations_mark_influencers_touched", followers=INFLUENCER_FOLLOWERS)
    schema.refresh_derived(con, touched=True)


def load(
    con: duckdb.DuckDBPyConnection,
    result: ImportResult,
    messages: pd.DataFrame | None = None,
    customers: pd.DataFrame | None = None,
    incidents: pd.DataFrame | None = None,
) -> ImportResult:
    """Write validated frames into the database in one transaction; all or nothing."""
    staged = _stage_frame(messages) if messages is not None and len(messages) else None
    con.begin()
    try:
        schema.ensure_schema(con)
        sql.execute(con, "ingest/touched_begin")
        if staged is not None:
            staged = _drop_customerless(con, staged, result)
        if staged is not None:
            _load_staged_chunk(con, result, staged, touched=True)
        if customers is not None and len(customers):
            result.customers = upsert_customers(con, customers)
        if incidents is not None and len(incidents):
            result.incidents = upsert_incidents(con, incidents, result.notes)
        refresh_touched(con)
        _log_import(con, result)
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return result


def load_chunks(
    con: duckdb.DuckDBPyConnection,
    result: ImportResult,
    chunks: Iterable[pd.DataFrame],
    customers: pd.DataFrame | Callable[[], pd.DataFrame] | None = None,
    incidents: pd.DataFrame | None = None,
    commit_chunks: bool = False,
) -> ImportResult:
    """Write staged message frames one chunk at a time in ONE transaction (all or nothing), holding one in memory.

    Each chunk's conversations are derived as it lands (the same derivation as `load`, from every stored message),
    so a chunk should hold whole conversations: a conversation split over chunks takes its attributes from the later
    chunk. The database-wide steps (influencers, incident membership, facts, coverage) run once, after the last chunk.
    `customers` may be a function, called after the last chunk (the demo's churn follows every contact).

    DuckDB keeps what one transaction replaced (the per-chunk temp tables) until it commits: about 1 GB per million
    conversations. `commit_chunks` commits after each chunk instead, bounding memory at any size; use it only on a
    database nobody reads until it is complete (the demo builds a temporary file and swaps it in whole).
    """
    con.begin()
    try:
        schema.ensure_schema(con)
        sql.execute(con, "ingest/touched_begin")  # the companion upserts keep what they replace there
        for frame in chunks:
            staged = _drop_customerless(con, _stage_frame(frame), result) if len(frame) else None
            if staged is not None:
                _load_staged_chunk(con, result, staged)
            if commit_chunks:
                con.commit()
                con.begin()
        customer_frame = customers() if callable(customers) else customers
        if customer_frame is not None and len(customer_frame):
            result.customers = upsert_customers(con, customer_frame)
        if incidents is not None and len(incidents):
            result.incidents = upsert_incidents(con, incidents, result.notes)
        mark_influencers(con)
        schema.refresh_derived(con)
        _log_import(con, result)
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return result


def _load_staged_chunk(
    con: duckdb.DuckDBPyConnection, result: ImportResult, staged: pd.DataFrame, touched: bool = False
) -> None:
    """Store one staged chunk's messages, derive its conversations and add its customers; add to the counts. With
    `touched`, record what it touched for the incremental refresh (queries/ingest/touched_*.sql; `load`).

    The chunk is handed to DuckDB as Arrow, converted once: the statements below read it several times.
    """
    con.register("staged", pa.Table.from_pandas(staged, preserve_index=False))
    sql.execute(con, "ingest/messages_stored_staged")
    sql.execute(con, "ingest/messages_moved_from")
    updated = sql.execute(con, "ingest/messages_update_changed").fetchall()[0][0]
    inserted = sql.execute(con, "ingest/messages_insert_staged").fetchall()[0][0]
    result.skip("message_id already loaded (re-import)", len(staged) - inserted - updated)
    result.rows_loaded += inserted
    result.messages_updated += updated
    sql.execute(con, "ingest/staged_conversation_attrs")
    sql.execute(con, "ingest/conversation_attrs_add_moved")
    if touched:
        sql.execute(con, "ingest/touched_add_staged")
    for name, count in derive_conversations(con).items():
        result.conversation_changes[name] = result.conversation_changes.get(name, 0) + count
    result.conversations += len(staged["conversation_id"].unique())
    if touched:
        sql.execute(con, "ingest/customers_snapshot_staged")
    sql.execute(con, "ingest/customers_upsert_from_messages")
    con.unregister("staged")


def _log_import(con: duckdb.DuckDBPyConnection, result: ImportResult) -> None:
    """Record the import and its notes (import_log, import_notes)."""
    imported_at = datetime.now(UTC).replace(tzinfo=None)
    sql.execute(
        con,
        "ingest/import_log_insert",
        at=imported_at,
        kind=result.kind,
        file=result.file,
        loaded=result.rows_loaded,
        skipped=result.rows_skipped,
        reasons=json.dumps(result.skipped_reasons),
        analyzer=sentiment.ANALYZER_NAME,
    )
    for kind, count, detail in result.stored_notes():
        note = {"kind": kind, "count": count, "detail": detail}
        sql.execute(con, "ingest/import_notes_insert", at=imported_at, file=result.file, **note)
