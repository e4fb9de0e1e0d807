"""Overview: how bad was the incident, and did we recover? (the entry page, for executives)."""

import streamlit as st

from dashboard.data import query
from dashboard.ui import page_frame

filters = page_frame("Overview", "The selected incident against normal time. Hover a number for its definition.")
kpis = query("kpi_incident_vs_normal", **filters.params()).set_index("period")
if "incident" not in kpis.index or "normal" not in kpis.index:
    st.info("Choose an incident with conversations in the selected range to compare it with normal time.")
    st.stop()
incident, normal = kpis.loc["incident"], kpis.loc["normal"]
tiles = [
    ("Negative-start share", "negative_start_share", "{:.0%}", "Conversations starting negative ÷ all conversations."),
    ("Recovery rate", "recovery_rate", "{:.0%}", "Of negative starts with an end sentiment, the share ending positive."),
    ("SLA attainment", "sla_attainment", "{:.0%}", "Answered within target ÷ conversations whose deadline has passed."),
    ("Median first response", "median_first_response_minutes", "{:.0f} min", "First agent reply minus start."),
]
for column, (label, name, fmt, help_text) in zip(st.columns(len(tiles)), tiles, strict=True):
    column.metric(
        label,
        fmt.format(incident[name]),
        delta=f"normal {fmt.format(normal[name])}",
        delta_color="off",
        help=f"{help_text} Incident: {incident['conversation_count']:,} conversations; "
        f"normal: {normal['conversation_count']:,}.",
    )
