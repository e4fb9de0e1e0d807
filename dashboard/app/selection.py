"""From a chart to the conversations behind it: selections become narrower filter parameters (plain Python).

A Plotly selection (a clicked point or a dragged box) names x values: a time bucket (an hour, a day) or a category
(a channel, an account, a priority). `bucket_params` intersects that bucket with the page's filters, and
queries/conversation_export_list.sql lists the conversations, one row each. dashboard/app/drilldown.py draws it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

import pandas as pd
import plotly.graph_objects as go

from dashboard.core import safe_text, timezones

EXPORT_QUERY = "conversation_export_list"
LIST_LIMIT = 500  # rows shown under a chart; the CSV holds every conversation of the bucket
EXPORT_LIMIT = 1_000_000
CATEGORY_PARAMS = {"channel": "channels", "account": "accounts", "priority": "priorities"}
CONVERSATIONS_PAGE = "conversations"  # the URL path of pages/conversations.py


def clickable(fig: go.Figure) -> go.Figure:
    """Give line-only traces invisible markers: Plotly selects points, so a bare line cannot be clicked."""
    for trace in fig.data:
        if trace.type == "scatter" and trace.mode == "lines" and trace.hoverinfo != "skip":
            trace.update(mode="lines+markers", marker={"size": 8, "opacity": 0})
    return fig


def selected_values(selection: Mapping[str, Any] | None, axis: str = "x") -> list[Any]:
    """The x (or y) values of the selected points, else the ends of a dragged box; empty when nothing is selected."""
    if not selection:
        return []
    values = [point[axis] for point in selection.get("points", []) if point.get(axis) is not None]
    if not values:
        values = [value for box in selection.get("box", []) for value in box.get(axis, [])]
    return [safe_text.unescape(value) for value in values]  # drawn figures hold escaped text (safe_text.safe_figure)


def selected_points(selection: Mapping[str, Any] | None, fig: go.Figure) -> list[dict[str, Any]]:
    """Each selected point as {x, y, trace}, trace being the name of the series (trace) it belongs to."""
    points = []
    for point in (selection or {}).get("points", []):
        curve = point.get("curve_number", point.get("curveNumber"))
        name = fig.data[curve].name if isinstance(curve, int) and 0 <= curve < len(fig.data) else None
        x, y, name = (safe_text.unescape(value) for value in (point.get("x"), point.get("y"), name))
        points.append({"x": x, "y": y, "trace": name})
    return points


def trace_categories(
    points: Iterable[Mapping[str, Any]], category: str, allowed: Iterable[str]
) -> dict[str, list[str]]:
    """{category: the allowed trace names among the points}, or {} when none is (a series per channel, say)."""
    allowed = set(allowed)
    names = sorted({point["trace"] for point in points if point["trace"] in allowed})
    return {category: names} if names else {}


def time_window(values: Iterable[Any], grain: str) -> tuple[datetime, datetime] | None:
    """The buckets (grain: 'h' or 'D') spanned by selected time values, as [start, end); None when none."""
    stamps = [pd.Timestamp(value) for value in values]
    if not stamps:
        return None
    start = min(stamps).floor(grain)
    end = max(stamps).floor(grain) + pd.Timedelta(1, unit=grain)
    return start.to_pydatetime(), end.to_pydatetime()


def bucket_params(
    params: Mapping[str, Any],
    window: tuple[datetime, datetime] | None = None,
    period: str = "",
    limit: int = LIST_LIMIT,
    **categories: Iterable[str],
) -> dict[str, Any]:
    """The export query's parameters: the page filters narrowed to a time window and categories.

    period is '' (any), 'none' (normal time only) or an incident id. categories are channel=, account= or
    priority= values; each is intersected with the page's choice, so a bucket never widens the filters.
    """
    out = {key: params[key] for key in ("start_at", "end_at", "channels", "accounts", "priorities")}
    if window is not None:
        out["start_at"] = max(pd.Timestamp(out["start_at"]), pd.Timestamp(window[0])).to_pydatetime()
        out["end_at"] = min(pd.Timestamp(out["end_at"]), pd.Timestamp(window[1])).to_pydatetime()
    for name, chosen in categories.items():
        key = CATEGORY_PARAMS[name]
        out[key] = tuple(value for value in out[key] if value in set(chosen))
    out.update({"incident_id": period, "limit": limit})
    return {key: tuple(value) if isinstance(value, list) else value for key, value in out.items()}


def describe_bucket(params: Mapping[str, Any], base: Mapping[str, Any], tz: str = "UTC") -> str:
    """A short plain description of how a bucket narrows the page's filters (times in display time zone `tz`)."""
    start, end = (timezones.to_local(params[key], tz) for key in ("start_at", "end_at"))
    parts = [f"started {start:%d %b %Y %H:%M} to {end:%d %b %H:%M} {tz}"]
    for key in CATEGORY_PARAMS.values():
        if tuple(params[key]) != tuple(base[key]):
            parts.append(f"{key}: {', '.join(params[key]) or 'none'}")
    if params.get("incident_id") == "none":
        parts.append("normal time only")
    elif params.get("incident_id"):
        parts.append(f"incident {params['incident_id']}")
    return "; ".join(parts)


def conversation_link(conversation_id: str, query_params: Mapping[str, str]) -> str:
    """A relative link that opens one thread on the Conversations page with the current filters kept."""
    return f"{CONVERSATIONS_PAGE}?{urlencode({**query_params, 'conversation': conversation_id})}"


def with_links(frame: pd.DataFrame, query_params: Mapping[str, str]) -> pd.DataFrame:
    """The frame with an `open` column of links to each conversation's thread (first column)."""
    out = frame.copy()
    out.insert(0, "open", [conversation_link(cid, query_params) for cid in out["conversation_id"]])
    return out


def export_csv(frame: pd.DataFrame) -> bytes:
    """CSV bytes of an export frame, one row per conversation (the match_count helper column dropped)."""
    return safe_text.csv_bytes(frame.drop(columns=["match_count"], errors="ignore"))
