"""The frame every page shares: page config, navigation, the shared filters (kept in the URL) and small widgets.

With data.py, the only module that imports streamlit. Pages call `page_frame(title)` first and get the Filters back.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from dashboard import data, filters
from dashboard.filters import Filters, Options

PAGES = (
    ("streamlit_app.py", "Overview"),
    ("pages/volume.py", "Volume & workload"),
    ("pages/sentiment.py", "Sentiment flow"),
    ("pages/sla.py", "SLA"),
    ("pages/churn.py", "Churn risk"),
    ("pages/channels.py", "Channels"),
    ("pages/incidents.py", "Incidents"),
    ("pages/conversations.py", "Conversations"),
    ("pages/data.py", "Data"),
)
APP_NAME = "Care incident analytics"


def _incident_label(incidents: pd.DataFrame) -> Callable[[str], str]:
    titles = {
        row.incident_id: f"{row.title} ({pd.Timestamp(row.started_at):%d %b %Y})" for row in incidents.itertuples()
    }
    return lambda incident_id: "None (normal time only)" if incident_id == filters.NO_INCIDENT else titles[incident_id]


def _seed_widgets(current: Filters) -> None:
    """Give each filter widget its value from the URL, unless the user already set it in this page run."""
    defaults = {
        "filter_days": (current.first_day, current.last_day),
        "filter_channels": list(current.channels),
        "filter_accounts": list(current.accounts),
        "filter_priorities": list(current.priorities),
        "filter_incident": current.incident_id or filters.NO_INCIDENT,
    }
    for key, value in defaults.items():
        st.session_state.setdefault(key, value)


def _filter_widgets(opts: Options) -> Filters:
    """Draw the filters in the sidebar and return what they say."""
    incidents = data.query("incidents_list")
    days = st.date_input(
        "Date range (UTC)",
        key="filter_days",
        min_value=opts.first_day,
        max_value=opts.last_day,
        help="Conversations that started on these days (inclusive).",
    )
    first, last = (days[0], days[-1]) if len(days) else (opts.first_day, opts.last_day)
    incident = st.selectbox(
        "Incident",
        (*opts.incident_ids, filters.NO_INCIDENT),
        key="filter_incident",
        format_func=_incident_label(incidents),
        help="The incident compared with normal time: conversations starting inside its window versus all "
        "conversations outside every incident.",
    )
    channels = st.multiselect("Channels", opts.channels, key="filter_channels", help="Empty means all channels.")
    accounts = st.multiselect("Accounts", opts.accounts, key="filter_accounts", help="Empty means all accounts.")
    priorities = st.multiselect("Priority", opts.priorities, key="filter_priorities", help="Empty means all.")
    return Filters(
        first_day=first,
        last_day=last,
        channels=tuple(channels) or opts.channels,
        accounts=tuple(accounts) or opts.accounts,
        priorities=tuple(priorities) or opts.priorities,
        incident_id=None if incident == filters.NO_INCIDENT else incident,
    )


def page_frame(title: str, caption: str | None = None) -> Filters:
    """Set up a page: config, demo data on first start, navigation and shared filters; return the filters."""
    st.set_page_config(page_title=f"{title} · {APP_NAME}", layout="wide")
    data.ensure_database()
    opts = data.options()
    if opts is None:
        st.title(title)
        st.info("The database holds no conversations yet. Import data with `python -m dashboard import ...`.")
        st.stop()
    _seed_widgets(filters.from_query_params(st.query_params.to_dict(), opts))
    with st.sidebar:
        st.markdown(f"### {APP_NAME}")
        nav = st.container()
        st.divider()
        chosen = _filter_widgets(opts)
    link_params = chosen.to_query_params(opts)
    with nav:
        for path, label in PAGES:
            st.page_link(path, label=label, query_params=link_params)
    if st.query_params.to_dict() != link_params:
        st.query_params.from_dict(link_params)
    st.title(title)
    if caption:
        st.caption(caption)
    return chosen


def download_csv(frame: pd.DataFrame, name: str, label: str = "Download CSV") -> None:
    """A button that downloads exactly the numbers shown, as CSV."""
    st.download_button(
        label, frame.to_csv(index=False).encode("utf-8"), file_name=f"{name}.csv", mime="text/csv", key=f"dl_{name}"
    )


def has_rows(frame: pd.DataFrame, message: str = "No conversations match these filters.") -> bool:
    """False (after a friendly note) when a result is empty."""
    if frame is None or frame.empty:
        st.info(message)
        return False
    return True
