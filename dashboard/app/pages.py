"""The one page registry: every page's file, title, icon, URL path and the queries it runs on first load.

Plain Python (no streamlit). Navigation (frame.py), the benchmark (bench.py) and the tests all read PAGES, so a page
added here appears in the sidebar, is timed and is smoke-tested. A query is named alone, or as (name, {param: value})
when the page passes something other than the shared filters. Every page also runs the frame's queries
(FRAME_QUERIES) through frame.page_frame, whose title must be the page's title here.
"""

from __future__ import annotations

from dataclasses import dataclass
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


@dataclass(frozen=True)
class Page:
    """One page: its script, the title its frame shows (and the sidebar lists), icon, URL path, first-load queries."""

    file: str  # relative to the project folder
    title: str
    icon: str
    url_path: str  # Streamlit's: "" for the entry page, else the file name without .py
    queries: tuple[QueryCall, ...]


PAGES: tuple[Page, ...] = (
    # Overview also builds the summary and tiles in Python from these (cheap); the report downloads run on click.
    Page(
        "streamlit_app.py",
        "Overview",
        ":material/dashboard:",
        "",
        (
            "volume_expected_hourly",
            "kpi_incident_vs_normal",
            "volume_uplift_incident",
            "customer_at_risk_period",
            "kpi_like_for_like_period",  # the like-for-like table (drill-down queries run only on a selection)
        ),
    ),
    # The staffing estimate (Erlang C over the hourly workload) is computed in Python from workload_load_hourly.
    Page(
        "pages/volume.py",
        "Volume & workload",
        ":material/show_chart:",
        "volume",
        (
            "volume_arrivals_hourly_channel",
            "volume_expected_hourly",
            "volume_arrivals_weekday_hour",
            "workload_load_hourly",
            "workload_handle_time_overall",
            "workload_agent_ids_coverage",
        ),
    ),
    # Surging terms are scored in Python (terms.surging_terms) over sentiment_first_texts_period's distinct texts.
    Page(
        "pages/sentiment.py",
        "Sentiment flow",
        ":material/sentiment_dissatisfied:",
        "sentiment",
        (
            "sentiment_flow_period",
            "sentiment_negative_share_daily",
            "sentiment_recovery_channel_period",
            "sentiment_first_texts_period",
            "sentiment_recovery_response_bucket",  # recovery by first-response time (the insights section)
        ),
    ),
    Page(
        "pages/sla.py",
        "SLA",
        ":material/timer:",
        "sla",
        (
            "sla_attainment_daily",
            "sla_attainment_channel_priority",
            "sla_first_response_bin",
            ("sla_breaches_conversation", {"incident_id": "", "limit": BREACH_LIST_LIMIT}),
            # Sections below the breach list (status bars, at-risk-now, influencer triage).
            "sla_status_period",
            "sla_at_risk_now",
            "influencer_share_period",
            ("influencer_open_list", {"limit": BREACH_LIST_LIMIT}),
        ),
    ),
    # Scores customers now with the cached model (not timed here); with an incident selected it scores the features
    # twice more, just before the incident and a day after it (churn_features_customer at other times).
    Page(
        "pages/churn.py",
        "Churn risk",
        ":material/person_remove:",
        "churn",
        (
            "churn_data_window",
            "churn_features_customer",
            "churn_contacts_customer",
            "churn_after_contact_rates",
            "churn_exposure_group",
        ),
    ),
    Page(
        "pages/channels.py",
        "Channels",
        ":material/hub:",
        "channels",
        ("channel_kpis_incident_vs_normal", "channel_uplift_incident"),
    ),
    # Time to recover reads hourly measures on UTC hours; the alert backtest replays the last 30 days (timed here
    # over the whole range, an upper bound); then the chosen incident's report.
    Page(
        "pages/incidents.py",
        "Incidents",
        ":material/warning:",
        "incidents",
        (
            "incident_headlines_list",
            ("volume_expected_hourly", {"tz": "UTC"}),
            ("recovery_measures_hourly", {"tz": "UTC"}),
            "alert_data_bounds",
            "alert_backtest_hourly",
            "kpi_incident_vs_normal",
            "volume_uplift_incident",
            "customer_at_risk_period",
            "incident_volume_hourly",
            "sentiment_first_texts_period",
        ),
    ),
    # The heaviest first load: a link that opens a conversation runs the search and the thread.
    Page(
        "pages/conversations.py",
        "Conversations",
        ":material/forum:",
        "conversations",
        (
            ("conversation_search_list", SEARCH_DEFAULTS),
            "conversation_facts_one",
            "conversation_thread_messages",
        ),
    ),
    Page(
        "pages/data.py",
        "Data",
        ":material/database:",
        "data",
        (
            "table_rows_list",
            "volume_arrivals_daily",
            "coverage_status_daily",
            "import_log_list",
            "import_notes_list",
            "conversation_started_outside_overall",
            "quality_checks_list",
            "sentiment_analyzers_list",
        ),
    ),
)


def page(title: str) -> Page:
    """The registered page with this title (KeyError names the unknown title)."""
    for entry in PAGES:
        if entry.title == title:
            return entry
    raise KeyError(f"no page titled {title!r} in dashboard/app/pages.py")


def calls(title: str) -> list[tuple[str, dict[str, Any]]]:
    """The page's queries as (name, page-level params), frame queries first."""
    listed = (*FRAME_QUERIES, *page(title).queries)
    return [(call, {}) if isinstance(call, str) else (call[0], dict(call[1])) for call in listed]
