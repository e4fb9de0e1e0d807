"""The care export (docs/import_formats.md): one row per message, plus the optional customers and incidents files.

Each reader loads a file as text into a scratch DuckDB, stops at the first bad row with an InputError naming the
file, the 1-based data row and the column, and returns a typed pandas frame for `load`. Nothing here opens the
target database.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from dashboard.db import schema
from dashboard.ingest import common
from dashboard.ingest.load import CUSTOMER_COLUMNS, STAGED_COLUMNS, ImportResult

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
    "is_media": ("bool", ()),
    "closed_at": ("timestamp", ()),
}

CARE_PROBLEMS = """
with

checked as (
    select
        rowid + 1 as row_number,
        *,
        case
            when clean_text(conversation_id) is null then 'conversation_id'
            when clean_text(message_id) is null then 'message_id'
            when parse_ts(sent_at) is null then 'sent_at'
            when not list_contains($author_types, coalesce(lower(clean_text(author_type)), '')) then 'author_type'
            when not list_contains($channels, coalesce(lower(clean_text(channel)), '')) then 'channel'
            when not list_contains($priorities, coalesce(lower(clean_text(priority)), 'normal')) then 'priority'
            when lower(clean_text(author_type)) = 'customer' and clean_text(customer_id) is null then 'customer_id'
            when clean_text(follower_count) is not null and parse_count(follower_count) is null then 'follower_count'
            when clean_text(is_media) is not null and parse_bool(is_media) is null then 'is_media'
            when clean_text(closed_at) is not null and parse_ts(closed_at) is null then 'closed_at'
        end as problem
    from raw
)

select
    row_number,
    problem,
    case problem
        when 'sent_at' then sent_at
        when 'author_type' then author_type
        when 'channel' then channel
        when 'priority' then priority
        when 'follower_count' then follower_count
        when 'is_media' then is_media
        when 'closed_at' then closed_at
    end as value
from checked
where problem is not null
order by row_number
limit 1
"""

CARE_TYPED = """
create or replace table typed as
select
    *,
    message_id as key,
    hash(
        conversation_id, sent_at, author_type, author_id, text, channel, account, customer_id, priority, tags,
        follower_count, is_media, closed_at
    ) as content
from (
    select
        rowid + 1 as row_number,
        clean_text(conversation_id) as conversation_id,
        clean_text(message_id) as message_id,
        parse_ts(sent_at) as sent_at,
        lower(clean_text(author_type)) as author_type,
        clean_text(author_id) as author_id,
        text,
        lower(clean_text(channel)) as channel,
        clean_text(account) as account,
        clean_text(customer_id) as customer_id,
        coalesce(lower(clean_text(priority)), 'normal') as priority,
        nullif(list_filter(list_transform(string_split(tags, ';'), lambda t: trim(t)), lambda t: t <> ''), [])
            as tags,
        parse_count(follower_count) as follower_count,
        parse_bool(is_media) as is_media,
        parse_ts(closed_at) as closed_at
    from raw
)
"""

DROP_CUSTOMERLESS = """
delete from typed
where conversation_id in (
    select conversation_id
    from typed
    group by conversation_id
    having not bool_or(author_type = 'customer')
)
"""

STAGED = """
select row_number, conversation_id, message_id, sent_at, author_type, author_id, text, channel, account,
    customer_id, priority, tags, follower_count, is_media, closed_at
from typed
order by row_number
"""

CUSTOMER_KINDS = {
    "customer_id": ("required", ()),
    "monthly_value": ("number", ()),
    "customer_since": ("timestamp", ()),
    "churned_at": ("timestamp", ()),
    "follower_count": ("count", ()),
    "is_media": ("bool", ()),
}

CUSTOMER_PROBLEMS = """
with

checked as (
    select
        rowid + 1 as row_number,
        *,
        case
            when clean_text(customer_id) is null then 'customer_id'
            when clean_text(monthly_value) is not null and parse_number(monthly_value) is null then 'monthly_value'
            when clean_text(customer_since) is not null and parse_ts(customer_since) is null then 'customer_since'
            when clean_text(churned_at) is not null and parse_ts(churned_at) is null then 'churned_at'
            when clean_text(follower_count) is not null and parse_count(follower_count) is null then 'follower_count'
            when clean_text(is_media) is not null and parse_bool(is_media) is null then 'is_media'
        end as problem
    from raw
)

select
    row_number,
    problem,
    case problem
        when 'monthly_value' then monthly_value
        when 'customer_since' then customer_since
        when 'churned_at' then churned_at
        when 'follower_count' then follower_count
        when 'is_media' then is_media
    end as value
from checked
where problem is not null
order by row_number
limit 1
"""

CUSTOMER_TYPED = """
create or replace table typed as
select
    *,
    customer_id as key,
    hash(segment, plan, monthly_value, customer_since, churned_at, follower_count, is_media) as content
from (
    select
        rowid + 1 as row_number,
        clean_text(customer_id) as customer_id,
        clean_text(segment) as segment,
        clean_text(plan) as plan,
        parse_number(monthly_value) as monthly_value,
        parse_ts(customer_since)::date as customer_since,
        parse_ts(churned_at) as churned_at,
        parse_count(follower_count) as follower_count,
        parse_bool(is_media) as is_media
    from raw
)
"""

INCIDENT_KINDS = {
    "incident_id": ("required", ()),
    "title": ("required", ()),
    "started_at": ("timestamp", ()),
    "ended_at": ("timestamp", ()),
    "ended_at:order": ("order", ()),
}

INCIDENT_PROBLEMS = """
with

checked as (
    select
        rowid + 1 as row_number,
        *,
        case
            when clean_text(incident_id) is null then 'incident_id'
            when clean_text(title) is null then 'title'
            when parse_ts(started_at) is null then 'started_at'
            when parse_ts(ended_at) is null then 'ended_at'
            when parse_ts(ended_at) < parse_ts(started_at) then 'ended_at:order'
        end as problem
    from raw
)

select
    row_number,
    problem,
    case problem
        when 'started_at' then started_at
        when 'ended_at' then ended_at
        when 'ended_at:order' then trim(ended_at) || ' < ' || trim(started_at)
    end as value
from checked
where problem is not null
order by row_number
limit 1
"""

INCIDENT_TYPED = """
create or replace table typed as
select *, incident_id as key, hash(title, started_at, ended_at, severity, services) as content
from (
    select
        rowid + 1 as row_number,
        clean_text(incident_id) as incident_id,
        clean_text(title) as title,
        parse_ts(started_at) as started_at,
        parse_ts(ended_at) as ended_at,
        clean_text(severity) as severity,
        clean_text(services) as services
    from raw
)
"""


def _note_ignored(result: ImportResult, path: Path, found: list[str], known: tuple[str, ...]) -> None:
    ignored = [name or "(unnamed)" for name in found if name not in known]
    if ignored:
        result.notes.append(f"{path.name}: ignored column(s) {', '.join(ignored)}")


def read_care(path: Path, result: ImportResult) -> pd.DataFrame:
    """Read and validate a care export (CSV or Parquet); return the staged messages frame for `load`."""
    label = str(path)
    with common.scratch() as con:
        found = common.read_raw(con, path, CARE_COLUMNS, CARE_REQUIRED, "care export")
        _note_ignored(result, path, found, CARE_COLUMNS)
        allowed = {"author_types": schema.AUTHOR_TYPES, "channels": schema.CHANNELS, "priorities": schema.PRIORITIES}
        common.check_rows(con, label, CARE_PROBLEMS, CARE_KINDS, {k: list(v) for k, v in allowed.items()})
        con.execute(CARE_TYPED)
        con.execute("drop table raw")
        result.skip(
            "repeated row (same message_id and content as an earlier row)",
            common.drop_duplicates(con, label, "message_id"),
        )
        result.skip("conversation has no customer message", con.execute(DROP_CUSTOMERLESS).fetchone()[0])
        frame = con.execute(STAGED).df()
    frame["tags"] = [None if tags is None or tags is pd.NA else list(tags) for tags in frame["tags"]]
    return frame


def _read_companion(
    path: Path, result: ImportResult, spec: tuple[tuple[str, ...], tuple[str, ...], str, str, str, dict]
) -> tuple[pd.DataFrame, list[str]]:
    """Read a companion file through its problem and typing queries; return the frame and the columns present."""
    columns, required, what, problems, typed, kinds = spec
    with common.scratch() as con:
        found = common.read_raw(con, path, columns, required, what)
        _note_ignored(result, path, found, columns)
        common.check_rows(con, str(path), problems, kinds)
        con.execute(typed)
        repeats = common.drop_duplicates(con, str(path), required[0])
        if repeats:
            result.notes.append(f"{path.name}: {repeats:,} repeated row(s) ignored")
        frame = con.execute("select * exclude (key, content, row_number) from typed order by row_number").df()
    return frame, [name for name in columns if name in found]


def read_customers(path: Path, result: ImportResult) -> pd.DataFrame:
    """Read and validate a customers file; return only the columns it has (absent ones keep stored values)."""
    spec = (CUSTOMER_COLUMNS, ("customer_id",), "customers file", CUSTOMER_PROBLEMS, CUSTOMER_TYPED, CUSTOMER_KINDS)
    frame, present = _read_companion(path, result, spec)
    return frame[present]


def read_incidents(path: Path, result: ImportResult) -> pd.DataFrame:
    """Read and validate an incidents file; return the incidents frame for `load`."""
    spec = (INCIDENT_COLUMNS, INCIDENT_REQUIRED, "incidents file", INCIDENT_PROBLEMS, INCIDENT_TYPED, INCIDENT_KINDS)
    frame, _ = _read_companion(path, result, spec)
    return frame
