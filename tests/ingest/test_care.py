"""The care export importer (docs/import_formats.md): parsing, conversation attributes, skips and located errors."""

from __future__ import annotations

import hashlib
import shutil
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from dashboard.cli import main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CARE = FIXTURES / "care_small.csv"
CUSTOMERS = FIXTURES / "customers_small.csv"
INCIDENTS = FIXTURES / "incidents_small.csv"
HEADER = "conversation_id,message_id,sent_at,author_type,channel,customer_id,priority,is_media,follower_count\n"
GOOD_ROW = "c1,m1,2024-03-01T10:00:00Z,customer,twitter,u1,,,\n"


def run(db: Path, *args: str | Path) -> int:
    """Run the CLI against `db`."""
    return main(["--db", str(db), *map(str, args)])


def rows(db: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small care fixture imported once per module."""
    db = tmp_path_factory.mktemp("care") / "care.duckdb"
    assert run(db, "import", "care", CARE, "--customers", CUSTOMERS, "--incidents", INCIDENTS) == 0
    return db


@pytest.fixture
def loaded_db(template_db: Path, tmp_path: Path) -> Path:
    """A private copy of the imported fixture, to check that bad imports leave it byte-for-byte alone."""
    db = tmp_path / "care.duckdb"
    shutil.copyfile(template_db, db)
    return db


def test_care_export_loads_messages_and_derives_conversations(loaded_db: Path, capsys) -> None:
    assert rows(loaded_db, "select count(*) from messages") == [(5,)]
    c1 = rows(
        loaded_db,
        "select channel, account, customer_id, started_at, first_response_at, closed_at, priority, tags, "
        "end_sentiment_label, is_influencer, incident_id from conversations where conversation_id = 'c1'",
    )
    assert c1 == [
        (
            "twitter",
            "@shop",
            "u1",
            datetime(2024, 3, 1, 10, 0),
            datetime(2024, 3, 1, 10, 30),  # 11:30+01:00 converted to UTC
            datetime(2024, 3, 1, 11, 0),
            "high",
            ["late", "shipping"],
            "positive",
            True,  # 12000.0 followers on the customer's message
            "inc-1",
        )
    ]
    # A bot reply is not a first response, and no customer message after it means no end sentiment.
    c2 = rows(
        loaded_db,
        "select first_response_at, end_sentiment_label, priority from conversations where conversation_id = 'c2'",
    )
    assert c2 == [(None, None, "normal")]


def test_care_export_reports_skipped_conversations_and_companions(tmp_path: Path, capsys) -> None:
    assert run(tmp_path / "db.duckdb", "import", "care", CARE, "--customers", CUSTOMERS, "--incidents", INCIDENTS) == 0
    out = capsys.readouterr().out
    assert "loaded 5 messages into 2 conversations, 3 customers, 1 incidents; skipped 1 rows" in out
    assert "skipped 1: conversation has no customer message" in out


def test_customers_file_fills_in_and_keeps_values(loaded_db: Path) -> None:
    customers = rows(
        loaded_db, "select customer_id, plan, monthly_value, follower_count, is_media from customers order by 1"
    )
    assert customers == [
        ("u1", "basic", 12.5, 12000, False),
        ("u2", "pro", 99.0, 50, True),
        ("u3", "basic", None, None, True),
    ]
    assert rows(loaded_db, "select churned_at from customers where customer_id = 'u2'") == [(datetime(2024, 4, 1),)]


def test_reimport_does_not_duplicate(loaded_db: Path, capsys) -> None:
    capsys.readouterr()
    assert run(loaded_db, "import", "care", CARE, "--customers", CUSTOMERS, "--incidents", INCIDENTS) == 0
    assert "loaded 0 messages" in capsys.readouterr().out
    assert rows(loaded_db, "select count(*), count(distinct message_id) from messages") == [(5, 5)]
    assert rows(loaded_db, "select count(*) from conversations") == [(2,)]
    assert rows(loaded_db, "select count(*) from incidents") == [(1,)]


def test_parquet_care_export(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "conversation_id": [7, 7],
            "message_id": [70, 71],
            "sent_at": pd.to_datetime(
                ["2024-03-01T10:00:00+02:00", "2024-03-01T08:20:00Z"], utc=True, format="ISO8601"
            ),
            "author_type": ["customer", "agent"],
            "channel": ["Chat", "chat"],
            "customer_id": [123, None],
            "tags": [["a", "b"], None],
            "is_media": [True, None],
        }
    )
    path = tmp_path / "export.parquet"
    frame.to_parquet(path)
    db = tmp_path / "db.duckdb"
    assert run(db, "import", "care", path) == 0
    assert rows(
        db, "select conversation_id, channel, customer_id, started_at, first_response_at, tags from conversations"
    ) == [("7", "chat", "123", datetime(2024, 3, 1, 8, 0), datetime(2024, 3, 1, 8, 20), ["a", "b"])]


def test_exact_repeated_rows_are_skipped_and_unknown_columns_noted(tmp_path: Path, capsys) -> None:
    path = tmp_path / "care.csv"
    header = "Conversation_ID , message_id,sent_at,author_type,channel,customer_id,notes\n"
    path.write_text(header + "c1,m1,2024-03-01T10:00:00,customer,twitter,u1,x\n" * 2)
    assert run(tmp_path / "db.duckdb", "import", "care", path) == 0
    out = capsys.readouterr().out
    assert "loaded 1 messages" in out
    assert "skipped 1: repeated row (same message_id and content as an earlier row)" in out
    assert "ignored column(s) notes" in out


BAD_CARE = {
    "missing required column": (
        "conversation_id,message_id,author_type,channel\nc1,m1,customer,twitter\n",
        ["missing required column(s) sent_at", "found conversation_id, message_id, author_type, channel"],
    ),
    "unparsable date": (
        HEADER + GOOD_ROW + "c1,m2,03/01/2024 10:05,agent,twitter,,,,\n",
        ["row 2", "'sent_at'", "'03/01/2024 10:05'", "ISO 8601"],
    ),
    "unknown author_type": (
        HEADER + "c1,m1,2024-03-01T10:00:00Z,client,twitter,u1,,,\n",
        ["row 1", "'author_type'", "'client'", "customer, agent, bot"],
    ),
    "unknown channel": (
        HEADER + GOOD_ROW + "c1,m2,2024-03-01T10:05:00Z,agent,fax,,,,\n",
        ["row 2", "'channel'", "'fax'", "twitter, messenger, instagram, email, chat"],
    ),
    "unknown priority": (
        HEADER + "c1,m1,2024-03-01T10:00:00Z,customer,twitter,u1,urgent,,\n",
        ["row 1", "'priority'", "'urgent'", "low, normal, high, major"],
    ),
    "customer message without customer_id": (
        HEADER + GOOD_ROW + "c1,m2,2024-03-01T10:05:00Z,customer,twitter,,,,\n",
        ["row 2", "'customer_id'", "needs a customer_id"],
    ),
    "duplicate message_id, different content": (
        HEADER + GOOD_ROW + "c1,m1,2024-03-01T10:09:00Z,customer,twitter,u1,,,\n",
        ["row 2", "'message_id'", "'m1' already appears on row 1"],
    ),
    "bad is_media": (
        HEADER + "c1,m1,2024-03-01T10:00:00Z,customer,twitter,u1,,maybe,\n",
        ["row 1", "'is_media'", "'maybe'", "true/false"],
    ),
    "bad follower_count": (
        HEADER + "c1,m1,2024-03-01T10:00:00Z,customer,twitter,u1,,,12.5k\n",
        ["row 1", "'follower_count'", "'12.5k'", "whole number"],
    ),
    "SQL in a cell stays data": (
        HEADER + 'c1,m1,2024-03-01T10:00:00Z,customer,"twitter\'); drop table raw; --",u1,,,\n',
        ["row 1", "'channel'", "drop table raw", "twitter, messenger, instagram, email, chat"],
    ),
    "empty file": ("", ["the file is empty"]),
    "blank lines only": ("\n\n", ["the file is empty"]),
    "header only": (HEADER, ["header but no data rows"]),
    "garbage text": ("hello there\nthis is not a care export\n", ["missing required column(s)", "found hello there"]),
    "broken quoting": (
        HEADER + GOOD_ROW + 'c1,m2,2024-03-01T10:05:00Z,agent,twitter,,"x,,,\n',
        ["not a well-formed CSV"],
    ),
}


@pytest.mark.parametrize("case", BAD_CARE, ids=list(BAD_CARE))
def test_bad_care_file_fails_with_located_message_and_leaves_db_unchanged(
    loaded_db: Path, tmp_path: Path, capsys, case: str
) -> None:
    content, expected = BAD_CARE[case]
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    before = digest(loaded_db)
    capsys.readouterr()
    assert run(loaded_db, "import", "care", path) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and err.startswith(f"error: {path}")
    for fragment in expected:
        assert fragment in err
    assert digest(loaded_db) == before


def test_binary_file_is_rejected(loaded_db: Path, tmp_path: Path, capsys) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(b"PAR1\x00\x15\x04\x15\x10\x00\xff\xfe" * 50)
    before = digest(loaded_db)
    assert run(loaded_db, "import", "care", path) == 2
    assert "not a CSV text file" in capsys.readouterr().err
    assert digest(loaded_db) == before


def test_non_utf8_file_is_rejected(loaded_db: Path, tmp_path: Path, capsys) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes((HEADER + "c1,m1,2024-03-01T10:00:00Z,customer,twitter,Müller,,,\n").encode("latin-1"))
    assert run(loaded_db, "import", "care", path) == 2
    assert "not UTF-8 text" in capsys.readouterr().err


BAD_COMPANIONS = {
    "customers without customer_id column": (
        "--customers",
        "segment,plan\nx,y\n",
        ["missing required column(s) customer_id"],
    ),
    "customers bad monthly_value": (
        "--customers",
        "customer_id,monthly_value\nu1,12\nu2,lots\n",
        ["row 2", "'monthly_value'", "'lots'"],
    ),
    "customers bad churned_at": (
        "--customers",
        "customer_id,churned_at\nu1,last week\n",
        ["row 1", "'churned_at'", "ISO 8601"],
    ),
    "customers repeated id": (
        "--customers",
        "customer_id,plan\nu1,basic\nu1,pro\n",
        ["row 2", "'customer_id'", "already appears on row 1"],
    ),
    "incidents missing title": (
        "--incidents",
        "incident_id,started_at,ended_at\ni1,2024-03-01,2024-03-02\n",
        ["missing required column(s) title"],
    ),
    "incident ends before it starts": (
        "--incidents",
        "incident_id,title,started_at,ended_at\ni1,a,2024-03-01T10:00Z,2024-03-01T12:00Z\ni2,b,2024-03-02T10:00Z,2024-03-02T09:00Z\n",
        ["row 2", "'ended_at'", "before started_at"],
    ),
    "incident bad started_at": (
        "--incidents",
        "incident_id,title,started_at,ended_at\ni1,a,soon,2024-03-02\n",
        ["row 1", "'started_at'", "'soon'"],
    ),
}


@pytest.mark.parametrize("case", BAD_COMPANIONS, ids=list(BAD_COMPANIONS))
def test_bad_companion_file_fails_and_loads_nothing(loaded_db: Path, tmp_path: Path, capsys, case: str) -> None:
    option, content, expected = BAD_COMPANIONS[case]
    path = tmp_path / "companion.csv"
    path.write_text(content)
    before = digest(loaded_db)
    capsys.readouterr()
    assert run(loaded_db, "import", "care", CARE, option, path) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and str(path) in err
    for fragment in expected:
        assert fragment in err
    assert digest(loaded_db) == before
