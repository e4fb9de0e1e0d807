"""The incident-versus-normal report, built once for everyone: `python -m dashboard report`, the Overview's and the
Incidents page's downloads all call `report_file`.

Queries the database (queries/*.sql), assembles the report dict with summary.report_from_frames (the shape the pages
build from their cached rows too) and renders it as JSON or, with html.render, as the executive HTML file.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from dashboard.core.errors import UserError
from dashboard.db import database, sql
from dashboard.metrics import terms
from dashboard.report import html, summary

NOT_ENOUGH_HISTORY = "not enough history"


def uplift_metric(actual: Any, expected: Any, uplift: Any) -> dict[str, Any]:
    """The report's volume_uplift entry; with conversations but no expected volume, its note says why."""
    note = NOT_ENOUGH_HISTORY if expected is None and actual else None
    return {"actual": actual, "expected": expected, "uplift": uplift, "note": note}


def all_values_params(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """Filter parameters of the default view: the data's dense span (the app's default range), every channel etc."""
    row = sql.run_query(con, "filter_options").iloc[0]
    if pd.isna(row["first_started_at"]):
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
        raise UserError(
            "the database holds no incidents: run `python -m dashboard detect` to find them in the data, "
            "or import an incidents file (--incidents)"
        )
    if incident_id is None:  # the latest incident owning conversations: detected ones may only annotate
        owning = incidents[incidents["conversation_count"] > 0]
        incident_id = (owning if len(owning) else incidents)["incident_id"].iloc[0]
    elif incident_id not in set(incidents["incident_id"]):
        known = ", ".join(incidents["incident_id"].head(10))
        raise UserError(f"no incident {incident_id!r}; known incidents: {known}")
    incident = incidents[incidents["incident_id"] == incident_id].iloc[0]
    params = {**params, "incident_id": incident_id}
    kpis = sql.run_query(con, "kpi_incident_vs_normal", **params)
    uplift = sql.run_query(con, "volume_uplift_incident", **params).iloc[0]
    return summary.report_from_frames({**incident.to_dict(), "incident_id": incident_id}, kpis, uplift)


def sections(con: duckdb.DuckDBPyConnection, report: dict, params: dict[str, Any]) -> dict:
    """The extra report sections for one incident (new keys only; the report's own keys are left as they are),
    computed as the Overview and Sentiment pages do: summary.py's words and at-risk count, terms.py's surging terms."""
    incident_id = report["incident"]["incident_id"]
    scoped = {**params, "incident_id": incident_id}
    hourly = sql.run_query(con, "incident_volume_hourly", **scoped)
    surging = terms.surging_terms(sql.run_query(con, "sentiment_first_texts_period", **scoped), top=12)
    at_risk = sql.run_query(con, "customer_at_risk_period", **scoped)
    details = sql.run_query(con, "incidents_list").set_index("incident_id").loc[incident_id]
    risky = at_risk.set_index("period").reindex(["incident"]).iloc[0]
    count = summary.at_risk_customers(at_risk)
    return {
        "details": {
            key: summary.plain(None if pd.isna(details[key]) else details[key])
            for key in ("source", "severity", "services")
        },
        "scope": {key: pd.Timestamp(params[key]).isoformat() for key in ("start_at", "end_at")},
        "timeline": _timeline(hourly),
        "terms": json.loads(surging.to_json(orient="records")),
        "at_risk_customers": {
            "count": count,
            "conversation_count": summary.plain(risky["at_risk_conversation_count"]),
            "conversation_share": summary.plain(risky["at_risk_conversation_share"]),
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
    """The report plus the executive report's sections under new keys (timeline, summary, terms, at-risk)."""
    report = incident_report(con, incident_id, params)
    return {**report, **sections(con, report, params)}


def build_report(path: Path, incident_id: str | None = None, full: bool = False, tz: str = "UTC") -> dict:
    """The report over the whole database (`full`: with the executive report's sections, whose HTML shows times in
    display time zone `tz`)."""
    con = database.reader(path)
    try:
        params = {**all_values_params(con), "tz": tz}
        return (full_report if full else incident_report)(con, incident_id, params)
    finally:
        con.close()


def render(report: dict, as_html: bool = False) -> str:
    """The report as the file's text: indented JSON, or the executive HTML page."""
    return html.render(report) if as_html else json.dumps(report, indent=2, default=str)


def render_html(report: dict) -> str:
    """The executive HTML report (html.render)."""
    return render(report, as_html=True)


def report_file(
    path: Path,
    incident_id: str | None = None,
    params: Mapping[str, Any] | None = None,
    as_html: bool = False,
    tz: str = "UTC",
) -> str:
    """The report file (JSON, or the executive HTML with its extra sections) read on its own read-only connection:
    the one builder behind the CLI and both pages' downloads. `params` are the page's filters (default: everything,
    HTML times in display time zone `tz`)."""
    con = database.reader(Path(path))
    try:
        scope = {**all_values_params(con), "tz": tz} if params is None else dict(params)
        report = (full_report if as_html else incident_report)(con, incident_id, scope)
    finally:
        con.close()
    return render(report, as_html)


def report_bytes(path: Path, incident_id: str, params: Mapping[str, Any], as_html: bool = False) -> bytes:
    """report_file as UTF-8 bytes, for a download button (called only when the user clicks)."""
    return report_file(path, incident_id, params, as_html).encode("utf-8")
