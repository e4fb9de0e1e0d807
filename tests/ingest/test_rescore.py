"""`python -m dashboard rescore`: fresh message sentiment and re-derived conversation start/end sentiment."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.cli import main
from dashboard.db import database
from dashboard.ingest.rescore import rescore
from dashboard.sentiment import analyzer as sentiment

ROWS = [
    # c1: negative start, agent apology, customer comes back happy -> end positive
    {"message_id": "m1", "sent_at": "2024-03-01 08:00", "author_type": "customer", "text": "still no signal since 8am"},
    {"message_id": "m2", "sent_at": "2024-03-01 08:10", "author_type": "agent", "text": "Sorry for the trouble! DM us"},
    {"message_id": "m3", "sent_at": "2024-03-01 08:30", "author_type": "customer", "text": "that fixed it, thanks!"},
    # c2: the customer writes twice but nobody answers -> no end sentiment
    {"message_id": "m4", "sent_at": "2024-03-01 09:00", "author_type": "customer", "text": "my flight was cancelled"},
    {"message_id": "m5", "sent_at": "2024-03-01 09:05", "author_type": "customer", "text": "love you anyway"},
    # c3: one neutral question, one answer, no reply from the customer -> no end sentiment
    {"message_id": "m6", "sent_at": "2024-03-01 10:00", "author_type": "customer", "text": "do you ship to Canada?"},
    {"message_id": "m7", "sent_at": "2024-03-01 10:05", "author_type": "agent", "text": "Yes we do!"},
]
CONVERSATION = {"m1": "c1", "m2": "c1", "m3": "c1", "m4": "c2", "m5": "c2", "m6": "c3", "m7": "c3"}


@pytest.fixture
def stale_db(build_db, tmp_path):
    """A database whose stored sentiment is stale (all 0.0 / neutral), as if scored by an older analyzer."""
    rows = [
        {
            **row,
            "conversation_id": CONVERSATION[row["message_id"]],
            "channel": "twitter",
            "account": "brand",
            "author_id": "brand" if row["author_type"] == "agent" else "cust",
            "customer_id": "cust" if row["author_type"] == "customer" else None,
        }
        for row in ROWS
    ]
    con = build_db(rows)
    con.execute("update messages set sentiment_score = 0.0, sentiment_label = 'neutral'")
    con.execute(
        "update conversations set start_sentiment_score = 0.0, start_sentiment_label = 'neutral', "
        "end_sentiment_score = 0.0, end_sentiment_label = 'neutral'"
    )
    con.close()
    return tmp_path / "given.duckdb"


def read(path, sql: str) -> pd.DataFrame:
    """Run one query on a read-only connection."""
    con = database.connect(path, read_only=True)
    try:
        return con.execute(sql).df()
    finally:
        con.close()


def test_rescore_updates_messages_in_their_own_voice(stale_db):
    result = rescore(stale_db)
    stored = read(stale_db, "select message_id, text, author_type, sentiment_score, sentiment_label from messages")
    scores, labels = sentiment.score_texts(stored["text"].tolist(), author_types=stored["author_type"].tolist())
    assert stored["sentiment_score"].tolist() == pytest.approx(scores.tolist())
    assert stored["sentiment_label"].tolist() == labels.tolist()
    assert dict(zip(stored["message_id"], stored["sentiment_label"], strict=True))["m2"] == "neutral"
    assert result.messages == 7 and result.conversations == 3 and result.changed_labels >= 3


def test_rescore_rederives_start_and_end(stale_db):
    rescore(stale_db)
    got = read(
        stale_db,
        "select conversation_id, start_sentiment_label, end_sentiment_label, end_sentiment_score is null as no_end "
        "from conversations order by conversation_id",
    )
    assert got.astype(object).where(got.notna(), None).values.tolist() == [
        ["c1", "negative", "positive", False],
        ["c2", "negative", None, True],
        ["c3", "neutral", None, True],
    ]


def test_rescore_records_the_analyzer(stale_db):
    rescore(stale_db)
    value = read(stale_db, "select value from schema_info where key = 'sentiment_analyzer'")["value"].tolist()
    assert value == [sentiment.ANALYZER_NAME]


def test_cli_rescore(stale_db, capsys):
    assert main(["--db", str(stale_db), "rescore"]) == 0
    assert "re-scored 7 messages" in capsys.readouterr().out


def test_cli_rescore_without_database_is_a_one_line_error(tmp_path, capsys):
    missing = tmp_path / "missing.duckdb"
    assert main(["--db", str(missing), "rescore"]) == 2
    assert capsys.readouterr().err.startswith("error: no database at")
    assert not missing.exists()


def test_same_second_customer_messages_derive_the_same_start_in_import_and_rescore(build_db, tmp_path):
    # Two customer messages in the same second, file order z1 then a1: the tie-break is message_id, so a1 starts.
    rows = [
        {"message_id": "z1", "sent_at": "2024-03-01 08:00:00", "author_type": "customer", "text": "this is awful"},
        {"message_id": "a1", "sent_at": "2024-03-01 08:00:00", "author_type": "customer", "text": "love you, thanks!"},
        {"message_id": "z2", "sent_at": "2024-03-01 08:05:00", "author_type": "agent", "text": "Happy to help"},
    ]
    con = build_db([{**row, "conversation_id": "c1", "channel": "chat", "customer_id": "u1"} for row in rows])
    sql = "select start_sentiment_label, start_sentiment_score from conversations"
    imported = con.execute(sql).fetchall()
    first = con.execute("select sentiment_label, sentiment_score from messages where message_id = 'a1'").fetchall()
    con.close()
    result = rescore(tmp_path / "given.duckdb")
    assert result.changed_labels == 0
    assert imported == first
    assert read(tmp_path / "given.duckdb", sql).values.tolist() == [list(imported[0])]
