"""The app on the Spark engine: every page renders from the lake with no DuckDB file, numbers come from Spark, a
rebuilt lake is read afresh, and a Spark failure reaches the viewer (and the CLI's user) as one line.

Reuses the tests/spark session (conftest.py): the app's engine is handed that session instead of starting another.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard.app.pages import PAGES

pytest.importorskip("pyspark", reason="pyspark is not installed (requirements-spark.txt)")
if shutil.which("java") is None:
    pytest.skip("no java on PATH: Spark needs a Java 17+ runtime", allow_module_level=True)

from streamlit.testing.v1 import AppTest  # noqa: E402

from dashboard.spark import engine  # noqa: E402
from dashboard.spark import lake as lake_layout  # noqa: E402
from dashboard.spark.compare import report_differences  # noqa: E402

pytestmark = [
    pytest.mark.filterwarnings("ignore:The copy keyword is deprecated"),
    pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas"),
]
TIMEOUT = 900  # seconds per script run: generous, as the first Spark run plans every query on a shared machine
PROJECT = Path(__file__).resolve().parents[2]


@pytest.fixture
def on_spark(spark, lake, tmp_path, monkeypatch):
    """The app's settings for Spark over the test lake; DASHBOARD_DB names no file, so nothing reads DuckDB."""
    monkeypatch.setenv("DASHBOARD_ENGINE", "spark")
    monkeypatch.setenv("DASHBOARD_LAKE", str(lake))
    monkeypatch.setenv("DASHBOARD_DB", str(tmp_path / "absent.duckdb"))
    monkeypatch.setattr(engine, "_default", {"spark": spark})  # the module's session; views registered per lake
    yield lake
    engine.register_lake(spark, lake)  # tests that point the app at another lake leave the shared views as found


def start_app() -> AppTest:
    at = AppTest.from_file(str(PROJECT / "streamlit_app.py"), default_timeout=TIMEOUT)
    at.run()
    return at


def one_line_errors(at: AppTest) -> list[str]:
    messages = [error.value for error in at.error]
    assert all("\n" not in message and "Traceback" not in message for message in messages), messages
    return messages


@pytest.mark.parametrize("path", [page.file for page in PAGES])
def test_every_page_renders_on_spark(on_spark, path):
    at = start_app()
    assert not at.exception, at.exception
    at.switch_page(path).run()
    assert not at.exception, f"{path}: {at.exception}"
    assert at.title, f"{path} shows no title"
    assert one_line_errors(at) == [], f"{path} shows an error"
    assert not (Path(on_spark).parent / "absent.duckdb").exists()


def test_the_overview_shows_spark_s_numbers(on_spark, spark, parity_con):
    from dashboard.report.build import all_values_params

    at = start_app()
    latest = at.selectbox(key="filter_incident").value
    params = {**all_values_params(parity_con), "incident_id": latest}
    kpis = engine.run_query(spark, "kpi_incident_vs_normal", **params).set_index("period")
    tile = next(m for m in at.metric if m.label == "Negative-start share")
    assert tile.value.split(" (n=")[0] == f"{kpis.at['incident', 'negative_start_share']:.0%}"


def test_a_rewritten_lake_is_not_served_stale(on_spark, tmp_path, monkeypatch):
    """The app's query cache is keyed on the manifest: once the lake loses an incident (and its manifest is rewritten,
    as export and build do last), the same query answers from the new lake, not from the cache."""
    import duckdb

    from dashboard.app import data

    copy = tmp_path / "lake"
    shutil.copytree(on_spark, copy)
    monkeypatch.setenv("DASHBOARD_LAKE", str(copy))
    before = data.query("incidents_list")
    assert data.query("incidents_list") is not None  # a repeat is served from the cache
    incidents_file = next((copy / "incidents").glob("*.parquet"))
    kept = duckdb.read_parquet(str(incidents_file)).order("started_at desc").limit(len(before) - 1, offset=1)
    kept.write_parquet(str(incidents_file.with_suffix(".new")))
    incidents_file.with_suffix(".new").replace(incidents_file)
    lake_layout.write_manifest(copy, lake_layout.read_manifest(copy))
    after = data.query("incidents_list")
    latest = before.sort_values("started_at")["incident_id"].iloc[-1]
    assert sorted(after["incident_id"]) == sorted(set(before["incident_id"]) - {latest})


def test_a_lake_that_is_not_there_is_one_line(on_spark, tmp_path, monkeypatch):
    monkeypatch.setenv("DASHBOARD_LAKE", str(tmp_path / "nowhere"))
    at = start_app()
    assert not at.exception, at.exception
    assert [message.split(":")[0] for message in one_line_errors(at)] == [
        f"no lake at {tmp_path / 'nowhere'} (no manifest.json)"
    ]


def test_a_failing_spark_query_is_one_line(on_spark, tmp_path, monkeypatch):
    copy = tmp_path / "lake"  # a lake of its own, so no cached result answers for Spark
    shutil.copytree(on_spark, copy)
    monkeypatch.setenv("DASHBOARD_LAKE", str(copy))
    monkeypatch.setattr(engine, "spark_query_text", lambda name, schema=(): "select * from no_such_table")
    at = start_app()
    assert not at.exception, at.exception
    (message,) = one_line_errors(at)
    assert message.startswith("query filter_options failed on Spark: ") and "no_such_table" in message


def run_cli(*args: str, **env: str) -> subprocess.CompletedProcess:
    import os

    return subprocess.run(
        [sys.executable, "-m", "dashboard", *args],
        cwd=PROJECT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_cli_reports_from_the_lake(lake, parity_db, tmp_path):
    """`report` on Spark needs no DuckDB file and gives DuckDB's report."""
    absent = str(tmp_path / "absent.duckdb")
    on_spark = run_cli("--db", absent, "report", DASHBOARD_ENGINE="spark", DASHBOARD_LAKE=str(lake))
    assert on_spark.returncode == 0, on_spark.stderr[-2000:]
    on_duckdb = run_cli("--db", str(parity_db), "report", DASHBOARD_ENGINE="duckdb")
    assert report_differences(json.loads(on_duckdb.stdout), json.loads(on_spark.stdout)) == []


@pytest.mark.xfail(
    strict=True,
    reason="the CLI's own message is one line, but spark-submit (the JVM) prints its Java stack trace to the shared "
    "stderr before pyspark reports the failure; silencing it needs the gateway's stderr captured",
)
def test_a_spark_that_cannot_start_is_one_line_from_the_cli(lake):
    broken = run_cli("report", DASHBOARD_ENGINE="spark", DASHBOARD_LAKE=str(lake), SPARK_MASTER="no-such-master")
    assert broken.returncode == 2
    assert broken.stderr.startswith("error: could not start a local Spark (no-such-master): ")
    assert broken.stderr.count("\n") == 1 and "Traceback" not in broken.stderr
