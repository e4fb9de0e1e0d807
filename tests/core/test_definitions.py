"""The definitions registry: one text per metric, shown the same way everywhere, and the README generated from it."""

from __future__ import annotations

import math

import pytest

from dashboard.core import definitions as defs
from dashboard.core import readme


def test_the_readme_definitions_are_the_registry():
    text = readme.README.read_text(encoding="utf-8")
    section = readme.SECTION.search(text)
    assert section, "README.md lost its '<!-- definitions: start -->' ... '<!-- definitions: end -->' markers"
    assert section.group(2) == readme.readme_section(), (
        "README.md's Metric definitions differ from dashboard/core/definitions.py: run "
        "`python -m dashboard.core.readme` and commit the result"
    )


def test_writing_the_readme_replaces_only_its_section(tmp_path):
    path = tmp_path / "README.md"
    path.write_text("# Title\n\nbefore\n<!-- definitions: start -->\nold text\n<!-- definitions: end -->\nafter\n")
    assert readme.write_readme(path) is True
    text = path.read_text()
    assert text.startswith("# Title\n\nbefore\n<!-- definitions: start -->\n- **Started**: ")
    assert text.endswith("<!-- definitions: end -->\nafter\n") and "old text" not in text
    assert readme.write_readme(path) is False  # already current


def test_every_key_is_unique_and_every_report_metric_is_defined():
    keys = [item.key for item in (*defs.DEFINITIONS, *defs.TERMS)]
    assert len(keys) == len(set(keys))
    for name in (*defs.REPORT_METRICS, "volume_uplift", "expected_count", "actual_count", "at_risk_customer_count"):
        metric = defs.get(name)
        assert metric.unit in ("share", "minutes", "count", "uplift") and metric.text.endswith("."), name


def test_definitions_are_plain_text_that_quotes_the_constants():
    for item in defs.REGISTRY.values():
        assert not any(mark in item.text for mark in ("*", "`", "<b", "PRODUCT")), item.key
    assert f"{defs.SLA_TARGET_SHARE:.0%}" in defs.get("sla_attainment").text
    assert f"within {defs.AT_RISK_MINUTES} minutes" in defs.get("at_risk_count").text
    assert f"{defs.INFLUENCER_FOLLOWERS:,} or more followers" in defs.get("influencer_conversation_count").text
    assert f"within {defs.CHURN_HORIZON_DAYS} days" in defs.get("churn_after_contact_rate").text


@pytest.mark.parametrize(
    ("unit", "value", "shown"),
    [
        ("share", 0.2426, "24%"),
        ("minutes", 1234.4, "1,234 min"),
        ("count", 18943, "18,943"),
        ("uplift", 0.4419, "+44%"),
        ("uplift", -0.05, "-5%"),
    ],
)
def test_numbers_show_the_same_everywhere(unit, value, shown):
    assert defs.display(value, unit) == shown


@pytest.mark.parametrize("value", [None, math.nan, math.inf, -math.inf, "n/a"])
def test_a_missing_value_never_shows_as_nan_inf_or_none(value):
    for unit in ("share", "minutes", "count", "uplift"):
        assert defs.display(value, unit) == defs.MISSING
    assert defs.get("sla_attainment").format_delta(value) == defs.MISSING


def test_deltas_read_in_points_minutes_and_counts():
    assert defs.get("sla_attainment").format_delta(-0.12) == "-12.0 pp"
    assert defs.get("median_first_response_minutes").format_delta(15.2) == "+15 min"
    assert defs.get("conversation_count").format_delta(1200) == "+1,200"
    assert defs.get("median_first_response_minutes").column_label == "Median first response (min)"
