"""Figures for the Churn risk page: risk distribution, calibration, lift and churn after contact. Plain Python."""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts import ACTUAL_COLOR, EXPECTED_COLOR, INCIDENT_COLOR, SENTIMENT_COLORS, style

GROUP_COLORS = {"incident": INCIDENT_COLOR, "normal": ACTUAL_COLOR}
RULE_COLOR = EXPECTED_COLOR
AFTER_CONTACT_COLORS = {**SENTIMENT_COLORS, **GROUP_COLORS, "answered": ACTUAL_COLOR, "unanswered": INCIDENT_COLOR}


def risk_distribution(groups: pd.DataFrame, is_probability: bool) -> go.Figure:
    """Histogram of current risk for incident vs normal-time customers, each as a share of its own group."""
    fig = go.Figure()
    scale = 100 if is_probability else 1
    for name in ("normal", "incident"):
        part = groups[groups["group"] == name]
        if part.empty:
            continue
        fig.add_histogram(
            x=part["risk"] * scale,
            name=f"{name} ({len(part):,} customers)",
            histnorm="percent",
            xbins={"start": 0, "end": 100, "size": 2.5 if is_probability else 5},
            marker_color=GROUP_COLORS[name],
            opacity=0.65,
            hovertemplate="risk %{x}<br>%{y:.1f}% of the group<extra>" + name + "</extra>",
        )
    fig.update_layout(barmode="overlay")
    x_title = "Churn probability within 90 days (%)" if is_probability else "Heuristic risk score (points, 0-100)"
    return style(fig, "Risk now: customers who contacted during the incident vs in normal time", x_title,
                 "Customers in the group (%)")  # fmt: skip


def calibration(metrics: dict[str, Any]) -> go.Figure:
    """Predicted vs observed churn rate on the test split, model and rule baseline, with the ideal diagonal."""
    fig = go.Figure()
    top = max([*metrics["calibration"]["model"]["predicted"], *metrics["calibration"]["model"]["observed"], 0.05])
    fig.add_scatter(x=[0, top * 100], y=[0, top * 100], mode="lines", name="perfect calibration",
                    line={"color": EXPECTED_COLOR, "dash": "dot"}, hoverinfo="skip")  # fmt: skip
    for key, name, color in (("model", "model", ACTUAL_COLOR), ("rule", "rule baseline", RULE_COLOR)):
        curve = metrics["calibration"][key]
        fig.add_scatter(
            x=[p * 100 for p in curve["predicted"]],
            y=[o * 100 for o in curve["observed"]],
            mode="lines+markers",
            name=name,
            line={"color": color},
            hovertemplate="predicted %{x:.1f}%<br>observed %{y:.1f}%<extra>" + name + "</extra>",
        )
    return style(fig, "Calibration on the test split (10 quantile bins)", "Predicted churn probability (%)",
                 "Observed churn rate (%)", height=340)  # fmt: skip


def lift(metrics: dict[str, Any]) -> go.Figure:
    """Churn rate of each risk decile relative to the base rate, model vs rule baseline."""
    fig = go.Figure()
    deciles = [f"{10 * i}-{10 * (i + 1)}%" for i in range(10)]
    for key, name, color in (("model", "model", ACTUAL_COLOR), ("rule", "rule baseline", RULE_COLOR)):
        fig.add_bar(
            x=deciles,
            y=metrics["lift_by_decile"][key],
            name=name,
            marker_color=color,
            hovertemplate="riskiest %{x}<br>lift %{y:.2f}×<extra>" + name + "</extra>",
        )
    fig.add_hline(y=1, line={"color": EXPECTED_COLOR, "dash": "dot"})
    return style(fig, "Lift by risk decile on the test split", "Customers ranked by risk (decile, riskiest first)",
                 "Churn rate ÷ base rate (×)", height=340)  # fmt: skip


def after_contact(rates: pd.DataFrame) -> go.Figure:
    """Observed churn-after-contact rate per group, coloured by group, with counts and window coverage on hover."""
    labels = [f"{d}: {g}" for d, g in zip(rates["dimension"], rates["group_name"], strict=True)]
    colors = [AFTER_CONTACT_COLORS.get(g, EXPECTED_COLOR) for g in rates["group_name"]]
    fig = go.Figure(
        go.Bar(
            x=labels,
            y=rates["churn_rate"] * 100,
            marker_color=colors,
            customdata=rates[["conversation_count", "churned_count", "complete_window_count"]].to_numpy(),
            text=[
                f"{r:.1%}<br>{o:.0%} of window seen"
                for r, o in zip(rates["churn_rate"], rates["window_observed_share"], strict=True)
            ],  # fmt: skip
            textposition="outside",
            hovertemplate="%{x}<br>churned after contact: %{y:.1f}%<br>%{customdata[1]:,} of %{customdata[0]:,} "
            "conversations<br>full 90-day window observed: %{customdata[2]:,}<extra></extra>",
        )
    )
    fig.update_yaxes(range=[0, max(rates["churn_rate"].max() * 100 * 1.35, 1)])
    return style(fig, "Churn within 90 days after contact, as observed in the data", None,
                 "Conversations followed by churn (%)", height=380)  # fmt: skip
