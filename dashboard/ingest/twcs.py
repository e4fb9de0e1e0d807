"""The public "Customer Support on Twitter" file (twcs.csv, docs/import_formats.md) as care messages.

Inbound tweets are customer messages, outbound ones agent messages from a brand account. A conversation is a
connected reply tree inside the file, labelled iteratively with numpy (no recursion, so 2.8M tweets and long reply
chains are fine). The conversation id is the tree's root tweet id: the tweet whose reply link does not resolve
inside the file.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from dashboard.ingest import common
from dashboard.ingest.load import ImportResult

TWCS_COLUMNS = (
    "tweet_id",
    "author_id",
    "inbound",
    "created_at",
    "text",
    "response_tweet_id",
    "in_response_to_tweet_id",
)
TWCS_REQUIRED = ("tweet_id", "author_id", "inbound", "created_at", "text", "in_response_to_tweet_id")
TWCS_KINDS = {
    "tweet_id": ("required", ()),
    "author_id": ("required", ()),
    "inbound": ("bool", ()),
    "created_at": ("tweet_time", ()),
}
OLD_AFTER_DAYS = 365

TWCS_PROBLEMS = """
with

checked as (
    select
        rowid + 1 as row_number,
        *,
        case
            when clean_id(tweet_id) is null then 'tweet_id'
            when clean_id(author_id) is null then 'author_id'
            when parse_bool(inbound) is null then 'inbound'
            when parse_tweet_time(created_at) is null then 'created_at'
        end as problem
    from raw
)

select
    row_number,
    problem,
    case problem when 'inbound' then inbound when 'created_at' then created_at end as value
from checked
where problem is not null
order by row_number
limit 1
"""

TWCS_TYPED = """
create or replace table typed as
select *, tweet_id as key, hash(author_id, is_inbound, sent_at, text, parent_id) as content
from (
    select
        rowid + 1 as row_number,
        clean_id(tweet_id) as tweet_id,
        clean_id(author_id) as author_id,
        parse_bool(inbound) as is_inbound,
        parse_tweet_time(created_at) as sent_at,
        text,
        clean_id(in_response_to_tweet_id) as parent_id,
        response_tweet_id
    from raw
)
"""

NUMBER_TWEETS = """
create or replace table tweets as
select
    row_number() over (order by row_number) - 1 as idx,
    row_number, tweet_id, author_id, is_inbound, sent_at, text, parent_id, response_tweet_id
from typed
order by row_number
"""

REPLY_EDGES = """
select child.idx as child, parent.idx as parent
from tweets as child
inner join tweets as parent on child.parent_id = parent.tweet_id
"""

UNRESOLVED = """
select
    (
        select count(*)
        from tweets
        where parent_id is not null and parent_id not in (select tweet_id from tweets)
    ) as parents,
    (
        select count(*)
        from (select clean_id(unnest(string_split(response_tweet_id, ','))) as response_id from tweets)
        where response_id is not null and response_id not in (select tweet_id from tweets)
    ) as responses
"""

OLD_TWEETS = """
select count(*), min(sent_at)
from tweets
where sent_at < (select quantile_disc(sent_at, 0.5) from tweets) - to_days($days)
"""

THREADS = """
create or replace table threads as
with

members as (
    select t.*, c.component, parent.idx is not null as has_parent
    from tweets as t
    inner join components as c on t.idx = c.idx
    left join tweets as parent on t.parent_id = parent.tweet_id
),

brands as (
    select lower(author_id) as handle, min(author_id) as brand
    from tweets
    where not is_inbound
    group by lower(author_id)
),

handles as (
    select m.component, m.sent_at, m.idx, h.handle, h.position
    from members as m, unnest(regexp_extract_all(m.text, '@(\\w+)', 1)) with ordinality as h(handle, position)
    where m.is_inbound
),

mentioned as (
    select h.component, arg_min(b.brand, (h.sent_at, h.idx, h.position)) as account
    from handles as h
    inner join brands as b on lower(h.handle) = b.handle
    group by h.component
)

select
    m.component,
    arg_min(m.tweet_id, (m.has_parent, m.idx)) as conversation_id,
    bool_or(m.is_inbound) as has_customer,
    count(*) as tweet_count,
    coalesce(arg_min(m.author_id, (m.sent_at, m.idx)) filter (where not m.is_inbound), any_value(x.account))
        as account
from members as m
left join mentioned as x on m.component = x.component
group by m.component
"""

STAGED = """
select
    t.row_number,
    th.conversation_id,
    t.tweet_id as message_id,
    t.sent_at,
    case when t.is_inbound then 'customer' else 'agent' end as author_type,
    t.author_id,
    t.text,
    'twitter' as channel,
    th.account,
    case when t.is_inbound then t.author_id end as customer_id,
    'normal' as priority,
    null::varchar[] as tags,
    null::bigint as follower_count,
    null::boolean as is_media,
    null::timestamp as closed_at
from tweets as t
inner join components as c on t.idx = c.idx
inner join threads as th on c.component = th.component
where th.has_customer
order by t.row_number
"""


def label_components(count: int, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Connected-component labels for `count` nodes joined by edges left[i]-right[i]: each node's smallest member."""
    labels = np.arange(count, dtype=np.int64)
    while True:
        low, high = np.minimum(labels[left], labels[right]), np.maximum(labels[left], labels[right])
        joining = low != high
        if not joining.any():
            return labels
        # Hook each root to the smallest root it touches, then compress every path to its root.
        np.minimum.at(labels, high[joining], low[joining])
        while True:
            jumped = labels[labels]
            if np.array_equal(jumped, labels):
                break
            labels = jumped


def _check_and_type(con: duckdb.DuckDBPyConnection, label: str, result: ImportResult) -> None:
    """Reject bad rows, type the tweets and drop exact repeats."""
    common.check_rows(con, label, TWCS_PROBLEMS, TWCS_KINDS)
    con.execute(TWCS_TYPED)
    con.execute("drop table raw")
    result.skip(
        "repeated row (same tweet_id and content as an earlier row)", common.drop_duplicates(con, label, "tweet_id")
    )
    con.execute(NUMBER_TWEETS)
    con.execute("drop table typed")


def _label_threads(con: duckdb.DuckDBPyConnection) -> None:
    """Label every tweet with its reply tree and summarize the trees in table `threads`."""
    count = con.execute("select count(*) from tweets").fetchone()[0]
    edges = con.execute(REPLY_EDGES).fetchnumpy()
    labels = label_components(count, edges["child"].astype(np.int64), edges["parent"].astype(np.int64))
    components = pd.DataFrame({"idx": np.arange(count), "component": labels})
    con.register("components", components)
    con.execute(THREADS)


def _note_quirks(con: duckdb.DuckDBPyConnection, result: ImportResult) -> None:
    """Report reply links that leave the file and timestamps far older than the rest."""
    parents, responses = con.execute(UNRESOLVED).fetchone()
    if parents or responses:
        result.notes.append(
            f"reply links not resolved: {parents:,} in_response_to_tweet_id and {responses:,} response_tweet_id "
            "value(s) point at tweets outside the file; those tweets still load"
        )
    old, earliest = con.execute(OLD_TWEETS, {"days": OLD_AFTER_DAYS}).fetchone()
    if old:
        result.notes.append(
            f"{old:,} tweet(s) dated more than {OLD_AFTER_DAYS} days before the file's median "
            f"(earliest {earliest:%Y-%m-%d}); loaded as given"
        )


def read_twcs(path: Path, result: ImportResult) -> pd.DataFrame:
    """Read and validate a twcs.csv file; return the staged messages frame for `load`."""
    label = str(path)
    with common.scratch() as con:
        common.read_raw(con, path, TWCS_COLUMNS, TWCS_REQUIRED, "twcs file")
        _check_and_type(con, label, result)
        _label_threads(con)
        _note_quirks(con, result)
        skipped = con.execute("select coalesce(sum(tweet_count), 0) from threads where not has_customer").fetchone()[0]
        result.skip("reply tree with no customer tweet", int(skipped))
        return con.execute(STAGED).df()
