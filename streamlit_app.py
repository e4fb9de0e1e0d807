"""Overview: how bad was the incident, and did we recover? (the entry page, for executives)."""

from functools import partial

import streamlit as st

from dashboard import charts
from dashboard.app.data import db_path, query
from dashboard.app.drilldown import drill_chart
from dashboard.app.empty_states import offer_incidents
from dashboard.app.frame import download_csv, has_rows, local_gaps, local_incidents, metric_grid, page_frame
from dashboard.charts import insights as insight_charts
from dashboard.core.safe_text import md
from dashboard.report import build as report_build
from dashboard.report import summary

filters = page_frame(
    "Overview",
    "The selected incident against normal time (every conversation outside any incident). "
    "Hover the ? on a tile for its definition and the size of both periods.",
)
params = filters.params()
incidents = local_incidents(filters.tz)
hourly = query("volume_expected_hourly", **params)
kpis = query("kpi_incident_vs_normal", **params)
uplift = query("volume_uplift_incident", **params)
at_risk = query("customer_at_risk_period", **params)

selected = incidents[incidents["incident_id"] == filters.incident_id]
if selected.empty:
    offer_incidents(incidents, hourly, filters.tz)
elif "incident" not in set(kpis["period"]):
    st.info("Choose an incident with conversations in the selected range to compare it with normal time.")
else:
    report = summary.report_from_frames(selected.iloc[0], kpis, uplift.iloc[0])
    gaps = local_gaps(filters.tz, filters.start_at, filters.end_at)
    text = summary.incident_summary(report, summary.at_risk_customers(at_risk), filters.tz) + summary.gap_note(gaps)
    st.info(md(text), icon=":material/summarize:")
    tiles = summary.kpi_tiles(kpis, uplift.iloc[0], at_risk)
    metric_grid(tiles)
    st.caption(
        "Deltas compare the incident with normal time; red is worse. At-risk customers counts the two care outcomes "
        "followed by more churn in this data: a conversation that ended negative or went unanswered past its "
        "deadline; its delta compares the share of conversations at risk. Each customer's modelled churn "
        "probability is on the Churn risk page."
    )
    kpi_column, json_column, html_column = st.columns([1, 1, 3])
    with kpi_column:
        download_csv(summary.kpi_table(report, at_risk), f"overview_kpis_{filters.incident_id}", "KPIs (CSV)")
    json_column.download_button(
        "Report (JSON)",
        partial(report_build.report_bytes, db_path(), filters.incident_id, params),
        file_name=f"incident_report_{filters.incident_id}.json",
        mime="application/json",
        on_click="ignore",
    )
    html_column.download_button(
        "Report (HTML)",
        partial(report_build.report_bytes, db_path(), filters.incident_id, params, as_html=True),
        file_name=f"incident_report_{filters.incident_id}.html",
        mime="text/html",
        on_click="ignore",
    )

if has_rows(hourly):
    whole = st.toggle("Show the whole date range", value=selected.empty, help="Otherwise ±3 days around the incident.")
    window = None if whole else charts.focus_window(incidents, filters.incident_id, days=3)
    drill_chart(
        charts.volume_timeline(hourly, incidents, filters.incident_id, window, filters.tz), "overview_volume", filters
    )
    download_csv(hourly, "overview_volume_hourly", "Hourly volume (CSV)")

st.subheader("Like for like: the same hours of the week")
if not selected.empty and "incident" in set(kpis["period"]):
    like = query("kpi_like_for_like_period", **params)
    st.table(insight_charts.like_for_like_table(like).set_index("Metric"))
    st.caption(
        "A night-time incident is judged against night-time norms: *same hours* are the clock hours of the week the "
        "incident window overlaps (e.g. Wednesday 07:00–16:00), taken in every other week of the date range and "
        "kept only when they overlap no incident; *all normal time* is every hour outside incidents. Each cell "
        "states its sample: conversations (shares), negative starts with an end sentiment (recovery), conversations "
        "past their deadline (SLA), answered ones (median first response), hours and weeks (volume)."
    )
