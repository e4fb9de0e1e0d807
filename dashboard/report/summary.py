"""The Overview's and Incidents page's words, tiles and tables: the incident report's numbers as a plain-language
summary, KPI tiles, the KPI CSV and the display table, every label, definition and format read from the registry.

Plain Python (no streamlit), tested with pytest. Everything works on the report shape (`{"incident": {...},
"metrics": {NAME: {"incident": x, "normal": y}}}`, see README "Metric definitions"), so the same text goes into the
JSON and HTML reports.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from dashboard.core import definitions as defs
from dashboard.core import display, timezones

AT_RISK_DEFINITION = defs.get("at_risk_customer_count").text
NOT_ENOUGH_HISTORY = "not enough history"


def uplift_metric(actual: Any, expected: Any, uplift: Any) -> dict[str, Any]:
    """The report's volume_uplift entry; with conversations but no expected volume, its note says why."""
    note = NOT_ENOUGH_HISTORY if expected is None and actual else None
    return {"actual": actual, "expected": expected, "uplift": uplift, "note": note}


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


def plain(value: Any) -> Any:
    """A JSON-friendly scalar: numpy numbers become Python numbers (integers stay integers), NaN becomes None."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return None
    if hasattr(value, "item"):
        value = value.item()
    return None if isinstance(value, float) and value != value else value


def _plain_pair(frame: pd.DataFrame, column: str) -> tuple[Any, Any]:
    """(incident, normal) values of one column of a per-period frame as the JSON report holds them."""
    values = {row["period"]: plain(row[column]) for _, row in frame.iterrows()} if column in frame else {}
    return values.get("incident"), values.get("normal")


def report_from_frames(incident: Mapping, kpis: pd.DataFrame, uplift: Mapping) -> dict:
    """The report dict from kpi_incident_vs_normal and volume_uplift_incident rows: the one shape the JSON and HTML
    reports, the Overview and the Incidents page all use."""
    metrics: dict[str, Any] = {
        name: dict(zip(("incident", "normal"), _plain_pair(kpis, name), strict=True)) for name in defs.REPORT_METRICS
    }
    metrics["volume_uplift"] = uplift_metric(
        *(plain(uplift.get(key)) for key in ("actual_count", "expected_count", "volume_uplift"))
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


CLAUSES = (
    # report metric (formatted as the registry says), the clause with {incident}, {normal} or {movement}
    ("negative_start_share", "{incident} of conversations started negative ({normal} normally)"),
    ("recovery_rate", "{incident} of negative starts recovered to positive ({normal} normally)"),
    ("sla_attainment", "SLA attainment {movement}"),
    ("median_first_response_minutes", "the median first response took {incident} ({normal} normally)"),
)


def _movement(incident: str, normal: str, rose: bool) -> str:
    """'fell to 79% (91% normally)', 'rose to ...', or 'held at ...' when the rounded values agree."""
    if incident == normal:
        return f"held at {incident} (as normally)"
    return f"{'rose' if rose else 'fell'} to {incident} ({normal} normally)"


def _clauses(metrics: Mapping) -> list[str]:
    """One clause per metric that has both an incident and a normal value."""
    out = []
    for name, template in CLAUSES:
        entry = metrics.get(name) or {}
        incident, normal = _number(entry.get("incident")), _number(entry.get("normal"))
        if incident is None or normal is None:
            continue
        fmt = defs.get(name).format
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
    """A sentence naming the collection gaps (coverage_status_daily rows, local times) in view; empty when none."""
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
    # report metric, the column counting its base, what the base is
    ("negative_start_share", "conversation_count", "conversations"),
    ("recovery_rate", "recovery_base_count", "negative starts with an end sentiment"),
    ("neutral_to_positive_rate", "neutral_base_count", "neutral starts with an end sentiment"),
    ("sla_attainment", "sla_due_count", "conversations past their deadline"),
)
MINUTE_TILES = ("median_first_response_minutes", "p90_first_response_minutes")
# A count tile's delta compares shares of each period (counts of unequal periods do not compare); lower is better.
SHARE_OF_PERIOD = defs.Definition("share_of_period", "Share of the period", "", "share", False)
Pair = tuple[float | None, float | None]


def _pair(frame: pd.DataFrame, column: str) -> Pair:
    """(incident, normal) values of one column of a per-period frame; None where a period or value is missing."""
    values = {row["period"]: _number(row[column]) for _, row in frame.iterrows()} if column in frame else {}
    return values.get("incident"), values.get("normal")


def _ratio(numerator: Pair, denominator: Pair) -> Pair:
    """Element-wise numerator ÷ denominator, None when either is missing or the denominator is zero."""
    incident, normal = (n / d if n is not None and d else None for n, d in zip(numerator, denominator, strict=True))
    return incident, normal


def _sizes(pair: Pair, what: str) -> str:
    """'Incident: 106 conversations; normal: 3,813.' (the size of both periods behind a number)."""
    incident, normal = (f"{value or 0:,.0f}" for value in pair)
    return f"Incident: {incident} {what}; normal: {normal}."


def _compare_tile(
    metric: defs.Definition, pair: Pair, help_text: str, label: str | None = None, bases: Pair = (None, None)
) -> Tile:
    """The incident value, its delta against normal (red when worse, grey when unchanged) and the normal value.

    A missing value reads as a dash with the reason in the tooltip; a rate whose base (`bases`: incident, normal) is
    small shows that base and is greyed.
    """
    incident, normal = (display.number(value) for value in pair)
    label = label or metric.label
    if incident is None:
        reason = "No incident value: nothing in the incident period to measure it on."
        return Tile(label, display.MISSING, None, "off", f"{help_text}\n\n{reason}")
    value = display.with_base(metric.format(incident), bases[0])
    if normal is None:
        reason = "No normal-time value to compare with: nothing outside incidents to measure it on."
        return Tile(label, value, None, "off", f"{help_text}\n\n{reason}")
    delta = metric.format_delta(incident - normal)
    small = display.is_small(bases[0]) or display.is_small(bases[1])
    color = (
        "off" if small or delta == metric.format_delta(0.0) else ("normal" if metric.higher_is_better else "inverse")
    )
    help_text = f"{help_text}\n\n{display.SMALL_BASE_NOTE}" if small else help_text
    normal_text = display.with_base(metric.format(normal), bases[1])
    return Tile(label, value, delta, color, help_text, f"normal {normal_text}")


def _count_tile(metric: defs.Definition, count: float | None, shares: Pair, help_text: str) -> Tile:
    """A count as the value with the share comparison as its delta: counts of unequal periods do not compare."""
    tile = _compare_tile(SHARE_OF_PERIOD, shares, help_text, metric.label)
    description = f"share {shares[0]:.0%} vs {shares[1]:.0%}" if tile.delta else None
    return Tile(metric.label, metric.format(count), tile.delta, tile.delta_color, help_text, description)


def _help(key: str, sizes: str) -> str:
    """A tile's tooltip: the registry's definition, then the size of both periods behind the number."""
    return f"{defs.get(key).text}\n\n{sizes}"


def _uplift_tile(uplift: Mapping, totals: str) -> Tile:
    """Volume uplift with the actual-minus-expected conversations as its delta (more is worse)."""
    metric = defs.get("volume_uplift")
    actual, expected, value = (_number(uplift.get(k)) for k in ("actual_count", "expected_count", "volume_uplift"))
    help_text = f"{metric.text} {defs.get('expected_count').label}: {defs.get('expected_count').text}\n\n{totals}"
    if actual and expected is None:
        return Tile(metric.label, defs.MISSING, NOT_ENOUGH_HISTORY, "off", help_text, delta_arrow="off")
    if value is None or actual is None or expected is None:
        return Tile(metric.label, defs.MISSING, None, "off", help_text)
    delta = f"{actual - expected:+,.0f}"
    return Tile(metric.label, metric.format(value), delta, "inverse", help_text, f"vs {expected:,.0f} expected")


def kpi_tiles(kpis: pd.DataFrame, uplift: Mapping, at_risk: pd.DataFrame) -> list[Tile]:
    """The Overview tiles: each incident value with its delta against normal time, definition and period sizes."""
    conversations = _pair(kpis, "conversation_count")
    totals = _sizes(conversations, "conversations")
    tiles = [_uplift_tile(uplift, totals)]
    for name, base, base_label in SHARE_TILES:
        help_text = _help(name, _sizes(_pair(kpis, base), base_label))
        tiles.append(_compare_tile(defs.get(name), _pair(kpis, name), help_text, bases=_pair(kpis, base)))
    unanswered = _pair(kpis, "unanswered_count")
    incident_answered, normal_answered = ((c or 0) - (u or 0) for c, u in zip(conversations, unanswered, strict=True))
    answered: Pair = (incident_answered, normal_answered)
    for name in MINUTE_TILES:
        help_text = _help(name, _sizes(answered, "answered conversations"))
        tiles.append(_compare_tile(defs.get(name), _pair(kpis, name), help_text, bases=answered))
    influencers = _pair(kpis, "influencer_conversation_count")
    tiles.append(
        _count_tile(
            defs.get("influencer_conversation_count"),
            influencers[0],
            _ratio(influencers, conversations),
            _help("influencer_conversation_count", totals),
        )
    )
    tiles.append(
        _count_tile(
            defs.get("at_risk_customer_count"),
            _pair(at_risk, "at_risk_customer_count")[0],
            _pair(at_risk, "at_risk_conversation_share"),
            _help("at_risk_customer_count", _sizes(_pair(at_risk, "conversation_count"), "conversations")),
        )
    )
    conversations_tile = Tile(
        defs.get("conversation_count").label,
        defs.display(conversations[0] or 0, "count"),
        None,
        "off",
        _help("conversation_count", totals),
        f"normal time {defs.display(conversations[1] or 0, 'count')}",
    )
    return [*tiles, conversations_tile]


def at_risk_customers(at_risk: pd.DataFrame) -> int | None:
    """The incident's count of customers at elevated churn risk from customer_at_risk_period."""
    count = _pair(at_risk, "at_risk_customer_count")[0]
    return None if count is None else int(count)


KPI_COLUMNS = ["metric", "label", "incident", "normal", "unit", "definition"]
UPLIFT_ROWS = (("volume_actual", "actual", "actual_count"), ("volume_expected", "expected", "expected_count"),
               ("volume_uplift", "uplift", "volume_uplift"))  # fmt: skip
AT_RISK_ROWS = ("at_risk_conversation_count", "at_risk_conversation_share", "at_risk_customer_count")


def kpi_table(report: Mapping, at_risk: pd.DataFrame) -> pd.DataFrame:
    """The tiles' numbers as one long table for the CSV download: metric, label, incident, normal, unit, definition;
    numbers exactly as the JSON report writes them (a count stays 58, never 58.0)."""

    def row(metric: str, key: str, incident: Any, normal: Any) -> dict[str, Any]:
        entry = defs.get(key)
        return dict(zip(KPI_COLUMNS, (metric, entry.label, incident, normal, entry.unit, entry.text), strict=True))

    metrics = report["metrics"]
    rows = [row(name, name, values.get("incident"), values.get("normal")) for name, values in metrics.items()
            if name != "volume_uplift"]  # fmt: skip
    uplift = metrics.get("volume_uplift") or {}
    rows += [row(metric, key, uplift.get(field), None) for metric, field, key in UPLIFT_ROWS if field in uplift]
    rows += [row(column, column, *_plain_pair(at_risk, column)) for column in AT_RISK_ROWS]
    return pd.DataFrame(rows, columns=KPI_COLUMNS, dtype=object)


def kpi_frame(report: Mapping) -> pd.DataFrame:
    """Incident against normal time for every report metric as display text, with its definition (a page table)."""
    rows = []
    for name in defs.REPORT_METRICS:
        metric, values = defs.get(name), report["metrics"].get(name) or {}
        rows.append({"Metric": metric.label, "Incident": metric.format(values.get("incident")),
                     "Normal": metric.format(values.get("normal")), "Definition": metric.text})  # fmt: skip
    return pd.DataFrame(rows)
