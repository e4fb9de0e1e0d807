"""The incident-versus-normal report (PRODUCT.md §5): the numbers behind `python -m dashboard report`."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from dashboard.core.errors import UserError
from dashboard.db import database, sql

REPORT_METRICS = (
    "conversation_count",
    "negative_start_share",
    "recovery_rate",
    "neutral_to_positive_rate",
    "sla_attainment",
    "median_first_response_minutes",
    "p90_first_response_minutes",
    "influencer_conversation_count",
)


def _plain(value: Any) -> Any:
    """JSON-friendly scalars: numpy numbers become Python numbers, NaN becomes None."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if hasattr(value, "item"):
        value = value.item()
    return None if isinstance(value, float) and value != value else value


NOT_ENOUGH_HISTORY = "not enough history"


def uplift_metric(actual: Any, expected: Any, uplift: Any) -> dict[str, Any]:
    """The report's volume_uplift entry; with conversations but no expected volume, its note says why."""
    note = NOT_ENOUGH_HISTORY if expected is None and actual else None
    return {"actual": actual, "expected": expected, "uplift": uplift, "note": note}


def all_values_params(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """Filter parameters of the default view: the data's dense span (the app's default range), every channel etc."""
    row = sql.run_query(con, "filter_options").iloc[0]
    if row["channels"] is None:
        raise UserError("the database holds no conversations: import data or run `python -m dashboard demo`")
    return {
        "start_at": pd.Timestamp(row["span_started_at"]).floor("D").to_pydatetime(),
        "end_at": (pd.Timestamp(row["span_end_at"]).floor("D") + pd.Timedelta(days=1)).to_pydatetime(),
        "channels": list(row["channels"]),
        "accounts": list(row["accounts"]),
        "priorities": list(row["priorities"]),
    }


def incident_report(con: duckdb.DuckDBPyConnection, incident_id: str | None, params: dict[str, Any]) -> dict:
    """The report for one incident (default: the latest) within the given filter parameters."""
    incidents = sql.run_query(con, "incidents_list")
    if incidents.empty:
        raise UserError("the database holds no incidents: import an incidents file (--incidents) first")
    if incident_id is None:  # the latest incident owning conversations: detected ones may only annotate
        owning = incidents[incidents["conversation_count"] > 0]
        incident_id = (owning if len(owning) else incidents)["incident_id"].iloc[0]
    elif incident_id not in set(incidents["incident_id"]):
        known = ", ".join(incidents["incident_id"].head(10))
        raise UserError(f"no incident {incident_id!r}; known incidents: {known}")
    incident = incidents[incidents["incident_id"] == incident_id].iloc[0]
    params = {**params, "incident_id": incident_id}
    kpis = sql.run_query(con, "kpi_incident_vs_normal", **params).set_index("period")
    uplift = sql.run_query(con, "volume_uplift_incident", **params).iloc[0]

    def value(period: str, metric: str) -> Any:
        return _plain(kpis.at[period, metric]) if period in kpis.index else None

    metrics = {name: {"incident": value("incident", name), "normal": value("normal", name)} for name in REPORT_METRICS}
    metrics["volume_uplift"] = uplift_metric(
        _plain(uplift["actual_count"]), _plain(uplift["expected_count"]), _plain(uplift["volume_uplift"])
    )
    return {
        "incident": {
            "incident_id": incident_id,
            "title": incident["title"],
            "started_at": pd.Timestamp(incident["started_at"]).isoformat(),
            "ended_at": pd.Timestamp(incident["ended_at"]).isoformat(),
        },
        "metrics": metrics,
    }


def sections(con: duckdb.DuckDBPyConnection, report: dict, params: dict[str, Any]) -> dict:
    """The extra report sections for one incident (new keys only; the §5 keys are left as they are), computed as the
    Overview and Sentiment pages do: summary.py's words and at-risk count, terms.py's surging terms."""
    from dashboard.metrics import terms
    from dashboard.report import summary

    incident_id = report["incident"]["incident_id"]
    scoped = {**params, "incident_id": incident_id}
    hourly = sql.run_query(con, "incident_volume_hourly", **scoped)
    surging = terms.surging_terms(sql.run_query(con, "sentiment_first_texts_period", **scoped), top=12)
    at_risk = sql.run_query(con, "overview_at_risk_period", **scoped)
    details = sql.run_query(con, "incidents_list").set_index("incident_id").loc[incident_id]
    risky = at_risk.set_index("period").reindex(["incident"]).iloc[0]
    count = summary.at_risk_customers(at_risk)
    return {
        "details": {
            key: _plain(None if pd.isna(details[key]) else details[key]) for key in ("source", "severity", "services")
        },
        "scope": {key: pd.Timestamp(params[key]).isoformat() for key in ("start_at", "end_at")},
        "timeline": _timeline(hourly),
        "terms": json.loads(surging.to_json(orient="records")),
        "at_risk_customers": {
            "count": count,
            "conversation_count": _plain(risky["at_risk_conversation_count"]),
            "conversation_share": _plain(risky["at_risk_conversation_share"]),
            "definition": summary.AT_RISK_DEFINITION,
        },
        "summary": summary.incident_summary(report, count, params.get("tz", "UTC")),
        # The zone the HTML report shows times in; every time in the JSON stays UTC.
        "display_time_zone": params.get("tz", "UTC"),
        "generated_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
    }


def _timeline(hourly: pd.DataFrame) -> list[dict]:
    """Hourly rows as JSON-friendly records (ISO times, None for hours with no baseline)."""
    return [
        {
            "hour_at": pd.Timestamp(row.hour_at).isoformat(),
            "actual": int(row.conversation_count),
            "expected": None if pd.isna(row.expected_count) else float(row.expected_count),
            "expected_sd": None if pd.isna(row.expected_sd) else float(row.expected_sd),
        }
        for row in hourly.itertuples()
    ]


def full_report(con: duckdb.DuckDBPyConnection, incident_id: str | None, params: dict[str, Any]) -> dict:
    """The §5 report plus the executive report's sections under new keys (timeline, summary, terms, at-risk)."""
    report = incident_report(con, incident_id, params)
    return {**report, **sections(con, report, params)}


def build_report(path: Path, incident_id: str | None = None, full: bool = False, tz: str = "UTC") -> dict:
    """The JSON report of PRODUCT.md §5 over the whole database (`full`: with the executive report's sections, whose
    HTML shows times in display time zone `tz`)."""
    con = database.connect(path, read_only=True)
    try:
        params = {**all_values_params(con), "tz": tz}
        return (full_report if full else incident_report)(con, incident_id, params)
    finally:
        con.close()


def render_html(report: dict) -> str:
    """The executive HTML report (see dashboard/report_html.py)."""
    from dashboard.report.html import render

    return render(report)
