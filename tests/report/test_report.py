"""`python -m dashboard report --format json` keeps the JSON shape the README documents (Command line) exactly; the
full report only adds keys; the Incidents page's headline numbers agree with the report."""

from __future__ import annotations

import json
import shutil

import pytest

from dashboard.cli import main
from dashboard.core.definitions import REPORT_METRICS
from dashboard.db import database, sql
from dashboard.report.build import all_values_params, full_report, incident_report

SHARES = ("negative_start_share", "recovery_rate", "neutral_to_positive_rate", "sla_attainment")
COUNTS = ("conversation_count", "influencer_conversation_count")


def run_report(capsys, db, *extra: str) -> dict:
    """The report command's JSON output."""
    assert main(["--db", str(db), "report", "--format", "json", *extra]) == 0
    return json.loads(capsys.readouterr().out)


def test_json_shape_is_exactly_the_contract(demo_db, capsys):
    report = run_report(capsys, demo_db)
    assert set(report) == {"incident", "metrics"}
    assert set(report["incident"]) == {"incident_id", "title", "started_at", "ended_at"}
    assert report["incident"]["incident_id"] == "INC-105"  # the latest incident
    assert set(report["metrics"]) == {*REPORT_METRICS, "volume_uplift"}
    for name in REPORT_METRICS:
        assert set(report["metrics"][name]) == {"incident", "normal"}, name
    assert set(report["metrics"]["volume_uplift"]) == {"actual", "expected", "uplift", "note"}


def test_values_follow_the_definitions(demo_db, capsys):
    # Not the default incident, and the small demo's largest: a planted effect needs more than a few dozen starts.
    metrics = run_report(capsys, demo_db, "--incident", "INC-104")["metrics"]
    for name in SHARES:
        for period in ("incident", "normal"):
            assert 0 <= metrics[name][period] <= 1, (name, period)
    for name in COUNTS:
        assert all(isinstance(metrics[name][p], int) and metrics[name][p] >= 0 for p in ("incident", "normal"))
    uplift = metrics["volume_uplift"]
    assert uplift["uplift"] == pytest.approx(uplift["actual"] / uplift["expected"] - 1)
    assert uplift["actual"] == metrics["conversation_count"]["incident"]
    assert metrics["negative_start_share"]["incident"] > metrics["negative_start_share"]["normal"]


def test_unknown_incident_is_one_line_error(demo_db, capsys):
    assert main(["--db", str(demo_db), "report", "--incident", "NOPE"]) == 2
    assert capsys.readouterr().err.startswith("error: no incident 'NOPE'")


def test_default_stays_the_latest_recorded_incident_after_detection(demo_db, tmp_path, capsys):
    path = tmp_path / "detected.duckdb"
    shutil.copy(demo_db, path)
    con = database.connect(path)
    con.execute(
        "insert into incidents values ('DET-LATER', 'Detected spike', '2026-11-14 09:00', '2026-11-14 12:00', "
        "'low', null, 'detected')"
    )
    con.close()
    assert run_report(capsys, path)["incident"]["incident_id"] == "INC-105"


def test_full_report_only_adds_keys(demo_con):
    params = all_values_params(demo_con)
    base = incident_report(demo_con, "INC-105", params)
    full = full_report(demo_con, "INC-105", params)
    assert {key: full[key] for key in base} == base
    assert {"timeline", "summary", "terms", "at_risk_customers", "details", "scope"} <= set(full)
    assert len(full["timeline"]) >= 24
    risk = full["at_risk_customers"]
    assert 0 <= risk["count"] <= risk["conversation_count"] <= full["metrics"]["conversation_count"]["incident"]
    assert all(t["incident_share"] > t["normal_share"] for t in full["terms"])
    json.dumps(full)  # JSON-friendly throughout


def test_incident_headlines_agree_with_the_report(demo_con):
    params = all_values_params(demo_con)
    headlines = sql.run_query(demo_con, "incident_headlines_list", **params).set_index("incident_id")
    for incident_id in ("INC-101", "INC-105"):
        metrics = incident_report(demo_con, incident_id, params)["metrics"]
        row = headlines.loc[incident_id]
        assert row["conversation_count"] == row["owned_count"] == metrics["conversation_count"]["incident"]
        assert row["negative_start_share"] == pytest.approx(metrics["negative_start_share"]["incident"])
        assert row["sla_attainment"] == pytest.approx(metrics["sla_attainment"]["incident"])
        assert row["volume_uplift"] == pytest.approx(metrics["volume_uplift"]["uplift"])
