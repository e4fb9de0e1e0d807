"""Incidents: every incident, recorded or detected from the data, with its headline numbers; pick one to open its
report (KPIs against normal time, hourly volume, surging terms, the executive HTML download)."""

from functools import partial

import streamlit as st

from dashboard import charts, report_html
from dashboard.data import db_path, options, query
from dashboard.ui import download_csv, has_rows, page_frame

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
    "started_at": st.column_config.DatetimeColumn("Start (UTC)", format="D MMM YYYY, HH:mm"),
    "duration_hours": st.column_config.NumberColumn("Hours", format="%.1f"),
    "conversation_count": st.column_config.NumberColumn("Conversations", format="localized"),
    "volume_uplift": st.column_config.NumberColumn("Uplift", format="%+.0f%%", help="Actual ÷ expected − 1."),
    "negative_start_share": st.column_config.NumberColumn("Negative starts", format="%.0f%%"),
    "sla_attainment": st.column_config.NumberColumn("SLA attainment", format="%.0f%%"),
    "title": st.column_config.TextColumn("Title"),
}
st.dataframe(table, column_config=columns, column_order=list(columns), hide_index=True, width="stretch")
download_csv(headlines, "incidents_headlines", "Incidents (CSV)")

ids = list(headlines["incident_id"])
chosen_id = st.selectbox(
    "Open the report of",
    ids,
    index=ids.index(filters.incident_id) if filters.incident_id in ids else 0,
    format_func=lambda incident_id: f"{incident_id} · {headlines.set_index('incident_id').at[incident_id, 'title']}",
    key="incident_report_choice",
)
chosen = headlines[headlines["incident_id"] == chosen_id].iloc[0]
report_id = chosen_id
if chosen["owned_count"] == 0 and chosen["source"] == "detected":
    if chosen["matched_incident_ids"] is None:
        st.info(
            f"{chosen_id} was detected from the data and overlaps no recorded incident. Its conversations count as "
            "normal time while incidents are recorded, so it has no incident-versus-normal report: its headline "
            "numbers are in the table above. Record it as an incident to report on it."
        )
        st.stop()
    report_id = chosen["matched_incident_ids"].split(", ")[0]
    st.info(f"{chosen_id} is a detected window overlapping {report_id}, which owns its conversations: its report.")

scoped = {**params, "incident_id": report_id}
kpis = query("kpi_incident_vs_normal", **scoped)
uplift = query("volume_uplift_incident", **scoped).iloc[0]
risk = query("incident_customers_at_risk", **scoped).iloc[0]
periods = kpis.set_index("period").reindex(["incident", "normal"])
if periods["conversation_count"].isna()["incident"]:
    st.info(f"{report_id} has no conversations matching these filters.")
    st.stop()

incident, normal = periods.loc["incident"], periods.loc["normal"]
fmt = report_html.fmt
st.subheader(f"{report_id} · {headlines.set_index('incident_id').title.get(report_id, '')}")
tiles = [
    (
        "Conversations",
        fmt(incident["conversation_count"], "count"),
        f"normal {fmt(normal['conversation_count'], 'count')}",
    ),
    (
        "Volume uplift",
        fmt(uplift["volume_uplift"], "uplift"),
        f"{fmt(uplift['actual_count'], 'count')} vs {fmt(uplift['expected_count'], 'count')} expected",
    ),
    (
        "Negative starts",
        fmt(incident["negative_start_share"], "share"),
        f"normal {fmt(normal['negative_start_share'], 'share')}",
    ),
    ("SLA attainment", fmt(incident["sla_attainment"], "share"), f"normal {fmt(normal['sla_attainment'], 'share')}"),
    ("At-risk customers", fmt(risk["at_risk_customer_count"], "count"), f"of {fmt(risk['customer_count'], 'count')}"),
]
for column, (label, value, note) in zip(st.columns(len(tiles)), tiles, strict=True):
    column.metric(label, value, delta=note, delta_color="off", delta_arrow="off", border=True)
st.dataframe(report_html.kpi_frame(kpis), hide_index=True, width="stretch")

hourly = query("incident_volume_hourly", **scoped)
if has_rows(hourly, "No hourly volume for this incident."):
    window = [hourly["hour_at"].min(), hourly["hour_at"].max()]
    st.plotly_chart(charts.volume_timeline(hourly, headlines, report_id, window), width="stretch")
terms = query("incident_terms_surging", **scoped)
if has_rows(terms, "No words surge in this incident (each needs 5 conversations and twice the normal rate)."):
    st.markdown("**Surging terms** · conversations using the word, incident against the 28 normal days before")
    terms_columns = {
        "term": st.column_config.TextColumn("Term"),
        "incident_conversation_count": st.column_config.NumberColumn("Incident conversations", format="localized"),
        "normal_conversation_count": st.column_config.NumberColumn("Normal conversations", format="localized"),
        "lift": st.column_config.NumberColumn("Lift", format="%.0f×", help="Incident share ÷ normal share."),
    }
    st.dataframe(terms, column_config=terms_columns, column_order=list(terms_columns), hide_index=True)

opts = options()
link, download = st.columns([1, 1])
link.page_link(
    "streamlit_app.py",
    label=f"Open {report_id} in the Overview",
    icon=":material/open_in_new:",
    query_params=filters.with_incident(report_id).to_query_params(opts),
)
download.download_button(
    "Executive report (HTML)",
    partial(report_html.html_bytes, db_path(), report_id, params),
    file_name=f"incident_report_{report_id}.html",
    mime="text/html",
    on_click="ignore",
    help="One self-contained file: KPIs with definitions, the volume chart, summary, surging terms, at-risk count.",
)
