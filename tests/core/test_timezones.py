"""The display time zone: data stays in UTC, hours and days are the chosen zone's (given/expect)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pandas as pd

from dashboard.app.filters import Filters, Options, from_query_params
from dashboard.core import timezones
from dashboard.db import sql

SCOPE = {"channels": ["chat"], "accounts": ["@brand"], "priorities": ["normal"]}
KOLKATA = "Asia/Kolkata"  # UTC+5:30 all year: a local hour is never a UTC hour
NEW_YORK = "America/New_York"  # clocks went back at 06:00 UTC on 1 Nov 2026 (01:00-02:00 happened twice)


def conversation(cid: str, at: datetime, answer_minutes: int = 10) -> list[dict]:
    """An answered chat conversation starting at `at` (UTC)."""
    base = {"conversation_id": cid, "channel": "chat", "account": "@brand", "priority": "normal"}
    return [
        {**base, "message_id": f"{cid}-1", "sent_at": at, "author_type": "customer", "customer_id": "k1"},
        {**base, "message_id": f"{cid}-2", "sent_at": at + timedelta(minutes=answer_minutes), "author_type": "agent"},
    ]


def counts(frame: pd.DataFrame, column: str = "hour_at", value: str = "conversation_count") -> dict:
    """{bucket: count} for the non-empty buckets of a query result."""
    nonzero = frame[frame[value] > 0]
    return {
        pd.Timestamp(k).strftime("%Y-%m-%d %H:%M"): int(v) for k, v in zip(nonzero[column], nonzero[value], strict=True)
    }


def test_filters_turn_local_days_into_utc_bounds():
    view = Filters(date(2026, 3, 2), date(2026, 3, 2), ("chat",), ("@brand",), ("normal",), None, tz=KOLKATA)
    assert view.start_at == datetime(2026, 3, 1, 18, 30)
    assert view.end_at == datetime(2026, 3, 2, 18, 30)
    assert view.params()["tz"] == KOLKATA
    options = Options(("chat",), ("@brand",), ("normal",), date(2026, 3, 1), date(2026, 3, 9), ())
    assert view.to_query_params(options)["tz"] == KOLKATA
    assert from_query_params({"tz": KOLKATA}, options).tz == KOLKATA
    assert from_query_params({"tz": "Mars/Olympus_Mons"}, options).tz == "UTC"
    assert "tz" not in from_query_params({}, options).to_query_params(options)


def test_a_repeated_local_hour_maps_to_its_first_occurrence():
    assert timezones.to_utc(datetime(2026, 11, 1, 1, 30), NEW_YORK) == datetime(2026, 11, 1, 5, 30)
    assert timezones.to_local(datetime(2026, 11, 1, 6, 30), NEW_YORK) == pd.Timestamp("2026-11-01 01:30")


def test_hourly_buckets_follow_the_local_clock(build_db):
    # 20:00 and 20:40 UTC are one UTC hour but 01:30 and 02:10 the next day in Kolkata: two local hours.
    con = build_db(conversation("a", datetime(2026, 3, 2, 20, 0)) + conversation("b", datetime(2026, 3, 2, 20, 40)))
    window = {"start_at": datetime(2026, 3, 1), "end_at": datetime(2026, 3, 4), **SCOPE}
    utc = sql.run_query(con, "volume_arrivals_hourly_channel", **window)
    local = sql.run_query(con, "volume_arrivals_hourly_channel", **window, tz=KOLKATA)
    assert counts(utc) == {"2026-03-02 20:00": 2}
    assert counts(local) == {"2026-03-03 01:00": 1, "2026-03-03 02:00": 1}
    assert (local["hour_at"].dt.minute == 0).all()
    workload = sql.run_query(con, "workload_load_hourly", **window, tz=KOLKATA)
    assert counts(workload, value="arrival_count") == {"2026-03-03 01:00": 1, "2026-03-03 02:00": 1}
    # b is answered at 20:50 UTC = 02:20 local, a at 20:10 UTC = 01:40 local.
    assert counts(workload, value="answered_count") == {"2026-03-03 01:00": 1, "2026-03-03 02:00": 1}
    heatmap = sql.run_query(con, "volume_arrivals_weekday_hour", **window, tz=KOLKATA)
    busy = heatmap[heatmap["conversation_count"] > 0]
    assert set(zip(busy["weekday_name"], busy["hour_of_day"], strict=True)) == {("Tue", 1), ("Tue", 2)}


def test_days_follow_the_local_calendar(build_db):
    # 20:00 UTC on Monday 2 March is already Tuesday 3 March in Kolkata.
    con = build_db(conversation("a", datetime(2026, 3, 2, 20, 0)) + conversation("b", datetime(2026, 3, 2, 12, 0)))
    window = {"start_at": datetime(2026, 3, 1), "end_at": datetime(2026, 3, 4), **SCOPE}
    utc = sql.run_query(con, "sla_attainment_daily", **window)
    local = sql.run_query(con, "sla_attainment_daily", **window, tz=KOLKATA)
    assert counts(utc, "started_date") == {"2026-03-02 00:00": 2}
    assert counts(local, "started_date") == {"2026-03-02 00:00": 1, "2026-03-03 00:00": 1}
    negative = sql.run_query(con, "sentiment_negative_share_daily", **window, tz=KOLKATA)
    assert counts(negative, "day_at") == {"2026-03-02 00:00": 1, "2026-03-03 00:00": 1}


def test_the_hour_repeated_when_clocks_go_back_holds_both(build_db):
    # 05:30 UTC is 01:30 EDT and 06:30 UTC is 01:30 EST: the same local hour, listed once.
    con = build_db(conversation("a", datetime(2026, 11, 1, 5, 30)) + conversation("b", datetime(2026, 11, 1, 6, 30)))
    window = {"start_at": datetime(2026, 11, 1, 4), "end_at": datetime(2026, 11, 1, 12), **SCOPE}
    hourly = sql.run_query(con, "volume_expected_hourly", **window, tz=NEW_YORK)
    assert counts(hourly) == {"2026-11-01 01:00": 2}
    assert hourly["hour_at"].is_unique
