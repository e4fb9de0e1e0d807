"""Given/expect tests of the README's metric definitions, on hand-written rows.

Each test writes a few messages, loads them through the same loader as every import, and checks the derived
conversation columns or a query's exact output.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd
import pytest

from dashboard.db import sql

T0 = datetime(2026, 3, 2, 10, 0)  # a Monday
ALL = {"channels": ["twitter", "chat", "email"], "accounts": ["@brand", "(none)"], "priorities": ["normal"]}


def msg(conversation: str, n: int, minutes: float, author: str, text: str = "hello", channel: str = "twitter"):
    """One message row of conversation `conversation`, `minutes` after T0."""
    return {
        "conversation_id": conversation,
        "message_id": f"{conversation}-{n}",
        "sent_at": T0 + timedelta(minutes=minutes),
        "author_type": author,
        "author_id": "cust-" + conversation if author == "customer" else author,
        "customer_id": "cust-" + conversation if author == "customer" else None,
        "text": text,
        "channel": channel,
        "account": "@brand",
    }


def conversation(con, conversation_id: str) -> dict:
    """The derived facts of one conversation."""
    frame = con.execute("select * from conversation_facts where conversation_id = $id", {"id": conversation_id}).df()
    return frame.iloc[0].to_dict()


def test_first_response_ignores_bots_and_end_sentiment_needs_a_reply(build_db):
    con = build_db(
        [
            msg("a", 1, 0, "customer", "This is terrible, the app is broken!"),
            msg("a", 2, 1, "bot", "An agent will be with you shortly."),
            msg("a", 3, 30, "agent", "Sorry! Fixed now."),
            msg("a", 4, 40, "customer", "Great, thank you so much!"),
        ]
    )
    facts = conversation(con, "a")
    assert facts["first_response_at"] == T0 + timedelta(minutes=30)
    assert facts["first_response_minutes"] == pytest.approx(30)
    assert facts["agent_id"] == "agent"
    assert facts["message_count"] == 4 and facts["customer_message_count"] == 2
    assert facts["start_sentiment_label"] == "negative" and facts["end_sentiment_label"] == "positive"
    assert facts["is_recovered"]


def test_single_message_conversation_has_no_response_and_no_end(build_db):
    con = build_db([msg("s", 1, 0, "customer", "Is the shop open on Sunday?")])
    facts = conversation(con, "s")
    assert pd.isna(facts["first_response_at"]) and not facts["is_answered"]
    assert facts["end_sentiment_label"] is None and not facts["has_end_sentiment"]
    assert facts["message_count"] == 1


def test_customer_writing_only_before_the_reply_has_no_end_sentiment(build_db):
    con = build_db(
        [
            msg("b", 1, 0, "customer", "Awful service."),
            msg("b", 2, 5, "customer", "Still waiting, this is awful."),
            msg("b", 3, 60, "agent", "Sorry for the wait."),
        ]
    )
    assert conversation(con, "b")["end_sentiment_label"] is None


def test_sla_status_met_breached_unanswered_and_pending(build_db):
    # The data ends at the last message: T0 + 600 minutes (the agent reply of "late").
    con = build_db(
        [
            msg("met", 1, 0, "customer"),
            msg("met", 2, 30, "agent"),
            msg("late", 1, 300, "customer"),
            msg("late", 2, 600, "agent"),
            msg("unanswered", 1, 100, "customer"),
            msg("pending", 1, 590, "customer"),
            msg("answered_fast_recently", 1, 595, "customer"),
            msg("answered_fast_recently", 2, 599, "agent"),
        ]
    )
    status = con.execute("select conversation_id, sla_status from conversation_facts order by 1").fetchall()
    assert dict(status) == {
        "answered_fast_recently": "met",
        "late": "breached_answered",
        "met": "met",
        "pending": "pending",
        "unanswered": "breached_unanswered",
    }
    kpis = sql.run_query(
        con,
        "kpi_incident_vs_normal",
        start_at=T0 - timedelta(days=1),
        end_at=T0 + timedelta(days=1),
        incident_id="none",
        **ALL,
    )
    normal = kpis.set_index("period").loc["normal"]
    assert normal["sla_due_count"] == 4 and normal["sla_met_count"] == 2
    assert normal["sla_attainment"] == pytest.approx(0.5)


def test_incident_window_is_inclusive_at_both_ends(build_db):
    incidents = pd.DataFrame(
        [("INC", "Outage", T0 + timedelta(hours=2), T0 + timedelta(hours=4), "high", "mobile")],
        columns=["incident_id", "title", "started_at", "ended_at", "severity", "services"],
    )
    con = build_db(
        [
            msg("before", 1, 119.99, "customer"),
            msg("at_start", 1, 120, "customer"),
            msg("at_end", 1, 240, "customer"),
            msg("after", 1, 240.02, "customer"),
        ],
        incidents=incidents,
    )
    periods = dict(con.execute("select conversation_id, period from conversation_facts").fetchall())
    assert periods == {"before": "normal", "at_start": "incident", "at_end": "incident", "after": "normal"}


def test_expected_volume_leaves_out_incident_hours_and_missing_weeks(build_db):
    # The same Monday 10:00 hour over five weeks: 2, 4, 6 (inside an incident), 8 arrivals, then the target week.
    counts = {0: 2, 1: 4, 2: 6, 3: 8, 4: 11}
    rows = []
    for week, count in counts.items():
        for k in range(count):
            rows.append(msg(f"w{week}-{k}", 1, week * 7 * 24 * 60 + k, "customer"))
    incident_start = T0 + timedelta(weeks=2)
    incidents = pd.DataFrame(
        [("OLD", "Earlier outage", incident_start, incident_start + timedelta(minutes=30), "low", "x")],
        columns=["incident_id", "title", "started_at", "ended_at", "severity", "services"],
    )
    con = build_db(rows, incidents=incidents)
    target = T0 + timedelta(weeks=4)
    hours = con.execute(
        "select hour_at, conversation_count, expected_count, baseline_weeks, is_incident_hour "
        "from volume_baseline($s, $e, $channels, $accounts, $priorities) where hour_at = $h",
        {"s": target, "e": target + timedelta(hours=1), "h": target, **ALL},
    ).fetchall()
    assert hours == [(target, 11, pytest.approx((2 + 4 + 8) / 3), 3, False)]
    # Week 1 has only week 0 before it: one baseline week, no invented zeros for time before the data, and one week is
    # not enough history (fewer than 2 of the 4 prior weeks), so there is no expected volume.
    week1 = T0 + timedelta(weeks=1)
    first = con.execute(
        "select expected_count, baseline_weeks from volume_baseline($s, $e, $channels, $accounts, $priorities) "
        "where hour_at = $h",
        {"s": week1, "e": week1 + timedelta(hours=1), "h": week1, **ALL},
    ).fetchone()
    assert first == (None, 1)


def test_volume_uplift_is_actual_over_expected_minus_one(build_db):
    rows = [msg(f"w{week}-{k}", 1, week * 7 * 24 * 60 + k, "customer") for week in range(4) for k in range(4)]
    rows += [msg(f"now-{k}", 1, 4 * 7 * 24 * 60 + k, "customer") for k in range(6)]
    start = T0 + timedelta(weeks=4)
    incidents = pd.DataFrame(
        [("NOW", "Spike", start, start + timedelta(minutes=59, seconds=59), "high", "x")],
        columns=["incident_id", "title", "started_at", "ended_at", "severity", "services"],
    )
    con = build_db(rows, incidents=incidents)
    row = sql.run_query(con, "volume_uplift_incident", incident_id="NOW", **ALL).iloc[0]
    assert row["actual_count"] == 6
    assert row["expected_count"] == pytest.approx(4 * 3599 / 3600)
    assert row["volume_uplift"] == pytest.approx(6 / (4 * 3599 / 3600) - 1)


def test_recovery_and_neutral_to_positive_rates(build_db):
    rows = []
    for name, start_text, end_text in [
        ("r1", "This is awful!", "Thanks, great help!"),
        ("r2", "This is awful!", "Still terrible."),
        ("r3", "This is awful!", None),
        ("n1", "What time do you open?", "Great, thanks!"),
    ]:
        rows += [msg(name, 1, 0, "customer", start_text), msg(name, 2, 10, "agent", "Sure.")]
        if end_text:
            rows.append(msg(name, 3, 20, "customer", end_text))
    con = build_db(rows)
    params = dict(start_at=T0 - timedelta(days=1), end_at=T0 + timedelta(days=1), incident_id="none", **ALL)
    normal = sql.run_query(con, "kpi_incident_vs_normal", **params).set_index("period").loc["normal"]
    assert normal["negative_start_count"] == 3 and normal["negative_start_share"] == pytest.approx(0.75)
    assert normal["recovery_base_count"] == 2 and normal["recovery_rate"] == pytest.approx(0.5)
    assert normal["neutral_to_positive_rate"] == pytest.approx(1.0)
