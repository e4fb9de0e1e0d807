"""Load validated messages into the database in one transaction and derive conversations from them.

Every import path (care export, twcs, the demo generator) ends here with a *staged* frame of messages in the care
export's columns (docs/import_formats.md) plus a `row_number` giving file order. Nothing here validates user input: the
readers do that before the target database is opened, so a bad file never touches it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

import duckdb
import pandas as pd

from dashboard.core.definitions import INFLUENCER_FOLLOWERS
from dashboard.db import schema
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
    notes: list[str] = field(default_factory=list)

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
        lines += [f"  skipped {count:,}: {reason}" for reason, count in sorted(self.skipped_reasons.items())]
        lines += [f"  note: {note}" for note in self.notes]
        return "\n".join(lines)


DERIVE_CONVERSATIONS = """
create or replace temp table derived_conversations as
with

touched as (
    select m.*
    from messages as m
    where m.conversation_id in (select conversation_id from staged_attrs)
),

starts as (
    select conversation_id, min(sent_at) as started_at
    from touched
    where author_type = 'customer'
    group by conversation_id
),

measured as (
    select
        t.conversation_id,
        s.started_at,
        min(t.sent_at) filter (where t.author_type = 'agent' and t.sent_at > s.started_at) as first_response_at,
        arg_min(t.author_id, t.sent_at) filter (where t.author_type = 'agent' and t.sent_at > s.started_at)
            as agent_id,
        max(t.sent_at) as last_message_at,
        count(*) as message_count,
        count(*) filter (where t.author_type = 'customer') as customer_message_count,
        arg_min({'score': t.sentiment_score, 'label': t.sentiment_label}, t.sent_at)
            filter (where t.author_type = 'customer') as first_customer,
        arg_max({'score': t.sentiment_score, 'label': t.sentiment_label}, t.sent_at)
            filter (where t.author_type = 'customer') as last_customer,
        max(t.sent_at) filter (where t.author_type = 'customer') as last_customer_at
    from touched as t
    inner join starts as s on t.conversation_id = s.conversation_id
    group by t.conversation_id, s.started_at
)

select
    m.conversation_id,
    coalesce(old.channel, a.channel) as channel,
    coalesce(old.account, a.account) as account,
    coalesce(old.customer_id, a.customer_id) as customer_id,
    m.started_at,
    m.first_response_at,
    m.last_message_at,
    coalesce(a.closed_at, old.closed_at) as closed_at,
    coalesce(old.priority, a.priority, 'normal') as priority,
    coalesce(old.tags, a.tags) as tags,
    m.agent_id,
    m.message_count,
    m.customer_message_count,
    m.first_customer.score as start_sentiment_score,
    m.first_customer.label as start_sentiment_label,
    case when m.last_customer_at > m.first_response_at then m.last_customer.score end as end_sentiment_score,
    case when m.last_customer_at > m.first_response_at then m.last_customer.label end as end_sentiment_label,
    false as is_influencer,
    null as incident_id
from measured as m
inner join staged_attrs as a on m.conversation_id = a.conversation_id
left join conversations as old on m.conversation_id = old.conversation_id
"""

STAGE_ATTRS = """
create or replace temp table staged_attrs as
select
    conversation_id,
    arg_min(channel, row_number) as channel,
    arg_min(account, row_number) as account,
    arg_min(customer_id, (sent_at, row_number)) filter (where author_type = 'customer') as customer_id,
    arg_min(priority, row_number) as priority,
    string_split(arg_min(tags, row_number), ';') as tags,
    max(closed_at) as closed_at
from staged
group by conversation_id
"""

# Replacing through delete + insert is twice as fast as `insert or replace` on a million rows.
REPLACE_CONVERSATIONS = (
    "delete from conversations where conversation_id in (select conversation_id from derived_conversations)",
    "insert into conversations select * from derived_conversations order by started_at",
)

INSERT_MESSAGES = """
insert into messages
select
    s.message_id,
    s.conversation_id,
    s.sent_at,
    s.author_type,
    s.author_id,
    s.text,
    s.sentiment_score,
    s.sentiment_label
from staged as s
anti join messages as m on s.message_id = m.message_id
"""

UPSERT_MESSAGE_CUSTOMERS = """
insert into customers (customer_id, follower_count, is_media)
select customer_id, max(follower_count), coalesce(bool_or(is_media), false)
from staged
where author_type = 'customer' and customer_id is not null
group by customer_id
on conflict (customer_id) do update set
    follower_count = greatest(customers.follower_count, excluded.follower_count),
    is_media = customers.is_media or excluded.is_media
"""

MARK_INFLUENCERS = """
update conversations as c
set is_influencer = coalesce(k.follower_count >= $followers or k.is_media, false)
from customers as k
where c.customer_id = k.customer_id
    and c.is_influencer is distinct from coalesce(k.follower_count >= $followers or k.is_media, false)
"""


def _stage_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Add sentiment to a staged message frame (unless a caller scored it already), tags as ';'-joined text."""
    if "sentiment_score" not in frame.columns:
        scores, labels = sentiment.score_texts(frame["text"].tolist(), author_types=frame["author_type"].tolist())
        frame = frame.assign(sentiment_score=scores, sentiment_label=labels)
    tags = frame["tags"].dropna()
    if len(tags) and isinstance(tags.iloc[0], list | tuple):
        frame = frame.assign(tags=frame["tags"].map(lambda t: ";".join(t) if isinstance(t, list | tuple) else t))
    return frame


UPSERT_CUSTOMERS = """
insert into customers (
    customer_id, segment, plan, monthly_value, customer_since, churned_at, follower_count, is_media
)
select
    customer_id,
    segment::varchar,
    plan::varchar,
    monthly_value::double,
    customer_since::date,
    churned_at::timestamp,
    follower_count::bigint,
    is_media::boolean
from staged_customers
on conflict (customer_id) do update set
    segment = coalesce(excluded.segment, customers.segment),
    plan = coalesce(excluded.plan, customers.plan),
    monthly_value = coalesce(excluded.monthly_value, customers.monthly_value),
    customer_since = coalesce(excluded.customer_since, customers.customer_since),
    churned_at = coalesce(excluded.churned_at, customers.churned_at),
    follower_count = coalesce(excluded.follower_count, customers.follower_count),
    is_media = coalesce(excluded.is_media, customers.is_media)
"""


def upsert_customers(con: duckdb.DuckDBPyConnection, customers: pd.DataFrame) -> int:
    """Insert or update customers from a companion file; columns it lacks (or leaves blank) keep their stored values."""
    frame = customers.copy()
    for column in CUSTOMER_COLUMNS:
        if column not in frame.columns:
            frame[column] = pd.Series([None] * len(frame), dtype=object)
    con.register("staged_customers", frame[list(CUSTOMER_COLUMNS)])
    # New customers first get a row with the table defaults, so a blank is_media never meets its not-null
    # constraint; the upsert then only fills in (or keeps) values.
    con.execute("insert or ignore into customers (customer_id) select customer_id from staged_customers")
    con.execute(UPSERT_CUSTOMERS)
    con.unregister("staged_customers")
    return len(customers)


def upsert_incidents(con: duckdb.DuckDBPyConnection, incidents: pd.DataFrame) -> int:
    """Insert or replace incidents (by incident_id)."""
    frame = incidents.copy()
    for column in INCIDENT_COLUMNS:
        if column not in frame.columns:
            frame[column] = "recorded" if column == "source" else None
    con.register("staged_incidents", frame[list(INCIDENT_COLUMNS)])
    con.execute(
        "insert or replace into incidents select incident_id, title, started_at, ended_at, severity, services, "
        "coalesce(source, 'recorded') from staged_incidents"
    )
    con.unregister("staged_incidents")
    return len(frame)


def load(
    con: duckdb.DuckDBPyConnection,
    result: ImportResult,
    messages: pd.DataFrame | None = None,
    customers: pd.DataFrame | None = None,
    incidents: pd.DataFrame | None = None,
) -> ImportResult:
    """Write validated frames into the database in one transaction; all or nothing."""
    staged = _stage_frame(messages) if messages is not None and len(messages) else None
    con.execute("begin transaction")
    try:
        schema.ensure_schema(con)
        if staged is not None:
            con.register("staged", staged)
            before = con.execute("select count(*) from messages").fetchone()[0]
            con.execute(INSERT_MESSAGES)
            inserted = con.execute("select count(*) from messages").fetchone()[0] - before
            result.skip("message_id already loaded (re-import)", len(staged) - inserted)
            result.rows_loaded += inserted
            con.execute(STAGE_ATTRS)
            con.execute(DERIVE_CONVERSATIONS)
            for statement in REPLACE_CONVERSATIONS:
                con.execute(statement)
            result.conversations = con.execute("select count(*) from staged_attrs").fetchone()[0]
            con.execute(UPSERT_MESSAGE_CUSTOMERS)
            con.unregister("staged")
        if customers is not None and len(customers):
            result.customers = upsert_customers(con, customers)
        if incidents is not None and len(incidents):
            result.incidents = upsert_incidents(con, incidents)
        con.execute(MARK_INFLUENCERS, {"followers": INFLUENCER_FOLLOWERS})
        schema.refresh_derived(con)
        con.execute(
            "insert into import_log values ($at, $kind, $file, $loaded, $skipped, $reasons, $analyzer)",
            {
                "at": datetime.now(UTC).replace(tzinfo=None),
                "kind": result.kind,
                "file": result.file,
                "loaded": result.rows_loaded,
                "skipped": result.rows_skipped,
                "reasons": json.dumps(result.skipped_reasons),
                "analyzer": sentiment.ANALYZER_NAME,
            },
        )
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return result
