"""Conversations: find conversations by text, customer, sentiment or SLA status and read a thread (drill-down)."""

import pandas as pd
import streamlit as st

from dashboard.app.data import query
from dashboard.app.frame import download_csv, has_rows, page_frame
from dashboard.app.pages import SEARCH_DEFAULTS, SENTIMENT_CHOICES, SLA_STATUSES
from dashboard.charts.operations import badge
from dashboard.core import display, timezones
from dashboard.core.safe_text import md, md_code

linked_id = st.query_params.get("conversation", "")  # the page's own URL parameter (the frame leaves it alone)
filters = page_frame(
    "Conversations",
    "Search within the shared filters, newest first. Select a row to read its thread; the link in the address bar "
    "opens the same conversation for anyone.",
)
AUTHORS = {"customer": ("Customer", ":material/person:"), "agent": ("Agent", ":material/support_agent:")}

text_col, customer_col, sentiment_col, status_col = st.columns([3, 2, 2, 2])
search = text_col.text_input("Message text contains", key="conversation_search", placeholder="e.g. refund")
customer = customer_col.text_input("Customer id contains", key="conversation_customer", placeholder="e.g. CU00")
sentiments = sentiment_col.multiselect("Start sentiment", SENTIMENT_CHOICES, placeholder="All")
statuses = status_col.multiselect("SLA status", SLA_STATUSES, placeholder="All")
found = query(
    "conversation_search_list",
    **filters.params(),
    **{
        **SEARCH_DEFAULTS,
        "search": search.strip(),
        "customer_id": customer.strip(),
        "sentiments": tuple(sentiments) or SENTIMENT_CHOICES,
        "sla_statuses": tuple(statuses) or SLA_STATUSES,
    },
)

if has_rows(found, "No conversation matches this search and these filters."):
    total = int(found["match_count"].iloc[0])
    st.caption(f"{total:,} conversations match; the newest {len(found):,} are listed.")
    shown = found.drop(columns=["match_count"])
    event = st.dataframe(
        timezones.local_columns(shown, filters.tz, "started_at"),
        key="conversation_table",
        on_select="rerun",
        selection_mode="single-row",
        hide_index=True,
        placeholder="—",
        width="stretch",
        height=320,
        column_config={
            "conversation_id": st.column_config.TextColumn("Conversation", pinned=True),
            "started_at": st.column_config.DatetimeColumn(f"Started ({filters.tz})", format="YYYY-MM-DD HH:mm"),
            "channel": "Channel",
            "account": "Account",
            "customer_id": "Customer",
            "priority": "Priority",
            "start_sentiment_label": "Start",
            "end_sentiment_label": st.column_config.TextColumn("End", help="Only when the customer wrote again."),
            "sla_status": "SLA",
            "first_response_minutes": st.column_config.NumberColumn("First response (min)", format="%.0f"),
            "message_count": "Messages",
            "incident_id": "Incident",
            "preview_text": st.column_config.TextColumn("First match (or first message)", width="large"),
        },
    )
    download_csv(shown, "conversations_search", "Results (CSV)")
    if event.selection.rows:
        linked_id = shown.iloc[event.selection.rows[0]]["conversation_id"]

if not linked_id:
    st.stop()
st.query_params["conversation"] = linked_id
header = query("conversation_facts_one", conversation_id=linked_id)
if not has_rows(header, f"No conversation with id {md(linked_id)} in this database."):
    st.stop()
facts = header.iloc[0]
messages = query("conversation_thread_messages", conversation_id=linked_id)
local_sent = timezones.local_columns(messages, filters.tz, "sent_at")["sent_at"]

st.subheader(f"Conversation {md(linked_id)}")
context = [facts["channel"], facts["account"], f"priority {facts['priority']}", f"customer {facts['customer_id']}"]
if pd.notna(facts["segment"]):
    context.append(f"{facts['segment']} / {facts['plan']}")
if pd.notna(facts["churned_at"]):
    context.append(f"churned {facts['churned_at']:%Y-%m-%d}")
if pd.notna(facts["incident_title"]):
    context.append(f"during {facts['incident_title']}")
st.caption(" · ".join(md(part) for part in context))
waited = facts["first_response_minutes"]
outcome = [
    f"**First response** {f'{waited:.0f} min' if pd.notna(waited) else 'none'}",
    f"**SLA** {badge(facts['sla_status'])} (target {facts['first_response_target_minutes']} min)",
    f"**Start** {badge(facts['start_sentiment_label'])}",
    f"**End** {badge(facts['end_sentiment_label'])}",
]
st.markdown(
    " · ".join(outcome),
    help="First response: first agent reply − start (bots do not count). Start and end sentiment: the first and the "
    "last customer message; the end only when the customer wrote again after an agent reply.",
)

for message, sent_at in zip(messages.itertuples(), local_sent, strict=True):
    name, avatar = AUTHORS.get(message.author_type, ("Bot", ":material/smart_toy:"))
    timing = [f"{sent_at:%Y-%m-%d %H:%M} {filters.tz}", f"{message.minutes_since_start:,.1f} min since start"]
    if pd.notna(message.minutes_since_previous):
        timing.append(f"+{message.minutes_since_previous:,.1f} min since previous")
    score = display.number(message.sentiment_score)
    with st.chat_message(name, avatar=avatar):
        st.markdown(
            f"**{name}** {md_code(message.author_id or 'unknown')} · {' · '.join(timing)} · "
            f"{badge(message.sentiment_label, '' if score is None else f' {score:+.2f}')}"
        )
        st.text(message.text or "(no text)")
download_csv(messages, f"conversation_{linked_id}", "Thread (CSV)")
