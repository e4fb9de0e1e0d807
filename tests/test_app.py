"""AppTest: the app starts from streamlit_app.py, every page renders without an exception, and filters change the
numbers exactly as the data says."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import sql
from dashboard.report import all_values_params
from dashboard.ui import PAGES

TIMEOUT = 120


@pytest.fixture
def app(demo_db, monkeypatch) -> AppTest:
    """The Overview on the shared demo database."""
    monkeypatch.setenv("DASHBOARD_DB", str(demo_db))
    at = AppTest.from_file("../streamlit_app.py", default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, at.exception
    return at


def metric_value(at: AppTest, label: str) -> str:
    """The displayed value of the KPI tile with this label."""
    matches = [m for m in at.metric if m.label == label]
    assert matches, f"no KPI tile {label!r}; tiles: {[m.label for m in at.metric]}"
    return matches[0].value


@pytest.mark.parametrize("path", [path for path, _ in PAGES])
def test_every_page_renders_without_exception(app, path):
    app.switch_page(path).run()
    assert not app.exception, f"{path}: {app.exception}"
    assert app.title, f"{path} shows no title"


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
