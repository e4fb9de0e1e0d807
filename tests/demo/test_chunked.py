"""The demo is drawn day by day and loaded in chunks: a seed gives the same database at any chunk size."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dashboard.db import database, sql
from dashboard.demo import build as demo
from dashboard.demo.customers import CustomerBook
from dashboard.report.build import all_values_params

TABLES = ("messages", "conversations", "customers", "conversation_facts", "incidents", "coverage_days")
PAGE_QUERIES = ("kpi_incident_vs_normal", "channel_kpis_incident_vs_normal", "sla_status_period", "incidents_list")


def differing_rows(con, table: str) -> int:
    """Rows of `table` in one database and not the other (both ways, duplicates counted)."""
    one_way = f"select * from main.{table} except all select * from chunked.main.{table}"
    other_way = f"select * from chunked.main.{table} except all select * from main.{table}"
    both = f"select (select count(*) from ({one_way})) + (select count(*) from ({other_way}))"
    return con.execute(both).fetchone()[0]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("chunked")
    whole, chunked = folder / "whole.duckdb", folder / "chunked.duckdb"
    demo.build_demo(whole, conversations=2000, seed=5, chunk_conversations=10**9)  # one chunk of 120 days
    demo.build_demo(chunked, conversations=2000, seed=5, chunk_conversations=200)  # 12 days a chunk: 10 chunks
    return whole, chunked


def test_chunked_build_stores_the_same_rows_as_one_chunk(built):
    whole, chunked = built
    con = database.connect(whole, read_only=True)
    con.execute(f"attach '{chunked}' as chunked (read_only)")  # noqa: S608 (a test's own temp path)
    assert con.execute("select count(*) from conversations").fetchone()[0] == 2000
    assert {table: differing_rows(con, table) for table in TABLES} == dict.fromkeys(TABLES, 0)
    con.close()


@pytest.mark.parametrize("name", PAGE_QUERIES)
def test_chunked_build_gives_the_same_page_numbers(built, name):
    frames = []
    for path in built:
        con = database.connect(path, read_only=True)
        latest = con.execute("select incident_id from incidents order by started_at desc limit 1").fetchone()[0]
        frames.append(sql.run_query(con, name, **all_values_params(con), incident_id=latest))
        con.close()
    assert len(frames[0])
    pd.testing.assert_frame_equal(frames[0], frames[1])


def test_days_add_up_to_the_requested_conversations_in_start_order():
    counts = demo.traffic_counts(5000, np.random.default_rng(1))
    days = [demo.draw_day(counts, day, np.random.default_rng(day)) for day in range(demo.DAYS)]
    assert sum(len(day) for day in days) == 5000
    for number, day in enumerate(days):
        first_of_day = demo.END_AT - pd.Timedelta(days=demo.DAYS - number)
        assert day["started_at"].is_monotonic_increasing
        assert (day["started_at"] >= first_of_day).all()
        assert (day["started_at"] <= first_of_day + pd.Timedelta(days=1)).all()


def test_customer_book_keeps_first_and_last_contact_and_counts_bad_ones():
    book = CustomerBook(np.array([100, 100, 100]), np.random.default_rng(0), demo.END_AT)
    day_one = pd.to_datetime(["2026-10-01 08:00", "2026-10-01 09:00"]).to_numpy()
    # customer 7 is never answered, customer 8 answered in 5 minutes and ends happy
    book.record(np.array([7, 8]), day_one, np.array([np.nan, 5.0]), np.array([0, 1]), np.array([1, 2]),
                np.array([False, True]))  # fmt: skip
    day_two = pd.to_datetime(["2026-10-02 10:00"]).to_numpy()
    book.record(np.array([7]), day_two, np.array([200.0]), np.array([1]), np.array([1]), np.array([False]))  # late
    assert book.first_contact[7] == np.datetime64("2026-10-01T08:00:00")
    assert book.last_contact[7] == np.datetime64("2026-10-02T10:00:00")
    assert (book.bad_contacts[7], book.last_bad[7], book.last_weight[7]) == (2, True, pytest.approx(1.2))
    assert (book.bad_contacts[8], book.last_bad[8], book.last_weight[8]) == (0, False, 1.0)
    assert np.isnat(book.first_contact[9])
    customers = book.frame(demo.END_AT, np.random.default_rng(0))
    assert len(customers) == 3 * 45 and customers["customer_id"].is_unique
    assert customers.loc[7, "customer_since"] <= pd.Timestamp("2026-09-30")
    assert pd.isna(customers.loc[9, "churned_at"])
