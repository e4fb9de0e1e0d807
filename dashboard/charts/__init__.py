"""Shared chart vocabulary: channel and sentiment colours, incident shading, one layout, and the volume timeline.

Plain Python (no streamlit), so figures are tested with pytest. Figures set no template and no font colours: inside
the app Streamlit's own Plotly theme (light or dark) supplies them, and backgrounds stay transparent. Page-specific
builders live in the modules beside this one (volume.py, sentiment.py, operations.py, insights.py, churn.py).

May import: core, metrics.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import plotly.graph_objects as go

from dashboard.core import safe_text

CHANNEL_COLORS = {
    "twitter": "#3B8EDB",
    "messenger": "#8E63D2",
    "instagram": "#D9559B",
    "email": "#E09B2D",
    "chat": "#22A37E",
}
FALLBACK_COLOR = "#8A8F98"
SENTIMENT_COLORS = {
    "negative": "#D9534F",
    "neutral": "#9AA0A6",
    "positive": "#3BA55C",
    "no end sentiment": "#C9B458",
}
INCIDENT_COLOR = "#E4572E"
GAP_COLOR = "#E09B2D"
# The collection gaps, a tuple of (start, end) pairs in the display time zone, attached to the incidents frame's attrs
# by the app (frame.local_incidents), so every chart that shades incidents shades gaps too.
GAPS_ATTR = "coverage_gaps"
EXPECTED_COLOR = "#8A8F98"
ACTUAL_COLOR = "#3B8EDB"


def channel_color(channel: str) -> str:
    """The channel's colour on every page (grey for a channel the palette does not know)."""
    return CHANNEL_COLORS.get(str(channel).lower(), FALLBACK_COLOR)


def rgba(hex_color: str, alpha: float) -> str:
    """A #rrggbb colour with transparency, for bands and fills that read on light and dark backgrounds."""
    red, green, blue = (int(hex_color.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({red},{green},{blue},{alpha})"


def hour_title(tz: str) -> str:
    """The x-axis title of an hourly chart in display time zone `tz`."""
    return f"Hour ({tz})"


def style(fig: go.Figure, title: str, x_title: str | None, y_title: str | None, height: int = 380) -> go.Figure:
    """The common layout: title, axis titles with units, transparent background, legend on top, unified hover."""
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"},
        height=height,
        margin={"l": 10, "r": 10, "t": 70, "b": 10},
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        legend={
            "orientation": "h",
            "yanchor": "bottom",
            "y": 1.0,
            "xanchor": "left",
            "x": 0,
            "title": None,
            "traceorder": "normal",
        },
        hoverlabel={"namelength": -1},
    )
    if x_title is not None:
        fig.update_xaxes(title_text=x_title)
    if y_title is not None:
        fig.update_yaxes(title_text=y_title, rangemode="tozero")
    return fig


def gap_shapes(gaps: Iterable | None) -> tuple[list[dict], list[dict]]:
    """Amber bands over collection gaps ((start, end) pairs), each labelled at the foot: missing data, not a quiet
    day."""
    shapes, labels = [], []
    for start, end in gaps or ():
        x0, x1 = pd.Timestamp(start), pd.Timestamp(end)
        shapes.append(
            {
                "type": "rect",
                "xref": "x",
                "yref": "paper",
                "x0": x0,
                "x1": x1,
                "y0": 0,
                "y1": 1,
                "fillcolor": rgba(GAP_COLOR, 0.22),
                "line": {"width": 0},
                "layer": "below",
            }
        )
        labels.append(
            {
                "x": x0 + (x1 - x0) / 2,
                "xref": "x",
                "y": 0,
                "yref": "paper",
                "text": "gap",
                "hovertext": f"Collection gap {x0:%d %b %Y}: data missing, left out of baselines",
                "showarrow": False,
                "yanchor": "bottom",
                "font": {"size": 10, "color": GAP_COLOR},
            }
        )
    return shapes, labels


def shade_incidents(fig: go.Figure, incidents: pd.DataFrame, selected_id: str | None = None) -> go.Figure:
    """Shade every incident window (the selected one stronger, outlined and labelled with its title) and every
    collection gap the app attached to the frame (incidents.attrs[GAPS_ATTR])."""
    if incidents is None:
        return fig
    shapes, labels = gap_shapes(incidents.attrs.get(GAPS_ATTR))
    for row in incidents.itertuples():
        selected = row.incident_id == selected_id
        x0, x1 = pd.Timestamp(row.started_at), pd.Timestamp(row.ended_at)
        shapes.append(
            {
                "type": "rect",
                "xref": "x",
                "yref": "paper",
                "x0": x0,
                "x1": x1,
                "y0": 0,
                "y1": 1,
                "fillcolor": rgba(INCIDENT_COLOR, 0.28 if selected else 0.12),
                "line": {"color": INCIDENT_COLOR, "width": 1.5 if selected else 0, "dash": "dot"},
                "layer": "below",
            }
        )
        if selected:
            labels.append(
                {
                    "x": x0,
                    "xref": "x",
                    "y": 1,
                    "yref": "paper",
                    "text": safe_text.plot(row.title),  # data: drawn as text, never as a link
                    "showarrow": False,
                    "xanchor": "left",
                    "yanchor": "top",
                    "xshift": 3,
                    "yshift": -4,
                    "font": {"size": 11},
                }
            )
    # one layout update for all of them: add_vrect per incident costs ~20 ms each
    fig.update_layout(shapes=[*fig.layout.shapes, *shapes], annotations=[*fig.layout.annotations, *labels])
    return fig


def focus_window(incidents: pd.DataFrame, selected_id: str | None, days: int = 3) -> list[pd.Timestamp] | None:
    """The x range from `days` before the selected incident to `days` after it; None when nothing is selected."""
    if not selected_id or incidents is None or incidents.empty:
        return None
    chosen = incidents[incidents["incident_id"] == selected_id]
    if chosen.empty:
        return None
    row = chosen.iloc[0]
    margin = pd.Timedelta(days=days)
    return [pd.Timestamp(row["started_at"]) - margin, pd.Timestamp(row["ended_at"]) + margin]


def clip(frame: pd.DataFrame, x_range: Iterable | None, column: str = "hour_at") -> pd.DataFrame:
    """The rows inside the x range (all rows when None): a zoomed chart ships only what it shows."""
    if x_range is None:
        return frame
    start, end = (pd.Timestamp(value) for value in x_range)
    return frame[(frame[column] >= start) & (frame[column] <= end)]


def expected_band(fig: go.Figure, frame: pd.DataFrame, x: str = "hour_at", sds: float = 2.0) -> go.Figure:
    """Add the band expected ± `sds` standard deviations (clipped at zero) from volume_expected_hourly."""
    upper = frame["expected_count"] + sds * frame["expected_sd"]
    lower = (frame["expected_count"] - sds * frame["expected_sd"]).clip(lower=0)
    fig.add_scatter(x=frame[x], y=upper, mode="lines", line={"width": 0}, hoverinfo="skip", showlegend=False)
    fig.add_scatter(
        x=frame[x],
        y=lower,
        mode="lines",
        line={"width": 0},
        fill="tonexty",
        fillcolor=rgba(EXPECTED_COLOR, 0.25),
        name=f"Expected ± {sds:g} sd",
        legendrank=1002,
        hoverinfo="skip",
    )
    return fig


def expected_line(fig: go.Figure, frame: pd.DataFrame, x: str = "hour_at") -> go.Figure:
    """Add the expected volume as a dashed line, its spread in the hover."""
    fig.add_scatter(
        x=frame[x],
        y=frame["expected_count"],
        mode="lines",
        name="Expected",
        legendrank=1001,
        line={"color": EXPECTED_COLOR, "dash": "dash", "width": 1.5},
        customdata=frame[["expected_sd"]],
        hovertemplate="Expected %{y:.1f} (sd %{customdata[0]:.1f})<extra></extra>",
    )
    return fig


def volume_timeline(
    hourly: pd.DataFrame,
    incidents: pd.DataFrame,
    selected_id: str | None = None,
    x_range: Iterable | None = None,
    tz: str = "UTC",
) -> go.Figure:
    """Hourly arrivals: the actual line over the expected band (expected ± 2 sd), incidents shaded; hours in `tz`."""
    hourly = clip(hourly, x_range)
    fig = go.Figure()
    expected_band(fig, hourly)
    expected_line(fig, hourly)
    fig.add_scatter(
        x=hourly["hour_at"],
        y=hourly["conversation_count"],
        mode="lines",
        name="Actual",
        legendrank=999,
        line={"color": ACTUAL_COLOR, "width": 2},
        hovertemplate="Actual %{y:,} conversations<extra></extra>",
    )
    shade_incidents(fig, incidents, selected_id)
    style(fig, "Arrivals per hour: actual against expected", hour_title(tz), "Conversations per hour")
    fig.update_layout(hovermode="x unified")
    if x_range is not None:
        fig.update_xaxes(range=list(x_range))
    return fig
