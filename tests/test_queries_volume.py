"""Given/expect tests for the Volume & workload queries (and the expected-volume band the Overview shares)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd
import pytest

from dashboard import sql
from dashboard.report import all_values_params

MONDAY = datetime(2026, 3, 2)
SCOPE = {"channels": ["twitter", "chat"], "accounts": ["@brand"], "priorities": ["normal"]}


def arrival(conversation: str, at: datetime, channel: str = "twitter", replies: tuple = ()) -> list[dict]:
    """A conversation's rows: a customer message at `at`, then agent replies (agent id, minutes after the start)."""
    rows = [
        {
            "conversation_id": conversation,
            "message_id": f"{conversation}-0",
            "sent_at": at,
            "author_type": "customer",
            "author_id": f"cust-{conversation}",
            "customer_id": f"cust-{conversation}",
            "text": "Is my order on its way?",
            "channel": channel,
            "account": "@brand",
        }
    ]
    for n, (agent, minutes) in enumerate(replies, start=1):
        rows.append(
            {
                **rows[0],
                "message_id": f"{conversation}-{n}",
                "sent_at": at + timedelta(minutes=minutes),
                "author_type": "agent",
                "author_id": agent,
                "customer_id": None,
                "text": "On its way.",
            }
        )
    return rows


def test_expected_hourly_is_the_mean_of_four_prior_weeks_leaving_out_incident_hours(build_db):
    counts = {0: 2, 1: 4, 2: 6, 3: 4, 4: 9}  # week -> arrivals on Monday 10:00; week 2 is inside an incident
    rows = [
        row
        for week, count in counts.items()
        for n in range(count)
        for row in arrival(f"w{week}-{n}", MONDAY + timedelta(weeks=week, hours=10, minutes=n))
    ]
    incident_start = MONDAY + timedelta(weeks=2, hours=9, minutes=30)
    incidents = pd.DataFrame(
        {
            "incident_id": ["INC-1"],
            "title": ["x"],
            "started_at": [incident_start],
            "ended_at": [incident_start + timedelta(minutes=45)],
        }
    )
    con = build_db(rows, incidents=incidents)
    week4 = MONDAY + timedelta(weeks=4)
    got = sql.run_query(con, "volume_expected_hourly", start_at=week4, end_at=week4 + timedelta(days=1), **SCOPE)
    assert len(got) == 24 and got["hour_at"].iloc[0] == week4
    ten = got[got["hour_at"] == week4 + timedelta(hours=10)].iloc[0]
    assert ten["conversation_count"] == 9
    assert ten["expected_count"] == pytest.approx(10 / 3)
    assert ten["expected_sd"] == pytest.approx(pd.Series([2, 4, 4]).std())
    assert ten["baseline_weeks"] == 3 and not ten["is_incident_hour"]
    nine = got[got["hour_at"] == week4 + timedelta(hours=9)].iloc[0]
    assert (nine["conversation_count"], nine["expected_count"], nine["expected_sd"]) == (0, 0, 0)
    # weeks 1 and 3 count: week 2's 09:00 overlaps the incident (09:30-10:15), week 0's is before the data starts
    assert nine["baseline_weeks"] == 2


@pytest.mark.parametrize("channels", [None, ["email"]])
def test_expected_hourly_matches_the_volume_baseline_macro(demo_con, channels):
    params = all_values_params(demo_con)
    params["start_at"] = params["start_at"] + timedelta(days=40, hours=7)
    params["channels"] = channels or params["channels"]
    got = sql.run_query(demo_con, "volume_expected_hourly", **params)
    keys = ("start_at", "end_at", "channels", "accounts", "priorities")
    reference = demo_con.execute(
        "select * from volume_baseline($start_at, $end_at, $channels, $accounts, $priorities) order by hour_at",
        {key: params[key] for key in keys},
    ).df()
    pd.testing.assert_frame_equal(got, reference[got.columns], check_dtype=False)
