"""Volume & workload: arrivals against expected, the weekly pattern, backlog, load and staffing (for care leads)."""

import streamlit as st

from dashboard import charts
from dashboard.app.data import query
from dashboard.app.drilldown import drill_chart
from dashboard.app.frame import download_csv, has_rows, local_incidents, page_frame
from dashboard.charts import volume as volume_charts
from dashboard.core.safe_text import safe_figure
from dashboard.metrics import staffing

filters = page_frame(
    "Volume & workload",
    "Hourly arrivals against the expected volume, the open backlog, load per agent and the agents the SLA needs. "
    "Times are in the display time zone (sidebar); incidents are shaded, the selected one outlined.",
)
params = filters.params()
incidents = local_incidents(filters.tz)
by_channel = query("volume_arrivals_hourly_channel", **params)
expected = query("volume_expected_hourly", **params)
weekly = query("volume_arrivals_weekday_hour", **params)
workload = query("workload_load_hourly", **params)
handling = query("workload_handle_time_overall", **params).iloc[0]
agent_ids = query("workload_agent_ids_coverage", **params).iloc[0]
named_agents = staffing.has_agent_ids(agent_ids)

if not has_rows(workload) or workload["arrival_count"].sum() == 0:
    st.stop()

whole = st.toggle(
    "Show the whole date range", value=filters.incident_id is None, help="Otherwise ±3 days around the incident."
)
window = None if whole else charts.focus_window(incidents, filters.incident_id, days=3)

drill_chart(
    volume_charts.arrivals_by_channel(by_channel, expected, incidents, filters.incident_id, window, filters.tz),
    "volume_arrivals",
    filters,
    trace_category="channel",
)
download_csv(by_channel, "volume_arrivals_hourly_channel", "Arrivals by channel (CSV)")

left, right = st.columns(2)
with left:
    st.plotly_chart(
        safe_figure(volume_charts.backlog(workload, incidents, filters.incident_id, window, filters.tz)),
        width="stretch",
    )
    st.caption(
        "Open backlog: conversations started but not yet first-answered at the top of each hour. One still "
        "unanswered after 24 hours counts as abandoned and leaves the backlog."
    )
with right:
    if named_agents:
        st.plotly_chart(
            safe_figure(volume_charts.load_per_agent(workload, incidents, filters.incident_id, window, filters.tz)),
            width="stretch",
        )
        st.caption(
            "Load per agent-hour: conversations first-answered in the hour by a named agent ÷ distinct agents who "
            "answered them."
        )
    else:
        st.info(f"Load per agent is not shown. {staffing.NO_AGENT_IDS}")
download_csv(workload, "workload_load_hourly", "Hourly workload (CSV)")

st.subheader("Staffing estimate")
inputs = st.columns(3)
handle_minutes = inputs[0].number_input(
    "Handling time per conversation (min)",
    min_value=1.0,
    max_value=240.0,
    value=staffing.handle_minutes_default(handling),
    step=0.5,
    help="Measured from the data (see below); change it to test another assumption.",
)
target_minutes = inputs[1].number_input(
    "First-response target (min)",
    min_value=1,
    max_value=24 * 60,
    value=staffing.target_minutes_default(handling),
    help="The SLA policy's first-response target most conversations in the filters carry.",
)
target_share = inputs[2].slider(
    "Share to answer within the target", 0.50, 0.99, 0.80, 0.01, format="%.2f", help="The service-level goal."
)
st.caption(staffing.assumption_text(handling))
plan = staffing.staffing_plan(workload, handle_minutes, target_minutes, target_share, named_agents)
st.plotly_chart(
    safe_figure(
        volume_charts.staffing(plan, incidents, filters.incident_id, window, filters.tz, answered=named_agents)
    ),
    width="stretch",
)
(st.caption if named_agents else st.info)(staffing.agent_ids_text(agent_ids))
download_csv(plan, "workload_staffing_hourly", "Staffing estimate (CSV)")

st.subheader("Peak hours")
peaks = plan.nlargest(10, "arrival_count")
st.dataframe(
    peaks,
    hide_index=True,
    placeholder="—",
    column_order=[
        "hour_at",
        "arrival_count",
        "open_backlog_count",
        "answered_count",
        *(["answering_agent_count", "answered_per_agent"] if named_agents else []),
        "agents_needed",
        *(["agent_gap"] if named_agents else []),
    ],
    column_config={
        "hour_at": st.column_config.DatetimeColumn(f"Hour ({filters.tz})", format="ddd D MMM YYYY, HH:mm"),
        "arrival_count": st.column_config.NumberColumn("Arrivals", help="Conversations starting in the hour."),
        "open_backlog_count": st.column_config.NumberColumn("Waiting at start", help="Open backlog at the top."),
        "answered_count": st.column_config.NumberColumn("First-answered"),
        "answering_agent_count": st.column_config.NumberColumn("Agents who answered"),
        "answered_per_agent": st.column_config.NumberColumn("Answered per agent", format="%.1f"),
        "agents_needed": st.column_config.NumberColumn("Agents needed", help="Erlang C, with the inputs above."),
        "agent_gap": st.column_config.NumberColumn("Gap", help="Agents needed − agents who answered."),
    },
)
download_csv(peaks, "volume_peak_hours", "Peak hours (CSV)")

st.plotly_chart(safe_figure(volume_charts.weekday_hour_heatmap(weekly, filters.tz)), width="stretch")
download_csv(weekly, "volume_arrivals_weekday_hour", "Weekday × hour averages (CSV)")
