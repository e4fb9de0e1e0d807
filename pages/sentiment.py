"""Sentiment flow: how conversations start and end, and what customers wrote about, incident against normal time."""

import streamlit as st

from dashboard.app.data import query
from dashboard.app.drilldown import drill_chart
from dashboard.app.frame import download_csv, has_rows, local_incidents, page_frame
from dashboard.charts import insights as insight_charts
from dashboard.charts import sentiment as sentiment_charts
from dashboard.core.safe_text import safe_figure
from dashboard.metrics import recovery, terms

filters = page_frame(
    "Sentiment flow",
    "Start sentiment is the customer's first message, end sentiment their last one after an agent reply "
    "(none when they never wrote again). Normal time = every conversation outside any incident.",
)
params = filters.params()
incidents = local_incidents(filters.tz)
flow = query("sentiment_flow_period", **params)
daily = query("sentiment_negative_share_daily", **params)
recovery_by_channel = query("sentiment_recovery_channel_period", **params)
first_texts = query("sentiment_first_texts_period", **params)
surging = terms.surging_terms(first_texts, top=15)

if not has_rows(flow):
    st.stop()

for column, period in zip(st.columns(2), ("incident", "normal"), strict=True):
    with column:
        if period in set(flow["period"]):
            st.plotly_chart(safe_figure(sentiment_charts.sentiment_sankey(flow, period)), width="stretch")
        else:
            st.info("No incident conversations with these filters: choose an incident to compare with normal time.")
st.caption(
    "Recovery = negative start → positive end. Hover a band for its count and its share of those starts; "
    "'no end sentiment' means the customer never wrote after a reply (or was never answered)."
)
download_csv(flow, "sentiment_flow_period", "Start → end counts (CSV)")

drill_chart(
    sentiment_charts.negative_share_daily(daily, incidents, filters.incident_id, filters.tz),
    "sentiment_daily",
    filters,
    grain="D",
)
download_csv(daily, "sentiment_negative_share_daily", "Negative starts per day (CSV)")

if has_rows(recovery_by_channel):
    st.plotly_chart(safe_figure(sentiment_charts.recovery_by_channel(recovery_by_channel)), width="stretch")
    st.caption(
        "Recovery rate: of conversations that start negative and have an end sentiment, the share ending positive. "
        "n = that base; small bases swing widely."
    )
    download_csv(recovery_by_channel, "sentiment_recovery_channel_period", "Recovery by channel (CSV)")

st.subheader("Does answering fast turn angry customers around?")
by_speed = recovery.recovery_by_response(query("sentiment_recovery_response_bucket", **params))
if has_rows(by_speed):
    st.plotly_chart(safe_figure(insight_charts.recovery_response_chart(by_speed)), width="stretch")
    never = by_speed[by_speed["response_bucket"] == "never"].set_index("period")["negative_start_count"]
    st.caption(
        "Recovery rate (negative start → positive end) by first-response time; bars are 95% Wilson intervals; "
        "n (incident · normal) is the base: negative starts with an end sentiment. Never-answered conversations have "
        "no end sentiment by definition, so they get no rate rather than a fake 0%: "
        f"{', '.join(f'{n:,} {p}' for p, n in never.items())} negative starts were never answered."
    )
    download_csv(by_speed, "sentiment_recovery_response_bucket", "Recovery by response time (CSV)")

st.subheader("What customers wrote about")
if has_rows(surging, "No term stands out in the incident's first messages with these filters."):
    st.plotly_chart(safe_figure(sentiment_charts.surging_terms(surging)), width="stretch")
    st.caption(
        f"Customers' first messages in {first_texts['incident_count'].sum():,} incident conversations against "
        f"{first_texts['normal_count'].sum():,} normal-time ones from the 28 days before it ({len(first_texts):,} "
        "distinct texts), scored by weighted log-odds with an informative Dirichlet prior (Monroe et al., 2008). "
        "A term counts once per conversation; @handles, links and English stop words are left out."
    )
    download_csv(surging, "sentiment_terms_surging", "Surging terms (CSV)")
