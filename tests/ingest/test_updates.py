"""Re-imports that change rows update them and say so; disagreeing rows and replaced incidents are reported."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from dashboard.cli import main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CARE = FIXTURES / "care_small.csv"
INCIDENTS = FIXTURES / "incidents_small.csv"
HEADER = "conversation_id,message_id,sent_at,author_type,author_id,text,channel,account,customer_id\n"


def run(db: Path, *args: str | Path) -> int:
    return main(["--db", str(db), *map(str, args)])


def rows(db: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


@pytest.fixture(scope="module")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("updates") / "db.duckdb"
    assert run(db, "import", "care", CARE, "--incidents", INCIDENTS) == 0
    return db


@pytest.fixture
def db(template_db: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "db.duckdb"
    shutil.copyfile(template_db, copy)
    return copy


def import_text(db: Path, tmp_path: Path, capsys, text: str, *extra: str) -> str:
    path = tmp_path / "again.csv"
    path.write_text(text)
    capsys.readouterr()
    assert run(db, "import", "care", path, *extra) == 0
    return capsys.readouterr().out


def test_corrected_export_updates_messages_and_conversations(db: Path, tmp_path: Path, capsys) -> None:
    corrected = CARE.read_text().replace("Thanks so much, great help", "Still broken, this is useless and awful")
    corrected = corrected.replace(
        "c2,m4,2024-03-02T09:00:00Z,customer,u2,Where is my refund?,email",
        "c2,m4,2024-03-02T08:00:00Z,customer,u2,Where is my refund?,chat",
    )
    corrected = corrected.replace("We received your message.,email", "We received your message.,chat")
    before = rows(db, "select end_sentiment_label from conversations where conversation_id = 'c1'")
    out = import_text(db, tmp_path, capsys, corrected)
    assert "loaded 0 messages" in out
    assert "updated 2 messages; 1 conversations changed channel" in out
    assert "skipped 3: message_id already loaded (re-import)" in out
    assert rows(db, "select text from messages where message_id = 'm3'") == [
        ("Still broken, this is useless and awful",)
    ]
    assert before == [("positive",)]
    assert rows(db, "select end_sentiment_label from conversations where conversation_id = 'c1'") == [("negative",)]
    c2 = rows(db, "select channel, started_at::varchar from conversations where conversation_id = 'c2'")
    assert c2 == [("chat", "2024-03-02 08:00:00")]
    facts = rows(db, "select channel from conversation_facts where conversation_id = 'c2'")
    assert facts == [("chat",)]


def test_new_messages_with_another_channel_change_the_conversation_and_say_so(db: Path, tmp_path: Path, capsys) -> None:
    out = import_text(
        db, tmp_path, capsys, HEADER + "c1,m9,2024-03-01T12:00:00Z,customer,u1,hello again,email,@help,u1\n"
    )
    assert "loaded 1 messages into 1 conversations" in out
    assert "updated 0 messages; 1 conversations changed channel; 1 conversations changed account" in out
    assert rows(db, "select channel, account, message_count from conversations where conversation_id = 'c1'") == [
        ("email", "@help", 4)
    ]


def test_message_moved_to_another_conversation_rederives_both(db: Path, tmp_path: Path, capsys) -> None:
    out = import_text(
        db, tmp_path, capsys, HEADER + "c2,m3,2024-03-01T10:45:00Z,customer,u1,Thanks so much,email,billing,u2\n"
    )
    assert "updated 1 messages" in out
    counts = rows(db, "select conversation_id, message_count from conversations order by 1")
    assert counts == [("c1", 2), ("c2", 3)]
    assert rows(db, "select end_sentiment_label from conversations where conversation_id = 'c1'") == [(None,)]


def test_rows_of_one_conversation_that_disagree_are_reported(tmp_path: Path, capsys) -> None:
    text = HEADER + (
        "k1,n1,2024-03-01T10:00:00Z,customer,u1,hi,chat,web,u1\n"
        "k1,n2,2024-03-01T10:05:00Z,agent,a1,hello,email,web,\n"
        "k1,n3,2024-03-01T10:06:00Z,customer,u9,thanks,chat,web,u9\n"
    )
    out = import_text(tmp_path / "fresh.duckdb", tmp_path, capsys, text)
    assert "1 conversation(s) have rows that disagree on channel (e.g. k1: 'chat', 'email')" in out
    assert "1 conversation(s) have rows that disagree on customer_id (e.g. k1: 'u1', 'u9')" in out
    assert rows(tmp_path / "fresh.duckdb", "select channel, customer_id from conversations") == [("chat", "u1")]


def test_replaced_incident_is_reported_and_an_identical_one_is_not(db: Path, tmp_path: Path, capsys) -> None:
    capsys.readouterr()
    assert run(db, "import", "care", CARE, "--incidents", INCIDENTS) == 0
    assert "replaced incident" not in capsys.readouterr().out
    changed = tmp_path / "incidents.csv"
    changed.write_text(INCIDENTS.read_text().replace("2024-03-01T12:00:00Z", "2024-03-01T13:00:00Z"))
    assert run(db, "import", "care", CARE, "--incidents", changed) == 0
    assert "replaced incident 'inc-1' (was 'Checkout outage', 2024-03-01 09:30 to 2024-03-01 12:00)" in (
        capsys.readouterr().out
    )
    assert rows(db, "select ended_at::varchar from incidents") == [("2024-03-01 13:00:00",)]


def test_an_agent_reply_to_a_stored_conversation_is_its_first_response(db: Path, tmp_path: Path, capsys) -> None:
    # the file has no customer message for c2 (it came with an earlier import) and none at all for c9
    text = HEADER + "c2,m20,2024-03-02T09:30:00Z,agent,a9,Sorted now,email,billing,\n"
    text += "c9,m21,2024-03-02T09:40:00Z,agent,a9,Hello?,email,billing,\n"
    out = import_text(db, tmp_path, capsys, text)
    assert "loaded 1 messages into 1 conversations" in out
    assert "skipped 1: conversation has no customer message" in out
    assert rows(db, "select first_response_at::varchar from conversations where conversation_id = 'c2'") == [
        ("2024-03-02 09:30:00",)
    ]
    assert rows(db, "select sla_status from conversation_facts where conversation_id = 'c2'") == [("met",)]
