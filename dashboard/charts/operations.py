"""Charts and table shapes for the operations pages: SLA, Channels and Data.

Plain Python (no streamlit). Colours, incident shading and the common layout come from the charts package
(dashboard/charts/__init__.py), so a channel has the same colour on every page and figures follow Streamlit's light or
dark theme.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts import ACTUAL_COLOR, EXPECTED_COLOR, INCIDENT_COLOR, channel_color, rgba, shade_incidents, style
from dashboard.core import display, safe_text
from dashboard.core.definitions import SLA_TARGET_SHARE

# The policy's attainment target: the share of due conversations to answer within their first-response target.
PRIORITY_ORDER = ("low", "normal", "high", "major")
PERIOD_LABELS = {"normal": "Normal time", "incident": "Selected incident"}
PERIOD_COLORS = {"normal": ACTUAL_COLOR, "incident": INCIDENT_COLOR}
GAP_COLOR = "#E09B2D"
# Light cell colours (red below target, amber at it, green above) keep dark heatmap text readable in both themes.
ATTAINMENT_SCALE = [[0.0, "#F3A9A6"], [0.8, "#F8E3A3"], [1.0, "#A9DDB4"]]


def _hlines(lines: list[tuple[float, dict, str]]) -> dict[str, list[dict]]:
    """Layout shapes and labels for horizontal lines (y, line style, label at the right end), to set in one update.

    Every update_layout(shapes=...) re-validates the shapes already there (and add_hline is slower still), so a
    chart sets its own shapes once, before the shared incident shading adds its own.
    """
    shapes = [
        {"type": "line", "xref": "paper", "x0": 0, "x1": 1, "yref": "y", "y0": y, "y1": y, "line": line}
        for y, line, _ in lines
    ]
    label = {"xref": "paper", "x": 1, "yref": "y", "showarrow": False, "xanchor": "right", "yanchor": "bottom"}
    labels = [{**label, "y": y, "text": text, "font": {"size": 11}} for y, _, text in lines if text]
    return {"shapes": shapes, "annotations": labels}


def _incident_layout(incidents: pd.DataFrame, selected_id: str | None) -> dict[str, list[dict]]:
    """The shared incident shading as plain shapes and labels, to merge into a chart's single layout update.

    shade_incidents on a busy figure re-validates every shape already there (~0.1-0.3 s); drawn on an empty figure
    and merged as dicts it costs a few milliseconds and looks the same.
    """
    scratch = shade_incidents(go.Figure(), incidents, selected_id)
    return {
        "shapes": [shape.to_plotly_json() for shape in scratch.layout.shapes],
        "annotations": [label.to_plotly_json() for label in scratch.layout.annotations],
    }


def _layout_items(*parts: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """Shapes and annotations of several parts together, for one update_layout call."""
    return {key: [item for part in parts for item in part.get(key, [])] for key in ("shapes", "annotations")}


def attainment_timeline(
    daily: pd.DataFrame, incidents: pd.DataFrame, selected_id: str | None, tz: str = "UTC"
) -> go.Figure:
    """Daily SLA attainment against the target line, incidents shaded."""
    fig = go.Figure()
    fig.add_scatter(
        x=daily["started_date"],
        y=daily["sla_attainment"],
        mode="lines+markers",
        marker={"size": 4},
        name="Attainment",
        line={"color": ACTUAL_COLOR, "width": 2},
        customdata=daily[["sla_met_count", "sla_due_count", "breached_unanswered_count", "pending_count"]],
        hovertemplate="%{x|%a %d %b %Y}: %{y:.1%} within target<br>%{customdata[0]:,} of %{customdata[1]:,} due"
        " (%{customdata[2]:,} never answered, %{customdata[3]:,} pending)<extra></extra>",
    )
    target_line = {"color": EXPECTED_COLOR, "dash": "dash", "width": 1.5}
    target = _hlines([(SLA_TARGET_SHARE, target_line, f"target {SLA_TARGET_SHARE:.0%}")])
    fig.update_layout(**_layout_items(target, _incident_layout(incidents, selected_id)))
    style(fig, "SLA attainment per day against the target", f"Day ({tz}, by start)", "Answered within target (%)")
    low = min(float(daily["sla_attainment"].min(skipna=True) or 0), SLA_TARGET_SHARE) - 0.05
    fig.update_yaxes(tickformat=".0%", range=[max(low, 0), 1.01], rangemode="normal")
    return fig


def attainment_heatmap(cells: pd.DataFrame) -> go.Figure:
    """Attainment per channel x priority, each cell labelled with its share and the conversations it counts."""
    priorities = [p for p in PRIORITY_ORDER if p in set(cells["priority"])]
    priorities += sorted(set(cells["priority"]) - set(priorities))
    grid = cells.pivot(index="channel", columns="priority", values="sla_attainment").reindex(columns=priorities)
    due = cells.pivot(index="channel", columns="priority", values="sla_due_count").reindex(columns=priorities)
    text = [
        ["–" if pd.isna(share) else f"{share:.0%}<br>n={int(n):,}" for share, n in zip(row_s, row_n, strict=True)]
        for row_s, row_n in zip(grid.to_numpy(), due.fillna(0).to_numpy(), strict=True)
    ]
    fig = go.Figure(
        go.Heatmap(
            z=grid.to_numpy(),
            x=priorities,
            y=list(grid.index),
            text=text,
            texttemplate="%{text}",
            textfont={"color": "#1F2329"},
            customdata=due.to_numpy(),
            colorscale=ATTAINMENT_SCALE,
            zmin=0.5,
            zmax=1.0,
            colorbar={"title": {"text": "Attainment"}, "tickformat": ".0%"},
            hovertemplate="%{y} · %{x}: %{z:.1%} within target of %{customdata:,} due<extra></extra>",
        )
    )
    style(fig, "SLA attainment by channel and priority", "Priority", "Channel", height=340)
    fig.update_yaxes(rangemode="normal", autorange="reversed")
    return fig


def first_response_ecdf(bins: pd.DataFrame) -> go.Figure:
    """Share of due conversations answered within x minutes (log axis), incident against normal, target marked."""
    fig = go.Figure()
    for period in ("normal", "incident"):
        part = bins[bins["period"] == period]
        if part.empty:
            continue
        fig.add_scatter(
            x=part["bin_end_minutes"],
            y=part["answered_share"],
            mode="lines",
            line={"color": PERIOD_COLORS[period], "width": 2.5, "shape": "hv"},
            name=PERIOD_LABELS[period],
            customdata=part[["answered_count", "sla_due_count", "unanswered_count"]],
            hovertemplate=f"{PERIOD_LABELS[period]}: %{{y:.1%}} of %{{customdata[1]:,}} due answered within "
            "%{x:,.1f} min<br>%{customdata[0]:,} answered in this bin; %{customdata[2]:,} never answered"
            "<extra></extra>",
        )
    target = float(bins["target_minutes"].iloc[0])
    # Shapes on a log axis take log10 coordinates; a two-point line needs no such care.
    fig.add_scatter(
        x=[target, target],
        y=[0, 1],
        mode="lines",
        name=f"Target {target:g} min",
        line={"color": EXPECTED_COLOR, "dash": "dash", "width": 1.5},
        hoverinfo="skip",
    )
    target_line = {"color": EXPECTED_COLOR, "dash": "dot", "width": 1}
    fig.update_layout(**_hlines([(SLA_TARGET_SHARE, target_line, f"{SLA_TARGET_SHARE:.0%} attainment target")]))
    style(fig, "First response: share answered within x minutes", "Minutes to first agent reply (log scale)", None)
    fig.update_xaxes(type="log")
    fig.update_yaxes(title_text="Share of due conversations (%)", tickformat=".0%", range=[0, 1.02])
    return fig


def channel_mix(kpis: pd.DataFrame) -> go.Figure:
    """Each period's volume split by channel (stacked to 100%), incident against normal."""
    fig = go.Figure()
    periods = [p for p in ("normal", "incident") if p in set(kpis["period"])]
    for channel, part in kpis.groupby("channel", sort=True):
        part = part.set_index("period").reindex(periods)
        fig.add_bar(
            y=[PERIOD_LABELS[p] for p in periods],
            x=part["volume_share"],
            orientation="h",
            name=str(channel),
            marker={"color": channel_color(channel)},
            text=[f"{s:.0%}" if pd.notna(s) else "" for s in part["volume_share"]],
            textposition="inside",
            customdata=part[["conversation_count"]],
            hovertemplate=f"{safe_text.plot(channel)} · %{{y}}: %{{x:.1%}} of conversations "
            "(%{customdata[0]:,})<extra></extra>",
        )
    style(fig, "Channel mix: incident against normal", "Share of the period's conversations (%)", None, height=320)
    legend = {"orientation": "v", "x": 1.02, "xanchor": "left", "y": 1, "yanchor": "top", "traceorder": "normal"}
    fig.update_layout(barmode="stack", legend=legend)
    fig.update_xaxes(tickformat=".0%", range=[0, 1])
    fig.update_yaxes(autorange="reversed")
    return fig


def channel_uplift(uplift: pd.DataFrame) -> go.Figure:
    """Actual against expected conversations per channel over the incident window."""
    fig = go.Figure()
    colors = [channel_color(c) for c in uplift["channel"]]
    fig.add_bar(
        x=uplift["channel"],
        y=uplift["expected_count"],
        name="Expected",
        marker={"color": [rgba(c, 0.35) for c in colors], "line": {"color": colors, "width": 1.5}},
        hovertemplate="%{x}: %{y:,.0f} expected<extra></extra>",
    )
    fig.add_bar(
        x=uplift["channel"],
        y=uplift["actual_count"],
        name="Actual",
        marker={"color": colors},
        customdata=uplift[["volume_uplift"]],
        text=[f"{u:+.0%}" if pd.notna(u) else "" for u in uplift["volume_uplift"]],
        textposition="outside",
        hovertemplate="%{x}: %{y:,} actual (uplift %{customdata[0]:+.0%})<extra></extra>",
    )
    style(fig, "Incident window: actual against expected", "Channel", "Conversations in the window", height=320)
    fig.update_layout(barmode="group")
    return fig


DAY_MS = 86_400_000
STATUS_COLORS = {"covered": ACTUAL_COLOR, "gap": GAP_COLOR, "stray": EXPECTED_COLOR, "outside": EXPECTED_COLOR}


def volume_gaps(daily: pd.DataFrame, incidents: pd.DataFrame, selected_id: str | None, tz: str = "UTC") -> go.Figure:
    """Conversations per day coloured by collection status (gaps amber, stray days grey), the expected volume that
    defines a gap as a dashed line, incidents shaded."""
    fig = go.Figure()
    fig.add_bar(
        x=daily["started_date"],
        y=daily["conversation_count"],
        name="Conversations",
        width=[0.8 * DAY_MS] * len(daily),  # explicit: plotly cannot infer a bar's width from a single day
        marker={"color": [STATUS_COLORS.get(status, ACTUAL_COLOR) for status in daily["status"]]},
        customdata=daily[["message_count", "status"]],
        hovertemplate="%{x|%a %d %b %Y}: %{y:,} conversations, %{customdata[0]:,} messages"
        "<br>collection: %{customdata[1]}<extra></extra>",
    )
    expected = daily["expected_count"].astype(float)
    if expected.notna().any():
        fig.add_scatter(
            x=daily["started_date"],
            y=expected,
            mode="lines",
            name="Expected day (all data)",
            line={"color": EXPECTED_COLOR, "dash": "dash", "width": 1},
            hovertemplate="%{x|%a %d %b %Y}: %{y:,.0f} expected<extra></extra>",
        )
    gaps = daily[daily["is_gap"]]
    half = pd.Timedelta(hours=12)
    band = {"type": "rect", "xref": "x", "yref": "paper", "y0": 0, "y1": 1, "line": {"width": 0}}
    band["fillcolor"] = rgba(GAP_COLOR, 0.35)
    layout = {
        "shapes": [{**band, "x0": pd.Timestamp(d) - half, "x1": pd.Timestamp(d) + half} for d in gaps["started_date"]]
    }
    layout["annotations"] = []
    fig.update_layout(**_layout_items(layout, _incident_layout(incidents, selected_id)))
    if not gaps.empty:
        fig.add_scatter(
            x=gaps["started_date"],
            y=[float(daily["conversation_count"].max()) * 1.04] * len(gaps),
            mode="markers",
            marker={"symbol": "triangle-down", "size": 11, "color": GAP_COLOR},
            name="Collection gap",
            customdata=gaps[["conversation_count", "arrival_ratio"]].astype(float).fillna(0),
            hovertemplate="%{x|%a %d %b %Y}: collection gap (%{customdata[0]:,} conversations, "
            "%{customdata[1]:.0%} of expected)<extra></extra>",
        )
    days = pd.to_datetime(daily["started_date"])
    fig.update_xaxes(range=[days.min() - half * 1.2, days.max() + half * 1.2])  # one day still reads as a day
    if len(daily) <= 14:
        fig.update_xaxes(dtick=DAY_MS, tickformat="%a %d %b %Y")  # day ticks, not hours, on a short range
    style(
        fig,
        "Conversations per day: collection gaps in amber, stray days grey",
        f"Day ({tz}, by start)",
        "Conversations per day",
    )
    return fig


def channel_scorecard(kpis: pd.DataFrame, uplift: pd.DataFrame) -> pd.DataFrame:
    """One row per channel: each KPI for the incident and for normal time side by side, plus the volume uplift."""
    measures = [c for c in kpis.columns if c not in ("channel", "period")]
    wide = kpis.pivot(index="channel", columns="period", values=measures)
    wide.columns = [f"{measure}_{period}" for measure, period in wide.columns]
    ordered = [f"{m}_{p}" for m in measures for p in ("incident", "normal") if f"{m}_{p}" in wide.columns]
    table = wide[ordered].reset_index()
    return uplift.merge(table, on="channel", how="right")[["channel", *uplift.columns[1:], *ordered]]


def _formatted(value: object, fmt: str) -> str:
    """A value in `fmt`, or an en dash when it is missing."""
    return "–" if value is None or pd.isna(value) else fmt.format(value)


def metric_tiles(
    kpis: pd.DataFrame, size_column: str, size_label: str, specs: list[tuple[str, str, str, str]]
) -> list[dict]:
    """st.metric arguments for (label, column, format, definition) specs over a per-period frame (index: period).

    The value is the incident's (normal time's when no incident is chosen), the delta caption shows normal time, and
    the tooltip carries the definition and the size of both periods (`size_column`, described by `size_label`).
    """
    periods = [p for p in ("incident", "normal") if p in kpis.index]
    sizes = "; ".join(f"{PERIOD_LABELS[p]}: {int(kpis.at[p, size_column]):,} {size_label}" for p in periods)
    main = periods[0] if periods else None
    tiles = []
    for label, column, fmt, definition in specs:
        value = kpis.at[main, column] if main else None
        compare = main == "incident" and "normal" in periods
        tiles.append(
            {
                "label": f"{label} ({'incident' if main == 'incident' else 'normal time'})",
                "value": display.with_base(_formatted(value, fmt), kpis.at[main, size_column] if main else None),
                "delta": f"normal {_formatted(kpis.at['normal', column], fmt)}" if compare else None,
                "delta_color": "off",
                "delta_arrow": "off",
                "help": f"{definition} {sizes}.",
            }
        )
    return tiles


# Streamlit markdown badge colours (theme-aware) for sentiment labels and SLA statuses, with readable status names.
BADGES = {
    "negative": ("negative", "red"),
    "neutral": ("neutral", "gray"),
    "positive": ("positive", "green"),
    "met": ("met", "green"),
    "breached_answered": ("answered late", "orange"),
    "breached_unanswered": ("never answered", "red"),
    "pending": ("pending", "gray"),
}


def badge(value: object, suffix: str = "") -> str:
    """A coloured markdown badge for a sentiment label or SLA status (grey 'none' when missing)."""
    if value is None or pd.isna(value):
        return ":gray-badge[none]"
    label, color = BADGES.get(str(value), (str(value), "gray"))
    return f":{color}-badge[{safe_text.md(label)}{suffix}]"
