"""Which queries each page runs on first load, with the page-level values it passes: the list `bench` times.

Plain Python (no streamlit). Pages import their defaults from here so the benchmark times what a reader sees. A query
is named alone, or as (name, {param: value}) when the page passes something other than the shared filters. Every page
also runs the frame's queries (FRAME_QUERIES) through `ui.page_frame`.
"""

from __future__ import annotations

from typing import Any

FRAME_QUERIES = ("filter_options", "incidents_list")

# Page-level inputs (not shared filters) and their defaults.
BREACH_LIST_LIMIT = 500
SEARCH_LIMIT = 300
SENTIMENT_CHOICES = ("negative", "neutral", "positive", "unscored")
SLA_STATUSES = ("met", "breached_answered", "breached_unanswered", "pending")
SEARCH_DEFAULTS: dict[str, Any] = {
    "search": "",
    "customer_id": "",
    "sentiments": SENTIMENT_CHOICES,
    "sla_statuses": SLA_STATUSES,
    "limit": SEARCH_LIMIT,
}

QueryCall = str | tuple[str, dict[str, Any]]

PAGE_QUERIES: dict[str, tuple[QueryCall, ...]] = {
    # Overview also builds the summary and tiles in Python from these (cheap); the report downloads run on click.
    "Overview": (
        "volume_expected_hourly",
        "kpi_incident_vs_normal",
        "volume_uplift_incident",
        "overview_at_risk_period",
        "insight_like_for_like_period",  # the like-for-like table (drill-down queries run only on a selection)
    ),
    # The staffing estimate (Erlang C over the hourly workload) is computed in Python from workload_load_hourly.
    "Volume & workload": (
        "volume_arrivals_hourly_channel",
        "volume_expected_hourly",
        "volume_arrivals_weekday_hour",
        "workload_load_hourly",
        "workload_handle_time_overall",
        "workload_agent_ids_coverage",
    ),
    # Surging terms are scored in Python (terms.surging_terms) over sentiment_first_texts_period's distinct texts.
    "Sentiment flow": (
        "sentiment_flow_period",
        "sentiment_negative_share_daily",
        "sentiment_recovery_channel_period",
        "sentiment_first_texts_period",
        "insight_recovery_response_bucket",  # recovery by first-response time (the insights section)
    ),
    "SLA": (
        "sla_attainment_daily",
        "sla_attainment_channel_priority",
        "sla_first_response_bin",
        ("sla_breaches_conversation", {"incident_id": "", "limit": BREACH_LIST_LIMIT}),
        # Sections added below the breach list (status bars, at-risk-now, influencer triage).
        "insight_sla_status_period",
        "insight_sla_at_risk_now",
        "insight_influencer_share_period",
        ("insight_influencer_open_list", {"limit": BREACH_LIST_LIMIT}),
    ),
    "Channels": (
        "channel_kpis_incident_vs_normal",
        "channel_uplift_incident",
    ),
    # The heaviest first load: a link that opens a conversation runs the search and the thread.
    "Conversations": (
        ("conversation_search_list", SEARCH_DEFAULTS),
        "conversation_facts_one",
        "conversation_thread_messages",
    ),
    "Data": (
        "data_tables_summary",
        "data_volume_daily",
        "data_imports_log",
        "data_import_notes",
        "data_started_outside_count",
        "data_quality_checks",
        "data_analyzers_used",
    ),
}


def calls(page: str) -> list[tuple[str, dict[str, Any]]]:
    """The page's queries as (name, page-level params), frame queries first."""
    listed = (*FRAME_QUERIES, *PAGE_QUERIES[page])
    return [(call, {}) if isinstance(call, str) else (call[0], dict(call[1])) for call in listed]
