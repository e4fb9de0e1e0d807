"""Who may see the dashboard once login is on: an allow-list of e-mail addresses and domains.

Plain Python (no streamlit), so the rules are tested directly; dashboard/app/login.py applies them to the logged-in
user on every page. Entries are exact addresses (`ann@example.com`), domains (`@example.com` or `example.com`, exact
domain only: subdomains are not included), or `*` for any verified address. Matching ignores case and surrounding
spaces. An empty list allows nobody: login without an allow-list fails closed.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass

ALLOWED_ENV = "DASHBOARD_ALLOWED_EMAILS"
REQUIRE_ENV = "DASHBOARD_REQUIRE_LOGIN"


@dataclass(frozen=True)
class AllowList:
    """Addresses and domains allowed in (lowercase), and whether any verified address is."""

    addresses: frozenset[str] = frozenset()
    domains: frozenset[str] = frozenset()
    anyone: bool = False

    @property
    def empty(self) -> bool:
        """True when nobody is allowed."""
        return not (self.addresses or self.domains or self.anyone)

    def allows(self, email: object, verified: object = True) -> bool:
        """True when this address is allowed; an unverified or malformed address never is."""
        if verified is False or not isinstance(email, str):
            return False
        email = email.strip().lower()
        local, at, domain = email.rpartition("@")
        if not at or not local or not domain or any(ch.isspace() for ch in email):
            return False
        return self.anyone or email in self.addresses or domain in self.domains


def parse_allow_list(entries: Iterable[str] | str | None) -> AllowList:
    """An AllowList from entries (a list, or one comma/space/semicolon-separated string)."""
    if entries is None:
        return AllowList()
    if isinstance(entries, str):
        entries = entries.replace(";", ",").replace(" ", ",").split(",")
    addresses, domains, anyone = set(), set(), False
    for entry in (str(e).strip().lower() for e in entries):
        if not entry:
            continue
        if entry == "*":
            anyone = True
        elif entry.startswith("@"):
            domains.add(entry[1:])
        elif "@" in entry:
            addresses.add(entry)
        else:
            domains.add(entry)
    return AllowList(frozenset(addresses), frozenset(domains), anyone)


def allow_list(secrets_entries: Iterable[str] | str | None = None) -> AllowList:
    """$DASHBOARD_ALLOWED_EMAILS when set, else the secrets' [dashboard] allowed_emails."""
    from_env = os.environ.get(ALLOWED_ENV)
    return parse_allow_list(from_env if from_env is not None and from_env.strip() else secrets_entries)


def login_required_by_env() -> bool:
    """True when $DASHBOARD_REQUIRE_LOGIN asks for login (then a missing [auth] setup refuses everyone)."""
    return os.environ.get(REQUIRE_ENV, "").strip().lower() in {"1", "true", "yes"}
