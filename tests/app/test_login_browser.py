"""Login end to end: a real `streamlit run` server with an [auth] section pointing at a local mock OpenID provider
(oidc-provider-mock, on 127.0.0.1), driven in headless Chromium. Not logged in: only a log-in button. An allowed
address: the pages render. A disallowed or unverified address: a refusal and nothing of the data."""

from __future__ import annotations

import os

import pytest

from tests.app.browser_support import NO_CHROMIUM, free_port, streamlit_server

pytestmark = NO_CHROMIUM
mock = pytest.importorskip("oidc_provider_mock")
pytest.importorskip("authlib")
WAIT = 90_000  # ms: the machine is shared and slow under load


@pytest.fixture(scope="module")
def provider():
    """The mock OpenID provider; `unverified` logs in with an unverified but allowed-looking address."""
    users = [mock.User(sub="unverified", claims={"email": "ann@example.com", "email_verified": False})]
    with mock.run_server_in_thread(port=0, user_claims=users) as server:
        yield f"http://127.0.0.1:{server.server_port}"


@pytest.fixture(scope="module")
def server(demo_db, provider, tmp_path_factory):
    """The dashboard with login on: ann@example.com and anyone @care.example are allowed."""
    folder = tmp_path_factory.mktemp("login")
    port = free_port()
    secrets = folder / "secrets.toml"
    secrets.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        'cookie_secret = "a-test-cookie-secret-that-is-long-enough-0123456789"\n'
        'client_id = "care-dashboard"\n'
        'client_secret = "test-secret"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n'
        "[dashboard]\n"
        'allowed_emails = ["ann@example.com", "@care.example"]\n'
    )
    env = {k: v for k, v in os.environ.items() if k not in {"DASHBOARD_ALLOWED_EMAILS", "DASHBOARD_REQUIRE_LOGIN"}}
    with streamlit_server(demo_db, folder, port=port, env=env, args=("--secrets.files", str(secrets))) as base:
        yield base


def log_in(browser, base: str, sub: str | None):
    """A fresh browser session that clicks "Log in" and authorises as `sub` at the mock provider."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(base)
    page.get_by_role("button", name="Log in").click(timeout=WAIT)
    page.wait_for_url("**/oauth2/authorize**", timeout=WAIT)
    if sub == "unverified":
        page.get_by_role("button", name="unverified").click()
    else:
        page.fill('input[name="sub"]', sub)
        page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{base}/**", timeout=WAIT)
    return context, page


def test_not_logged_in_shows_only_a_login_button(browser, server):
    context = browser.new_context()
    page = context.new_page()
    for path in ("/", "/sla"):
        page.goto(server + path)
        page.get_by_role("button", name="Log in").wait_for(timeout=WAIT)
        assert page.locator('[data-testid="stMetric"]').count() == 0
        assert page.locator('[data-testid="stSidebar"] [data-testid="stDateInput"]').count() == 0
    context.close()


def test_an_allowed_address_sees_every_page(browser, server):
    context, page = log_in(browser, server, "Ann@Example.com")
    page.locator('[data-testid="stMetric"]').first.wait_for(timeout=WAIT)
    assert "Overview" in page.locator("h1").first.inner_text()
    page.goto(f"{server}/sla")
    page.locator('[data-testid="stMetric"]').first.wait_for(timeout=WAIT)
    assert page.get_by_role("button", name="Log in").count() == 0
    context.close()


@pytest.mark.parametrize("sub", ["mallory@elsewhere.example", "unverified"])
def test_a_disallowed_or_unverified_address_is_refused(browser, server, sub):
    context, page = log_in(browser, server, sub)
    page.get_by_text("not allowed to see this dashboard").wait_for(timeout=WAIT)
    page.get_by_role("button", name="Log out").wait_for(timeout=WAIT)
    assert page.locator('[data-testid="stMetric"]').count() == 0
    page.goto(f"{server}/sla")
    page.get_by_text("not allowed to see this dashboard").wait_for(timeout=WAIT)
    assert page.locator('[data-testid="stMetric"]').count() == 0
    context.close()
