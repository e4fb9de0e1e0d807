"""Given/expect tests for the SLA page's queries (README, Metric definitions: SLA attainment, first response time)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd
import pytest

from dashboard.db import sql

T0 = datetime(2026, 3, 2, 8, 0)
SCOPE = {
    "start_at": datetime(2026, 3, 1),
    "end_at": datetime(2026, 3, 4),
    "channels": ["twitter", "email"],
    "accounts": ["@brand"],
    "priorities": ["normal", "high"],
}


def conversation(cid: str, start: datetime, reply_after: float | None, channel: str = "twitter", **extra) -> list:
    """A customer message at `start` and, unless None, one agent reply `reply_after` minutes later."""
    first = {
        "conversation_id": cid,
        "message_id": f"{cid}-1",
        "sent_at": start,
        "author_type": "customer",
        "author_id": f"cust-{cid}",
        "customer_id": f"cust-{cid}",
        "text": "Where is my parcel?",
        "channel": channel,
        "account": "@brand",
        "priority": "normal",
        **extra,
    }
    if reply_after is None:
        return [first]
    reply = {**first, "message_id": f"{cid}-2", "author_type": "agent", "author_id": "agent-1", "customer_id": None}
    return [first, {**reply, "sent_at": start + timedelta(minutes=reply_after), "text": "Checking now."}]


@pytest.fixture
def sla_db(build_db):
    """Met (A, E, X at exactly the target), late (B), never answered past due (C), pending (D: due after data end)."""
    rows = [
        *conversation("A", T0, 30),
        *conversation("B", T0 + timedelta(hours=1), 150, channel="email", priority="high"),
        *conversation("C", T0 + timedelta(hours=2), None),
        *conversation("X", T0 + timedelta(hours=3), 120),
        *conversation("E", T0 + timedelta(hours=10), 5),
        *conversation("D", T0 + timedelta(hours=10, minutes=1), None),
    ]
    incidents = pd.DataFrame(
        {
            "incident_id": ["INC-1"],
            "title": ["Outage"],
            "started_at": [T0 + timedelta(minutes=50)],
            "ended_at": [T0 + timedelta(hours=2, minutes=10)],
        }
    )
    return build_db(rows, incidents=incidents)


def test_breach_list_has_late_and_unanswered_past_due_newest_first_but_not_pending(sla_db):
    got = sql.run_query(sla_db, "sla_breaches_conversation", **SCOPE, incident_id="", limit=500)
    assert list(got["conversation_id"]) == ["C", "B"]
    assert list(got["sla_status"]) == ["breached_unanswered", "breached_answered"]
    assert list(got["breach_count"]) == [2, 2]
    assert got["first_response_minutes"].iloc[1] == pytest.approx(150)
    # B was 30 minutes late; C had waited from 10:00 to the data end (18:05) by then: 485 - 120 minutes over.
    assert list(got["minutes_over_target"]) == pytest.approx([485 - 120, 30])
    assert list(got["channel"]) == ["twitter", "email"] and list(got["priority"]) == ["normal", "high"]


def test_breach_list_limit_keeps_the_total_and_incident_narrows_it(sla_db):
    newest = sql.run_query(sla_db, "sla_breaches_conversation", **SCOPE, incident_id="", limit=1)
    assert list(newest["conversation_id"]) == ["C"] and newest["breach_count"].iloc[0] == 2
    incident = sql.run_query(sla_db, "sla_breaches_conversation", **SCOPE, incident_id="INC-1", limit=500)
    assert list(incident["conversation_id"]) == ["C", "B"]
    none = sql.run_query(sla_db, "sla_breaches_conversation", **SCOPE, incident_id="INC-9", limit=500)
    assert none.empty


def test_daily_attainment_counts_only_due_conversations(sla_db):
    got = sql.run_query(sla_db, "sla_attainment_daily", **SCOPE)
    assert len(got) == 1
    day = got.iloc[0]
    assert str(day["started_date"])[:10] == "2026-03-02"
    assert (day["conversation_count"], day["sla_due_count"], day["sla_met_count"]) == (6, 5, 3)
    assert (day["breached_answered_count"], day["breached_unanswered_count"], day["pending_count"]) == (1, 1, 1)
    assert day["sla_attainment"] == pytest.approx(3 / 5)


def test_attainment_by_channel_and_priority(sla_db):
    got = sql.run_query(sla_db, "sla_attainment_channel_priority", **SCOPE).set_index(["channel", "priority"])
    assert list(got.index) == [("email", "high"), ("twitter", "normal")]
    assert got.loc[("email", "high"), "sla_attainment"] == 0
    assert got.loc[("email", "high"), "first_response_target_minutes"] == 120
    twitter = got.loc[("twitter", "normal")]
    assert (twitter["sla_due_count"], twitter["sla_met_count"], twitter["pending_count"]) == (4, 3, 1)


def test_first_response_bins_read_attainment_at_the_target_edge(sla_db):
    got = sql.run_query(sla_db, "sla_first_response_bin", **SCOPE, incident_id="INC-1")
    normal = got[got["period"] == "normal"].set_index("bin")
    # Normal time: A (30 min), X (exactly 120), E (5) answered; D pending is not due. 3 due, all met.
    assert list(normal.index) == [-27, -12, 0]  # ceil(20 * log10(minutes / 120))
    assert normal.at[0, "bin_end_minutes"] == pytest.approx(120)
    assert normal.at[0, "answered_share"] == pytest.approx(1.0)
    assert normal.at[-12, "answered_share"] == pytest.approx(2 / 3)
    incident = got[got["period"] == "incident"].set_index("bin")
    # Incident: B answered at 150 min (bin 2), C never answered; nothing within the target.
    assert list(incident.index) == [2]
    assert incident.at[2, "answered_share"] == pytest.approx(1 / 2)
    assert (incident.at[2, "sla_due_count"], incident.at[2, "unanswered_count"]) == (2, 1)
    assert incident.at[2, "sla_attainment"] == 0
    assert incident.at[2, "median_first_response_minutes"] == pytest.approx(150)
    assert normal.at[0, "median_first_response_minutes"] == pytest.approx(30)


def test_first_response_bins_agree_with_the_kpi_query(demo_con):
    from dashboard.report.build import all_values_params

    latest = demo_con.execute("select incident_id from incidents order by started_at desc limit 1").fetchone()[0]
    params = {**all_values_params(demo_con), "incident_id": latest}
    bins = sql.run_query(demo_con, "sla_first_response_bin", **params)
    kpis = sql.run_query(demo_con, "kpi_incident_vs_normal", **params).set_index("period")
    for period, part in bins.groupby("period"):
        at_target = part[part["bin"] <= 0]["answered_share"].iloc[-1]
        assert at_target == pytest.approx(kpis.at[period, "sla_attainment"])
        assert part["sla_due_count"].iloc[0] == kpis.at[period, "sla_due_count"]
        # the KPI query reads normal time's p90 from first-response bins (README): close, not equal
        assert part["p90_first_response_minutes"].iloc[0] == pytest.approx(
            kpis.at[period, "p90_first_response_minutes"], rel=0 if period == "incident" else 0.03
        )
