"""Figures for the Sentiment flow page: start→end Sankey, negative starts per day, recovery by channel, surging terms.

Plain Python (no streamlit); colours, layout and incident shading come from dashboard.charts.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts import INCIDENT_COLOR, SENTIMENT_COLORS, channel_color, rgba, shade_incidents, style

ORDER = ("negative", "neutral", "positive", "no end sentiment", "unscored")
PERIOD_NAMES = {"incident": "Incident", "normal": "Normal time"}


def _ordered(labels: pd.Series) -> list[str]:
    """Labels present, in sentiment order (unknown labels last)."""
    present = set(labels)
    return [label for label in ORDER if label in present] + sorted(present - set(ORDER))


def _positions(totals: pd.Series, labels: list[str], pad: float = 0.04) -> list[float]:
    """Node centres (0 = top) stacking the labels in order, each as tall as its share, `pad` apart."""
    shares = totals.reindex(labels).to_numpy() / totals.sum() * (1 - pad * (len(labels) - 1))
    tops = [sum(shares[:i]) + pad * i for i in range(len(labels))]
    return [min(max(top + share / 2, 0.001), 0.999) for top, share in zip(tops, shares, strict=True)]


def _end_name(label: str) -> str:
    return "No end sentiment" if label == "no end sentiment" else f"End {label}"


def sentiment_sankey(flow: pd.DataFrame, period: str) -> go.Figure:
    """Start sentiment (left) to end sentiment (right) for one period, link width = conversations."""
    rows = flow[flow["period"] == period]
    total = int(rows["conversation_count"].sum())
    starts, ends = _ordered(rows["start_label"]), _ordered(rows["end_label"])
    start_totals = rows.groupby("start_label")["conversation_count"].sum()
    end_totals = rows.groupby("end_label")["conversation_count"].sum()
    labels = [f"Start {s}: {start_totals[s]:,} ({start_totals[s] / total:.0%})" for s in starts]
    labels += [f"{_end_name(e)}: {end_totals[e]:,} ({end_totals[e] / total:.0%})" for e in ends]
    node = {
        "label": labels,
        "color": [SENTIMENT_COLORS.get(label, "#8A8F98") for label in (*starts, *ends)],
        "x": [0.001] * len(starts) + [0.999] * len(ends),
        "y": _positions(start_totals, starts) + _positions(end_totals, ends),
        "pad": 12,
        "thickness": 18,
        "line": {"width": 0},
        "hovertemplate": "%{label}<extra></extra>",
    }
    link = {
        "source": [starts.index(s) for s in rows["start_label"]],
        "target": [len(starts) + ends.index(e) for e in rows["end_label"]],
        "value": rows["conversation_count"],
        "color": [rgba(SENTIMENT_COLORS.get(s, "#8A8F98"), 0.3) for s in rows["start_label"]],
        "customdata": rows["share_of_start"],
        "hovertemplate": "%{source.label} → %{target.label}<br>%{value:,} conversations "
        "(%{customdata:.0%} of these starts)<extra></extra>",
    }
    fig = go.Figure(go.Sankey(arrangement="fixed", node=node, link=link, textfont={"size": 12}))
    title = f"{PERIOD_NAMES.get(period, period)}: start → end sentiment ({total:,} conversations)"
    return style(fig, title, None, None, height=400)


def negative_share_daily(
    daily: pd.DataFrame, incidents: pd.DataFrame, selected_id: str | None = None, tz: str = "UTC"
) -> go.Figure:
    """Share of conversations starting negative, per day, incidents shaded."""
    fig = go.Figure(
        go.Scatter(
            x=daily["day_at"],
            y=daily["negative_start_share"],
            mode="lines+markers",
            marker={"size": 4},
            name="Negative-start share",
            line={"color": SENTIMENT_COLORS["negative"], "width": 1.8},
            customdata=daily[["negative_start_count", "conversation_count"]],
            hovertemplate="%{x|%a %-d %b}: %{y:.1%} started negative "
            "(%{customdata[0]:,} of %{customdata[1]:,})<extra></extra>",
        )
    )
    shade_incidents(fig, incidents, selected_id)
    style(fig, "Negative-start share per day", f"Day ({tz})", "Conversations starting negative (%)", height=340)
    fig.update_yaxes(tickformat=".0%")
    return fig


def recovery_by_channel(recovery: pd.DataFrame) -> go.Figure:
    """Recovery rate per channel, incident (solid) beside normal time (hatched), with each bar's base size."""
    fig = go.Figure()
    looks = {"incident": ("", 1.0), "normal": ("/", 0.55)}
    for period, (pattern, opacity) in looks.items():
        rows = recovery[recovery["period"] == period]
        fig.add_bar(
            x=rows["channel"],
            y=rows["recovery_rate"],
            name=PERIOD_NAMES[period],
            offsetgroup=period,
            showlegend=False,
            marker={
                "color": [channel_color(c) for c in rows["channel"]],
                "opacity": opacity,
                "pattern": {"shape": pattern},
            },
            text=[f"n={n:,}" for n in rows["recovery_base_count"]],
            textposition="outside",
            customdata=rows[["recovered_count", "recovery_base_count"]],
            hovertemplate=f"{PERIOD_NAMES[period]} · %{{x}}: %{{y:.0%}} recovered "
            "(%{customdata[0]:,} of %{customdata[1]:,} negative starts with an end sentiment)<extra></extra>",
        )
    for period, (pattern, opacity) in looks.items():  # legend keys in a neutral colour: bars take channel colours
        fig.add_bar(
            x=[None],
            y=[None],
            name=PERIOD_NAMES[period],
            offsetgroup=period,
            marker={"color": "#8A8F98", "opacity": opacity, "pattern": {"shape": pattern}},
        )
    style(fig, "Recovery rate by channel: incident (solid) vs normal time (hatched)", "Channel", "Recovery rate (%)")
    fig.update_layout(barmode="group")
    fig.update_yaxes(tickformat=".0%", range=[0, 1.08])
    return fig


def surging_terms(terms: pd.DataFrame) -> go.Figure:
    """Terms most over-represented in incident first messages (weighted log-odds z-score), strongest on top."""
    rows = terms.iloc[::-1]
    fig = go.Figure(
        go.Bar(
            x=rows["z_score"],
            y=rows["term"],
            orientation="h",
            marker={"color": INCIDENT_COLOR},
            customdata=rows[["incident_count", "incident_share", "normal_count", "normal_share"]],
            hovertemplate="<b>%{y}</b>: z %{x:.1f}<br>incident: %{customdata[0]:,} conversations "
            "(%{customdata[1]:.1%})<br>normal: %{customdata[2]:,} (%{customdata[3]:.2%})<extra></extra>",
        )
    )
    style(
        fig,
        "Terms surging in customers' first messages during the incident",
        "Surge score (z of the weighted log-odds, incident vs normal)",
        None,
        height=max(320, 24 * len(rows) + 110),
    )
    return fig
