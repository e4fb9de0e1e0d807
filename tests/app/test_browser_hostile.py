"""In a real browser, hostile data stays text: no link or image to evil.example appears, nothing from it is fetched and
no script runs, on the pages (a `streamlit run` server) and in the executive HTML report."""

from __future__ import annotations

import urllib.parse
import urllib.request

import pytest

from dashboard.report.build import build_report, render_html
from tests.app import hostile_data as hostile
from tests.app.browser_support import NO_CHROMIUM, streamlit_server

pytestmark = NO_CHROMIUM
# A link or image pointing at the data's host (a heading's own "#slug" anchor is Streamlit's, not the data's), or an
# inline script mentioning it.
LIVE_MARKUP = "a[href*='//evil'], a[href^='javascript'], img[src*='evil'], script:not([src])"
# Each match with the data-testid path above it, to say where it is.
DESCRIBE = """els => els.map(e => {
    const path = [];
    for (let n = e; n; n = n.parentElement) if (n.dataset && n.dataset.testid) path.push(n.dataset.testid);
    return e.outerHTML.slice(0, 160) + ' in ' + path.slice(0, 4).join(' < ');
})"""


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory):
    """The hostile demo database (read only)."""
    return hostile.build_hostile(tmp_path_factory.mktemp("hostile_browser") / "hostile.duckdb")


@pytest.fixture(scope="module")
def hostile_server(hostile_db, tmp_path_factory):
    """`streamlit run streamlit_app.py` on the hostile database."""
    with streamlit_server(hostile_db, tmp_path_factory.mktemp("server")) as base:
        yield base


def watch(page) -> dict[str, list[str]]:
    """Record (and block) every request to evil.example and every alert a script raises on `page`."""
    seen: dict[str, list[str]] = {"requests": [], "dialogs": []}

    def block(route):
        seen["requests"].append(route.request.url)
        route.abort()

    page.route(lambda url: (urllib.parse.urlsplit(url).hostname or "").endswith("evil.example"), block)
    page.on("dialog", lambda dialog: (seen["dialogs"].append(dialog.message), dialog.dismiss()))
    return seen


def live_markup(page) -> list[str]:
    """Links, images and inline scripts of the data that the page's DOM (and Plotly's SVG) holds."""
    found = page.eval_on_selector_all(LIVE_MARKUP, DESCRIBE)
    return [html for html in found if "evil" in html or "javascript" in html]


def open_watched(browser, url: str, ready: str):
    """A page watched from its first request, opened at `url`, once `ready` (a selector) shows."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    seen = watch(page)
    page.goto(url)
    page.wait_for_selector(ready, timeout=90_000)
    page.wait_for_timeout(3000)  # let the rest of the page (charts, images) arrive
    return page, seen


def test_the_conversation_page_shows_hostile_data_as_text(hostile_server, browser):
    query = urllib.parse.urlencode({"incident": hostile.HOSTILE_INCIDENT, "conversation": hostile.LINK})
    page, seen = open_watched(browser, f"{hostile_server}/conversations?{query}", '[data-testid="stChatMessage"]')
    try:
        body = page.inner_text("body")
        assert "Click to re-login" in body and "evil.example/login" in body  # shown, as text
        assert not live_markup(page), live_markup(page)
        assert not seen["requests"] and not seen["dialogs"], seen
    finally:
        page.close()


def test_the_overview_chart_shows_a_hostile_incident_title_as_text(hostile_server, browser):
    query = urllib.parse.urlencode({"incident": hostile.HOSTILE_INCIDENT})
    page, seen = open_watched(browser, f"{hostile_server}/?{query}", ".js-plotly-plot .annotation-text")
    try:
        labels = page.eval_on_selector_all(".js-plotly-plot .annotation-text", "els => els.map(e => e.textContent)")
        assert any(hostile.ANCHOR in label for label in labels), labels  # the title's tag, as characters
        assert not live_markup(page), live_markup(page)
        assert not seen["requests"] and not seen["dialogs"], seen
    finally:
        page.close()


def test_the_html_report_shows_hostile_data_as_text(hostile_db, browser, tmp_path):
    report = build_report(hostile_db, incident_id=hostile.HOSTILE_INCIDENT, full=True)
    path = tmp_path / "report.html"
    path.write_text(render_html(report), encoding="utf-8")
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    seen = watch(page)
    try:
        page.goto(path.as_uri())
        page.wait_for_selector(".js-plotly-plot .annotation-text", timeout=30_000)
        assert hostile.ANCHOR in page.inner_text("h1")
        assert not live_markup(page), live_markup(page)
        assert not seen["requests"] and not seen["dialogs"], seen
    finally:
        page.close()
