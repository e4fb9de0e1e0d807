"""Tables and figures for the insight sections (like-for-like, honest SLA, recovery, time to recover, churn exposure).

Plain Python (no streamlit). Colours and the common layout come from dashboard/charts/__init__.py.
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.charts import ACTUAL_COLOR, EXPECTED_COLOR, INCIDENT_COLOR, style
from dashboard.core import safe_text
from dashboard.metrics import recovery

PERIOD_COLORS = {"incident": INCIDENT_COLOR, "normal": ACTUAL_COLOR}
PERIOD_NAMES = {"incident": "Selected incident", "normal": "Normal time"}
CONTACT_NAMES = {"incident": "During an incident", "normal": "Normal time"}
STATUS_COLORS = {
    "met": "#3BA55C",
    "breached_answered": "#E09B2D",
    "breached_unanswered": "#D9534F",
    "pending": "#9AA0A6",
}
STATUS_NAMES = {
    "met": "Met",
    "breached_answered": "Breached, answered late",
    "breached_unanswered": "Breached, never answered",
    "pending": "Pending (not yet due)",
}
COMPARISONS = {
    "incident": "This incident",
    "normal_same_hours": "Same hours, normal weeks",
    "normal_all": "All normal time",
}


def _share(k: float, n: float, noun: str = "") -> str:
    return "–" if not n else f"{k / n:.1%} ({int(k):,} of {int(n):,}{noun})"


def _volume(row: pd.Series) -> str:
    """Conversations per hour with the conversations and hours behind it."""
    if not row["hour_count"]:
        return "–"
    weeks = "" if pd.isna(row["week_count"]) else f", {int(row['week_count'])} weeks"
    count = int(row["conversation_count"])
    return f"{row['conversations_per_hour']:.1f} ({count:,} in {row['hour_count']:,.0f} h{weeks})"


def _cells(row: pd.Series) -> dict[str, str]:
    """One comparison's formatted values, each with its sample size."""
    median = row["median_first_response_minutes"]
    return {
        "Volume (conversations per hour)": _volume(row),
        "Negative-start share": _share(row["negative_start_count"], row["conversation_count"]),
        "Recovery rate": _share(row["recovered_count"], row["recovery_base_count"]),
        "SLA attainment": _share(row["sla_met_count"], row["sla_due_count"], " due"),
        "Median first response": "–"
        if pd.isna(median)
        else f"{median:.0f} min ({int(row['answered_count']):,} answered)",
    }


def _delta(incident: float, other: float, kind: str) -> str:
    """The incident against a comparison: points for shares, percent for volume, minutes for response."""
    if pd.isna(incident) or pd.isna(other) or (kind == "ratio" and not other):
        return "–"
    if kind == "points":
        return f"{(incident - other) * 100:+.1f} pts"
    if kind == "ratio":
        return f"{incident / other - 1:+.0%}"
    return f"{incident - other:+.0f} min"


def like_for_like_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Metric rows x comparison columns (values with sample sizes) and the incident's difference from each."""
    rows = frame.set_index("comparison")
    table = pd.DataFrame({label: _cells(rows.loc[key]) for key, label in COMPARISONS.items()})
    measures = [
        ("Volume (conversations per hour)", "conversations_per_hour", "ratio"),
        ("Negative-start share", "negative_start_share", "points"),
        ("Recovery rate", "recovery_rate", "points"),
        ("SLA attainment", "sla_attainment", "points"),
        ("Median first response", "median_first_response_minutes", "minutes"),
    ]
    for other, label in (("normal_same_hours", "vs same hours"), ("normal_all", "vs all normal")):
        table[f"Δ {label}"] = [
            _delta(rows.at["incident", column], rows.at[other, column], kind) for _, column, kind in measures
        ]
    return table.rename_axis("Metric").reset_index()


def sla_status_bars(frame: pd.DataFrame) -> go.Figure:
    """Each period's conversations split into met / breached answered / breached unanswered / pending (100% bars)."""
    fig = go.Figure()
    for status, part in frame.groupby("sla_status", sort=False):
        fig.add_bar(
            y=[PERIOD_NAMES.get(p, p) for p in part["period"]],
            x=part["share_of_period"],
            orientation="h",
            name=STATUS_NAMES[status],
            marker_color=STATUS_COLORS[status],
            text=[f"{s:.1%}" if s >= 0.03 else "" for s in part["share_of_period"]],
            textposition="inside",
            customdata=part[["conversation_count", "period_count"]],
            hovertemplate=f"{STATUS_NAMES[status]}: %{{x:.1%}} (%{{customdata[0]:,}} of %{{customdata[1]:,}})"
            "<extra></extra>",
        )
    style(fig, "Every conversation by SLA status", "Share of the period's conversations", None, height=260)
    fig.update_layout(barmode="stack", legend_traceorder="normal", margin_r=30)
    fig.update_xaxes(tickformat=".0%", range=[0, 1])
    return fig


def _bucket_ticks(frame: pd.DataFrame) -> list[str]:
    """Each bucket's label with its bases (incident · normal): negative starts with an end sentiment."""
    bases = frame.pivot(index="response_bucket", columns="period", values="recovery_base_count")
    negatives = frame.pivot(index="response_bucket", columns="period", values="negative_start_count")
    ticks = []
    for bucket in recovery.RESPONSE_BUCKETS:
        source = negatives if bucket == "never" else bases
        counts = " · ".join(f"{int(source.at[bucket, p]):,}" for p in source.columns)
        ticks.append(f"{bucket}<br>{'negative starts' if bucket == 'never' else 'n'} = {counts}")
    return ticks


def recovery_response_chart(frame: pd.DataFrame) -> go.Figure:
    """Recovery rate by first-response bucket, incident vs normal, with 95% Wilson intervals and the base sizes."""
    fig = go.Figure()
    for period, part in frame.groupby("period", sort=True):
        fig.add_bar(
            x=part["response_bucket"].astype(str),
            y=part["recovery_rate"],
            name=PERIOD_NAMES.get(period, period),
            marker_color=PERIOD_COLORS.get(period, EXPECTED_COLOR),
            error_y={
                "type": "data",
                "symmetric": False,
                "array": part["ci_high"] - part["recovery_rate"],
                "arrayminus": part["recovery_rate"] - part["ci_low"],
                "thickness": 1.2,
            },
            customdata=part[["recovered_count", "recovery_base_count", "ci_low", "ci_high"]],
            hovertemplate="%{x}: %{y:.1%} recovered (%{customdata[0]:,} of %{customdata[1]:,}; 95% CI "
            "%{customdata[2]:.0%}–%{customdata[3]:.0%})<extra></extra>",
        )
    fig.add_annotation(x="never", y=0.12, text="no rate:<br>no end sentiment<br>by definition", showarrow=False)
    style(fig, "Recovery rate by first-response time", None, "Negative starts ending positive", height=420)
    fig.update_layout(barmode="group")
    fig.update_xaxes(tickvals=list(recovery.RESPONSE_BUCKETS), ticktext=_bucket_ticks(frame))
    fig.update_yaxes(tickformat=".0%", range=[0, 1])
    return fig


def _recovery_note(row: pd.Series) -> str:
    if row["status"] == "recovered":
        return f"back after {row['minutes'] / 60:.1f} h"
    if row["status"] == "never out":
        return "never out"
    return f"not back ({row['status']}, > {row['observed_minutes'] / 60:.0f} h)"


def recovery_table(results: pd.DataFrame) -> pd.DataFrame:
    """One row per incident, one column per measure: hours to recover, or why there is no time."""
    table = results.assign(note=results.apply(_recovery_note, axis=1))
    wide = table.pivot(index=["incident_id", "title"], columns="measure", values="note")
    wide = wide[list(recovery.MEASURES)].rename(columns=recovery.MEASURE_LABELS)
    return wide.reset_index().rename(columns={"incident_id": "Incident", "title": "Title"}).rename_axis(columns=None)


def _panel(fig: go.Figure, part: pd.DataFrame, hours: pd.Series, row: int, col: int) -> None:
    """One small multiple: the hourly value and the line it must get back behind."""
    first = row == 1 and col == 1
    for column, name, line, group in (
        ("value", "Hourly value", {"color": ACTUAL_COLOR}, "v"),
        (
            "threshold",
            "Back when on the good side of this line",
            {"color": EXPECTED_COLOR, "dash": "dash", "width": 1},
            "t",
        ),
    ):
        fig.add_scatter(
            x=hours,
            y=part[column],
            mode="lines",
            line=line,
            name=name,
            legendgroup=group,
            showlegend=first,
            row=row,
            col=col,
        )


def recovery_multiples(
    measures: pd.DataFrame, incidents: pd.DataFrame, results: pd.DataFrame, hours_after: int = 48
) -> go.Figure:
    """Small multiples: one column per incident, one row per measure, the hourly value against its threshold."""
    ordered = incidents.sort_values("started_at").reset_index(drop=True)
    fig = make_subplots(
        rows=len(recovery.MEASURES),
        cols=max(len(ordered), 1),
        shared_yaxes=True,
        shared_xaxes=True,
        column_titles=[safe_text.plot(incident_id) for incident_id in ordered["incident_id"]],
        row_titles=["Arrivals / h", "SLA met", "Negative share"],
        horizontal_spacing=0.02,
        vertical_spacing=0.06,
    )
    for col, incident in enumerate(ordered.itertuples(), start=1):
        started = pd.Timestamp(incident.started_at)
        near = measures["hour_at"].between(
            started.floor("h") - pd.Timedelta(hours=6), started + pd.Timedelta(hours=hours_after)
        )
        duration = (pd.Timestamp(incident.ended_at) - started).total_seconds() / 3600
        for row, measure in enumerate(recovery.MEASURES, start=1):
            part = measures[near & (measures["measure"] == measure)]
            _panel(fig, part, (part["hour_at"] - started).dt.total_seconds() / 3600, row, col)
            fig.add_vrect(x0=0, x1=duration, fillcolor=INCIDENT_COLOR, opacity=0.12, line_width=0, row=row, col=col)
            found = results[(results["incident_id"] == incident.incident_id) & (results["measure"] == measure)]
            if len(found):
                _mark_recovery(fig, found.iloc[0], row, col)
    style(fig, "Time to recover: hours since each incident started (green: back)", None, None, height=640)
    fig.update_layout(legend={"y": -0.12, "yanchor": "top"}, margin_b=60)
    fig.update_yaxes(rangemode="tozero")
    fig.update_yaxes(tickformat=".0%", row=2)
    fig.update_yaxes(tickformat=".0%", row=3)
    fig.update_xaxes(title_text="hours since start", row=len(recovery.MEASURES))
    fig.update_annotations(font_size=12)
    return fig


def _mark_recovery(fig: go.Figure, result: pd.Series, row: int, col: int) -> None:
    """A vertical line where the measure came back (the table beside the chart says why when it did not)."""
    if result["status"] == "recovered" and result["minutes"] is not None and not math.isnan(result["minutes"]):
        fig.add_vline(x=result["minutes"] / 60, line={"color": "#3BA55C", "width": 2}, row=row, col=col)


def churn_exposure_chart(table: pd.DataFrame, horizon_days: int) -> go.Figure:
    """Churn within the horizon by group, contacts during any incident vs normal time, with 95% Wilson intervals."""
    part = table[table["horizon_days"] == horizon_days].copy()
    part["label"] = [
        f"{g} · {p}, n={n:,}" for g, p, n in zip(part["group_name"], part["period"], part["contact_count"], strict=True)
    ]
    fig = go.Figure()
    for period, rows in part.groupby("period", sort=True):
        fig.add_scatter(
            x=rows["churn_rate"],
            y=rows["label"],
            mode="markers",
            name=CONTACT_NAMES[period],
            marker={"color": PERIOD_COLORS[period], "size": 9},
            error_x={
                "type": "data",
                "symmetric": False,
                "array": rows["ci_high"] - rows["churn_rate"],
                "arrayminus": rows["churn_rate"] - rows["ci_low"],
            },
            customdata=rows[["churned_count", "contact_count", "ci_low", "ci_high"]],
            hovertemplate="%{y}: %{x:.1%} churned (%{customdata[0]:,} of %{customdata[1]:,}; 95% CI "
            "%{customdata[2]:.1%}–%{customdata[3]:.1%})<extra></extra>",
        )
    style(fig, f"Churn within {horizon_days} days of the contact", "Churned (95% Wilson interval)", None, height=440)
    fig.update_xaxes(tickformat=".0%", rangemode="tozero")
    fig.update_yaxes(categoryorder="array", categoryarray=list(part["label"]), autorange="reversed")
    return fig


def churn_exposure_note(table: pd.DataFrame) -> str:
    """What the churn-exposure charts count, and which windows the data cannot show yet."""
    note = (
        "Contacts are conversations of customers still with us when they started; *incident* means during any "
        "incident in the date range, *normal* outside every incident. Only contacts whose whole window is in the "
        "data count (started at least 90, or 30, days before the data end), so recent contacts never read as "
        "loyal. 90 days is the product's definition; 30 days is an early read. Bars are 95% Wilson intervals "
        "(scipy); a customer with several contacts counts once per contact."
    )
    unseen = table[(table["split"] == "all") & (table["contact_count"] == 0)]
    for row in unseen.itertuples():
        note += f" No {row.period} contact has a fully observed {row.horizon_days}-day window yet."
    return note
