"""Given/expect tests of the plain-Python insight logic: Wilson intervals, time to recover, drill-down parameters."""

from __future__ import annotations

import math
from datetime import datetime

import pandas as pd
import plotly.graph_objects as go
import pytest
from scipy import stats

from dashboard.app import selection as picks
from dashboard.charts import insights as insight_charts
from dashboard.metrics import recovery

H0 = pd.Timestamp("2026-03-02 10:00")


def test_wilson_interval_is_scipys_and_empty_groups_have_none():
    ci = stats.binomtest(7, 40).proportion_ci(confidence_level=0.95, method="wilson")
    assert recovery.wilson_interval(7, 40) == pytest.approx((ci.low, ci.high))
    assert all(math.isnan(x) for x in recovery.wilson_interval(0, 0))


def test_churn_exposure_keeps_unobserved_groups_with_zero_contacts():
    given = pd.DataFrame(
        [(90, "normal", "all", "all contacts", 100, 9, 0.09)],
        columns=["horizon_days", "period", "split", "group_name", "contact_count", "churned_count", "churn_rate"],
    )
    table = recovery.churn_exposure(given).set_index(["horizon_days", "split", "group_name", "period"])
    assert len(table) == 2 * 5 * 2
    assert table.loc[(90, "all", "all contacts", "incident"), "contact_count"] == 0
    assert math.isnan(table.loc[(90, "all", "all contacts", "incident"), "ci_low"])
    row = table.loc[(90, "all", "all contacts", "normal")]
    assert (row["ci_low"], row["ci_high"]) == pytest.approx(recovery.wilson_interval(9, 100))


def hourly(volumes: list[int], sla: list[float | None], negative: list[float]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Volume (expected 10, sd 1: band top 12) and quality frames from H0 on, one value per hour."""
    hours = pd.date_range(H0, periods=len(volumes), freq="h")
    volume = pd.DataFrame({"hour_at": hours, "conversation_count": volumes, "expected_count": 10.0, "expected_sd": 1.0})
    quality = pd.DataFrame(
        {
            "hour_at": hours,
            "conversation_count": volumes,
            "sla_due_count": [0 if s is None else 10 for s in sla],
            "sla_attainment": sla,
            "negative_start_share": negative,
            "normal_negative_start_share": 0.10,
        }
    )
    return volume, quality


def incidents_frame(*windows: tuple[int, int]) -> pd.DataFrame:
    """Incidents starting and ending the given hours after H0."""
    return pd.DataFrame(
        [
            (f"I{i}", f"Incident {i}", H0 + pd.Timedelta(hours=s), H0 + pd.Timedelta(hours=e))
            for i, (s, e) in enumerate(windows)
        ],
        columns=["incident_id", "title", "started_at", "ended_at"],
    )


def test_time_to_recover_first_run_of_two_good_hours_after_the_first_bad_one():
    volume, quality = hourly(
        volumes=[20, 30, 11, 25, 12, 9, 10, 10],  # one good hour (2) does not count; back at hour 4
        sla=[0.95, 0.5, None, 0.92, 0.91, 0.95, 0.95, 0.95],  # hour 2 has nothing due: skipped, not a break
        negative=[0.12, 0.14, 0.15, 0.15, 0.15, 0.15, 0.15, 0.15],  # within normal + 5 points from the start
    )
    measures = recovery.hourly_measures(volume, quality)
    end, range_end = H0 + pd.Timedelta(hours=8), H0 + pd.Timedelta(days=1)
    got = recovery.time_to_recover(incidents_frame((0, 3)), measures, end, range_end)
    result = got.set_index("measure")
    assert result.loc["volume", "status"] == "recovered" and result.loc["volume", "minutes"] == 4 * 60
    assert result.loc["sla", "status"] == "recovered" and result.loc["sla", "minutes"] == 3 * 60
    assert result.loc["negative", "status"] == "never out" and result.loc["negative", "minutes"] == 0
    assert set(result["observed_minutes"]) == {8 * 60}


def test_time_to_recover_says_when_the_data_or_the_next_incident_comes_first():
    volume, quality = hourly(volumes=[30, 30, 30, 11, 30, 30], sla=[0.5] * 6, negative=[0.5] * 6)
    measures = recovery.hourly_measures(volume, quality)
    end = H0 + pd.Timedelta(hours=5, minutes=30)  # the 5th hour is incomplete: not judged
    got = recovery.time_to_recover(incidents_frame((0, 1), (4, 5)), measures, end, H0 + pd.Timedelta(days=1))
    first = got[got["incident_id"] == "I0"].set_index("measure")
    assert set(first["status"]) == {"not before the next incident"}
    assert first["minutes"].isna().all() and set(first["observed_minutes"]) == {4 * 60}
    second = got[got["incident_id"] == "I1"].set_index("measure")
    assert set(second["status"]) == {"not within the data"} and set(second["observed_minutes"]) == {90}


def test_selection_to_time_window_and_narrowed_parameters():
    points = {"points": [{"x": "2026-03-02 10:00", "y": 4}, {"x": "2026-03-02 12:00", "y": 9}], "box": []}
    assert picks.time_window(picks.selected_values(points), "h") == (
        datetime(2026, 3, 2, 10),
        datetime(2026, 3, 2, 13),
    )
    box = {"points": [], "box": [{"x": ["2026-03-02 09:30", "2026-03-04 01:00"]}]}
    assert picks.time_window(picks.selected_values(box), "D") == (datetime(2026, 3, 2), datetime(2026, 3, 5))
    assert picks.time_window(picks.selected_values(None), "h") is None
    page = {
        "start_at": datetime(2026, 3, 1),
        "end_at": datetime(2026, 3, 3),
        "channels": ("chat", "email"),
        "accounts": ("@a",),
        "priorities": ("normal",),
        "incident_id": "INC",
    }
    got = picks.bucket_params(page, (datetime(2026, 3, 2, 22), datetime(2026, 3, 5)), channel=["email", "sms"])
    assert got == {
        "start_at": datetime(2026, 3, 2, 22),
        "end_at": datetime(2026, 3, 3),
        "channels": ("email",),
        "accounts": ("@a",),
        "priorities": ("normal",),
        "incident_id": "",
        "limit": picks.LIST_LIMIT,
    }


def test_selected_points_name_their_series_and_only_known_channels_narrow():
    fig = go.Figure()
    fig.add_bar(x=["chat"], y=[3], name="Expected")
    fig.add_bar(x=["chat"], y=[5], name="Actual")
    fig.add_scatter(x=[1], y=[1], name="chat")
    selection = {"points": [{"x": "chat", "y": 5, "curve_number": 1}, {"x": 1, "y": 1, "curve_number": 2}]}
    points = picks.selected_points(selection, fig)
    assert points == [{"x": "chat", "y": 5, "trace": "Actual"}, {"x": 1, "y": 1, "trace": "chat"}]
    assert picks.trace_categories(points, "channel", ("chat", "email")) == {"channel": ["chat"]}
    assert picks.trace_categories(points[:1], "channel", ("chat", "email")) == {}
    assert picks.selected_points(None, fig) == []


def test_line_traces_become_clickable_and_bands_stay_silent():
    fig = go.Figure()
    fig.add_scatter(x=[1, 2], y=[1, 2], mode="lines", hoverinfo="skip")
    fig.add_scatter(x=[1, 2], y=[3, 4], mode="lines", name="Actual")
    fig.add_bar(x=[1, 2], y=[1, 1])
    picks.clickable(fig)
    assert [trace.mode for trace in fig.data[:2]] == ["lines", "lines+markers"]
    assert fig.data[1].marker.opacity == 0


def test_conversation_links_keep_the_filters():
    link = picks.conversation_link("CV 1", {"from": "2026-03-01", "channel": "chat,email"})
    assert link == "conversations?from=2026-03-01&channel=chat%2Cemail&conversation=CV+1"
    frame = picks.with_links(pd.DataFrame({"conversation_id": ["a"], "match_count": [1]}), {})
    assert list(frame.columns) == ["open", "conversation_id", "match_count"] and frame["open"][0].endswith("=a")
    lines = picks.export_csv(frame).decode().splitlines()
    assert lines == ["open,conversation_id", "conversations?conversation=a,a"]


def test_like_for_like_table_shows_values_with_sample_sizes():
    given = pd.DataFrame(
        {
            "comparison": ["incident", "normal_all", "normal_same_hours"],
            "conversation_count": [20, 1000, 100],
            "hour_count": [2.0, 500.0, 20.0],
            "week_count": [None, 10, 10],
            "conversations_per_hour": [10.0, 2.0, 5.0],
            "negative_start_count": [5, 100, 10],
            "negative_start_share": [0.25, 0.10, 0.10],
            "recovery_base_count": [4, 50, 5],
            "recovered_count": [1, 20, 2],
            "recovery_rate": [0.25, 0.4, 0.4],
            "sla_due_count": [20, 1000, 100],
            "sla_met_count": [15, 900, 95],
            "sla_attainment": [0.75, 0.9, 0.95],
            "answered_count": [18, 990, 99],
            "median_first_response_minutes": [40.0, 20.0, 30.0],
        }
    )
    table = insight_charts.like_for_like_table(given).set_index("Metric")
    assert table.loc["Negative-start share", "This incident"] == "25.0% (5 of 20)"
    same_hours = table.loc["Volume (conversations per hour)", "Same hours, normal weeks"]
    assert same_hours == "5.0 (100 in 20 h, 10 weeks)"
    assert table.loc["Volume (conversations per hour)", "Δ vs same hours"] == "+100%"
    assert table.loc["SLA attainment", "Δ vs all normal"] == "-15.0 pts"
    assert table.loc["Median first response", "Δ vs same hours"] == "+10 min"


def test_every_insight_figure_builds_on_the_demo(demo_con):
    from dashboard.db import sql
    from dashboard.report.build import all_values_params

    latest = demo_con.execute("select incident_id from incidents order by started_at desc limit 1").fetchone()[0]
    params = {**all_values_params(demo_con), "incident_id": latest}
    status = insight_charts.sla_status_bars(sql.run_query(demo_con, "sla_status_period", **params))
    assert len(status.data) == 4
    buckets = recovery.recovery_by_response(sql.run_query(demo_con, "sentiment_recovery_response_bucket", **params))
    assert len(insight_charts.recovery_response_chart(buckets).data) == 2
    incidents = sql.run_query(demo_con, "incidents_list")
    measures = recovery.hourly_measures(
        sql.run_query(demo_con, "volume_expected_hourly", **params),
        sql.run_query(demo_con, "recovery_measures_hourly", **params),
    )
    results = recovery.time_to_recover(
        incidents, measures, pd.Timestamp(params["end_at"]), pd.Timestamp(params["end_at"])
    )
    assert len(results) == 3 * len(incidents) and set(results["status"]) <= {
        "recovered",
        "never out",
        "not within the data",
        "not in the range",
        "not before the next incident",
    }
    assert len(insight_charts.recovery_multiples(measures, incidents, results).data) == 2 * 3 * len(incidents)
    assert list(insight_charts.recovery_table(results)["Incident"]) == sorted(incidents["incident_id"])
    exposure = recovery.churn_exposure(sql.run_query(demo_con, "churn_exposure_group", **params))
    assert len(insight_charts.churn_exposure_chart(exposure, 90).data) == 2
