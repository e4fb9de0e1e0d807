"""Fixtures the browser tests in this folder share: headless Debian Chromium driven by Playwright, and a `streamlit
run` server on the shared demo database."""

from __future__ import annotations

import pytest

from tests.app.browser_support import ARGS, CHROMIUM, streamlit_server


@pytest.fixture(scope="module")
def browser():
    """Headless Debian Chromium driven by Playwright (skipped when Playwright is not installed)."""
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def server(demo_db, tmp_path_factory):
    """`streamlit run streamlit_app.py` on the demo database, on a free loopback port; yields its base URL."""
    with streamlit_server(demo_db, tmp_path_factory.mktemp("server")) as base:
        yield base
