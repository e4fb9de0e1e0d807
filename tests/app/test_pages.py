"""AppTest: the app starts from streamlit_app.py, every page renders without an exception, and filters change the
numbers exactly as the data says."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.app.pages import PAGES
from dashboard.db import sql
from dashboard.report.build import all_values_params

TIMEOUT = 120


@pytest.fixture
def app(demo_db, monkeypatch) -> AppTest:
    """The Overview on the shared demo database."""
    monkeypatch.setenv("DASHBOARD_DB", str(demo_db))
    at = AppTest.from_file("../../streamlit_app.py", default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, at.exception
    return at


def metric_value(at: AppTest, label: str) -> str:
    """The displayed value of the KPI tile with this label."""
    matches = [m for m in at.metric if m.label == label]
    assert matches, f"no KPI tile {label!r}; tiles: {[m.label for m in at.metric]}"
    return matches[0].value.split(" (n=")[0]  # a rate from a small base carries its base: "12% (n=16)"


@pytest.mark.parametrize("path", [page.file for page in PAGES])
def test_every_page_renders_without_exception(app, path):
    app.switch_page(path).run()
    assert not app.exception, f"{path}: {app.exception}"
    assert app.title, f"{path} shows no title"
    labels = [button.proto.label for button in app.sidebar.get("download_button")]
    assert "Conversations in this view (CSV)" in labels, f"{path}: no export of the filtered view"


def test_overview_shows_the_latest_incident_against_normal(app, demo_con):
    params = all_values_params(demo_con)
    latest = demo_con.execute("select incident_id from incidents order by started_at desc limit 1").fetchone()[0]
    kpis = sql.run_query(demo_con, "kpi_incident_vs_normal", **params, incident_id=latest).set_index("period")
    expected = f"{kpis.at['incident', 'negative_start_share']:.0%}"
    assert metric_value(app, "Negative-start share") == expected


def test_choosing_another_incident_changes_the_numbers_as_the_data_says(app, demo_con):
    params = all_values_params(demo_con)
    oldest = demo_con.execute("select incident_id from incidents order by started_at limit 1").fetchone()[0]
    app.selectbox(key="filter_incident").set_value(oldest).run()
    assert not app.exception
    kpis = sql.run_query(demo_con, "kpi_incident_vs_normal", **params, incident_id=oldest).set_index("period")
    assert metric_value(app, "Negative-start share") == f"{kpis.at['incident', 'negative_start_share']:.0%}"
    assert app.query_params.get("incident") in (oldest, [oldest])


def test_channel_filter_narrows_the_comparison(app, demo_con):
    params = {**all_values_params(demo_con), "channels": ["twitter"]}
    latest = demo_con.execute("select incident_id from incidents order by started_at desc limit 1").fetchone()[0]
    app.multiselect(key="filter_channels").set_value(["twitter"]).run()
    assert not app.exception
    kpis = sql.run_query(demo_con, "kpi_incident_vs_normal", **params, incident_id=latest).set_index("period")
    assert metric_value(app, "Negative-start share") == f"{kpis.at['incident', 'negative_start_share']:.0%}"


def test_a_link_with_other_filters_wins_over_the_widgets(app, demo_con):
    # The session already shows the latest incident; a link (Incidents page, a shared URL) names the oldest one.
    oldest = demo_con.execute("select incident_id from incidents order by started_at limit 1").fetchone()[0]
    app.query_params["incident"] = oldest
    app.query_params["conversation"] = "kept"  # a page's own parameter is left alone
    app.run()
    assert not app.exception
    assert app.selectbox(key="filter_incident").value == oldest
    assert app.query_params.get("conversation") in ("kept", ["kept"])


def test_the_time_zone_moves_the_hourly_buckets(app, demo_con):
    app.switch_page("pages/volume.py").run()
    app.selectbox(key="filter_tz").set_value("Asia/Kolkata").run()
    assert not app.exception
    assert app.query_params.get("tz") in ("Asia/Kolkata", ["Asia/Kolkata"])
    specs = [json.loads(chart.proto.spec) for chart in app.get("plotly_chart")]
    spec = next(s for s in specs if "Arrivals per hour by channel" in s["layout"]["title"]["text"])
    assert spec["layout"]["xaxis"]["title"]["text"] == "Hour (Asia/Kolkata)"
    # Local midnight in Kolkata is 18:30 UTC: the buckets are local clock hours, so none falls on the half hour.
    hours = {x[11:16] for trace in spec["data"] for x in trace.get("x", []) if isinstance(x, str)}
    assert hours and all(hour.endswith(":00") for hour in hours)
    # The incidents start on whole UTC hours, so their shading now starts on the half hour.
    starts = {str(shape["x0"])[11:16] for shape in spec["layout"]["shapes"]}
    assert starts and all(start.endswith(":30") for start in starts)


@pytest.mark.parametrize("path", [page.file for page in PAGES])
def test_a_database_with_no_normal_time_renders_every_page(build_db, tmp_path, monkeypatch, path):
    # A first import covering only the outage: every conversation is in the incident, normal time is empty.
    rows = []
    for n, minute in enumerate((0, 20, 40)):
        at = datetime(2026, 3, 2, 10, minute)
        base = {"conversation_id": f"c{n}", "channel": "chat", "account": "@brand"}
        rows.append({**base, "message_id": f"c{n}-1", "sent_at": at, "author_type": "customer", "customer_id": f"k{n}",
                     "text": "the app is down, useless"})  # fmt: skip
        rows.append({**base, "message_id": f"c{n}-2", "sent_at": at + timedelta(minutes=5), "author_type": "agent",
                     "text": "Sorry, we are on it."})  # fmt: skip
    window = {"started_at": [datetime(2026, 3, 2, 9)], "ended_at": [datetime(2026, 3, 2, 12)]}
    incidents = pd.DataFrame({"incident_id": ["INC-1"], "title": ["App outage"], **window})
    build_db(rows, incidents=incidents).close()
    monkeypatch.setenv("DASHBOARD_DB", str(tmp_path / "given.duckdb"))
    at = AppTest.from_file("../../streamlit_app.py", default_timeout=TIMEOUT)
    at.run()
    if path != "streamlit_app.py":
        at.switch_page(path).run()
    assert not at.exception, f"{path}: {at.exception}"
    assert at.title, f"{path} shows no title"


def test_the_app_opens_a_database_made_by_the_previous_schema(demo_db, tmp_path, monkeypatch):
    from tests.db.test_facts import version_1_copy

    path = version_1_copy(demo_db, tmp_path / "old.duckdb")
    monkeypatch.setenv("DASHBOARD_DB", str(path))
    at = AppTest.from_file("../../streamlit_app.py", default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, at.exception
    assert len(at.metric) >= 8  # upgraded on open, then read as usual
