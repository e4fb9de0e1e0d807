"""Every queries/*.sql gives the same rows on Spark (over the exported Parquet lake) as on DuckDB.

One local Spark session serves the whole module. Rows are compared after sorting both frames (a query's order by can
tie), floats within 1e-9 relative, lists as sorted tuples (DuckDB's list(distinct ...) has no order of its own). Medians
and percentiles are exact on both engines (Spark's median and percentile interpolate like DuckDB's quantile_cont), so
they get the same 1e-9. A query listed in SPARK_XFAIL must still differ, or the test fails: the list stays exact.
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
import shutil

import numpy as np
import pandas as pd
import pytest

from dashboard.db import schema, sql

pytest.importorskip("pyspark", reason="pyspark is not installed (requirements-spark.txt)")
if shutil.which("java") is None:
    pytest.skip("no java on PATH: Spark needs a Java 17+ runtime", allow_module_level=True)


from dashboard.spark import engine  # noqa: E402

# pyspark 4 with pandas 3: deprecation notices inside pyspark's own conversion code, not ours.
pytestmark = [
    pytest.mark.filterwarnings("ignore:The copy keyword is deprecated"),
    pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas"),
]

# Queries that cannot run on Spark yet, each with its reason. Empty: all of them run.
SPARK_XFAIL: dict[str, str] = {}


def contract_sample_params():
    """The contract test's sample_params (the same parameters as there)."""
    from tests.queries.test_contract import sample_params

    return sample_params


@pytest.fixture(scope="module")
def params(parity_con):
    return contract_sample_params()(parity_con)


def normalise(value):
    """One comparable Python value per cell, whichever engine and pandas dtype produced it."""
    if isinstance(value, (list, tuple, np.ndarray)):
        return tuple(sorted((normalise(item) for item in value), key=repr))
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    if value is pd.NA:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, float, decimal.Decimal, np.integer, np.floating)):
        return float(value)
    if isinstance(value, (pd.Timestamp, dt.datetime, np.datetime64)):
        return pd.Timestamp(value).tz_localize(None) if pd.Timestamp(value).tzinfo else pd.Timestamp(value)
    if isinstance(value, dt.date):
        return pd.Timestamp(value)
    if isinstance(value, (pd.Timedelta, dt.timedelta, np.timedelta64)):
        return pd.Timedelta(value)
    return value


def sort_key(row: tuple) -> tuple:
    return tuple(("" if v is None else f"{v:.6g}" if isinstance(v, float) else repr(v)) for v in row)


def rows(frame: pd.DataFrame) -> list[tuple]:
    normalised = [tuple(normalise(v) for v in row) for row in frame.astype(object).itertuples(index=False)]
    return sorted(normalised, key=sort_key)


def same(left, right) -> bool:
    if isinstance(left, float) and isinstance(right, float):
        return math.isclose(left, right, rel_tol=1e-9, abs_tol=1e-12)
    if isinstance(left, tuple) and isinstance(right, tuple):
        return len(left) == len(right) and all(same(a, b) for a, b in zip(left, right, strict=True))
    return left == right


def differences(duck: pd.DataFrame, spark: pd.DataFrame) -> list[str]:
    """What differs between the two frames, at most a few lines."""
    if list(duck.columns) != list(spark.columns):
        return [f"columns: duckdb {list(duck.columns)} vs spark {list(spark.columns)}"]
    if len(duck) != len(spark):
        return [f"row count: duckdb {len(duck)} vs spark {len(spark)}"]
    found = []
    for left, right in zip(rows(duck), rows(spark), strict=True):
        for column, a, b in zip(duck.columns, left, right, strict=True):
            if not same(a, b):
                found.append(f"{column}: duckdb {a!r} vs spark {b!r}")
    return found[:5]


def test_xfail_list_names_real_queries():
    assert set(SPARK_XFAIL) <= set(sql.query_names())


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(name, marks=pytest.mark.xfail(reason=SPARK_XFAIL[name], strict=True))
        if name in SPARK_XFAIL
        else name
        for name in sql.query_names()
    ],
)
def test_query_gives_the_same_rows_on_spark(parity_con, spark, params, name):
    duck = sql.run_query(parity_con, name, **params)
    on_spark = engine.run_query(spark, name, **params)
    assert not duck.empty or on_spark.empty, f"{name}: DuckDB gives no rows, Spark some"
    assert differences(duck, on_spark) == []


def test_manifest_counts_every_table(parity_con, lake):
    from dashboard.spark.lake import read_manifest, table_names

    manifest = read_manifest(lake)
    assert set(manifest["tables"]) == set(table_names(parity_con))
    for name, table in manifest["tables"].items():
        with parity_con.cursor() as cursor:
            assert table["rows"] == cursor.table(name).count("*").fetchall()[0][0], name
    assert manifest["schema_version"] == schema.SCHEMA_VERSION
    assert manifest["tables"]["messages"]["partition_by"] == "sent_date"


def test_a_spark_error_reaches_the_user_as_one_line(spark, monkeypatch):
    from dashboard.core.errors import UserError

    monkeypatch.setattr(engine, "spark_query_text", lambda name, schema=(): "select * from no_such_table")
    with pytest.raises(UserError) as raised:
        engine.run_query(spark, "incidents_list")
    message = str(raised.value)
    assert message.startswith("query incidents_list failed on Spark: ") and "no_such_table" in message
    assert "\n" not in message


def test_engine_setting_sends_run_query_to_spark(parity_con, spark, lake, monkeypatch):
    monkeypatch.setenv("DASHBOARD_ENGINE", "spark")
    monkeypatch.setenv("DASHBOARD_LAKE", str(lake))
    monkeypatch.setattr(engine, "_default", {"spark": spark})
    on_spark = sql.run_query(parity_con, "incidents_list")
    monkeypatch.setenv("DASHBOARD_ENGINE", "duckdb")
    assert differences(sql.run_query(parity_con, "incidents_list"), on_spark) == []


def test_spark_build_derives_the_same_conversations_and_facts(parity_con, spark, lake, tmp_path_factory):
    """The build rescored every message on the executors, re-derived conversations (incident membership and the
    influencer flag included, blanked in the lake first) and the derived tables: DuckDB's rows come back."""
    from dashboard.spark.build import build

    built = tmp_path_factory.mktemp("built") / "lake"
    shutil.copytree(lake, built)
    blank_update_columns(built)
    result = build(spark, built, rescore=True)
    engine.register_lake(spark, lake)  # later tests read the exported lake again
    assert result["conversations"] == result["conversation_facts"] == 2000
    for name in ("conversations", "conversation_facts", "coverage_days"):
        with parity_con.cursor() as cursor:
            expected = cursor.table(name).df()
        got = read_lake_table(built, name)
        assert differences(expected, got[list(expected.columns)]) == [], name
    # the build set them itself: the demo has incident conversations and influencers to find
    conversations = read_lake_table(built, "conversations")
    assert conversations["incident_id"].notna().sum() > 0 and conversations["is_influencer"].sum() > 0


def read_lake_table(lake, name: str) -> pd.DataFrame:
    """A lake table as DuckDB reads it (partition column dropped)."""
    import duckdb

    if any((lake / name).glob("*.parquet")):  # not partitioned
        return duckdb.read_parquet(str(lake / name / "*.parquet")).df()
    files = str(lake / name / "*" / "*.parquet")
    return duckdb.read_parquet(files, hive_partitioning=True).df().drop(columns="started_date")


def blank_update_columns(lake) -> None:
    """Clear the lake's incident membership and influencer flags, so a build that copied them could not pass."""
    import duckdb

    stored = duckdb.read_parquet(str(lake / "conversations" / "*" / "*.parquet"), hive_partitioning=True)
    blank = stored.select(
        duckdb.StarExpression(exclude=["incident_id", "is_influencer"]),
        duckdb.ConstantExpression(None).cast(duckdb.sqltypes.VARCHAR).alias("incident_id"),
        duckdb.ConstantExpression(False).alias("is_influencer"),
    )
    blanked = lake / "conversations.blank"
    blank.write_parquet(str(blanked), partition_by=["started_date"])
    shutil.rmtree(lake / "conversations")
    blanked.rename(lake / "conversations")
    assert read_lake_table(lake, "conversations")["incident_id"].isna().all()
