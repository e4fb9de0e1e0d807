"""Page-side drill-down: a chart whose selection lists the conversations behind it, and a one-row-per-conversation
CSV export of any filtered view. A UI module (imports streamlit); the logic lives in dashboard/app/selection.py.

Use on any page:
    drill_chart(fig, "sla_daily", filters, grain="D")         # click a day: its conversations, linked to threads
    drill_chart(fig, "arrivals", filters, trace_category="channel")  # ... of the clicked series' channel only
    drill_bars(fig, "uplift", filters, bucket)                # click bars: bucket(point) -> (period, categories)
    export_button(filters, "volume_conversations")            # every conversation in the filters, as CSV
    show_conversations(filters, "by_channel", channel=["chat"])  # a category bucket (channel, account, priority)
    linked_table(frame, filters, "my_list")                   # any frame with conversation_id, linked to threads
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from functools import partial
from typing import Any, Literal

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard.app import data
from dashboard.app import selection as picks
from dashboard.app.filters import Filters
from dashboard.core import safe_text, timezones
from dashboard.db import sql

HINT = "Click a point, or drag a box (box select in the chart's toolbar), to list the conversations behind it."
BAR_HINT = "Click a bar (shift-click for more) to list the conversations behind it."
# A selected point -> (period: '' any, 'none' normal time or an incident id; {category: value}), None if not a bucket.
Bucket = Callable[[Mapping[str, Any]], tuple[str, dict[str, str]] | None]
SelectionMode = Literal["lasso", "points", "box"]


def _selection(fig: go.Figure, key: str, modes: tuple[SelectionMode, ...]) -> Mapping[str, Any] | None:
    """Draw a chart that reruns the page on selection; what is selected."""
    event = st.plotly_chart(
        safe_text.safe_figure(fig), width="stretch", key=key, on_select="rerun", selection_mode=modes
    )
    return event.get("selection") if event else None


def drill_chart(
    fig: go.Figure, key: str, filters: Filters, grain: str = "h", period: str = "", trace_category: str | None = None
) -> None:
    """Draw a Plotly chart; a clicked point or dragged box lists that time bucket's conversations below it.

    With trace_category (e.g. "channel"), series named after a channel narrow the list to the selected ones.
    """
    fig = picks.clickable(fig)
    selection = _selection(fig, key, ("points", "box"))
    window = picks.time_window(picks.selected_values(selection), grain)
    if window is None:
        st.caption(HINT)
        return
    window = (timezones.to_utc(window[0], filters.tz), timezones.to_utc(window[1], filters.tz))  # chart hours are local
    categories = {}
    if trace_category:
        allowed = getattr(filters, picks.CATEGORY_PARAMS[trace_category])
        categories = picks.trace_categories(picks.selected_points(selection, fig), trace_category, allowed)
    show_conversations(filters, key, window=window, period=period, **categories)


def drill_bars(fig: go.Figure, key: str, filters: Filters, bucket: Bucket) -> None:
    """Draw a bar chart; the clicked bars of one period list their conversations below it."""
    selection = _selection(fig, key, ("points",))
    buckets = [found for found in map(bucket, picks.selected_points(selection, fig)) if found]
    if not buckets:
        st.caption(BAR_HINT)
        return
    period = buckets[0][0]
    categories: dict[str, list[str]] = {}
    for _, values in (found for found in buckets if found[0] == period):
        for name, value in values.items():
            categories.setdefault(name, []).append(value)
    show_conversations(filters, key, window=None, period=period, **categories)


def show_conversations(
    filters: Filters,
    key: str,
    window: tuple[datetime, datetime] | None = None,
    period: str = "",
    **categories: Iterable[str],
) -> None:
    """List a bucket's conversations (newest first, each linking to its thread) with a CSV of all of them."""
    base = filters.params()
    params = picks.bucket_params(base, window, period, picks.LIST_LIMIT, **categories)
    found = data.query(picks.EXPORT_QUERY, **params)
    total = int(found["match_count"].iloc[0]) if len(found) else 0
    st.markdown(f"**{total:,} conversations** · {safe_text.md(picks.describe_bucket(params, base, filters.tz))}")
    if not total:
        return
    if total > len(found):
        st.caption(f"The newest {len(found):,} are listed; the CSV holds all {total:,}.")
    linked_table(found.drop(columns=["match_count"]), filters, f"{key}_rows")
    export_button(filters, f"{key}_conversations", "These conversations (CSV)", window, period, **categories)


def link_params(filters: Filters) -> dict[str, str]:
    """The URL parameters that reproduce `filters` on any page (for links that add their own, e.g. a conversation)."""
    opts = data.options(filters.tz)
    return filters.to_query_params(opts) if opts else {}


def linked_table(frame: pd.DataFrame, filters: Filters, key: str, **column_config: Any) -> None:
    """A table of conversations whose first column opens each thread on the Conversations page (filters kept)."""
    st.dataframe(
        picks.with_links(timezones.local_columns(frame, filters.tz, "started_at"), link_params(filters)),
        hide_index=True,
        placeholder="—",
        width="stretch",
        height=min(300, 38 + 35 * len(frame)),
        key=key,
        column_config={
            "open": st.column_config.LinkColumn(
                "Thread", display_text=":material/forum:", width="small", help="Open the thread"
            ),
            "started_at": st.column_config.DatetimeColumn(f"Started ({filters.tz})", format="YYYY-MM-DD HH:mm"),
            "first_response_minutes": st.column_config.NumberColumn("First response (min)", format="%.0f"),
            "resolution_minutes": st.column_config.NumberColumn("Resolution (min)", format="%.0f"),
            "minutes_waiting": st.column_config.NumberColumn("Waiting so far (min)", format="%.0f"),
            "follower_count": st.column_config.NumberColumn("Followers", format="localized"),
            **column_config,
        },
    )


def export_button(
    filters: Filters,
    name: str,
    label: str = "Conversations (CSV)",
    window: tuple[datetime, datetime] | None = None,
    period: str = "",
    **categories: Iterable[str],
) -> None:
    """A download of every conversation in the view, one row each; the file is built only when clicked."""
    params = picks.bucket_params(filters.params(), window, period, picks.EXPORT_LIMIT, **categories)
    st.download_button(
        label,
        partial(_export_bytes, params),
        file_name=f"{name}.csv",
        mime="text/csv",
        on_click="ignore",
        key=f"export_{name}",
        help="One row per conversation: ids, times, channel, account, priority, period, sentiment, first response "
        "and SLA status.",
    )


def _export_bytes(params: dict[str, Any]) -> bytes:
    """Run the export query uncached (it can be large) and return its CSV."""
    return picks.export_csv(sql.run_query(data.current_connection(), picks.EXPORT_QUERY, **params))
