"""conversation_rollup equals conversation_facts counted independently, and the queries reading it give what the
per-conversation queries gave (kept in tests/db/facts_queries/, only here): exactly, except normal time's median and
p90 first response, which come from first-response bins."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from dashboard.db import database, rollups, schema, sql
from dashboard.report.build import all_values_params

FACTS_QUERIES = Path(__file__).parent / "facts_queries"
KEYS = ["quarter_at", "channel", "account", "priority", "incident_id"]
# Binned medians and percentiles of normal time on a 4,000-conversation demo: a few hundred answers per channel.
BINNED_TOLERANCE = 0.12


def expected_rollup(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """conversation_rollup computed in pandas from conversation_facts (a subset of its columns)."""
    facts = con.execute("select * from conversation_facts").df()
    facts["quarter_at"] = facts["started_at"].dt.floor("15min")
    start = facts["start_sentiment_label"]
    end = facts["end_sentiment_label"]
    minutes = facts["first_response_minutes"]
    columns = {
        "conversation_count": pd.Series(True, index=facts.index),
        "negative_start_count": start == "negative",
        "recovered_count": (start == "negative") & (end == "positive"),
        "sla_due_count": facts["sla_status"] != "pending",
        "sla_met_count": facts["sla_status"] == "met",
        "pending_count": facts["sla_status"] == "pending",
        "at_risk_count": (end == "negative") | (facts["sla_status"] == "breached_unanswered"),
        "flow_unscored_none_count": start.isna() & end.isna(),
        "flow_neutral_positive_count": (start == "neutral") & (end == "positive"),
        "wait_15to60_recovered_count": (start == "negative") & (end == "positive") & (minutes >= 15) & (minutes < 60),
        "wait_never_conversation_count": minutes.isna(),
    }
    bins = np.clip(np.ceil(np.log10(minutes / 120) * 10), -25, 20)
    for k in (-25, -8, 0, 20):
        columns[f"frt_{'m' if k < 0 else 'p'}{abs(k):02d}"] = bins == k
    frame = pd.DataFrame({name: values.fillna(False).astype(int) for name, values in columns.items()})
    frame[KEYS] = facts[KEYS].fillna({"account": "", "incident_id": ""})
    frame["follower_sum"] = facts["follower_count"].fillna(0).astype(int)
    return frame.groupby(KEYS, as_index=False).sum().sort_values(KEYS, ignore_index=True)


def stored_rollup(con: duckdb.DuckDBPyConnection, columns: list[str]) -> pd.DataFrame:
    """The stored table's rows, keys null-filled like expected_rollup, in key order."""
    frame = con.execute("select * from conversation_rollup").df()[columns]
    frame = frame.fillna({"account": "", "incident_id": ""})
    return frame.sort_values(KEYS, ignore_index=True)


def test_rollup_equals_facts_counted_in_pandas(demo_con):
    expected = expected_rollup(demo_con)
    stored = stored_rollup(demo_con, list(expected.columns))
    assert len(stored) > 1000
    pd.testing.assert_frame_equal(stored, expected, check_dtype=False)


def facts_query(con: duckdb.DuckDBPyConnection, name: str, params: dict) -> pd.DataFrame:
    """The per-conversation version of a query (tests/db/facts_queries/), on `con` itself (it sees temp macros)."""
    text = (FACTS_QUERIES / f"{name}.sql").read_text()
    return con.execute(text, sql._bound(text, params)).df()


def variants(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """The default view; a half-hour zone, fewer channels, another incident; odd bounds in a quarter-hour zone."""
    base = all_values_params(con)
    incidents = con.execute("select incident_id from incidents order by started_at desc").fetchall()
    base = {**base, "incident_id": incidents[0][0], "tz": "UTC", "limit": 50}
    return [
        base,
        {**base, "tz": "Asia/Kolkata", "channels": base["channels"][:2], "incident_id": incidents[-1][0]},
        {
            **base,
            "start_at": base["start_at"] + dt.timedelta(days=20, minutes=7, seconds=3),
            "end_at": base["end_at"] - dt.timedelta(days=9, minutes=52),
            "priorities": base["priorities"][1:],
            "accounts": base["accounts"][:1],
            "tz": "Asia/Kathmandu",
        },
    ]


@pytest.fixture(scope="module")
def facts_con(demo_db):
    """A read-only connection with the per-conversation volume baseline as a temp macro."""
    con = database.connect(demo_db, read_only=True)
    con.execute((FACTS_QUERIES / "facts_volume_baseline.sql").read_text())
    yield con
    con.close()


REWRITTEN = sorted(path.stem for path in FACTS_QUERIES.glob("*.sql") if path.stem != "facts_volume_baseline")


@pytest.mark.parametrize("name", REWRITTEN)
def test_query_reading_the_rollup_gives_the_per_conversation_result(facts_con, name):
    for params in variants(facts_con):
        rolled = sql.run_query(facts_con, name, **params)
        counted = facts_query(facts_con, name, params)
        assert list(rolled.columns) == list(counted.columns)
        binned = [c for c in rolled.columns if c.startswith(("median_", "p90_"))]
        pd.testing.assert_frame_equal(
            rolled.drop(columns=binned), counted.drop(columns=binned), check_dtype=False, rtol=1e-9
        )
        for column in binned:
            exact = counted[column].astype(float)
            approximate = rolled[column].astype(float)
            assert (exact.isna() == approximate.isna()).all(), column
            error = (approximate / exact - 1).abs().max()
            assert not error > BINNED_TOLERANCE, f"{name}.{column}: {error:.3f} off with {params['tz']}"
        if "period" in rolled.columns and binned:
            incident = rolled["period"] == "incident"  # the incident's medians are exact
            pd.testing.assert_frame_equal(rolled[incident], counted[incident], check_dtype=False, rtol=1e-9)


def test_touched_refresh_equals_a_full_rebuild(demo_db, tmp_path):
    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, path)
    con = database.connect(path)
    changed = con.execute(
        "select conversation_id, started_at from conversation_facts order by started_at limit 5 offset 1000"
    ).df()
    ids = changed["conversation_id"].tolist()
    con.execute("create temp table touched_conversations as select unnest($ids) as conversation_id", {"ids": ids})
    con.execute(
        "create temp table touched_hours as select distinct date_trunc('hour', started_at) as hour "
        "from conversation_facts where conversation_id in (select conversation_id from touched_conversations)"
    )
    # One conversation moves three hours later, one changes channel, one is answered late, one is removed.
    con.execute(
        "update conversation_facts set started_at = started_at + interval 3 hour where conversation_id = $i",
        {"i": ids[0]},
    )
    con.execute("update conversation_facts set channel = 'email' where conversation_id = $i", {"i": ids[1]})
    con.execute(
        "update conversation_facts set sla_status = 'breached_answered', is_sla_met = false, "
        "first_response_minutes = 500 where conversation_id = $i",
        {"i": ids[2]},
    )
    con.execute("delete from conversation_facts where conversation_id = $i", {"i": ids[3]})
    con.execute(
        "insert into touched_hours select distinct date_trunc('hour', started_at) from conversation_facts "
        "where conversation_id in (select conversation_id from touched_conversations)"
    )
    assert differing_rows(con) > 0  # the stored rollup no longer matches the facts
    rollups.refresh(con, touched=True)
    assert differing_rows(con) == 0
    con.close()


def differing_rows(con: duckdb.DuckDBPyConnection) -> int:
    """Rows of the stored rollup missing from a full rebuild from conversation_facts, plus the reverse."""
    con.execute("create or replace temp table stored_rollup as select * from conversation_rollup")
    rollups.refresh(con)
    count = con.execute(
        """
        select count(*) from (
            (select * from stored_rollup except all select * from conversation_rollup)
            union all
            (select * from conversation_rollup except all select * from stored_rollup)
        )
        """
    ).fetchone()[0]
    con.execute("create or replace table conversation_rollup as select * from stored_rollup")
    return count


def test_opening_an_older_database_builds_the_rollup(demo_db, tmp_path):
    path = tmp_path / "old.duckdb"
    shutil.copy(demo_db, path)
    with duckdb.connect(str(path)) as con:
        con.execute("drop table conversation_rollup")
        con.execute("update schema_info set value = '3' where key = 'schema_version'")
    con = database.connect(path)
    assert schema.stored_version(con) == schema.SCHEMA_VERSION
    total = con.execute("select sum(conversation_count)::bigint, count(*) from conversation_rollup").fetchone()
    assert total[0] == con.execute("select count(*) from conversations").fetchone()[0]
    con.close()
