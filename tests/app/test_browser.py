"""Browser tests: a real `streamlit run` server, pages opened in Debian's headless Chromium via Playwright."""

from __future__ import annotations

import time

import pytest

from dashboard.app.pages import PAGES
from dashboard.db import sql
from dashboard.report.build import all_values_params
from tests.app.browser_support import NO_CHROMIUM

pytestmark = NO_CHROMIUM


def open_page(browser, url: str):
    """Open a URL and wait until Streamlit has finished running the page script."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(url)
    page.wait_for_selector('[data-testid="stMainBlockContainer"] h1', timeout=90_000)
    quiet_since = None
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        running = page.locator('[data-testid="stStatusWidget"]').count() > 0
        if running:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since > 2:
            break
        page.wait_for_timeout(250)
    return page


@pytest.mark.parametrize("url_path", [page.url_path for page in PAGES])
def test_every_page_loads_without_exception(server, browser, url_path):
    page = open_page(browser, f"{server}/{url_path}")
    try:
        assert page.locator('[data-testid="stException"]').count() == 0, page.inner_text("body")[:2000]
    finally:
        page.close()


def tile_values(page) -> dict[str, str]:
    """KPI tile label → displayed value."""
    values = {}
    for tile in page.locator('[data-testid="stMetric"]').all():
        label = tile.locator('[data-testid="stMetricLabel"]').inner_text().strip()
        values[label] = tile.locator('[data-testid="stMetricValue"]').inner_text().strip()
    return values


def test_overview_tiles_show_the_latest_incidents_numbers(server, browser, demo_con):
    """The rendered Conversations tile is the latest incident's count from the KPI query (not just any tiles)."""
    from dashboard.db import sql
    from dashboard.report.build import all_values_params

    latest = demo_con.execute("select incident_id from incidents order by started_at desc limit 1").fetchone()[0]
    kpis = sql.run_query(demo_con, "kpi_incident_vs_normal", **all_values_params(demo_con), incident_id=latest)
    expected = int(kpis.set_index("period").at["incident", "conversation_count"])
    page = open_page(browser, server)
    page.wait_for_function("document.querySelectorAll('[data-testid=\"stMetric\"]').length >= 8", timeout=90_000)
    try:
        values = tile_values(page)
        assert len(values) >= 8
        assert values["Conversations"].replace(",", "") == str(expected)
    finally:
        page.close()


def test_url_with_filters_reproduces_the_numbers(server, browser, demo_con):
    oldest = demo_con.execute("select incident_id from incidents order by started_at limit 1").fetchone()[0]
    url = f"{server}/?incident={oldest}&channel=twitter,messenger"
    first, second = open_page(browser, url), open_page(browser, url)
    for page in (first, second):
        page.wait_for_function("document.querySelectorAll('[data-testid=\"stMetric\"]').length >= 8", timeout=90_000)
        page.wait_for_timeout(2000)
    try:
        assert tile_values(first) == tile_values(second)
        params = {**all_values_params(demo_con), "channels": ["twitter", "messenger"], "incident_id": oldest}
        kpis = sql.run_query(demo_con, "kpi_incident_vs_normal", **params).set_index("period")
        count = f"{kpis.at['incident', 'conversation_count']:,}"
        assert count in first.inner_text("body"), f"incident size {count} not shown"
        assert "incident=" + oldest in first.url
    finally:
        first.close()
        second.close()


def test_clicking_a_bar_lists_the_conversations_behind_it(server, browser, demo_con):
    # Channel mix on the Channels page: the first channel's segment in the selected (latest) incident's row.
    latest = demo_con.execute("select incident_id from incidents order by started_at desc limit 1").fetchone()[0]
    params = {**all_values_params(demo_con), "incident_id": latest}
    kpis = sql.run_query(demo_con, "channel_kpis_incident_vs_normal", **params).set_index(["channel", "period"])
    first_channel = sorted({channel for channel, _ in kpis.index})[0]
    expected = f"{kpis.at[(first_channel, 'incident'), 'conversation_count']:,} conversations"
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page = open_page(browser, f"{server}/channels")
    try:
        page.wait_for_selector(".js-plotly-plot g.point", timeout=60_000)
        # the first chart is the channel mix; its second bar is the first channel in the incident row
        segment = page.locator(".js-plotly-plot").first.locator("g.point").nth(1)
        listed = page.get_by_text(f"channels: {first_channel}; incident {latest}")
        for _ in range(3):  # the first click can land before Plotly has wired its events
            box = segment.bounding_box()
            page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            try:
                listed.wait_for(timeout=20_000)
                break
            except PlaywrightTimeout:
                continue
        assert expected in page.inner_text("body")
    finally:
        page.close()
