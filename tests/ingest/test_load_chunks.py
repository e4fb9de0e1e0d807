"""load_chunks: staged frames loaded chunk by chunk give what one load gives, all or nothing."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from dashboard.db import database
from dashboard.ingest.care import read_care
from dashboard.ingest.load import ImportResult, load, load_chunks

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CARE = FIXTURES / "care_small.csv"
TABLES = ("messages", "conversations", "customers", "conversation_facts", "coverage_days")


def table(path: Path, name: str) -> pd.DataFrame:
    con = database.connect(path, read_only=True)
    frame = con.execute(f"select * from {name}").df()  # noqa: S608 (a fixed table name)
    con.close()
    return frame.sort_values(list(frame.columns[:2])).reset_index(drop=True)


def by_conversation(messages: pd.DataFrame, parts: int) -> list[pd.DataFrame]:
    """Split staged messages into `parts` chunks of whole conversations, keeping file order within each."""
    ids = messages["conversation_id"].drop_duplicates().tolist()
    groups = [set(ids[i::parts]) for i in range(parts)]
    return [messages[messages["conversation_id"].isin(group)] for group in groups]


@pytest.fixture(scope="module")
def messages() -> pd.DataFrame:
    frame = read_care(CARE, ImportResult("care", str(CARE)))
    assert frame["conversation_id"].nunique() == 3  # c3 has no customer message: both paths skip it
    return frame


@pytest.mark.parametrize("commit_chunks", [False, True])
def test_chunks_of_whole_conversations_store_what_one_load_stores(tmp_path, messages, commit_chunks):
    whole, chunked = tmp_path / "whole.duckdb", tmp_path / "chunked.duckdb"
    con = database.connect(whole)
    one = load(con, ImportResult("care", "whole"), messages)
    con.close()
    con = database.connect(chunked)
    many = load_chunks(con, ImportResult("care", "chunked"), by_conversation(messages, 2), commit_chunks=commit_chunks)
    con.close()
    assert (many.rows_loaded, many.conversations) == (one.rows_loaded, one.conversations)
    assert many.skipped_reasons == one.skipped_reasons == {"conversation has no customer message": 1}
    for name in TABLES:
        pd.testing.assert_frame_equal(table(whole, name), table(chunked, name), obj=name)


def test_a_failing_chunk_leaves_the_database_as_it_was(tmp_path, messages):
    path = tmp_path / "db.duckdb"
    con = database.connect(path)
    first, second = by_conversation(messages, 2)
    load(con, ImportResult("care", "first"), first)
    counts = con.execute("select (select count(*) from messages), (select count(*) from import_log)").fetchone()

    def chunks():
        yield second
        raise RuntimeError("the source broke off")

    with pytest.raises(RuntimeError, match="broke off"):
        load_chunks(con, ImportResult("care", "second"), chunks())
    assert con.execute("select (select count(*) from messages), (select count(*) from import_log)").fetchone() == counts
    con.close()


def test_customers_may_come_after_the_last_chunk(tmp_path, messages):
    con = database.connect(tmp_path / "db.duckdb")
    seen = []

    def customers() -> pd.DataFrame:
        seen.append(con.execute("select count(*) from messages").fetchall()[0][0])
        return pd.DataFrame({"customer_id": ["late-customer"], "plan": ["plus"]})

    result = load_chunks(con, ImportResult("care", "chunked"), by_conversation(messages, 2), customers)
    assert seen == [len(messages) - 1] and result.customers == 1  # all but the customerless c3
    assert con.execute("select plan from customers where customer_id = 'late-customer'").fetchone() == ("plus",)
    con.close()
