"""SLA: are we answering within target, where do we miss it, and which conversations breached? (for care leads)."""

import streamlit as st

from dashboard.app.data import query
from dashboard.app.drilldown import drill_chart, link_params, linked_table
from dashboard.app.frame import download_csv, has_rows, local_incidents, page_frame
from dashboard.app.pages import BREACH_LIST_LIMIT
from dashboard.charts import insights as insight_charts
from dashboard.charts import operations as ops_charts
from dashboard.core import definitions as defs
from dashboard.core import display, timezones
from dashboard.core.safe_text import md, safe_figure

filters = page_frame(
    "SLA",
    f"First responses against each policy's target. {defs.get('sla_attainment').label}: "
    f"{defs.get('sla_attainment').text}",
)
params = filters.params()
incidents = local_incidents(filters.tz)
daily = query("sla_attainment_daily", **params)
cells = query("sla_attainment_channel_priority", **params)
bins = query("sla_first_response_bin", **params)

if not has_rows(daily):
    st.stop()

tiles = ops_charts.metric_tiles(
    bins.drop_duplicates("period").set_index("period"),
    "sla_due_count",
    "conversations past their deadline",
    [
        ("SLA attainment", "sla_attainment", "{:.1%}", "Answered within target ÷ conversations past their deadline."),
        ("Median first response", "median_first_response_minutes", "{:.0f} min", "First agent reply minus start."),
        ("p90 first response", "p90_first_response_minutes", "{:.0f} min", "9 in 10 answered ones were this fast."),
        ("Never answered", "unanswered_count", "{:,.0f}", "No agent reply by the end of the data (bots do not count)."),
    ],
)
for column, tile in zip(st.columns(len(tiles)), tiles, strict=True):
    column.metric(**tile, border=True)

drill_chart(
    ops_charts.attainment_timeline(daily, incidents, filters.incident_id, filters.tz), "sla_daily", filters, grain="D"
)
download_csv(daily, "sla_attainment_daily", "Daily attainment (CSV)")

left, right = st.columns(2)
with left:
    st.plotly_chart(safe_figure(ops_charts.attainment_heatmap(cells)), width="stretch")
    download_csv(cells, "sla_attainment_channel_priority", "Channel × priority (CSV)")
with right:
    if has_rows(bins, "No conversation has passed its SLA deadline in this view."):
        st.plotly_chart(safe_figure(ops_charts.first_response_ecdf(bins)), width="stretch")
        st.caption(
            "Each curve reads: this share of due conversations was answered within x minutes. Curves stop below "
            "100% by the share never answered; where a curve crosses the dashed target line is its attainment."
        )
        download_csv(bins, "sla_first_response_bins", "First-response bins (CSV)")

st.subheader("Breaches")
only_incident = st.toggle(
    "Only the selected incident",
    value=False,
    disabled=filters.incident_id is None,
    help="Otherwise every breach in the date range and filters.",
)
breaches = query(
    "sla_breaches_conversation",
    **{**params, "incident_id": params["incident_id"] if only_incident else "", "limit": BREACH_LIST_LIMIT},
)
if has_rows(breaches, "No breaches in this view."):
    total = int(breaches["breach_count"].iloc[0])
    st.caption(
        f"{total:,} breaches (answered late or never answered past the target); the newest {len(breaches):,} "
        "are listed. Select a row to open its conversation."
    )
    shown = breaches.drop(columns=["breach_count"])
    event = st.dataframe(
        timezones.local_columns(shown, filters.tz, "started_at"),
        key="breach_table",
        on_select="rerun",
        selection_mode="single-row",
        hide_index=True,
        placeholder="—",
        width="stretch",
        column_config={
            "conversation_id": "Conversation",
            "started_at": st.column_config.DatetimeColumn(f"Started ({filters.tz})", format="YYYY-MM-DD HH:mm"),
            "channel": "Channel",
            "account": "Account",
            "priority": "Priority",
            "sla_status": "Status",
            "first_response_target_minutes": st.column_config.NumberColumn("Target (min)"),
            "first_response_minutes": st.column_config.NumberColumn("First response (min)", format="%.0f"),
            "minutes_over_target": st.column_config.NumberColumn(
                "Over target (min)", format="%.0f", help="Unanswered: minutes waited by the end of the data."
            ),
            "customer_id": "Customer",
            "agent_id": "First agent",
            "incident_id": "Incident",
        },
    )
    download_csv(shown, "sla_breaches", "Breach list (CSV)")
    if event.selection.rows:
        conversation_id = shown.iloc[event.selection.rows[0]]["conversation_id"]
        st.page_link(
            "pages/conversations.py",
            label=f"Open conversation {md(conversation_id)}",
            icon=":material/forum:",
            query_params={**link_params(filters), "conversation": conversation_id},
        )

st.subheader("Honest attainment: met, breached and not yet due")
status = query("sla_status_period", **params)
now = query("sla_at_risk_now", **params).iloc[0]
bars, risk = st.columns([4, 1])
bars.plotly_chart(safe_figure(insight_charts.sla_status_bars(status)), width="stretch")
risk.metric(
    defs.get("at_risk_count").label,
    defs.get("at_risk_count").format(now["at_risk_count"]),
    border=True,
    help=f"{defs.get('at_risk_count').text} End of the data: {now['data_end_at']:%d %b %H:%M} UTC.",
)
risk.metric("Pending", f"{now['pending_count']:,}", border=True, help="Unanswered, deadline not yet passed.")
st.caption(
    "Every conversation of each period, not only the due ones: breaches answered late are told apart from those "
    "never answered, and pending conversations (deadline after the data end) are shown instead of counted as hits "
    "or misses. Attainment is met ÷ (met + both breaches)."
)

st.subheader("Influencer and media triage")
NO_FOLLOWERS = " No conversation in this period has a follower count, so there is nothing to weight by."
reach = query("influencer_share_period", **params).set_index("period")
threads = query("influencer_open_list", **{**params, "limit": BREACH_LIST_LIMIT})
for column, period in zip(st.columns(2), ("incident", "normal"), strict=True):
    if period in reach.index:
        row = reach.loc[period]
        missing = "" if display.number(row["weighted_negative_start_share"]) is not None else NO_FOLLOWERS
        column.metric(
            f"Follower-weighted negative starts ({insight_charts.PERIOD_NAMES[period].lower()})",
            display.formatted(row["weighted_negative_start_share"], "{:.1%}"),
            border=True,
            help=f"Σ followers of negative starts ÷ Σ followers ({row['weighted_conversation_count']:,} "
            f"conversations with a follower count); unweighted "
            f"{display.formatted(row['negative_start_share'], '{:.1%}')}.{missing}",
        )
if has_rows(threads, "No influencer or media thread is unanswered or past its SLA in this view."):
    st.caption(
        f"{int(threads['thread_count'].iloc[0]):,} influencer or media threads (≥ 10,000 followers or media) are "
        "unanswered or were answered after their deadline; newest first, each opens its thread."
    )
    linked_table(threads.drop(columns=["thread_count"]), filters, "influencer_threads")
