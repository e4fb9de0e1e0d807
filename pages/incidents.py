"""Incidents: every incident, recorded or detected from the data, with its headline numbers; pick one to open its
report (KPIs against normal time, hourly volume, surging terms, the executive HTML download)."""

from functools import partial

import streamlit as st

from dashboard import charts
from dashboard.alerts import backtest as alert_backtest
from dashboard.alerts import rules as alerts
from dashboard.app.data import db_path, options, query
from dashboard.app.frame import download_csv, has_rows, metric_grid, page_frame
from dashboard.charts import insights as insight_charts
from dashboard.charts import sentiment as sentiment_charts
from dashboard.core import definitions as defs
from dashboard.core import timezones
from dashboard.core.safe_text import md, safe_figure
from dashboard.metrics import recovery, terms
from dashboard.report import build as report_build
from dashboard.report import summary

filters = page_frame(
    "Incidents",
    "Recorded incidents and spikes detected from the data (`python -m dashboard detect`). Numbers count the "
    "conversations starting inside each window; a detected window shows the recorded incident it overlaps.",
)
params = filters.params()
headlines = query("incident_headlines_list", **params)
if not has_rows(headlines, "No incident overlaps the selected dates."):
    st.stop()

detected = headlines[headlines["source"] == "detected"]
st.caption(
    f"{len(headlines) - len(detected)} recorded and {len(detected)} detected incidents in view; "
    f"{detected['matched_incident_ids'].notna().sum()} detected windows overlap a recorded incident. While any "
    "incident is recorded, only recorded incidents own conversations: a detected-only window stays in normal time."
)
shares = ["volume_uplift", "negative_start_share", "sla_attainment"]
table = headlines.assign(duration_hours=headlines["duration_minutes"] / 60, **{c: headlines[c] * 100 for c in shares})
columns = {
    "incident_id": st.column_config.TextColumn("Incident"),
    "source": st.column_config.TextColumn("Source"),
    "matched_incident_ids": st.column_config.TextColumn("Overlaps", help="Incidents of the other source it overlaps."),
    "started_at": st.column_config.DatetimeColumn(f"Start ({filters.tz})", format="D MMM YYYY, HH:mm"),
    "duration_hours": st.column_config.NumberColumn("Hours", format="%.1f"),
    "conversation_count": st.column_config.NumberColumn(
        defs.get("conversation_count").label, format="localized", help=defs.get("conversation_count").text
    ),
    # shares are scaled to percent above, so they keep a plain number format
    **{
        name: st.column_config.NumberColumn(
            defs.get(name).label, format="%+.0f%%" if name == "volume_uplift" else "%.0f%%", help=defs.get(name).text
        )
        for name in shares
    },
    "title": st.column_config.TextColumn("Title"),
}
st.dataframe(
    timezones.local_columns(table, filters.tz, "started_at"),
    column_config=columns,
    column_order=list(columns),
    hide_index=True,
    placeholder="—",
    width="stretch",
)
download_csv(headlines, "incidents_headlines", "Incidents (CSV)")

st.subheader("Time to recover")
timed = recovery.recoverable_incidents(headlines)
utc = {**params, "tz": "UTC"}  # minutes from an incident's start are measured on UTC hours
measures = recovery.hourly_measures(query("volume_expected_hourly", **utc), query("recovery_measures_hourly", **utc))
data_end = query("alert_data_bounds").iloc[0]["data_end_at"]
recovered = recovery.time_to_recover(timed, measures, data_end, filters.end_at)
st.plotly_chart(safe_figure(insight_charts.recovery_multiples(measures, timed, recovered)), width="stretch")
st.dataframe(insight_charts.recovery_table(recovered), hide_index=True, placeholder="—", width="stretch")
st.caption(defs.get("time_to_recover").text)
download_csv(recovered, "incidents_time_to_recover", "Time to recover (CSV)")

st.subheader("Alert backtest")
days = st.select_slider(
    "Replay the alert rules over the last", [7, 14, 30, 60, 120], value=30, format_func="{} days".format
)
rules = alerts.load_rules()
fired, scores, span = alert_backtest.backtest_days(query, days, rules)
st.dataframe(alert_backtest.score_table(scores), hide_index=True, placeholder="—", width="stretch")
st.caption(alert_backtest.method_note(span, days, rules))
with st.expander(f"The {len(fired)} alerts the replay would have sent"):
    st.dataframe(fired, hide_index=True, placeholder="—", width="stretch")

ids = list(headlines["incident_id"])
owners = dict(zip(ids, headlines["report_incident_id"], strict=True))  # whose report each row opens
choice = st.session_state.get("incident_report_choice")
if owners.get(choice) != filters.incident_id:  # the shared Incident filter moved elsewhere: follow it
    st.session_state["incident_report_choice"] = filters.incident_id if filters.incident_id in owners else ids[0]
chosen_id = st.selectbox(
    "Open the report of",
    ids,
    format_func=lambda incident_id: f"{incident_id} · {headlines.set_index('incident_id').at[incident_id, 'title']}",
    key="incident_report_choice",
    # the shared filter follows, so the Overview link and every other page open the same incident
    on_change=lambda: st.session_state.update(
        filter_incident=owners[st.session_state.incident_report_choice] or st.session_state.incident_report_choice
    ),
)
chosen = headlines[headlines["incident_id"] == chosen_id].iloc[0]
report_id = chosen["report_incident_id"]
if report_id is None:
    st.info(
        f"{md(chosen_id)} was detected from the data and overlaps no recorded incident. Its conversations count as "
        "normal time while incidents are recorded, so it has no incident-versus-normal report: its headline "
        "numbers are in the table above. Record it as an incident to report on it."
    )
    st.stop()
if report_id != chosen_id:
    st.info(
        f"{md(chosen_id)} is a detected window overlapping {md(report_id)}, which owns its conversations: its report."
    )

scoped = {**params, "incident_id": report_id}
kpis = query("kpi_incident_vs_normal", **scoped)
uplift = query("volume_uplift_incident", **scoped).iloc[0]
at_risk = query("customer_at_risk_period", **scoped)
if "incident" not in set(kpis["period"]):
    st.info(f"{md(report_id)} has no conversations matching these filters.")
    st.stop()

owner = headlines.set_index("incident_id").loc[report_id].to_dict() | {"incident_id": report_id}
st.subheader(f"{md(report_id)} · {md(owner['title'])}")
report = summary.report_from_frames(owner, kpis, uplift)
st.info(
    md(summary.incident_summary(report, summary.at_risk_customers(at_risk), filters.tz)), icon=":material/summarize:"
)
tiles = summary.kpi_tiles(kpis, uplift, at_risk)
metric_grid(tiles)
st.dataframe(summary.kpi_frame(report), hide_index=True, placeholder="—", width="stretch")

hourly = query("incident_volume_hourly", **scoped)
if has_rows(hourly, "No hourly volume for this incident."):
    hourly = timezones.local_columns(hourly, filters.tz, "hour_at")
    window = [hourly["hour_at"].min(), hourly["hour_at"].max()]
    shaded = timezones.local_columns(headlines, filters.tz, "started_at", "ended_at")
    st.plotly_chart(safe_figure(charts.volume_timeline(hourly, shaded, report_id, window, filters.tz)), width="stretch")
surging = terms.surging_terms(query("sentiment_first_texts_period", **scoped), top=12)
if has_rows(surging, "No term surges in this incident's first messages."):
    st.plotly_chart(safe_figure(sentiment_charts.surging_terms(surging)), width="stretch")

opts = options(filters.tz)
link, download = st.columns([1, 1])
link.page_link(
    "streamlit_app.py",
    label=f"Open {md(report_id)} in the Overview",
    icon=":material/open_in_new:",
    query_params=filters.with_incident(report_id).to_query_params(opts),
)
download.download_button(
    "Executive report (HTML)",
    partial(report_build.report_bytes, db_path(), report_id, params, as_html=True),
    file_name=f"incident_report_{report_id}.html",
    mime="text/html",
    on_click="ignore",
    help="One self-contained file: KPIs with definitions, the volume chart, summary, surging terms, at-risk count.",
)
