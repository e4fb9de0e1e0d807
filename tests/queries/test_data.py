"""Given/expect tests for the Data page: tables, the gap detector, quality checks, imports and analyzer quality."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pandas as pd
import pytest

from dashboard.db import sql
from dashboard.sentiment import quality

DAY0 = datetime(2026, 3, 2)
SCOPE = {"channels": ["chat"], "accounts": ["@brand"], "priorities": ["normal"]}


def arrivals(day: int, count: int, text: str | None = "Hello", agent_id: str | None = "agent-1") -> list[dict]:
    """`count` answered conversations starting on DAY0 + `day` (customer message at 09:00 + n minutes)."""
    rows = []
    for n in range(count):
        cid = f"d{day}-{n}"
        at = DAY0 + timedelta(days=day, hours=9, minutes=n)
        base = {"conversation_id": cid, "channel": "chat", "account": "@brand", "priority": "normal"}
        customer = {"author_type": "customer", "author_id": f"k{cid}", "customer_id": f"k{cid}", "text": text}
        agent = {"author_type": "agent", "author_id": agent_id, "text": "On it."}
        rows.append({**base, **customer, "message_id": f"{cid}-1", "sent_at": at})
        rows.append({**base, **agent, "message_id": f"{cid}-2", "sent_at": at + timedelta(minutes=3)})
    return rows


def test_gap_detector_flags_a_near_empty_and_an_empty_day_not_a_busy_one(build_db):
    counts = {0: 20, 1: 20, 2: 1, 3: 0, 4: 20, 5: 60, 6: 20}  # day 2: 1 of a median 20; day 3: nothing at all
    con = build_db([row for day, count in counts.items() for row in arrivals(day, count)])
    got = sql.run_query(con, "volume_arrivals_daily", start_at=DAY0, end_at=DAY0 + timedelta(days=7), **SCOPE)
    assert list(got["conversation_count"]) == list(counts.values())
    assert list(got["is_gap"]) == [False, False, True, True, False, False, False]
    assert list(got["expected_count"]) == [20] * 7  # coverage_days: the median day within a week either side
    assert list(got["status"]) == ["covered", "covered", "gap", "gap", "covered", "covered", "covered"]
    assert list(got["message_count"][:3]) == [40, 40, 2]


def test_volume_days_stop_at_the_data_and_follow_the_filter(build_db):
    con = build_db(arrivals(1, 3) + arrivals(2, 3))
    wide = sql.run_query(con, "volume_arrivals_daily", start_at=DAY0, end_at=DAY0 + timedelta(days=30), **SCOPE)
    assert [str(d)[:10] for d in wide["started_date"]] == ["2026-03-03", "2026-03-04"]
    narrow = sql.run_query(
        con, "volume_arrivals_daily", start_at=DAY0 + timedelta(days=2), end_at=DAY0 + timedelta(days=3), **SCOPE
    )
    assert list(narrow["conversation_count"]) == [3]


def test_tables_summary_counts_rows_and_spans(build_db):
    con = build_db(arrivals(0, 2) + arrivals(3, 1))
    got = sql.run_query(con, "table_rows_list").set_index("table_name")
    assert got.at["messages", "row_count"] == 6 and got.at["conversations", "row_count"] == 3
    assert got.at["conversations", "days_covered"] == 4
    assert got.at["sla_policies", "row_count"] == 20 and got.at["import_log", "row_count"] == 1


def test_quality_checks_find_each_planted_problem(build_db):
    rows = arrivals(0, 3) + arrivals(1, 2, text="   ", agent_id=None)  # blank texts, replies without an agent id
    con = build_db(rows)
    con.execute("delete from customers where customer_id = 'kd0-0'")
    con.execute("insert into incidents values ('INC-9', 'Future', '2027-01-01', '2027-01-02', null, null, 'recorded')")
    con.execute(
        "insert into import_log values (now()::timestamp, 'twcs', 'x.csv', 0, 4, $reasons, 'old analyzer')",
        {"reasons": json.dumps({"reply tree with no customer tweet": 3, "repeated row": 1})},
    )
    got = sql.run_query(con, "quality_checks_list").set_index("check_name")
    found = got["problem_count"].to_dict()
    assert found["Answered conversations with no agent id"] == 2
    assert found["Messages with empty text"] == 2
    assert found["Conversation customers without a customers row"] == 1
    assert found["Incidents starting after the data end"] == 1
    assert found["Skipped at import: reply tree with no customer tweet"] == 3
    assert found["Skipped at import: repeated row"] == 1
    assert found["Unanswered conversations (no agent id by nature)"] == 0
    assert got.at["Messages with empty text", "status"] == "warning"
    assert got.at["Conversations closed before they started", "status"] == "ok"
    assert got.at["Messages with empty text", "problem_share"] == pytest.approx(2 / 10)


def test_import_history_and_analyzers_used(build_db):
    con = build_db(arrivals(0, 1))
    con.execute("insert into import_log values ('2020-01-01', 'care', 'old.csv', 5, 0, '{}', 'Plain VADER')")
    imports = sql.run_query(con, "import_log_list")
    assert list(imports["file"]) == ["given", "old.csv"]  # newest first
    analyzers = sql.run_query(con, "sentiment_analyzers_list")
    assert list(analyzers["analyzer"]) == [quality.product_analyzer(), "Plain VADER"]
    assert list(analyzers["rows_loaded"]) == [2, 5]


def test_sentiment_quality_table_reads_the_shipped_report():
    report = quality.load_sentiment_quality()
    assert report is not None
    table = quality.sentiment_quality_table(report)
    assert table["is_product"].iloc[0] and table["analyzer"].iloc[0] == report["analyzer"]
    held = report["analyzers"]["care_vader"]["heldout"]
    assert table["macro_f1"].iloc[0] == held["macro_f1"]
    assert table["negative_recall"].iloc[0] == held["per_class"]["negative"]["recall"]
    assert "held-back" in quality.quality_caption(report)


def test_sentiment_quality_is_none_when_missing_or_malformed(tmp_path):
    assert quality.load_sentiment_quality(tmp_path / "absent.json") is None
    (tmp_path / "bad.json").write_text("{not json")
    assert quality.load_sentiment_quality(tmp_path / "bad.json") is None
    assert isinstance(quality.sentiment_quality_table({"analyzers": {"x": {}}}), pd.DataFrame)
