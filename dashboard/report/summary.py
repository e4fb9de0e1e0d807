"""The Overview's words and tiles: the incident report's numbers as a plain-language summary and as KPI tiles.

Plain Python (no streamlit), tested with pytest. Everything works on the report shape of PRODUCT.md §5
(`{"incident": {...}, "metrics": {NAME: {"incident": x, "normal": y}}}`), so the same text can go into other reports.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from dashboard.core import timezones
from dashboard.report.build import NOT_ENOUGH_HISTORY, REPORT_METRICS, uplift_metric

AT_RISK_DEFINITION = (
    "Distinct customers in the incident with a conversation that ended negative (last customer message scored "
    "negative after an agent reply) or went unanswered past its first-response deadline: the care outcomes followed "
    "by more churn (Churn risk page: rates by outcome, and each customer's modelled probability)."
)
DEFINITIONS = {
    "volume_uplift": "Actual ÷ expected − 1 over the incident window; expected is, for each hour, the mean volume of "
    "the same hour of the week over the previous four weeks, using only collected hours outside incidents (not "
    "enough history when fewer than 2 of those weeks were collected).",
    "negative_start_share": "Conversations starting negative ÷ all conversations.",
    "recovery_rate": "Of conversations that start negative and have an end sentiment, the share ending positive.",
    "neutral_to_positive_rate": "Of conversations that start neutral and have an end sentiment, the share ending "
    "positive.",
    "sla_attainment": "Conversations answered within their policy's target ÷ conversations whose deadline has passed "
    "(unanswered ones count as breaches; those still inside their target are pending and excluded).",
    "median_first_response_minutes": "Median of first agent message after the start minus the start (bots do not "
    "count), over answered conversations.",
    "p90_first_response_minutes": "90th percentile of first agent message after the start minus the start (bots do "
    "not count), over answered conversations.",
    "influencer_conversation_count": "Conversations whose customer has 10,000 or more followers or is media.",
}


@dataclass(frozen=True)
class Tile:
    """One st.metric tile: label, value, delta against normal time, its colour, the tooltip and delta caption."""

    label: str
    value: str
    delta: str | None
    delta_color: str
    help: str
    delta_description: str | None = None
    delta_arrow: str = "auto"


def _number(value: Any) -> float | None:
    """A plain float, or None for missing values (None, NaN, pandas NA)."""
    if value is None or value is pd.NA:
        return None
    value = float(value)
    return None if math.isnan(value) else value


def report_from_frames(incident: Mapping, kpis: pd.DataFrame, uplift: Mapping) -> dict:
    """The report dict (PRODUCT.md §5 shape) from the page's cached kpi_incident_vs_normal and volume_uplift rows."""
    metrics: dict[str, Any] = {
        name: dict(zip(("incident", "normal"), _pair(kpis, name), strict=True)) for name in REPORT_METRICS
    }
    metrics["volume_uplift"] = uplift_metric(
        *(_number(uplift.get(key)) for key in ("actual_count", "expected_count", "volume_uplift"))
    )
    return {
        "incident": {
            key: (pd.Timestamp(incident[key]).isoformat() if key.endswith("_at") else incident[key])
            for key in ("incident_id", "title", "started_at", "ended_at")
        },
        "metrics": metrics,
    }


def duration_text(started_at: Any, ended_at: Any) -> str:
    """A short duration: '45 min', '16 h', '2 d 3 h'."""
    minutes = round((pd.Timestamp(ended_at) - pd.Timestamp(started_at)).total_seconds() / 60)
    if minutes < 60:
        return f"{minutes} min"
    hours = round(minutes / 60)
    return f"{hours} h" if hours < 48 else f"{hours // 24} d {hours % 24} h".replace(" 0 h", "")


FORMATS = {
    # kind: (value format, delta format)
    "share": (lambda value: f"{value:.0%}", lambda diff: f"{diff * 100:+.1f} pp"),
    "minutes": (lambda value: f"{value:.0f} min", lambda diff: f"{diff:+.0f} min"),
}
CLAUSES = (
    # report metric, kind (see FORMATS), the clause with {incident}, {normal} or {movement}
    ("negative_start_share", "share", "{incident} of conversations started negative ({normal} normally)"),
    ("recovery_rate", "share", "{incident} of negative starts recovered to positive ({normal} normally)"),
    ("sla_attainment", "share", "SLA attainment {movement}"),
    ("median_first_response_minutes", "minutes", "the median first response took {incident} ({normal} normally)"),
)


def _movement(incident: str, normal: str, rose: bool) -> str:
    """'fell to 79% (91% normally)', 'rose to ...', or 'held at ...' when the rounded values agree."""
    if incident == normal:
        return f"held at {incident} (as normally)"
    return f"{'rose' if rose else 'fell'} to {incident} ({normal} normally)"


def _clauses(metrics: Mapping) -> list[str]:
    """One clause per metric that has both an incident and a normal value."""
    out = []
    for name, kind, template in CLAUSES:
        entry = metrics.get(name) or {}
        incident, normal = _number(entry.get("incident")), _number(entry.get("normal"))
        if incident is None or normal is None:
            continue
        fmt = FORMATS[kind][0]
        movement = _movement(fmt(incident), fmt(normal), incident > normal)
        out.append(template.format(incident=fmt(incident), normal=fmt(normal), movement=movement))
    return out


def _uplift_clause(uplift: Mapping) -> str | None:
    value, actual, expected = (_number(uplift.get(key)) for key in ("uplift", "actual", "expected"))
    if actual and expected is None:
        return f"{actual:,.0f} conversations arrived (no expected volume: {NOT_ENOUGH_HISTORY} before it)"
    if value is None or actual is None or expected is None:
        return None
    direction = "above" if value >= 0 else "below"
    return f"volume ran {abs(value):.0%} {direction} expected ({actual:,.0f} conversations against {expected:,.0f})"


def incident_summary(report: Mapping, at_risk_customers: int | None = None, tz: str = "UTC") -> str:
    """A plain-language paragraph from the report's numbers: how bad it was, and whether care recovered (the start
    date in time zone tz)."""
    incident, metrics = report["incident"], report["metrics"]
    started = pd.Timestamp(incident["started_at"])
    local = timezones.to_local(started, tz)
    when = f"{local.day} {local:%b}, {duration_text(started, incident['ended_at'])}"
    clauses = [c for c in [_uplift_clause(metrics.get("volume_uplift") or {}), *_clauses(metrics)] if c]
    if not clauses:
        return f"No conversations fall inside {incident['title']} ({when}) with these filters."
    text = f"During the {incident['title']} ({when}) " + "; ".join(clauses) + "."
    influencers = _number((metrics.get("influencer_conversation_count") or {}).get("incident"))
    extras = []
    if influencers:
        extras.append(f"{influencers:,.0f} conversations came from influencers or media")
    if at_risk_customers:
        extras.append(f"{at_risk_customers:,} customers ended negative or went unanswered")
    if extras:
        sentence = "; ".join(extras)
        text += f" {sentence[0].upper()}{sentence[1:]}."
    return text


def gap_note(gaps: pd.DataFrame) -> str:
    """A sentence naming the collection gaps (data_coverage_days rows, local times) in view; empty when none."""
    if gaps is None or gaps.empty:
        return ""
    days = [
        f"{pd.Timestamp(row.started_at):%-d %b %Y} ({row.arrival_count:,.0f} conversations, "
        f"{_number(row.arrival_ratio) or 0:.0%} of expected)"
        for row in gaps.itertuples()
    ]
    what = "a collection gap" if len(days) == 1 else "collection gaps"
    return f" The data has {what} on {', '.join(days)}: missing data, left out of expected volumes."


SHARE_TILES = (
    # report metric, label, higher is better, the column counting its base, what the base is
    ("negative_start_share", "Negative-start share", False, "conversation_count", "conversations"),
    (
        "recovery_rate",
        "Recovery rate",
        True,
        "recovery_base_count",
        "negative starts with an end sentiment",
    ),
    (
        "neutral_to_positive_rate",
        "Neutral → positive",
        True,
        "neutral_base_count",
        "neutral starts with an end sentiment",
    ),
    ("sla_attainment", "SLA attainment", True, "sla_due_count", "conversations past their deadline"),
)
MINUTE_TILES = (
    ("median_first_response_minutes", "Median first reply"),
    ("p90_first_response_minutes", "p90 first reply"),
)
Pair = tuple[float | None, float | None]


def _pair(frame: pd.DataFrame, column: str) -> Pair:
    """(incident, normal) values of one column of a per-period frame; None where a period or value is missing."""
    values = {row["period"]: _number(row[column]) for _, row in frame.iterrows()} if column in frame else {}
    return values.get("incident"), values.get("normal")


def _ratio(numerator: Pair, denominator: Pair) -> Pair:
    """Element-wise numerator ÷ denominator, None when either is missing or the denominator is zero."""
    return tuple(n / d if n is not None and d else None for n, d in zip(numerator, denominator, strict=True))


def _sizes(pair: Pair, what: str) -> str:
    """'Incident: 106 conversations; normal: 3,813.' (the size of both periods behind a number)."""
    incident, normal = (f"{value or 0:,.0f}" for value in pair)
    return f"Incident: {incident} {what}; normal: {normal}."


def _compare_tile(label: str, pair: Pair, kind: str, higher_is_better: bool, help_text: str) -> Tile:
    """The incident value, its delta against normal (red when worse, grey when unchanged) and the normal value."""
    fmt, delta_fmt = FORMATS[kind]
    incident, normal = pair
    if incident is None or normal is None:
        return Tile(label, fmt(incident) if incident is not None else "—", None, "off", help_text)
    delta = delta_fmt(incident - normal)
    color = "off" if delta == delta_fmt(0.0) else ("normal" if higher_is_better else "inverse")
    return Tile(label, fmt(incident), delta, color, help_text, f"normal {fmt(normal)}")


def _count_tile(label: str, count: float | None, shares: Pair, what: str, help_text: str) -> Tile:
    """A count as the value with the share comparison as its delta: counts of unequal periods do not compare."""
    tile = _compare_tile(label, shares, "share", False, help_text)
    description = f"{what} {shares[0]:.0%} vs {shares[1]:.0%}" if tile.delta else None
    value = f"{count:,.0f}" if count is not None else "—"
    return Tile(label, value, tile.delta, tile.delta_color, help_text, description)


def _uplift_tile(uplift: Mapping, totals: str) -> Tile:
    actual, expected, value = (_number(uplift.get(k)) for k in ("actual_count", "expected_count", "volume_uplift"))
    help_text = f"{DEFINITIONS['volume_uplift']}\n\n{totals}"
    if actual and expected is None:
        return Tile("Volume vs expected", "—", NOT_ENOUGH_HISTORY, "off", help_text, delta_arrow="off")
    if value is None or actual is None or expected is None:
        return Tile("Volume vs expected", "—", None, "off", help_text)
    delta = f"{actual - expected:+,.0f}"
    return Tile("Volume vs expected", f"{value:+.0%}", delta, "inverse", help_text, f"vs {expected:,.0f} expected")


def kpi_tiles(kpis: pd.DataFrame, uplift: Mapping, at_risk: pd.DataFrame) -> list[Tile]:
    """The Overview tiles: each incident value with its delta against normal time, definition and period sizes."""
    conversations = _pair(kpis, "conversation_count")
    totals = _sizes(conversations, "conversations")
    tiles = [_uplift_tile(uplift, totals)]
    conversations_tile = Tile(
        "Conversations",
        f"{conversations[0] or 0:,.0f}",
        None,
        "off",
        f"Conversations starting inside the incident window, and in normal time (outside every incident).\n\n{totals}",
        f"normal time {conversations[1] or 0:,.0f}",
    )
    for name, label, better, base, base_label in SHARE_TILES:
        help_text = f"{DEFINITIONS[name]}\n\n{_sizes(_pair(kpis, base), base_label)}"
        tiles.append(_compare_tile(label, _pair(kpis, name), "share", better, help_text))
    unanswered = _pair(kpis, "unanswered_count")
    answered = tuple((c or 0) - (u or 0) for c, u in zip(conversations, unanswered, strict=True))
    for name, label in MINUTE_TILES:
        help_text = f"{DEFINITIONS[name]}\n\n{_sizes(answered, 'answered conversations')}"
        tiles.append(_compare_tile(label, _pair(kpis, name), "minutes", False, help_text))
    influencers = _pair(kpis, "influencer_conversation_count")
    tiles.append(
        _count_tile(
            "Influencers / media",
            influencers[0],
            _ratio(influencers, conversations),
            "share",
            f"{DEFINITIONS['influencer_conversation_count']}\n\n{totals}",
        )
    )
    tiles.append(
        _count_tile(
            "At-risk customers",
            _pair(at_risk, "at_risk_customer_count")[0],
            _pair(at_risk, "at_risk_conversation_share"),
            "share",
            f"{AT_RISK_DEFINITION}\n\n{_sizes(_pair(at_risk, 'conversation_count'), 'conversations')}",
        )
    )
    return [*tiles, conversations_tile]


def at_risk_customers(at_risk: pd.DataFrame) -> int | None:
    """The incident's count of customers at elevated churn risk from overview_at_risk_period."""
    count = _pair(at_risk, "at_risk_customer_count")[0]
    return None if count is None else int(count)


def kpi_table(report: Mapping, at_risk: pd.DataFrame) -> pd.DataFrame:
    """The tiles' numbers as one long table (metric, incident, normal) for the CSV download."""
    rows = [
        {"metric": name, "incident": values.get("incident"), "normal": values.get("normal")}
        for name, values in report["metrics"].items()
        if name != "volume_uplift"
    ]
    uplift = report["metrics"].get("volume_uplift") or {}
    rows += [{"metric": f"volume_{key}", "incident": uplift.get(key), "normal": None} for key in uplift]
    for column in ("at_risk_conversation_count", "at_risk_conversation_share", "at_risk_customer_count"):
        incident, normal = _pair(at_risk, column)
        rows.append({"metric": column, "incident": incident, "normal": normal})
    return pd.DataFrame(rows)


def html_report_available() -> bool:
    """Whether the HTML report renderer (dashboard/report_html.py, another engineer's module) can be imported."""
    try:
        from dashboard.report.html import render  # noqa: F401
    except ImportError:
        return False
    return True


def report_bytes(path: Path, incident_id: str, params: Mapping, as_html: bool = False) -> bytes:
    """The incident report file (JSON, or the executive HTML) read on its own read-only connection, for downloads."""
    from dashboard.db import database
    from dashboard.report.build import full_report, incident_report, render_html

    con = database.connect(Path(path), read_only=True)
    try:
        if as_html:
            return render_html(full_report(con, incident_id, dict(params))).encode("utf-8")
        return json.dumps(incident_report(con, incident_id, dict(params)), indent=2).encode("utf-8")
    finally:
        con.close()
