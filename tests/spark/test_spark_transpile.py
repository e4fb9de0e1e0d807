"""The DuckDB -> Spark SQL transpiler, without Spark: macros expand away, DuckDB-only constructs are rewritten."""

from __future__ import annotations

import pytest

pytest.importorskip("sqlglot", reason="sqlglot is not installed (requirements-spark.txt)")

from dashboard.db import sql  # noqa: E402
from dashboard.spark import transpile  # noqa: E402


@pytest.mark.parametrize("name", sql.query_names())
def test_every_query_transpiles_with_no_macro_left(name):
    text = transpile.spark_query_text(name).lower()
    for macro in transpile.macros():
        assert f"{macro}(" not in text, f"{name}: macro {macro} was not expanded"
    assert "$" not in text, f"{name}: a DuckDB $parameter survived"


def test_table_macro_becomes_a_subquery_with_the_callers_arguments():
    text = transpile.to_spark("select count(*) from scoped_conversations($a, $b, $c, $d, $e) as s")
    assert "FROM (SELECT * FROM conversation_facts WHERE started_at >= :a AND started_at < :b" in text
    assert "ARRAY_CONTAINS(:c, channel)" in text
    assert text.endswith(") AS s")


def test_macro_reading_an_earlier_from_item_becomes_lateral():
    text = transpile.to_spark("select * from bounds as b, tz_offsets($tz, b.first_at, b.last_at) as z")
    assert ", LATERAL (SELECT" in text


@pytest.mark.parametrize(
    ("duckdb", "spark"),
    [
        ("select isodow(x)", "SELECT (WEEKDAY(x) + 1)"),
        ("select list(v order by k)", "TRANSFORM(ARRAY_SORT(COLLECT_LIST(NAMED_STRUCT('k', k, 'v', v))), s -> s.v)"),
        ("select list(distinct c order by c)", "SELECT ARRAY_SORT(COLLECT_SET(c))"),
        ("select to_days(7 * w)", "SELECT MAKE_DT_INTERVAL(7 * w, 0, 0, 0)"),
        ("select to_local(t, $tz)", "CAST(FROM_UTC_TIMESTAMP(CAST(t AS TIMESTAMP_NTZ), :tz) AS TIMESTAMP_NTZ)"),
        ("select quantile_cont(x, 0.9)", "SELECT PERCENTILE(x, 0.9)"),
        ("select log10(x)", "SELECT LOG10(x)"),
        ("select x / 60.0", "SELECT x / CAST(60.0 AS DOUBLE)"),
        ("select a // 900", "SELECT FLOOR(a / 900)"),
        ("select date_diff('minute', a, b)", "DATEDIFF(MINUTE, DATE_TRUNC('MINUTE', a), DATE_TRUNC('MINUTE', b))"),
        ("select time_bucket(interval 15 minute, t)", "FLOOR(UNIX_SECONDS(CAST(t AS TIMESTAMP)) / 900) * 900"),
        ("select unnest(s)::date as d", "SELECT EXPLODE(CAST(s AS ARRAY<DATE>)) AS d"),
        ("with x as materialized (select 1) select * from x", "WITH x AS (SELECT 1) SELECT * FROM x"),
        ("select c.a from query_table('conversations') as c", "SELECT c.a FROM conversations AS c"),
    ],
)
def test_duckdb_construct_is_rewritten_for_spark(duckdb, spark):
    assert spark in transpile.to_spark(duckdb)


def test_named_column_shadowing_star_is_excepted_when_the_schema_knows():
    text = transpile.to_spark("select 'x' as period, * from facts", {"facts": ("id", "period")})
    assert "SELECT 'x' AS period, * EXCEPT (period) FROM facts" in text
    assert "EXCEPT" not in transpile.to_spark("select 'x' as kind, * from facts", {"facts": ("id", "period")})


def test_create_table_as_gives_its_query():
    assert transpile.to_spark("create or replace table t as select 1 as a") == "SELECT 1 AS a"


def test_update_becomes_a_select_of_the_updated_rows():
    """DuckDB's UPDATE ... FROM and its select form give the same table: checked by running both on DuckDB."""
    import duckdb
    import sqlglot

    con = duckdb.connect()
    con.execute("create table conversations (conversation_id varchar, customer_id varchar, is_influencer boolean)")
    con.execute(
        "insert into conversations values ('a', 'k1', false), ('b', 'k2', true), ('c', 'k3', false), ('d', null, false)"
    )
    con.execute("create table customers (customer_id varchar, follower_count integer, is_media boolean)")
    con.execute("insert into customers values ('k1', 50000, false), ('k2', 10, false), ('k3', null, null)")
    con.execute(sql.query_text("macros/is_influencer_customer"))  # the flag's one definition, which the UPDATE calls
    text = sql.query_text("ingest/conversations_mark_influencers")
    columns = ["conversation_id", "customer_id", "is_influencer"]
    selected = sqlglot.transpile(transpile.update_as_select(text, columns), read="spark", write="duckdb")[0]
    as_select = con.execute(selected.replace(":followers", "$followers"), {"followers": 10_000}).fetchall()
    con.execute(text, {"followers": 10_000})
    updated = con.execute("select * from conversations").fetchall()
    assert sorted(as_select) == sorted(updated)
    assert sorted(updated) == [("a", "k1", True), ("b", "k2", False), ("c", "k3", False), ("d", None, False)]


def test_update_as_select_refuses_what_it_cannot_carry():
    with pytest.raises(ValueError):
        transpile.update_as_select("select 1", ["a"])
    with pytest.raises(ValueError):
        transpile.update_as_select("update t set b = 1 from s where t.a = s.a", ["a"])
