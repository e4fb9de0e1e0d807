"""An import into a larger database updates only what it touched, and ends with exactly what a full rebuild gives.

Each case imports a small batch into a copy of the demo database (the incremental path), then compares every derived
table and the output of every page query against the same database after everything is derived again from its
messages: conversations, flags and incident membership, conversation_facts, conversation_starts_hourly, coverage_days.
Tables must match exactly; page query outputs too, but for float noise in the last digits (1e-9 relative: sums over
rows stored in another order).
"""

from __future__ import annotations

import math
import shutil
from datetime import timedelta

import duckdb
import pandas as pd
import pytest

from dashboard.app.bench import default_params
from dashboard.db import database, schema, sql
from dashboard.ingest.load import ImportResult, derive_conversations, load, mark_influencers
from tests.conftest import message_frame
from tests.queries.test_contract import sample_params

DERIVED_TABLES = ("conversations", "conversation_facts", "conversation_starts_hourly", "coverage_days")


@pytest.fixture
def con(demo_db, tmp_path) -> duckdb.DuckDBPyConnection:
    """A writable copy of the shared demo database."""
    shutil.copy(demo_db, tmp_path / "demo.duckdb")
    connection = database.connect(tmp_path / "demo.duckdb")
    yield connection
    connection.close()


@pytest.fixture
def refreshes(monkeypatch) -> list[bool]:
    """The `touched` argument of every schema.refresh_derived call."""
    calls: list[bool] = []
    original = schema.refresh_derived

    def spy(con, touched=False):
        calls.append(touched)
        original(con, touched=touched)

    monkeypatch.setattr(schema, "refresh_derived", spy)
    return calls


def data_end(con) -> pd.Timestamp:
    return pd.Timestamp(con.execute("select data_end_at()").fetchone()[0])


def page_outputs(con) -> dict[str, pd.DataFrame]:
    """Every page query's output with the bench's default view (plus sample values for the other parameters)."""
    params = {**sample_params(con), **default_params(con)}
    return {name: sql.run_query(con, name, **params) for name in sql.query_names()}


def rebuild(con) -> None:
    """Derive everything again from the stored messages and attributes, as a rescore does."""
    con.begin()
    sql.execute(con, "ingest/stored_conversation_attrs")
    derive_conversations(con)
    mark_influencers(con)
    schema.refresh_derived(con, touched=False)
    con.commit()


def assert_tables_equal(con) -> None:
    """The stored derived tables hold exactly the rows of a full rebuild (compared as multisets)."""
    for name in DERIVED_TABLES:
        con.execute(f"create or replace temp table incremental_{name} as select * from {name}")
    rebuild(con)
    for name in DERIVED_TABLES:
        differing = con.execute(
            f"""
            select count(*) from (
                (select * from incremental_{name} except all select * from {name})
                union all
                (select * from {name} except all select * from incremental_{name})
            )
            """
        ).fetchone()[0]
        assert differing == 0, f"{name}: {differing} rows differ from a full rebuild"


def assert_same_outputs(before: dict[str, pd.DataFrame], after: dict[str, pd.DataFrame]) -> None:
    for name, frame in before.items():
        other = after[name]
        assert list(frame.columns) == list(other.columns), name
        assert len(frame) == len(other), f"{name}: {len(frame)} rows, {len(other)} after a rebuild"
        for column in frame.columns:
            for row, (mine, theirs) in enumerate(zip(frame[column], other[column], strict=True)):
                assert same_value(mine, theirs), f"{name}.{column} row {row}: {mine!r} != {theirs!r}"


def same_value(a, b) -> bool:
    if a is None or a is pd.NA or a is pd.NaT or (isinstance(a, float) and math.isnan(a)):
        return b is None or b is pd.NA or b is pd.NaT or (isinstance(b, float) and math.isnan(b))
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    if hasattr(a, "__len__") and not isinstance(a, str):
        return len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def import_and_compare(con, refreshes, messages=None, customers=None, incidents=None, pages: bool = False) -> None:
    """Import incrementally, then check the tables (and with `pages`, every page query's output; slower) against a
    full rebuild of the same data."""
    load(con, ImportResult("test", "increment"), messages, customers, incidents)
    assert refreshes[-1] is True, "the import should have refreshed only what it touched"
    incremental = page_outputs(con) if pages else {}
    assert_tables_equal(con)
    if pages:
        assert_same_outputs(incremental, page_outputs(con))


def existing(con, where: str = "true", limit: int = 5) -> list[tuple]:
    """(conversation_id, customer_id, channel, started_at, last_message_at) of some stored conversations."""
    return con.execute(
        "select conversation_id, customer_id, channel, started_at, last_message_at from conversations "
        f"where {where} order by conversation_id limit {limit}"
    ).fetchall()


def new_conversation(cid: str, at, channel: str = "chat", answered_after: float | None = 20) -> list[dict]:
    first = {
        "conversation_id": cid,
        "message_id": f"{cid}-1",
        "sent_at": at,
        "author_type": "customer",
        "customer_id": f"cust-{cid}",
        "author_id": f"cust-{cid}",
        "text": "the app is down again, useless",
        "channel": channel,
        "account": "@nordtel_care",
    }
    if answered_after is None:
        return [first]
    reply = {**first, "message_id": f"{cid}-2", "sent_at": at + timedelta(minutes=answered_after)}
    return [first, {**reply, "author_type": "agent", "author_id": "agent-1", "customer_id": None, "text": "On it."}]


def unanswered(cid: str, at) -> list[dict]:
    return new_conversation(cid, at, answered_after=None)


def test_new_conversations_on_a_new_day(con, refreshes):
    end = data_end(con)
    rows = [r for n in range(30) for r in new_conversation(f"new-{n}", end + timedelta(hours=20, minutes=7 * n))]
    days_before = con.execute("select count(*) from coverage_days").fetchone()[0]
    import_and_compare(con, refreshes, message_frame(rows))
    assert con.execute("select count(*) from coverage_days").fetchone()[0] == days_before + 1


def test_replies_in_existing_conversations(con, refreshes):
    end = data_end(con)
    unanswered = existing(con, "first_response_at is null", limit=20)
    answered = existing(con, "first_response_at is not null", limit=20)
    rows = [
        {**new_conversation(cid, end)[1], "conversation_id": cid, "message_id": f"{cid}-reply", "sent_at": end}
        for cid, *_ in unanswered
    ] + [
        {**new_conversation(cid, end)[0], "conversation_id": cid, "message_id": f"{cid}-again", "customer_id": cust}
        for cid, cust, *_ in answered
    ]
    import_and_compare(con, refreshes, message_frame(rows))
    answered_now = con.execute(
        "select count(*) from conversations where first_response_at is not null and conversation_id in "
        "(select unnest($ids))",
        {"ids": [cid for cid, *_ in unanswered]},
    ).fetchone()[0]
    assert answered_now == len(unanswered)


def test_an_earlier_message_moves_a_start_to_another_hour_and_day(con, refreshes):
    moved = existing(con, "started_at > (select min(started_at) from conversations) + interval 3 day", limit=10)
    rows = [
        {
            **new_conversation(cid, started - timedelta(days=1, hours=2))[0],
            "conversation_id": cid,
            "message_id": f"{cid}-earlier",
            "customer_id": cust,
            "channel": channel,
        }
        for cid, cust, channel, started, _ in moved
    ]
    import_and_compare(con, refreshes, message_frame(rows))
    starts = dict(con.execute("select conversation_id, started_at from conversations").fetchall())
    assert all(starts[cid] == started - timedelta(days=1, hours=2) for cid, _, _, started, _ in moved)


def test_a_later_data_end_turns_pending_deadlines_into_breaches(con, refreshes):
    end = data_end(con)
    waiting = [r for n in range(5) for r in unanswered(f"wait-{n}", end + timedelta(minutes=n))]
    import_and_compare(con, refreshes, message_frame(waiting))
    pending = con.execute("select conversation_id from conversation_facts where sla_status = 'pending'").fetchall()
    assert {"wait-0", "wait-4"} <= {cid for (cid,) in pending}
    rows = new_conversation("late-1", end + timedelta(hours=3), answered_after=None)
    import_and_compare(con, refreshes, message_frame(rows))
    # only the new conversation is pending now: every earlier deadline has passed
    statuses = con.execute("select conversation_id from conversation_facts where sla_status = 'pending'").fetchall()
    assert statuses == [("late-1",)]
    breached = con.execute(
        "select count(*) from conversation_facts where sla_status = 'breached_unanswered' and "
        "conversation_id like 'wait-%'"
    ).fetchone()[0]
    assert breached == 5


def test_an_incident_added_and_one_replaced(con, refreshes):
    stored = con.execute("select * from incidents order by started_at desc limit 1").df()
    replaced = stored.assign(
        started_at=stored["started_at"] - pd.Timedelta(hours=5), ended_at=stored["ended_at"] - pd.Timedelta(hours=3)
    )
    start = pd.Timestamp(con.execute("select min(started_at) from conversations").fetchone()[0]) + pd.Timedelta(days=9)
    added = pd.DataFrame(
        {
            "incident_id": ["INC-NEW"],
            "title": ["Login failures"],
            "started_at": [start],
            "ended_at": [start + pd.Timedelta(hours=4)],
            "severity": ["high"],
            "services": ["login"],
            "source": ["recorded"],
        }
    )
    incidents = pd.concat([replaced, added], ignore_index=True)
    import_and_compare(con, refreshes, incidents=incidents)
    owned = con.execute("select count(*) from conversations where incident_id = 'INC-NEW'").fetchone()[0]
    assert owned > 0


def test_customer_companion_rows_change_flags_and_followers(con, refreshes):
    customers = con.execute(
        "select customer_id from conversations where not is_influencer and customer_id is not null "
        "group by customer_id order by customer_id limit 15"
    ).df()
    customers = customers.assign(follower_count=[10_000_000] * 10 + [None] * 5, is_media=[None] * 10 + [True] * 5)
    customers["churned_at"] = pd.Timestamp("2026-11-20")
    import_and_compare(con, refreshes, customers=customers)
    flagged = con.execute(
        "select bool_and(is_influencer) from conversations where customer_id in (select unnest($ids))",
        {"ids": customers["customer_id"].tolist()},
    ).fetchone()[0]
    assert flagged


def test_a_mixed_batch_gives_the_same_page_numbers_as_a_rebuild(con, refreshes):
    end = data_end(con)
    waiting = [r for n in range(5) for r in unanswered(f"wait-{n}", end + timedelta(minutes=n))]
    load(con, ImportResult("test", "waiting"), message_frame(waiting))
    (source, *_), (target, target_customer, *_) = existing(con, "message_count >= 3", limit=2)
    message_id, sent_at = con.execute(
        "select message_id, sent_at from messages where conversation_id = $c and author_type = 'customer' "
        "order by sent_at desc limit 1",
        {"c": source},
    ).fetchone()
    moved = {  # a message moved to another conversation
        **new_conversation(target, sent_at)[0],
        "conversation_id": target,
        "message_id": message_id,
        "customer_id": target_customer,
    }
    (early, early_customer, channel, started, _) = existing(con, "started_at > timestamp '2026-09-01'", limit=1)[0]
    earlier = {  # an earlier first message
        **new_conversation(early, started - timedelta(hours=5))[0],
        "conversation_id": early,
        "message_id": f"{early}-earlier",
        "customer_id": early_customer,
        "channel": channel,
    }
    replies = [  # replies to the waiting conversations, after a new day's conversations moved the data end
        {**new_conversation(f"wait-{n}", end)[1], "message_id": f"wait-{n}-reply", "sent_at": end + timedelta(hours=4)}
        for n in range(2)
    ]
    fresh = [r for n in range(20) for r in new_conversation(f"mix-{n}", end + timedelta(hours=3, minutes=9 * n))]
    customers = pd.DataFrame({"customer_id": [early_customer, "cust-mix-3"], "follower_count": [20_000_000, 5]})
    incidents = pd.DataFrame(
        {
            "incident_id": ["INC-MIX"],
            "title": ["App outage"],
            "started_at": [end + timedelta(hours=3)],
            "ended_at": [end + timedelta(hours=5)],
        }
    )
    messages = message_frame([moved, earlier, *replies, *fresh])
    import_and_compare(con, refreshes, messages, customers, incidents, pages=True)
    statuses = dict(con.execute("select conversation_id, sla_status from conversation_facts").fetchall())
    assert [statuses[f"wait-{n}"] for n in range(5)] == ["breached_answered"] * 2 + ["breached_unanswered"] * 3
    assert statuses[early] is not None and statuses["mix-0"] == "met"


def test_a_large_import_rebuilds_everything_with_the_same_result(con, refreshes):
    end = data_end(con)
    rows = [r for n in range(1500) for r in new_conversation(f"bulk-{n}", end + timedelta(minutes=n))]
    load(con, ImportResult("test", "bulk"), message_frame(rows))
    assert refreshes[-1] is False
    assert_tables_equal(con)
