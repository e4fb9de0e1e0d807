"""The conversation_facts table is rebuilt by every write, so it always equals a fresh derivation from the tables."""

from __future__ import annotations

import shutil

import duckdb
import pandas as pd
import pytest

from dashboard.alerts.detect import store_detected
from dashboard.core.errors import UserError
from dashboard.db import database, schema
from dashboard.ingest.load import ImportResult, load
from dashboard.ingest.rescore import rescore
from tests.conftest import message_frame


def differing_rows(con: duckdb.DuckDBPyConnection) -> int:
    """Rows of the stored table missing from a fresh rebuild, plus the reverse (on a writable connection)."""
    con.execute("create or replace temp table stored_facts as select * from conversation_facts")
    schema.refresh_facts(con)
    return con.execute(
        """
        select count(*) from (
            (select * from stored_facts except all select * from conversation_facts)
            union all
            (select * from conversation_facts except all select * from stored_facts)
        )
        """
    ).fetchone()[0]


def rows(conversation_id: str, hour: int, answered: bool = True) -> list[dict]:
    """One chat conversation at 2024-03-01 `hour`:00, answered after 30 minutes unless told otherwise."""
    first = {
        "conversation_id": conversation_id,
        "message_id": f"{conversation_id}-1",
        "sent_at": f"2024-03-01 {hour:02d}:00",
        "author_type": "customer",
        "channel": "chat",
        "customer_id": f"u-{conversation_id}",
        "text": "the app is down again, useless",
    }
    if not answered:
        return [first]
    reply = {**first, "message_id": f"{conversation_id}-2", "sent_at": f"2024-03-01 {hour:02d}:30"}
    return [first, {**reply, "author_type": "agent", "customer_id": None, "text": "Sorry, we're on it."}]


def test_demo_facts_match_a_fresh_derivation(demo_db, tmp_path):
    shutil.copy(demo_db, tmp_path / "demo.duckdb")
    con = database.connect(tmp_path / "demo.duckdb")
    counts = con.execute("select (select count(*) from conversations), (select count(*) from conversation_facts)")
    conversations, facts = counts.fetchone()
    assert facts == conversations == 4000
    assert differing_rows(con) == 0
    con.close()


def test_a_second_import_refreshes_the_facts(build_db):
    con = build_db(rows("c1", 8) + rows("c2", 9, answered=False))
    # Before the second import c2 is unanswered and the data ends at 09:00: its 2-hour deadline is still pending.
    status = con.execute("select sla_status from conversation_facts where conversation_id = 'c2'").fetchone()[0]
    assert status == "pending"
    load(con, ImportResult("test", "later"), message_frame(rows("c3", 13)))
    assert differing_rows(con) == 0
    # The data now ends at 13:30, past c2's 11:00 deadline: the refresh turned it into a breach.
    statuses = dict(con.execute("select conversation_id, sla_status from conversation_facts").fetchall())
    assert statuses == {"c1": "met", "c2": "breached_unanswered", "c3": "met"}


def test_detected_incidents_refresh_the_facts(build_db):
    con = build_db(rows("c1", 8) + rows("c2", 9))
    windows = pd.DataFrame(
        {
            "incident_id": ["DET-1"],
            "started_at": [pd.Timestamp("2024-03-01 08:30")],
            "ended_at": [pd.Timestamp("2024-03-01 10:00")],
            "volume_uplift": [1.0],
            "negative_start_share": [0.5],
        }
    )
    store_detected(con, windows)
    assert differing_rows(con) == 0
    periods = dict(con.execute("select conversation_id, period from conversation_facts").fetchall())
    assert periods == {"c1": "normal", "c2": "incident"}


def test_rescore_refreshes_the_facts(build_db, tmp_path):
    con = build_db(rows("c1", 8))
    con.execute("update conversations set start_sentiment_label = 'positive'")
    schema.refresh_facts(con)
    con.close()
    rescore(tmp_path / "given.duckdb")
    con = database.connect(tmp_path / "given.duckdb")
    assert con.execute("select start_sentiment_label from conversation_facts").fetchone()[0] == "negative"
    assert differing_rows(con) == 0
    con.close()


def version_1_copy(demo_db, path):
    """A copy of the demo database made to look like schema 1, where conversation_facts was a view."""
    shutil.copy(demo_db, path)
    with duckdb.connect(str(path)) as con:
        con.execute("alter table conversation_facts rename to old_facts")
        con.execute("create view conversation_facts as select * from old_facts")
        con.execute("update schema_info set value = '1' where key = 'schema_version'")
    return path


def test_the_app_upgrades_an_older_database_before_opening_it(demo_db, tmp_path):
    from dashboard.app.data import migrate_if_older

    path = version_1_copy(demo_db, tmp_path / "old.duckdb")
    migrate_if_older(path)
    con = database.connect(path, read_only=True)
    assert schema.stored_version(con) == schema.SCHEMA_VERSION
    con.close()
    con = database.connect(path)
    assert differing_rows(con) == 0
    con.close()


def test_a_version_1_database_migrates_its_facts_view_to_a_table(demo_db, tmp_path):
    path = version_1_copy(demo_db, tmp_path / "old.duckdb")
    with pytest.raises(UserError, match="migrate"):
        database.connect(path, read_only=True)
    assert database.migrate(path).endswith(f"schema version 1 -> {schema.SCHEMA_VERSION}")
    con = database.connect(path)
    assert schema.table_exists(con, "conversation_facts")
    assert differing_rows(con) == 0
    con.close()


def test_every_shared_macro_file_is_created():
    assert {path.stem for path in schema.MACROS_DIR.glob("*.sql")} == set(schema.MACROS)
