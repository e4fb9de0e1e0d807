"""Figures for the Volume & workload page: arrivals by channel, the weekly pattern, backlog, load and staffing.

Plain Python (no streamlit); colours, layout and incident shading come from dashboard.charts.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts import (
    ACTUAL_COLOR,
    EXPECTED_COLOR,
    INCIDENT_COLOR,
    channel_color,
    clip,
    expected_band,
    expected_line,
    hour_title,
    rgba,
    shade_incidents,
    style,
)
from dashboard.core import safe_text

BACKLOG_COLOR = "#5F7A8C"


def _timeline(fig: go.Figure, incidents: pd.DataFrame, selected_id: str | None, x_range: Iterable | None) -> go.Figure:
    """Shade incidents, unify hover along x and zoom to the window (None = the whole range)."""
    shade_incidents(fig, incidents, selected_id)
    fig.update_layout(hovermode="x unified")
    if x_range is not None:
        fig.update_xaxes(range=list(x_range))
    return fig


def arrivals_by_channel(
    by_channel: pd.DataFrame,
    expected: pd.DataFrame,
    incidents: pd.DataFrame,
    selected_id: str | None = None,
    x_range: Iterable | None = None,
    tz: str = "UTC",
) -> go.Figure:
    """Stacked hourly arrivals per channel over the total's expected ± 2 sd band, the expected line on top."""
    by_channel, expected = clip(by_channel, x_range), clip(expected, x_range)
    fig = go.Figure()
    expected_band(fig, expected)
    for channel, rows in by_channel.groupby("channel", sort=True):
        fig.add_scatter(
            x=rows["hour_at"],
            y=rows["conversation_count"],
            name=channel,
            mode="lines",
            stackgroup="arrivals",
            line={"width": 0.5, "color": channel_color(channel)},
            fillcolor=rgba(channel_color(channel), 0.8),
            hovertemplate=f"{safe_text.plot(channel)}: %{{y:,}}<extra></extra>",
        )
    expected_line(fig, expected)
    style(
        fig, "Arrivals per hour by channel, against expected (all channels)", hour_title(tz), "Conversations per hour"
    )
    return _timeline(fig, incidents, selected_id, x_range)


def weekday_hour_heatmap(weekly: pd.DataFrame, tz: str = "UTC") -> go.Figure:
    """Average arrivals per hour for each weekday x hour of day (Monday on top)."""
    grid = weekly.pivot(index="weekday", columns="hour_of_day", values="avg_conversations_per_hour").sort_index()
    hours = weekly.pivot(index="weekday", columns="hour_of_day", values="hour_count").reindex_like(grid)
    names = weekly.drop_duplicates("weekday").set_index("weekday")["weekday_name"].reindex(grid.index)
    fig = go.Figure(
        go.Heatmap(
            z=grid.to_numpy(),
            x=[f"{hour:02d}:00" for hour in grid.columns],
            y=list(names),
            customdata=hours.to_numpy(),
            colorbar={"title": {"text": "Conversations<br>per hour"}},
            hovertemplate="%{y} %{x}: %{z:.1f} conversations per hour on average "
            "(over %{customdata} hours)<extra></extra>",
            xgap=1,
            ygap=1,
        )
    )
    style(fig, "Average arrivals per hour, by weekday and hour of day", f"Hour of day ({tz})", "Weekday", height=340)
    fig.update_yaxes(autorange="reversed", rangemode=None)
    return fig


def _hourly_line(
    frame: pd.DataFrame,
    column: str,
    trace: dict,
    titles: tuple[str, str],
    shading: tuple[pd.DataFrame, str | None, Iterable | None, str],
    customdata: list[str] | None = None,
) -> go.Figure:
    """One hourly line of `column` (trace: name, line, hovertemplate...), titled (chart, y axis), incidents shaded."""
    incidents, selected_id, x_range, tz = shading
    frame = clip(frame, x_range)
    extra = {"customdata": frame[customdata]} if customdata else {}
    fig = go.Figure(go.Scatter(x=frame["hour_at"], y=frame[column], mode="lines", **trace, **extra))
    style(fig, titles[0], hour_title(tz), titles[1], height=320)
    return _timeline(fig, incidents, selected_id, x_range)


def backlog(
    workload: pd.DataFrame,
    incidents: pd.DataFrame,
    selected_id: str | None = None,
    x_range: Iterable | None = None,
    tz: str = "UTC",
) -> go.Figure:
    """Conversations waiting for a first reply at the top of each hour."""
    trace = {
        "name": "Waiting for a first reply",
        "line": {"color": BACKLOG_COLOR, "width": 1.8},
        "fill": "tozeroy",
        "hovertemplate": "%{y:,} conversations waiting<extra></extra>",
    }
    titles = ("Open backlog: conversations waiting for a first reply", "Conversations waiting")
    return _hourly_line(workload, "open_backlog_count", trace, titles, (incidents, selected_id, x_range, tz))


def load_per_agent(
    workload: pd.DataFrame,
    incidents: pd.DataFrame,
    selected_id: str | None = None,
    x_range: Iterable | None = None,
    tz: str = "UTC",
) -> go.Figure:
    """Conversations first-answered per answering agent in each hour."""
    trace = {
        "name": "Answered per agent",
        "line": {"color": ACTUAL_COLOR, "width": 1.8},
        "hovertemplate": "%{y:.1f} per agent (%{customdata[0]:,} answered by %{customdata[1]} agents)<extra></extra>",
    }
    titles = ("Load per agent-hour: conversations answered per agent", "Conversations per agent-hour")
    shading = (incidents, selected_id, x_range, tz)
    counts = ["answered_count", "answering_agent_count"]
    return _hourly_line(workload, "answered_per_agent", trace, titles, shading, counts)


def staffing(
    plan: pd.DataFrame,
    incidents: pd.DataFrame,
    selected_id: str | None = None,
    x_range: Iterable | None = None,
    tz: str = "UTC",
    answered: bool = True,
) -> go.Figure:
    """Agents needed each hour (Erlang C) against the agents who answered that hour (when the data names agents)."""
    plan = clip(plan, x_range)
    fig = go.Figure()
    fig.add_scatter(
        x=plan["hour_at"],
        y=plan["agents_needed"],
        name="Agents needed (Erlang C)",
        mode="lines",
        line={"shape": "hv", "color": INCIDENT_COLOR, "width": 2},
        customdata=plan[["arrival_count", "traffic_erlangs"]],
        hovertemplate="Needed %{y} (%{customdata[0]:,} arrivals, %{customdata[1]:.1f} Erlangs)<extra></extra>",
    )
    if answered:
        fig.add_scatter(
            x=plan["hour_at"],
            y=plan["answering_agent_count"],
            name="Agents who answered",
            mode="lines",
            line={"shape": "hv", "color": EXPECTED_COLOR, "width": 1.5},
            hovertemplate="Answered by %{y} agents<extra></extra>",
        )
    title = "Agents needed to meet the SLA target" + (" against agents who answered" if answered else "")
    style(fig, title, hour_title(tz), "Agents")
    return _timeline(fig, incidents, selected_id, x_range)
