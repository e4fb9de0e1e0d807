"""Given/expect tests for the Conversations page's queries: search, one conversation's summary and its thread."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from dashboard.app.pages import SEARCH_DEFAULTS
from dashboard.db import sql

T0 = datetime(2026, 3, 2, 9, 0)
SCOPE = {
    "start_at": datetime(2026, 3, 1),
    "end_at": datetime(2026, 3, 4),
    "channels": ["chat", "twitter"],
    "accounts": ["@brand"],
    "priorities": ["normal"],
}


def message(cid: str, n: int, minutes: float, author: str, text: str | None, customer: str = "") -> dict:
    """One message of conversation `cid`, `minutes` after T0."""
    return {
        "conversation_id": cid,
        "message_id": f"{cid}-{n}",
        "sent_at": T0 + timedelta(minutes=minutes),
        "author_type": author,
        "author_id": customer if author == "customer" else f"{author}-1",
        "customer_id": customer if author == "customer" else None,
        "text": text,
        "channel": "chat",
        "account": "@brand",
        "priority": "normal",
    }


@pytest.fixture
def search_db(build_db):
    """Three conversations: a refund question (answered), an outage complaint with a quote, an unanswered hello."""
    rows = [
        message("A", 1, 0, "customer", "I want a REFUND for my order", "cust-ann"),
        message("A", 2, 1, "bot", "You're in the queue.", ""),
        message("A", 3, 6, "agent", "Your refund is on its way.", ""),
        message("A", 4, 16, "customer", "Thanks, great!", "cust-ann"),
        message("B", 1, 60, "customer", "The app doesn't work, outage again. Terrible.", "cust-bob"),
        message("B", 2, 70, "agent", "Sorry, we're on it.", ""),
        message("C", 1, 600, "customer", "Hello?", "cust-cat"),
    ]
    return build_db(rows)


def search(con, **changes) -> list[str]:
    params = {**SCOPE, **SEARCH_DEFAULTS, **changes}
    got = sql.run_query(con, "conversation_search_list", **params)
    return list(got["conversation_id"])


def test_search_without_terms_lists_everything_newest_first_up_to_the_limit(search_db):
    assert search(search_db) == ["C", "B", "A"]
    got = sql.run_query(search_db, "conversation_search_list", **{**SCOPE, **SEARCH_DEFAULTS, "limit": 2})
    assert list(got["conversation_id"]) == ["C", "B"] and list(got["match_count"]) == [3, 3]
    assert got["preview_text"].iloc[1] == "The app doesn't work, outage again. Terrible."


def test_text_search_is_case_insensitive_and_binds_quotes_safely(search_db):
    assert search(search_db, search="refund") == ["A"]
    assert search(search_db, search="doesn't") == ["B"]
    assert search(search_db, search="'; drop table messages; --") == []
    got = sql.run_query(search_db, "conversation_search_list", **{**SCOPE, **SEARCH_DEFAULTS, "search": "refund"})
    assert got["preview_text"].iloc[0] == "I want a REFUND for my order"  # the first matching message


def test_customer_sentiment_and_sla_filters(search_db):
    assert search(search_db, customer_id="BOB") == ["B"]
    assert search(search_db, sentiments=("neutral",)) == ["C"]
    assert search(search_db, sentiments=("positive", "unscored")) == []
    assert search(search_db, sla_statuses=("pending",)) == ["C"]  # unanswered, still inside its target
    assert search(search_db, sla_statuses=("breached_unanswered",)) == []


def test_thread_lists_messages_in_order_with_response_times(search_db):
    got = sql.run_query(search_db, "conversation_thread_messages", conversation_id="A")
    assert list(got["author_type"]) == ["customer", "bot", "agent", "customer"]
    assert list(got["position"]) == [1, 2, 3, 4]
    assert list(got["minutes_since_start"]) == pytest.approx([0, 1, 6, 16])
    assert list(got["minutes_since_previous"].fillna(-1)) == pytest.approx([-1, 1, 5, 10])
    assert got["sentiment_label"].iloc[3] == "positive"


def test_conversation_summary_and_unknown_id(search_db):
    got = sql.run_query(search_db, "conversation_facts_one", conversation_id="A").iloc[0]
    assert (got["channel"], got["customer_id"], got["sla_status"]) == ("chat", "cust-ann", "met")
    assert got["first_response_minutes"] == pytest.approx(6)  # the bot reply does not count
    assert sql.run_query(search_db, "conversation_facts_one", conversation_id="nope").empty
