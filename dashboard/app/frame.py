"""The frame every page shares: page config, navigation, the shared filters (kept in the URL) and small widgets.

Pages call `page_frame(title)` first (the title they have in the page registry, pages.py) and get the Filters back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, replace
from datetime import date, datetime
from functools import partial
from typing import cast

import pandas as pd
import streamlit as st

from dashboard.app import data, filters
from dashboard.app.drilldown import export_button
from dashboard.app.filters import Filters, Options
from dashboard.app.login import require_login
from dashboard.app.pages import PAGES
from dashboard.charts import GAPS_ATTR
from dashboard.core import safe_text, timezones

APP_NAME = "Care incident analytics"
URL_STATE = "_filters_in_url"  # the filter parameters this session last wrote to the URL
VIEW_WINDOW = "_view_window"  # this run's filtered range (naive UTC), for gap shading


def _incident_label(incidents: pd.DataFrame) -> Callable[[str], str]:
    titles = {
        row.incident_id: f"{row.title} ({pd.Timestamp(row.started_at):%d %b %Y})" for row in incidents.itertuples()
    }
    return lambda incident_id: "None (normal time only)" if incident_id == filters.NO_INCIDENT else titles[incident_id]


def _seed_widgets(current: Filters, opts: Options, from_url: bool) -> None:
    """Give each filter widget its value from the URL when the URL changed (first visit, a link, back/forward);
    otherwise keep what the user set in this session."""
    values = {
        "filter_days": (current.first_day, current.last_day),
        "filter_channels": list(current.channels),
        "filter_accounts": list(current.accounts),
        "filter_priorities": list(current.priorities),
        "filter_incident": current.incident_id or filters.NO_INCIDENT,
        "filter_tz": current.tz,
    }
    for key, value in values.items():
        if from_url:
            st.session_state[key] = value
        else:
            st.session_state.setdefault(key, value)
    # Another time zone can move the data's first or last day: keep the chosen days inside the picker's range.
    days = [min(max(day, opts.first_day), opts.last_day) for day in st.session_state["filter_days"]]
    st.session_state["filter_days"] = tuple(days)


def _filter_widgets(opts: Options, tz: str) -> Filters:
    """Draw the filters in the sidebar and return what they say."""
    incidents = local_incidents(tz)  # the picker shows each start date on the local calendar
    days = st.date_input(
        f"Date range ({tz})",
        key="filter_days",
        min_value=opts.first_day,
        max_value=opts.last_day,
        help="Conversations that started on these days (inclusive), in the display time zone.",
    )
    chosen = cast("tuple[date, ...]", days)  # a range: the widget's value is session_state["filter_days"], a tuple
    first, last = (chosen[0], chosen[-1]) if len(chosen) else opts.default_days
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
        tz=tz,
    )


def _time_zone(url: dict[str, str], from_url: bool) -> str:
    """The display time zone: the URL's when it just changed, else the picker's (drawn at the foot of the sidebar)."""
    return timezones.valid(url.get("tz") if from_url else st.session_state.get("filter_tz", url.get("tz")))


def _sync_url(link_params: dict[str, str]) -> None:
    """Write the filters into the URL, leaving a page's own parameters (such as `conversation`) alone."""
    for key in filters.URL_KEYS:
        if key in link_params:
            if st.query_params.get(key) != link_params[key]:
                st.query_params[key] = link_params[key]
        elif key in st.query_params:
            del st.query_params[key]
    st.session_state[URL_STATE] = link_params


def page_frame(title: str, caption: str | None = None) -> Filters:
    """Set up a page: config, demo data on first start, navigation and shared filters; return the filters.

    The URL is the source of truth when it changes from outside (a shared link, a link between pages, back and
    forward); a change made with the widgets is written back to the URL, so a copied link reproduces the view.
    """
    st.set_page_config(page_title=f"{title} · {APP_NAME}", layout="wide")
    require_login(APP_NAME)  # every page: nothing below runs for a visitor who is not let in
    data.guarded(data.ensure_database)
    url = {key: value for key, value in st.query_params.to_dict().items() if key in filters.URL_KEYS}
    from_url = st.session_state.get(URL_STATE) != url
    tz = _time_zone(url, from_url)
    opts = data.options(tz)
    if opts is None:
        st.title(title)
        st.info("The database holds no conversations yet. Import data with `python -m dashboard import ...`.")
        st.stop()
    _seed_widgets(filters.from_query_params({**url, "tz": tz}, opts), opts, from_url)
    with st.sidebar:
        st.markdown(f"### {APP_NAME}")
        nav = st.container()
        st.divider()
        chosen = _filter_widgets(opts, tz)
        st.selectbox(
            "Time zone",
            timezones.choices(),
            key="filter_tz",
            help="Hours, days and times on every page are shown in this zone (the data is stored in UTC). "
            "Type to search, e.g. Zurich.",
        )
        export_button(chosen, "conversations_in_view", "Conversations in this view (CSV)")
    st.session_state[VIEW_WINDOW] = (chosen.start_at, chosen.end_at)
    link_params = chosen.to_query_params(opts)
    with nav:
        for page in PAGES:
            st.page_link(page.file, label=page.title, icon=page.icon, query_params=link_params)
    _sync_url(link_params)
    st.title(title)
    if caption:
        st.caption(caption)
    return chosen


def local_incidents(tz: str) -> pd.DataFrame:
    """Every incident (incidents_list) with its window in display time zone `tz`, for shading charts and the picker;
    the collection-gap days ride along (attrs[charts.GAPS_ATTR]) so every chart that shades incidents shades gaps."""
    incidents = timezones.local_columns(data.query("incidents_list"), tz, "started_at", "ended_at")
    gaps = local_gaps(tz, *st.session_state.get(VIEW_WINDOW, (None, None)))
    incidents.attrs[GAPS_ATTR] = tuple(zip(gaps["started_at"], gaps["ended_at"], strict=True))
    return incidents


def local_gaps(tz: str, start_at: datetime | None = None, end_at: datetime | None = None) -> pd.DataFrame:
    """The collection-gap days (coverage_status_daily) touching [start_at, end_at) (naive UTC; all when None), with
    their start and end in display time zone `tz` (a shape outside the view would stretch a chart's axis)."""
    days = data.query("coverage_status_daily")
    days = days[days["status"] == "gap"]
    if start_at is not None and end_at is not None:
        days = days[(days["ended_at"] > pd.Timestamp(start_at)) & (days["started_at"] < pd.Timestamp(end_at))]
    return timezones.local_columns(days, tz, "started_at", "ended_at")


def metric_grid(tiles: list, per_row: int = 4) -> None:
    """KPI tiles (summary.Tile) in bordered rows; four a row keeps the normal-time comparison readable on a laptop."""
    for start in range(0, len(tiles), per_row):
        for column, tile in zip(st.columns(per_row), tiles[start : start + per_row], strict=False):
            column.metric(**asdict(tile), border=True)


def download_csv(frame: pd.DataFrame, name: str, label: str = "Download CSV") -> None:
    """A button that downloads exactly the numbers shown, as formula-safe CSV, built only when clicked."""
    st.download_button(
        label,
        partial(safe_text.csv_bytes, frame.copy(deep=False)),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"dl_{name}",
        on_click="ignore",
    )


def has_rows(frame: pd.DataFrame, message: str = "No conversations match these filters.") -> bool:
    """False (after a friendly note) when a result is empty."""
    if frame is None or frame.empty:
        st.info(message)
        return False
    return True


def stray_rows(coverage: pd.DataFrame, current: Filters) -> None:
    """The stray days (conversations outside the dense span) and a link that opens the view on the whole range."""
    strays = coverage[coverage["status"] == "stray"]
    if strays.empty:
        return
    opts = data.options(current.tz)
    assert opts is not None  # stray days mean there are conversations, so options exist
    st.markdown(
        f"**{int(strays['arrival_count'].sum()):,} stray conversation(s)** on {len(strays):,} day(s) outside the dense "
        f"span: the default date range leaves them out so they do not stretch every chart."
    )
    whole = replace(current, first_day=opts.first_day, last_day=opts.last_day)
    if current.first_day <= opts.first_day and current.last_day >= opts.last_day:
        st.caption("This view includes them (the whole date range).")
    else:
        st.page_link(
            "pages/data.py",
            label=f"Include them: show {opts.first_day:%Y-%m-%d} to {opts.last_day:%Y-%m-%d}",
            icon=":material/date_range:",
            query_params=whole.to_query_params(opts),
        )
    with st.expander("Stray days"):
        st.dataframe(
            strays[["day", "arrival_count"]],
            hide_index=True,
            column_config={
                "day": st.column_config.DateColumn("Day (UTC)"),
                "arrival_count": st.column_config.NumberColumn("Conversations", format="localized"),
            },
        )
