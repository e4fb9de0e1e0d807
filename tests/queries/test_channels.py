"""Given/expect tests for the Channels page's queries: per-channel KPIs by period, churn after contact, uplift."""

from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd
import pytest

from dashboard.db import sql
from dashboard.report.build import all_values_params

T0 = datetime(2026, 3, 2, 10, 0)  # a Monday
SCOPE = {"channels": ["chat", "twitter"], "accounts": ["@brand"], "priorities": ["normal"]}
ANGRY = "This is terrible, I hate this awful useless service."
HAPPY = "Thank you so much, that is great, problem solved!"


def thread(cid: str, start: datetime, channel: str, texts: tuple[str, ...] = ("Hello",), customer: str = "") -> list:
    """Customer messages `texts`, each answered by an agent two minutes later, one every ten minutes."""
    base = {"conversation_id": cid, "channel": channel, "account": "@brand", "priority": "normal"}
    rows = []
    for n, text in enumerate(texts):
        at = start + timedelta(minutes=10 * n)
        who = customer or f"cust-{cid}"
        customer_row = {"author_type": "customer", "author_id": who, "customer_id": who, "text": text}
        agent_row = {"author_type": "agent", "author_id": "agent-1", "text": "We are on it."}
        rows.append({**base, **customer_row, "message_id": f"{cid}-c{n}", "sent_at": at})
        rows.append({**base, **agent_row, "message_id": f"{cid}-a{n}", "sent_at": at + timedelta(minutes=2)})
    return rows


def incident_frame(start: datetime, hours: float, incident_id: str = "INC-1") -> pd.DataFrame:
    """One incident starting at `start`, lasting `hours`."""
    return pd.DataFrame(
        {
            "incident_id": [incident_id],
            "title": ["Outage"],
            "started_at": [start],
            "ended_at": [start + timedelta(hours=hours)],
        }
    )


def kpis(con, incident_id: str = "INC-1") -> pd.DataFrame:
    params = {**SCOPE, "start_at": datetime(2026, 1, 1), "end_at": datetime(2026, 12, 31), "incident_id": incident_id}
    return sql.run_query(con, "channel_kpis_incident_vs_normal", **params).set_index(["channel", "period"])


def test_churn_after_contact_counts_89_days_later_but_not_91_or_before(build_db):
    rows = [
        *thread("c89", T0, "chat", customer="k89"),
        *thread("c91", T0 + timedelta(hours=1), "chat", customer="k91"),
        *thread("cbefore", T0 + timedelta(hours=2), "chat", customer="kbefore"),
        *thread("cstay", T0 + timedelta(hours=3), "chat", customer="kstay"),
    ]
    customers = pd.DataFrame(
        {
            "customer_id": ["k89", "k91", "kbefore", "kstay"],
            "churned_at": [T0 + timedelta(days=89), T0 + timedelta(hours=1, days=91), T0 - timedelta(days=1), None],
        }
    )
    got = kpis(build_db(rows, customers=customers), incident_id="")
    chat = got.loc[("chat", "normal")]
    assert (chat["churn_base_count"], chat["churned_after_count"]) == (4, 1)
    assert chat["churn_after_contact_rate"] == pytest.approx(1 / 4)


def test_channel_kpis_split_incident_and_normal_with_shares_per_period(build_db):
    rows = [
        *thread("n1", T0 - timedelta(days=1), "chat", (ANGRY, HAPPY)),
        *thread("n2", T0 - timedelta(days=1, hours=-1), "twitter", ("Hello there",)),
        *thread("n3", T0 - timedelta(days=1, hours=-2), "twitter", (ANGRY,)),
        *thread("i1", T0 + timedelta(minutes=5), "twitter", (ANGRY, ANGRY)),
        *thread("i2", T0 + timedelta(minutes=15), "twitter", (ANGRY, HAPPY)),
        *thread("i3", T0 + timedelta(minutes=25), "chat", ("Hello there",)),
    ]
    got = kpis(build_db(rows, incidents=incident_frame(T0, 2)))
    assert list(got.index) == [("chat", "incident"), ("chat", "normal"), ("twitter", "incident"), ("twitter", "normal")]
    assert got.loc[("twitter", "incident"), "conversation_count"] == 2
    assert got.loc[("twitter", "incident"), "volume_share"] == pytest.approx(2 / 3)
    assert got.loc[("chat", "normal"), "volume_share"] == pytest.approx(1 / 3)
    assert got.loc[("twitter", "incident"), "negative_start_share"] == 1
    assert got.loc[("twitter", "incident"), "recovery_base_count"] == 2
    assert got.loc[("twitter", "incident"), "recovery_rate"] == pytest.approx(1 / 2)
    assert got.loc[("chat", "normal"), "recovery_rate"] == 1
    assert pd.isna(got.loc[("twitter", "normal"), "recovery_rate"])  # n3 has no end sentiment
    assert got.loc[("chat", "incident"), "median_first_response_minutes"] == pytest.approx(2)
    assert got.loc[("chat", "incident"), "sla_attainment"] == 1


def test_channel_uplift_is_actual_over_the_four_week_same_hour_mean(build_db):
    rows = []
    for week, count in ((1, 2), (2, 4), (3, 2), (4, 4)):  # twitter arrivals at 10:00-10:59 on the Mondays before
        for n in range(count):
            rows += thread(f"w{week}-{n}", T0 - timedelta(weeks=week) + timedelta(minutes=5 * n), "twitter")
    for n in range(6):
        rows += thread(f"now-{n}", T0 + timedelta(minutes=5 * n), "twitter")
    rows += thread("now-chat", T0 + timedelta(minutes=7), "chat")
    con = build_db(rows, incidents=incident_frame(T0, 1))
    got = sql.run_query(con, "channel_uplift_incident", **SCOPE, incident_id="INC-1").set_index("channel")
    assert got.at["twitter", "actual_count"] == 6
    assert got.at["twitter", "expected_count"] == pytest.approx(3)
    assert got.at["twitter", "volume_uplift"] == pytest.approx(1.0)
    assert (got.at["chat", "actual_count"], got.at["chat", "expected_count"]) == (1, 0)
    assert pd.isna(got.at["chat", "volume_uplift"])


def test_channel_uplift_is_empty_without_an_incident(build_db):
    con = build_db(thread("a", T0, "chat"))
    assert sql.run_query(con, "channel_uplift_incident", **SCOPE, incident_id="").empty


def test_channel_uplift_adds_up_to_the_incident_uplift(demo_con):
    params = all_values_params(demo_con)
    for (incident_id,) in demo_con.execute("select incident_id from incidents").fetchall():
        by_channel = sql.run_query(demo_con, "channel_uplift_incident", **params, incident_id=incident_id)
        total = sql.run_query(demo_con, "volume_uplift_incident", **params, incident_id=incident_id).iloc[0]
        assert by_channel["actual_count"].sum() == total["actual_count"]
        assert by_channel["expected_count"].sum() == pytest.approx(total["expected_count"])
