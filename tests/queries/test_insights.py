"""Given/expect tests of the insight queries (queries/insight_*.sql, conversation_export_list.sql) on hand-built rows.

Each test writes a few messages (texts the analyzer reads as negative, positive or neutral), loads them through the
real loader, runs one query and compares it with the rows expected by construction.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

import pandas as pd

from dashboard.core import definitions as defs
from dashboard.db import sql
from dashboard.metrics import recovery

T0 = datetime(2026, 3, 2, 10, 0)  # a Monday, 10:00
NEG, POS, NEUTRAL = "This is terrible, the app is broken!", "Great, thank you so much!", "hello"
ALL = {"channels": ["twitter"], "accounts": ["@brand"], "priorities": ["normal"]}
WEEK = 7 * 24 * 60


def convo(
    cid: str,
    minutes: float,
    start: str,
    reply: float | None = None,
    end: str | None = None,
    customer: str | None = None,
) -> list[dict]:
    """A conversation starting `minutes` after T0 with text `start`, an agent reply `reply` minutes later, and
    optionally the customer's last message `end` ten minutes after the reply."""
    who = customer or f"cust-{cid}"
    base = {"conversation_id": cid, "channel": "twitter", "account": "@brand"}
    rows = [
        {
            **base,
            "message_id": f"{cid}-1",
            "sent_at": T0 + timedelta(minutes=minutes),
            "author_type": "customer",
            "author_id": who,
            "customer_id": who,
            "text": start,
        }
    ]
    if reply is not None:
        at = T0 + timedelta(minutes=minutes + reply)
        rows.append(
            {
                **base,
                "message_id": f"{cid}-2",
                "sent_at": at,
                "author_type": "agent",
                "author_id": "agent",
                "text": "Sorry, we are on it.",
            }
        )
        if end is not None:
            rows.append(
                {
                    **base,
                    "message_id": f"{cid}-3",
                    "sent_at": at + timedelta(minutes=10),
                    "author_type": "customer",
                    "author_id": who,
                    "customer_id": who,
                    "text": end,
                }
            )
    return rows


def incident(incident_id: str, start_minutes: float, end_minutes: float) -> pd.DataFrame:
    """An incidents frame with one recorded incident."""
    return pd.DataFrame(
        [
            (
                incident_id,
                "Outage",
                T0 + timedelta(minutes=start_minutes),
                T0 + timedelta(minutes=end_minutes),
                "high",
                "x",
            )
        ],
        columns=["incident_id", "title", "started_at", "ended_at", "severity", "services"],
    )


def run(con, name: str, **params) -> pd.DataFrame:
    """Run a query over the whole test range with every channel, account and priority."""
    defaults = {"start_at": T0 - timedelta(days=1), "end_at": T0 + timedelta(days=200), "incident_id": "", **ALL}
    return sql.run_query(con, name, **{**defaults, **params})


def test_like_for_like_uses_the_incident_hours_of_the_week_in_normal_weeks(build_db):
    rows = [
        *convo("a0", 5, NEG, reply=5, end=POS),  # week 0, Monday 10:05: same slot, recovered
        *convo("b0", 65, NEUTRAL, reply=30),  # week 0, Monday 11:05: same slot
        *convo("a1", WEEK + 5, NEG),  # week 1, Monday 10:05: same slot, never answered (breached)
        *convo("b1", WEEK + 70, NEUTRAL, reply=200),  # week 1, Monday 11:10: same slot, answered late
        *convo("c1", WEEK + 305, NEG, reply=10),  # week 1, Monday 15:05: another hour of the week
        *convo("i1", 2 * WEEK + 10, NEG, reply=60, end=POS),  # the incident, Monday 10:00-12:00 of week 2
        *convo("i2", 2 * WEEK + 30, NEUTRAL, reply=20),
        *convo("z", 2 * WEEK + 240, NEUTRAL, reply=10),  # 14:00, data ends at its reply, 14:10
    ]
    con = build_db(rows, incidents=incident("INC", 2 * WEEK, 2 * WEEK + 120))
    got = run(con, "kpi_like_for_like_period", incident_id="INC").set_index("comparison")
    columns = [
        "conversation_count",
        "hour_count",
        "week_count",
        "slot_count",
        "conversations_per_hour",
        "negative_start_share",
        "recovery_base_count",
        "recovery_rate",
        "sla_due_count",
        "sla_attainment",
        "answered_count",
        "median_first_response_minutes",
    ]
    expected = pd.DataFrame(
        [
            ("incident", 2, 2.0, None, 2, 1.0, 0.5, 1, 1.0, 2, 1.0, 2, 40.0),
            # Every hour from Monday 10:00 of week 0 to 14:00 of week 2 (341) but the incident's two.
            ("normal_all", 6, 339.0, 3, 2, 6 / 339, 0.5, 1, 1.0, 6, 4 / 6, 5, 10.0),
            ("normal_same_hours", 4, 4.0, 2, 2, 1.0, 0.5, 1, 1.0, 4, 0.5, 3, 30.0),
        ],
        columns=["comparison", *columns],
    ).set_index("comparison")
    median = "median_first_response_minutes"
    pd.testing.assert_frame_equal(got[columns].drop(columns=median), expected.drop(columns=median), check_dtype=False)
    assert got.loc["incident", median] == 40.0  # the incident's median is exact
    for comparison in ("normal_all", "normal_same_hours"):
        # normal time's is read from first-response bins (README): it lies in the bin holding the exact median
        exact = expected.loc[comparison, median]
        upper = 120 * 10 ** (math.ceil(math.log10(exact / 120) * 10) / 10)
        assert upper / 10**0.1 < got.loc[comparison, median] <= upper


def test_sla_status_split_and_at_risk_now(build_db):
    # The data ends at T0 + 600 (the late reply). Due = start + 120 minutes.
    rows = [
        *convo("met", 0, NEUTRAL, reply=30),
        *convo("late", 300, NEUTRAL, reply=300),
        *convo("never", 100, NEUTRAL),
        *convo("soon", 500, NEUTRAL),  # due T0 + 620: within 30 minutes of the data end -> at risk now
        *convo("later", 590, NEUTRAL),  # due T0 + 710: pending, not yet at risk
        *convo("inc", 50, NEG, reply=200),
    ]
    con = build_db(rows, incidents=incident("INC", 40, 60))
    got = run(con, "sla_status_period", incident_id="INC")
    expected = pd.DataFrame(
        [
            ("incident", "met", 0, 1, 0.0, 0.0),
            ("incident", "breached_answered", 1, 1, 1.0, 1.0),
            ("incident", "breached_unanswered", 0, 1, 0.0, 0.0),
            ("incident", "pending", 0, 1, 0.0, None),
            ("normal", "met", 1, 5, 0.2, 1 / 3),
            ("normal", "breached_answered", 1, 5, 0.2, 1 / 3),
            ("normal", "breached_unanswered", 1, 5, 0.2, 1 / 3),
            ("normal", "pending", 2, 5, 0.4, None),
        ],
        columns=["period", "sla_status", "conversation_count", "period_count", "share_of_period", "share_of_due"],
    )
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)
    now = run(con, "sla_at_risk_now").iloc[0]  # the registry's window (sql.DEFAULTS): 30 minutes
    assert (now["at_risk_count"], now["pending_count"]) == (1, 2)
    # the window is the bound parameter, not a constant in the SQL: the one due 20 minutes after the end drops out
    assert run(con, "sla_at_risk_now", at_risk_minutes=10).iloc[0]["at_risk_count"] == 0
    assert now["data_end_at"] == T0 + timedelta(minutes=600)
    assert now["next_due_at"] == T0 + timedelta(minutes=620)


def test_recovery_by_response_bucket_and_never_answered_has_no_rate(build_db):
    rows = [
        *convo("r05", 0, NEG, reply=5, end=POS),
        *convo("r30", 10, NEG, reply=30, end=NEG),
        *convo("r90", 20, NEG, reply=90, end=POS),
        *convo("r200", 30, NEG, reply=200),  # answered but the customer never wrote again: no end sentiment
        *convo("r600", 40, NEG, reply=600, end=POS),
        *convo("calm", 45, NEUTRAL, reply=5, end=POS),  # not a negative start
        *convo("never", 50, NEG),
    ]
    con = build_db(rows)
    got = run(con, "sentiment_recovery_response_bucket")
    expected = pd.DataFrame(
        [
            ("normal", "< 15 min", 2, 1, 1, 1, 1.0),
            ("normal", "15-60 min", 1, 1, 1, 0, 0.0),
            ("normal", "1-2 h", 1, 1, 1, 1, 1.0),
            ("normal", "2-8 h", 1, 1, 0, 0, None),
            ("normal", "> 8 h", 1, 1, 1, 1, 1.0),
            ("normal", "never", 1, 1, 0, 0, None),
        ],
        columns=[
            "period",
            "response_bucket",
            "conversation_count",
            "negative_start_count",
            "recovery_base_count",
            "recovered_count",
            "recovery_rate",
        ],
    )
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)
    assert tuple(got["response_bucket"]) == recovery.RESPONSE_BUCKETS


def test_recovery_hourly_counts_by_start_hour(build_db):
    rows = [
        *convo("a", 5, NEG, reply=10),
        *convo("b", 20, NEUTRAL),  # never answered: due at 12:20, passed by the data end
        *convo("c", 70, NEUTRAL, reply=200),  # 11:10, answered late
        *convo("d", 400, NEUTRAL, reply=5),  # 16:40, data end 16:45
    ]
    con = build_db(rows, incidents=incident("INC", 60, 90))
    got = run(con, "recovery_measures_hourly")
    normal_share = 1 / 3  # a, b, d are normal; c is inside the incident
    expected = pd.DataFrame(
        [
            (T0, 2, 2, 1, 0.5, 1, 0.5, normal_share),
            (T0 + timedelta(hours=1), 1, 1, 0, 0.0, 0, 0.0, normal_share),
            (T0 + timedelta(hours=6), 1, 1, 1, 1.0, 0, 0.0, normal_share),
        ],
        columns=[
            "hour_at",
            "conversation_count",
            "sla_due_count",
            "sla_met_count",
            "sla_attainment",
            "negative_start_count",
            "negative_start_share",
            "normal_negative_start_share",
        ],
    )
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)


def followers(**counts: tuple[int | None, bool]) -> pd.DataFrame:
    """A customers frame: customer id -> (follower_count, is_media)."""
    return pd.DataFrame(
        {
            "customer_id": list(counts),
            "follower_count": [c for c, _ in counts.values()],
            "is_media": [m for _, m in counts.values()],
        }
    )


def test_follower_weighted_negative_share(build_db):
    rows = [
        *convo("big", 0, NEG, reply=5, customer="star"),
        *convo("small", 10, NEUTRAL, reply=5, customer="fan"),
        *convo("none", 20, NEG, reply=5, customer="quiet"),  # no follower count: weight 0
        *convo("inc", 100, NEG, reply=5, customer="fan"),
    ]
    con = build_db(
        rows,
        incidents=incident("INC", 90, 120),
        customers=followers(star=(30_000, False), fan=(10_000 - 1, False), quiet=(None, False)),
    )
    got = run(con, "influencer_share_period", incident_id="INC")
    expected = pd.DataFrame(
        [
            ("incident", 1, 1.0, 1, 9_999, 9_999, 1.0, 0, 0),
            ("normal", 3, 2 / 3, 2, 39_999, 30_000, 30_000 / 39_999, 1, 1),
        ],
        columns=[
            "period",
            "conversation_count",
            "negative_start_share",
            "weighted_conversation_count",
            "follower_sum",
            "negative_follower_sum",
            "weighted_negative_start_share",
            "influencer_count",
            "influencer_negative_count",
        ],
    )
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)


def test_influencer_threads_unanswered_or_past_sla_newest_first(build_db):
    rows = [
        *convo("late", 0, NEG, reply=300, customer="star"),  # answered after its 120-minute target
        *convo("fine", 10, NEG, reply=5, customer="star"),  # met: not listed
        *convo("ignored", 20, NEG, customer="star"),  # never answered, past its deadline
        *convo("press", 290, NEUTRAL, customer="paper"),  # media, unanswered, still pending at the data end
        *convo("nobody", 30, NEG, customer="fan"),  # not an influencer
    ]
    con = build_db(rows, customers=followers(star=(50_000, False), paper=(500, True), fan=(10, False)))
    got = run(con, "influencer_open_list", limit=50)
    assert list(got["conversation_id"]) == ["press", "ignored", "late"]
    assert list(got["sla_status"]) == ["pending", "breached_unanswered", "breached_answered"]
    assert list(got["is_media"]) == [True, False, False]
    assert got["minutes_waiting"].tolist()[:2] == [10.0, 280.0] and pd.isna(got["minutes_waiting"].iloc[2])
    assert set(got["thread_count"]) == {3}
    assert list(run(con, "influencer_open_list", limit=1)["conversation_id"]) == ["press"]


def test_churn_exposure_only_over_fully_observed_windows(build_db):
    day = 24 * 60
    rows = [
        *convo("x1", 0, NEUTRAL, reply=5, end=POS, customer="ann"),  # churns 10 days later
        *convo("x2", 60, NEUTRAL, customer="bob"),  # never answered, stays
        *convo("x3", 20 * day, NEG, reply=5, customer="cat"),  # incident contact, churns 40 days later
        *convo("x4", 100 * day, NEG, reply=5, customer="dan"),  # only 20 days observed: in neither window
        *convo("x5", 30, NEG, reply=5, customer="eve"),  # eve had already left: not a contact of a customer
        *convo("end", 120 * day, NEUTRAL, reply=5, customer="fay"),
    ]
    churned = {"ann": T0 + timedelta(days=10), "cat": T0 + timedelta(days=60), "eve": T0 - timedelta(days=1)}
    frame = pd.DataFrame({"customer_id": list(churned), "churned_at": pd.to_datetime(list(churned.values()))})
    con = build_db(rows, incidents=incident("INC", 20 * day - 5, 20 * day + 5), customers=frame)
    got = run(con, "churn_exposure_group")
    expected = pd.DataFrame(
        [
            (90, "incident", "all", "all contacts", 1, 1, 1.0),
            (90, "normal", "all", "all contacts", 2, 1, 0.5),
            (90, "incident", "ending", "did not end positive", 1, 1, 1.0),
            (90, "normal", "ending", "did not end positive", 1, 0, 0.0),
            (90, "normal", "ending", "ended positive", 1, 1, 1.0),
            (90, "normal", "sla", "answered within SLA", 1, 1, 1.0),
            (90, "normal", "sla", "not within SLA", 1, 0, 0.0),
            (90, "incident", "sla", "answered within SLA", 1, 1, 1.0),
            (30, "incident", "all", "all contacts", 1, 0, 0.0),
            (30, "normal", "all", "all contacts", 2, 1, 0.5),
            (30, "incident", "ending", "did not end positive", 1, 0, 0.0),
            (30, "normal", "ending", "did not end positive", 1, 0, 0.0),
            (30, "normal", "ending", "ended positive", 1, 1, 1.0),
            (30, "incident", "sla", "answered within SLA", 1, 0, 0.0),
            (30, "normal", "sla", "answered within SLA", 1, 1, 1.0),
            (30, "normal", "sla", "not within SLA", 1, 0, 0.0),
        ],
        columns=["horizon_days", "period", "split", "group_name", "contact_count", "churned_count", "churn_rate"],
    )
    keys = ["horizon_days", "split", "group_name", "period"]
    pd.testing.assert_frame_equal(
        got.sort_values(keys).reset_index(drop=True),
        expected.sort_values(keys).reset_index(drop=True),
        check_dtype=False,
    )
    # the horizons are the registry's, bound as a parameter: asking for 60 days alone gives only 60-day rows
    assert set(run(con, "churn_exposure_group", churn_horizons=[60])["horizon_days"]) == {60}
    assert set(got["horizon_days"]) == set(defs.CHURN_HORIZONS)


def test_export_list_narrows_by_period_and_time_bucket(build_db):
    rows = [*convo("n1", 0, NEUTRAL, reply=5), *convo("i1", 70, NEG), *convo("n2", 200, NEUTRAL, reply=5)]
    con = build_db(rows, incidents=incident("INC", 60, 90))

    def ids(**params) -> list[str]:
        return list(run(con, "conversation_export_list", limit=50, **params)["conversation_id"])

    assert ids() == ["n2", "i1", "n1"]
    assert ids(incident_id="none") == ["n2", "n1"]
    assert ids(incident_id="INC") == ["i1"]
    assert ids(start_at=T0 + timedelta(hours=1), end_at=T0 + timedelta(hours=2)) == ["i1"]
    first = run(con, "conversation_export_list", limit=1)
    assert list(first["conversation_id"]) == ["n2"] and first["match_count"].iloc[0] == 3
    assert first["period"].iloc[0] == "normal" and first["sla_status"].iloc[0] == "met"
