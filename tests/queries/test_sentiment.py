"""Given/expect tests for the Sentiment flow queries, on hand-written conversations with clear sentiment."""

from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd
import pytest

from dashboard.db import sql

T0 = datetime(2026, 3, 2, 10, 0)
NEGATIVE = "This is terrible, the app is broken!"
POSITIVE = "Great, thank you so much!"
NEUTRAL = "Is the shop open on Sunday?"
INCIDENTS = pd.DataFrame(
    {"incident_id": ["INC-1"], "title": ["Outage"], "started_at": [T0], "ended_at": [T0 + timedelta(hours=3)]}
)
PARAMS = {
    "start_at": T0 - timedelta(days=40),
    "end_at": T0 + timedelta(days=3),
    "channels": ["twitter", "chat"],
    "accounts": ["@brand"],
    "priorities": ["normal"],
    "incident_id": "INC-1",
}


def conversation(name: str, minutes: float, texts: list[str], channel: str = "twitter") -> list[dict]:
    """Customer texts, each answered by an agent a minute later (none after the last text)."""
    rows = []
    for n, text in enumerate(texts):
        at = T0 + timedelta(minutes=minutes + 10 * n)
        base = {"conversation_id": name, "channel": channel, "account": "@brand", "customer_id": f"cust-{name}"}
        rows.append(
            {
                **base,
                "message_id": f"{name}-c{n}",
                "sent_at": at,
                "author_type": "customer",
                "author_id": f"cust-{name}",
            }
        )
        rows[-1]["text"] = text
        if n < len(texts) - 1 or len(texts) == 1:
            rows.append(
                {
                    **base,
                    "message_id": f"{name}-a{n}",
                    "sent_at": at + timedelta(minutes=1),
                    "author_type": "agent",
                    "author_id": "agent-1",
                    "customer_id": None,
                    "text": "We are on it.",
                }
            )
    return rows


@pytest.fixture
def con(build_db):
    day = 24 * 60
    rows = [
        # incident (first 3 hours)
        *conversation("i1", 5, [NEGATIVE, POSITIVE]),  # recovered
        *conversation("i2", 20, [NEGATIVE, NEGATIVE], channel="chat"),  # stayed negative
        *conversation("i3", 40, [NEGATIVE]),  # no end sentiment
        *conversation("i4", 60, [NEUTRAL, POSITIVE]),
        # normal time, the day before
        *conversation("n1", -day, [NEGATIVE, POSITIVE]),
        *conversation("n2", -day + 30, [NEUTRAL]),
        *conversation("n3", -day + 60, [POSITIVE, POSITIVE], channel="chat"),
        *conversation("n4", -day + 90, [NEUTRAL, NEGATIVE]),
        # normal time more than 28 days before: in every comparison except the first-message terms
        *conversation("old", -30 * day, [NEGATIVE]),
    ]
    con = build_db(rows, incidents=INCIDENTS)
    labels = con.execute(
        "select conversation_id, start_sentiment_label, end_sentiment_label from conversations order by 1"
    ).fetchall()
    assert labels == [  # the analyzer labels the texts as intended
        ("i1", "negative", "positive"),
        ("i2", "negative", "negative"),
        ("i3", "negative", None),
        ("i4", "neutral", "positive"),
        ("n1", "negative", "positive"),
        ("n2", "neutral", None),
        ("n3", "positive", "positive"),
        ("n4", "neutral", "negative"),
        ("old", "negative", None),
    ]
    return con


def test_flow_counts_start_to_end_per_period(con):
    got = sql.run_query(con, "sentiment_flow_period", **PARAMS)
    expected = pd.DataFrame(
        [
            ("incident", "negative", "negative", 1, 1 / 3),
            ("incident", "negative", "no end sentiment", 1, 1 / 3),
            ("incident", "negative", "positive", 1, 1 / 3),
            ("incident", "neutral", "positive", 1, 1.0),
            ("normal", "negative", "no end sentiment", 1, 0.5),
            ("normal", "negative", "positive", 1, 0.5),
            ("normal", "neutral", "negative", 1, 0.5),
            ("normal", "neutral", "no end sentiment", 1, 0.5),
            ("normal", "positive", "positive", 1, 1.0),
        ],
        columns=["period", "start_label", "end_label", "conversation_count", "share_of_start"],
    )
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)


def test_negative_share_per_day(con):
    got = sql.run_query(con, "sentiment_negative_share_daily", **PARAMS)
    expected = pd.DataFrame(
        {
            "day_at": [T0.replace(hour=0) + timedelta(days=d) for d in (-30, -1, 0)],
            "conversation_count": [1, 4, 4],
            "negative_start_count": [1, 1, 3],
            "negative_start_share": [1.0, 0.25, 0.75],
        }
    )
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)


def test_recovery_by_channel_and_period(con):
    got = sql.run_query(con, "sentiment_recovery_channel_period", **PARAMS)
    expected = pd.DataFrame(
        [
            ("chat", "incident", 1, 1, 1, 0, 0.0),
            ("chat", "normal", 1, 0, 0, 0, None),
            ("twitter", "incident", 3, 2, 1, 1, 1.0),
            ("twitter", "normal", 4, 2, 1, 1, 1.0),
        ],
        columns=[
            "channel",
            "period",
            "conversation_count",
            "negative_start_count",
            "recovery_base_count",
            "recovered_count",
            "recovery_rate",
        ],
    )
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)


def test_first_texts_count_first_customer_messages_in_the_incident_and_the_28_days_before(con):
    got = sql.run_query(con, "sentiment_first_texts_period", **PARAMS)
    expected = pd.DataFrame(
        [(NEGATIVE, 3, 1), (NEUTRAL, 1, 2), (POSITIVE, 0, 1)],
        columns=["text", "incident_count", "normal_count"],
    )
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)


def test_first_texts_are_empty_without_an_incident(con):
    assert sql.run_query(con, "sentiment_first_texts_period", **{**PARAMS, "incident_id": ""}).empty
