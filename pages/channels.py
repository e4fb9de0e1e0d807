"""Channels: where do customers come to us during incidents, and how does each channel fare? (for marketing)."""

import streamlit as st

from dashboard.app.data import query
from dashboard.app.drilldown import drill_bars
from dashboard.app.empty_states import single_channel
from dashboard.app.frame import download_csv, has_rows, page_frame
from dashboard.charts import operations as ops_charts

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

DEFINITIONS = {
    "actual_count": ("Actual", "localized", "Conversations starting inside the incident window."),
    "expected_count": (
        "Expected",
        "%.0f",
        "Baseline for the window: per hour, the mean of the same hour of the week over the previous four weeks "
        "(incident hours left out), pro rata at the window's edges.",
    ),
    "volume_uplift": ("Uplift", "percent", "Actual ÷ expected − 1 over the incident window, for this channel."),
    "conversation_count": ("Conversations", "localized", "Conversations that started in the period."),
    "volume_share": ("Share of volume", "percent", "The channel's conversations ÷ all conversations of the period."),
    "negative_start_share": ("Negative starts", "percent", "Conversations starting negative ÷ all conversations."),
    "recovery_rate": (
        "Recovery",
        "percent",
        "Of conversations that start negative and have an end sentiment, the share ending positive.",
    ),
    "sla_attainment": (
        "SLA attainment",
        "percent",
        "Answered within target ÷ conversations whose deadline has passed (unanswered ones count as breaches).",
    ),
    "median_first_response_minutes": ("Median first response (min)", "%.0f", "First agent reply minus start."),
    "churn_after_contact_rate": (
        "Churn after contact",
        "percent",
        "Conversations whose customer's churned_at falls within 90 days after the start ÷ conversations with a "
        "customer (churn_base_count). Conversations in the last 90 days of data have had less time to churn.",
    ),
}
table = ops_charts.channel_scorecard(kpis, uplift)
config = {"channel": st.column_config.TextColumn("Channel", pinned=True)}
for column in table.columns:
    measure, _, period = column.rpartition("_")
    key, suffix = (measure, f" ({period})") if period in ("incident", "normal") else (column, "")
    if key in DEFINITIONS:
        label, fmt, definition = DEFINITIONS[key]
        config[column] = st.column_config.NumberColumn(label + suffix, format=fmt, help=definition)

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
