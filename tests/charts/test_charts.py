"""Chart builders: shared colours, incident shading, and the figures each page draws."""

from __future__ import annotations

import pandas as pd

from dashboard import charts

INCIDENTS = pd.DataFrame(
    {
        "incident_id": ["INC-1", "INC-2"],
        "title": ["Outage", "Billing"],
        "started_at": pd.to_datetime(["2026-01-05 08:00", "2026-01-10 09:00"]),
        "ended_at": pd.to_datetime(["2026-01-05 20:00", "2026-01-10 12:00"]),
    }
)


def hourly_frame() -> pd.DataFrame:
    hours = pd.date_range("2026-01-01", periods=240, freq="h")
    return pd.DataFrame(
        {"hour_at": hours, "conversation_count": 10, "expected_count": 9.0, "expected_sd": 1.5, "baseline_weeks": 4}
    )


def test_every_channel_has_its_own_colour_and_unknown_ones_fall_back():
    colours = [charts.channel_color(c) for c in ("twitter", "messenger", "instagram", "email", "chat")]
    assert len(set(colours)) == 5
    assert charts.channel_color("fax") == charts.FALLBACK_COLOR
    assert charts.channel_color("Twitter") == charts.CHANNEL_COLORS["twitter"]


def test_shade_incidents_draws_one_rect_per_incident_and_labels_only_the_selected():
    fig = charts.shade_incidents(charts.go.Figure(), INCIDENTS, "INC-2")
    assert len(fig.layout.shapes) == 2
    assert [a.text for a in fig.layout.annotations] == ["Billing"]
    widths = [shape.line.width for shape in fig.layout.shapes]
    assert widths[1] > widths[0]


def test_shade_incidents_accepts_no_incidents():
    fig = charts.shade_incidents(charts.go.Figure(), INCIDENTS.iloc[0:0], None)
    assert len(fig.layout.shapes) == 0


def test_volume_timeline_has_titles_band_and_zoom():
    window = charts.focus_window(INCIDENTS, "INC-1", days=3)
    fig = charts.volume_timeline(hourly_frame(), INCIDENTS, "INC-1", window)
    assert fig.layout.title.text
    assert fig.layout.xaxis.title.text == "Hour (UTC)"
    assert "per hour" in fig.layout.yaxis.title.text
    assert {trace.name for trace in fig.data} >= {"Actual", "Expected", "Expected ± 2 sd"}
    assert pd.Timestamp(fig.layout.xaxis.range[0]) == pd.Timestamp("2026-01-02 08:00")


def test_focus_window_is_none_without_a_selected_incident():
    assert charts.focus_window(INCIDENTS, None) is None
    assert charts.focus_window(INCIDENTS, "INC-9") is None


def test_volume_page_figures_build_from_the_demo_queries(demo_con):
    from dashboard.charts import volume as volume_charts
    from dashboard.db import sql
    from dashboard.metrics import staffing
    from dashboard.report.build import all_values_params

    params = {**all_values_params(demo_con), "incident_id": "INC-105"}
    incidents = sql.run_query(demo_con, "incidents_list")
    workload = sql.run_query(demo_con, "workload_load_hourly", **params)
    window = charts.focus_window(incidents, "INC-105")
    figures = [
        volume_charts.arrivals_by_channel(
            sql.run_query(demo_con, "volume_arrivals_hourly_channel", **params),
            sql.run_query(demo_con, "volume_expected_hourly", **params),
            incidents,
            "INC-105",
            window,
        ),
        volume_charts.weekday_hour_heatmap(sql.run_query(demo_con, "volume_arrivals_weekday_hour", **params)),
        volume_charts.backlog(workload, incidents, "INC-105", window),
        volume_charts.load_per_agent(workload, incidents, "INC-105", window),
        volume_charts.staffing(staffing.staffing_plan(workload, 20, 120, 0.8), incidents, "INC-105", window),
    ]
    for fig in figures:
        assert fig.layout.title.text and fig.layout.xaxis.title.text and fig.layout.yaxis.title.text
        assert all(len(trace.x) for trace in fig.data if trace.type != "heatmap" and trace.x is not None)
    channels = {trace.name: trace.line.color for trace in figures[0].data if trace.stackgroup}
    assert channels == {name: charts.channel_color(name) for name in channels} and len(channels) == 5
    assert figures[1].data[0].z.shape == (7, 24)


def test_sentiment_page_figures_build_from_the_demo_queries(demo_con):
    from dashboard.charts import sentiment as sentiment_charts
    from dashboard.db import sql
    from dashboard.metrics import terms
    from dashboard.report.build import all_values_params

    params = {**all_values_params(demo_con), "incident_id": "INC-105"}
    incidents = sql.run_query(demo_con, "incidents_list")
    flow = sql.run_query(demo_con, "sentiment_flow_period", **params)
    sankey = sentiment_charts.sentiment_sankey(flow, "incident")
    assert sankey.layout.title.text.startswith("Incident: start → end sentiment")
    assert sum(sankey.data[0].link.value) == flow.loc[flow["period"] == "incident", "conversation_count"].sum()
    assert sankey.data[0].node.label[0].startswith("Start negative")
    daily = sentiment_charts.negative_share_daily(
        sql.run_query(demo_con, "sentiment_negative_share_daily", **params), incidents, "INC-105"
    )
    recovery = sentiment_charts.recovery_by_channel(
        sql.run_query(demo_con, "sentiment_recovery_channel_period", **params)
    )
    surging = terms.surging_terms(sql.run_query(demo_con, "sentiment_first_texts_period", **params), top=10)
    bars = sentiment_charts.surging_terms(surging)
    for fig in (daily, recovery, bars):
        assert fig.layout.title.text and fig.layout.xaxis.title.text
    assert daily.layout.yaxis.tickformat == ".0%" and len(daily.layout.shapes) == len(incidents)
    colours = [trace.marker.color for trace in recovery.data if trace.x[0] is not None]
    assert all(list(c) == [charts.channel_color(x) for x in t.x] for c, t in zip(colours, recovery.data, strict=False))
    assert list(bars.data[0].y)[::-1] == list(surging["term"])
