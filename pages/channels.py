"""Channels: where do customers come to us during incidents, and how does each channel fare? (for marketing)."""

import streamlit as st

from dashboard.app.data import query
from dashboard.app.drilldown import drill_bars
from dashboard.app.empty_states import single_channel
from dashboard.app.frame import download_csv, has_rows, page_frame
from dashboard.charts import operations as ops_charts
from dashboard.core import definitions as defs

filters = page_frame(
    "Channels",
    "Each channel in the selected incident against normal time (every conversation outside any incident). "
    "Hover a column heading for its definition.",
)
params = filters.params()
kpis = query("channel_kpis_incident_vs_normal", **params)
uplift = query("channel_uplift_incident", **params)

if not has_rows(kpis) or single_channel(kpis["channel"]):
    st.stop()

by_period = kpis.groupby("period")[["conversation_count", "churn_base_count"]].sum()
sizes = " · ".join(
    f"{ops_charts.PERIOD_LABELS[p]}: {int(row.conversation_count):,} conversations" for p, row in by_period.iterrows()
)
st.caption(sizes)
if filters.incident_id is None:
    st.info("Choose an incident in the sidebar to compare it with normal time; showing normal time only.")

COLUMNS = (
    "actual_count",
    "expected_count",
    "volume_uplift",
    "conversation_count",
    "volume_share",
    "negative_start_share",
    "recovery_rate",
    "sla_attainment",
    "median_first_response_minutes",
    "churn_after_contact_rate",
)
table = ops_charts.channel_scorecard(kpis, uplift)
config = {"channel": st.column_config.TextColumn("Channel", pinned=True)}
for column in table.columns:
    measure, _, period = column.rpartition("_")
    key, suffix = (measure, f" ({period})") if period in ("incident", "normal") else (column, "")
    if key in COLUMNS:
        metric = defs.get(key)
        config[column] = st.column_config.NumberColumn(
            metric.column_label + suffix, format=metric.column_format, help=metric.text
        )

st.subheader("Channel scorecard")
st.dataframe(table, hide_index=True, placeholder="—", width="stretch", column_config=config, column_order=list(config))
st.caption(
    "Counts behind each share (negative starts, recovery base, SLA due, churn base) are in the CSV. "
    "Churn after contact is censored near the data end: recent incidents read low."
)
download_csv(table, "channel_scorecard", "Scorecard with counts (CSV)")


def mix_bucket(point: dict) -> tuple[str, dict[str, str]]:
    """A channel-mix segment: its channel (the series) in its period (the row)."""
    period = filters.incident_id if point["y"] == ops_charts.PERIOD_LABELS["incident"] else "none"
    return period, {"channel": point["trace"]}


def uplift_bucket(point: dict) -> tuple[str, dict[str, str]] | None:
    """An Actual bar: the channel's conversations in the incident (Expected bars hold no conversations)."""
    return (filters.incident_id, {"channel": point["x"]}) if point["trace"] == "Actual" else None


left, right = st.columns(2)
with left:
    drill_bars(ops_charts.channel_mix(kpis), "channel_mix", filters, mix_bucket)
    download_csv(kpis[["channel", "period", "conversation_count", "volume_share"]], "channel_mix", "Mix (CSV)")
with right:
    if filters.incident_id and has_rows(uplift, "No baseline for this incident's window."):
        drill_bars(ops_charts.channel_uplift(uplift), "channel_uplift", filters, uplift_bucket)
        download_csv(uplift, "channel_uplift", "Uplift (CSV)")
