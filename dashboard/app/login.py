"""Optional login for every page: Streamlit's OpenID Connect support (st.login / st.user) plus an e-mail allow-list.

No [auth] section in the secrets = no login, the dashboard is open as before (it listens on 127.0.0.1 only). With an
[auth] section, page_frame calls `require_login()` first: a visitor who is not logged in sees only a log-in button,
and a logged-in address that is not on the allow-list (dashboard/core/access.py) sees a refusal and a log-out button.
Nothing else of the page runs for them. Setup: README, "Access".
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

import streamlit as st

from dashboard.core import access

LOG = logging.getLogger("dashboard.app")


def _auth_section() -> dict | None:
    """The secrets' [auth] table, None when login is not set up; an unreadable secrets file stops the page."""
    if not st.secrets.load_if_toml_exists():
        files = [Path(p).expanduser() for p in st.get_option("secrets.files") or ()]
        if any(p.is_file() for p in files):  # present but unreadable: fail closed, never silently open
            LOG.error("a secrets file exists but could not be read: %s", ", ".join(map(str, files)))
            st.error("The login settings could not be read; the details are in the server log.")
            st.stop()
        return None
    return dict(st.secrets["auth"]) if "auth" in st.secrets else None


def _providers(auth: dict) -> list[str | None]:
    """None for a single provider set directly under [auth], else the names of the [auth.NAME] providers."""
    if "client_id" in auth:
        return [None]
    return [name for name, value in auth.items() if isinstance(value, dict) or hasattr(value, "keys")]


def _secrets_allow_list() -> Iterable[str] | str | None:
    """[dashboard] allowed_emails from the secrets (a list, or one comma-separated string), if any."""
    section = st.secrets.get("dashboard", {}) if st.secrets.load_if_toml_exists() else {}
    return section.get("allowed_emails") if hasattr(section, "get") else None


def _login_screen(auth: dict, app_name: str) -> None:
    st.title(app_name)
    st.write("Log in to see the dashboard.")
    for provider in _providers(auth):
        label = "Log in" if provider is None else f"Log in with {provider}"
        st.button(label, key=f"login_{provider}", on_click=st.login, args=(provider,) if provider else ())
    st.stop()


def require_login(app_name: str) -> None:
    """Stop the page unless login is off, or the visitor is logged in with an allowed, verified e-mail address."""
    auth = _auth_section()
    if auth is None:
        if access.login_required_by_env():
            st.error(f"Login is required (${access.REQUIRE_ENV}) but no [auth] section is set up in the secrets.")
            st.stop()
        return
    if not st.user.is_logged_in:
        _login_screen(auth, app_name)
    allowed = access.allow_list(_secrets_allow_list())
    email = st.user.get("email")
    if allowed.allows(email, st.user.get("email_verified", True)):
        return
    LOG.warning("refused a logged-in user not on the allow-list: %r", email)
    st.title(app_name)
    if allowed.empty:
        st.error("Nobody is allowed in yet: the allow-list of e-mail addresses is empty (see the README, Access).")
    else:
        st.error("Your account is not allowed to see this dashboard. Ask its administrator to add it.")
    st.text(f"Logged in as: {email or 'an account without an e-mail address'}")  # plain text, never markup
    st.button("Log out", on_click=st.logout)
    st.stop()
