"""The executive HTML report: one self-contained file whose charts and KPI numbers render with no network."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dashboard.cli import main
from dashboard.report.build import all_values_params, build_report, full_report, incident_report, render_html
from dashboard.report.html import fmt

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]  # fmt: skip


@pytest.fixture(scope="module")
def report(demo_db) -> dict:
    """The full report of the demo's latest incident."""
    from dashboard.db import database

    con = database.connect(demo_db, read_only=True)
    try:
        return full_report(con, None, all_values_params(con))
    finally:
        con.close()


def test_html_is_self_contained(report):
    page = render_html(report)
    assert page.count("Plotly.newPlot(") == 2
    assert len(re.findall(r"\* plotly\.js v\d", page)) == 1  # the library inlined once
    assert not re.search(r"<script[^>]+src=", page)  # nothing loaded from elsewhere
    metrics = report["metrics"]
    assert fmt(metrics["conversation_count"]["incident"], "count") in page
    assert fmt(metrics["negative_start_share"]["normal"], "share") in page
    assert report["summary"] in page
    for term in report["terms"][:3]:
        assert f"<td>{term['term']}</td>" in page


def test_a_plain_report_renders_and_says_what_is_missing(demo_con):
    plain = incident_report(demo_con, "INC-101", all_values_params(demo_con))
    page = render_html(plain)
    assert "No hourly timeline in this report." in page and "No surging terms in this report." in page
    assert page.count("Plotly.newPlot(") == 1  # the shares chart still carries plotly.js
    assert plain["incident"]["title"] in page


def test_summary_and_at_risk_match_the_overview(report):
    from dashboard.report import summary

    assert report["summary"] == summary.incident_summary(report, report["at_risk_customers"]["count"])
    assert report["at_risk_customers"]["definition"] == summary.AT_RISK_DEFINITION
    uplift = report["metrics"]["volume_uplift"]
    assert f"{abs(uplift['uplift']):.0%} above expected" in report["summary"]


def test_cli_writes_one_html_file(demo_db, tmp_path):
    out = tmp_path / "report.html"
    assert main(["--db", str(demo_db), "report", "--incident", "INC-102", "--format", "html", "--out", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "Online check-in failure" in page


def test_the_html_shows_times_in_the_chosen_zone_and_the_json_stays_utc(demo_db, tmp_path):
    out = tmp_path / "report.html"
    args = ["--db", str(demo_db), "report", "--incident", "INC-102", "--format", "html", "--out", str(out)]
    assert main([*args, "--tz", "Asia/Kolkata"]) == 0
    page = out.read_text(encoding="utf-8")
    # INC-102 starts 12 Sep 2026 05:00 UTC: 10:30 in Kolkata.
    assert "12 Sep 2026 10:30" in page and "Asia/Kolkata" in page
    assert "Hour (Asia/Kolkata)" in page.replace("\\u002f", "/")  # the chart's axis (plotly escapes the slash)
    assert main([*args, "--tz", "Nowhere/Else"]) == 2
    data = build_report(demo_db, "INC-102", full=True, tz="Asia/Kolkata")
    assert data["incident"]["started_at"].startswith("2026-09-12T05:00") and data["display_time_zone"] == "Asia/Kolkata"


@pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium: the browser check needs a local Chromium")
def test_report_renders_offline_in_chromium(report, tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    path = tmp_path / "report.html"
    path.write_text(render_html(report), encoding="utf-8")
    blocked, errors = [], []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))

        def only_files(route):
            if route.request.url.startswith("file://"):
                return route.continue_()
            blocked.append(route.request.url)
            return route.abort()

        page.route("**/*", only_files)
        page.goto(path.as_uri())
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=15_000)
        plots = page.locator(".js-plotly-plot").count()
        bars = page.locator(".js-plotly-plot .barlayer .point").count()
        lines = page.locator(".js-plotly-plot .scatterlayer .trace").count()
        tiles = page.locator(".tile .value").all_inner_texts()
        browser.close()
    assert (blocked, errors) == ([], [])
    assert plots == 2 and bars == 8 and lines >= 4
    metrics = report["metrics"]
    assert fmt(metrics["volume_uplift"]["uplift"], "uplift") in tiles
    assert fmt(metrics["negative_start_share"]["incident"], "share") in tiles
    assert fmt(report["at_risk_customers"]["count"], "count") in tiles
