"""The login allow-list: exact addresses, exact domains, `*`, case and spaces ignored, unverified or malformed
addresses never allowed, and an empty list allowing nobody (login fails closed)."""

from __future__ import annotations

import pytest

from dashboard.core import access


@pytest.mark.parametrize(
    ("email", "allowed"),
    [
        ("ann@example.com", True),
        (" ANN@Example.COM ", True),
        ("bob@example.com", False),
        ("cat@care.example", True),
        ("cat@sub.care.example", False),  # domains are exact: a subdomain is not included
        ("cat@care.example.evil.com", False),
        ("care.example@evil.com", False),
        ("@care.example", False),
        ("no-at-sign", False),
        ("a b@care.example", False),
        (None, False),
    ],
)
def test_addresses_and_domains(email, allowed):
    rules = access.parse_allow_list(["ann@example.com", "@care.example"])
    assert rules.allows(email) is allowed


def test_string_forms_star_and_verification():
    assert access.parse_allow_list("ann@example.com; care.example,  ops@x.org").addresses == {
        "ann@example.com",
        "ops@x.org",
    }
    assert access.parse_allow_list("care.example").allows("x@care.example")
    anyone = access.parse_allow_list("*")
    assert anyone.allows("who@ever.org") and not anyone.allows("who@ever.org", verified=False)
    assert access.parse_allow_list(None).empty and not access.parse_allow_list("").allows("ann@example.com")


def test_the_environment_overrides_the_secrets(monkeypatch):
    monkeypatch.setenv(access.ALLOWED_ENV, "env@example.com")
    assert access.allow_list(["secret@example.com"]).addresses == {"env@example.com"}
    monkeypatch.setenv(access.ALLOWED_ENV, " ")
    assert access.allow_list(["secret@example.com"]).addresses == {"secret@example.com"}
    monkeypatch.delenv(access.ALLOWED_ENV)
    assert access.allow_list(None).empty
