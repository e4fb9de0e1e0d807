"""Given/expect tests for the Volume & workload queries (and the expected-volume band the Overview shares)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd
import pytest

from dashboard.db import sql
from dashboard.report.build import all_values_params

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


def test_arrivals_hourly_channel_fills_empty_hours_with_zeros(build_db):
    rows = [
        *arrival("a", MONDAY + timedelta(hours=1, minutes=5)),
        *arrival("b", MONDAY + timedelta(hours=1, minutes=50), channel="chat"),
        *arrival("c", MONDAY + timedelta(hours=3, minutes=0)),
    ]
    con = build_db(rows)
    got = sql.run_query(
        con, "volume_arrivals_hourly_channel", start_at=MONDAY, end_at=MONDAY + timedelta(days=1), **SCOPE
    )
    # hours run to the last started hour (03:00); every channel in the filter has a row
    expected = pd.DataFrame(
        {
            "hour_at": [MONDAY + timedelta(hours=h) for h in range(4) for _ in range(2)],
            "channel": ["chat", "twitter"] * 4,
            "conversation_count": [0, 0, 1, 1, 0, 0, 0, 1],
        }
    )
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)


def test_weekday_hour_average_counts_empty_hours(build_db):
    # two Mondays in range: 3 arrivals at 10:00 on the first, none on the second
    rows = [row for n in range(3) for row in arrival(f"m{n}", MONDAY + timedelta(hours=10, minutes=n))]
    rows += arrival("t", MONDAY + timedelta(days=8, hours=10, minutes=30))
    con = build_db(rows)
    got = sql.run_query(
        con, "volume_arrivals_weekday_hour", start_at=MONDAY, end_at=MONDAY + timedelta(days=14), **SCOPE
    ).set_index(["weekday", "hour_of_day"])
    monday_ten = got.loc[(1, 10)]
    assert (monday_ten["weekday_name"], monday_ten["hour_count"], monday_ten["conversation_count"]) == ("Mon", 2, 3)
    assert monday_ten["avg_conversations_per_hour"] == pytest.approx(1.5)
    assert got.loc[(2, 10), "avg_conversations_per_hour"] == 0.5  # Tuesdays 3 and 10 Mar; the data ends 10 Mar 10:xx
    # the range starts at the data's first hour (Monday 10:00), so only the second Monday's 09:00 counts
    assert tuple(got.loc[(1, 9), ["hour_count", "avg_conversations_per_hour"]]) == (1, 0)
    assert len(got) == 7 * 24


def workload_rows() -> list[dict]:
    """Conversations on Monday morning: who started when, who answered when (agent, minutes after the start)."""
    at = MONDAY + timedelta(hours=10)
    return [
        *arrival("a", at + timedelta(minutes=10), replies=(("agent-1", 30),)),  # answered 10:40
        *arrival("b", at + timedelta(minutes=20), replies=(("agent-2", 45),)),  # answered 11:05
        *arrival("c", at + timedelta(minutes=50), replies=(("agent-1", 70),)),  # answered 12:00 exactly
        *arrival("f", at + timedelta(minutes=5), replies=(("agent-2", 25),)),  # answered 10:30
        *arrival("g", at + timedelta(minutes=6), replies=(("agent-1", 39),)),  # answered 10:45
        *arrival("d", at + timedelta(minutes=90)),  # 11:30, never answered
        *arrival("e", at + timedelta(days=2), replies=(("agent-1", 5),)),  # much later: the data's end
    ]


def test_workload_hourly_backlog_answers_and_agents(build_db):
    con = build_db(workload_rows())
    got = sql.run_query(
        con, "workload_load_hourly", start_at=MONDAY + timedelta(hours=10), end_at=MONDAY + timedelta(days=1), **SCOPE
    )
    assert len(got) == 14 and got["hour_at"].iloc[0] == MONDAY + timedelta(hours=10)
    head = got.head(4)
    assert list(head["arrival_count"]) == [5, 1, 0, 0]
    # open at the top of the hour: 11:00 b and c; 12:00 only d (c was answered at 12:00 sharp)
    assert list(head["open_backlog_count"]) == [0, 2, 1, 1]
    assert list(head["answered_count"]) == [3, 1, 1, 0]
    assert list(head["answering_agent_count"]) == [2, 1, 1, 0]
    assert list(head["answered_per_agent"].fillna(-1)) == [1.5, 1.0, 1.0, -1]
    assert got["open_backlog_count"].iloc[-1] == 1  # d is still waiting at 23:00


def test_workload_backlog_drops_a_conversation_unanswered_for_24_hours(build_db):
    con = build_db(workload_rows())
    got = sql.run_query(
        con, "workload_load_hourly", start_at=MONDAY + timedelta(days=1), end_at=MONDAY + timedelta(days=2), **SCOPE
    ).set_index("hour_at")
    # d started Monday 11:30: still counted Tuesday 11:00 (carried over from the day before), gone at 12:00
    assert got.at[MONDAY + timedelta(days=1, hours=11), "open_backlog_count"] == 1
    assert got.at[MONDAY + timedelta(days=1, hours=12), "open_backlog_count"] == 0


def test_handle_time_is_median_reply_gap_times_replies_per_answered_conversation(build_db):
    con = build_db(workload_rows())
    got = sql.run_query(
        con,
        "workload_handle_time_overall",
        start_at=MONDAY + timedelta(hours=10),
        end_at=MONDAY + timedelta(days=1),
        **SCOPE,
    ).iloc[0]
    # agent-1 replies 10:40, 10:45, 12:00 (gaps 5 and 75, a break); agent-2 10:30, 11:05 (gap 35)
    assert got["reply_gap_minutes"] == pytest.approx(20)
    assert (got["reply_gap_count"], got["agent_reply_count"], got["answered_count"]) == (2, 5, 5)
    assert got["replies_per_conversation"] == pytest.approx(1.0)
    assert got["handle_minutes"] == pytest.approx(20)
    assert got["first_response_target_minutes"] == 120
