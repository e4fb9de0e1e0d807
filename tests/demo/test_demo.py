"""The demo's incidents: each brings its own kind of customer text, read by the real analyzer as planted."""

from __future__ import annotations

import numpy as np
import pytest

from dashboard.db import sql
from dashboard.demo import build as demo
from dashboard.demo import text as demo_text
from dashboard.demo.incident_text import INCIDENT_ISSUES
from dashboard.metrics import terms
from dashboard.report.build import all_values_params
from dashboard.sentiment import analyzer as sentiment

# Words that say what each planted incident is about (terms.py tokens: "check-in" counts as "check").
SIGNATURE = {
    "INC-101": {"mobile data", "data", "mobile", "4g"},
    "INC-102": {"check", "online check", "boarding pass", "boarding"},
    "INC-103": {"checkout", "card", "card payments", "payment", "payments", "pay"},
    "INC-104": {"twice", "charged", "direct debit", "duplicate payment", "invoice", "refund", "bill"},
    "INC-105": {"broadband", "network", "signal", "internet", "mobile"},
}
OUTAGE_WORDS = {"outage", "signal", "network", "internet", "broadband", "down"}


def test_every_incident_names_an_issue_of_its_brands_vertical():
    verticals = list(demo_text.BRANDS.values())
    for incident in demo.INCIDENTS:
        incident_id, brand, issue = incident[0], incident[2], incident[-1]
        assert INCIDENT_ISSUES[issue].vertical == verticals[brand], incident_id


def test_complaints_read_negative_and_questions_neutral():
    for name, issue in INCIDENT_ISSUES.items():
        complaint_labels = sentiment.score_texts(list(issue.complaints))[1]
        question_labels = sentiment.score_texts(list(issue.questions))[1]
        assert list(complaint_labels) == ["negative"] * len(issue.complaints), name
        assert list(question_labels) == ["neutral"] * len(issue.questions), name


def test_only_the_incidents_own_brand_carries_its_issue():
    starts = demo.draw_conversations(20_000, np.random.default_rng(0))
    hit = starts[starts["affected"]]
    assert starts.loc[~starts["affected"], "issue"].isna().all()
    assert hit["issue"].notna().all() and set(hit["issue"]) == set(demo.ISSUE_NAMES)


@pytest.mark.parametrize("incident_id", list(SIGNATURE))
def test_surging_terms_are_the_incidents_own(demo_con, incident_id):
    params = {**all_values_params(demo_con), "incident_id": incident_id}
    surging = terms.surging_terms(sql.run_query(demo_con, "sentiment_first_texts_period", **params), top=10)
    assert surging["term"].iloc[0] in SIGNATURE[incident_id]
    if incident_id == "INC-104":  # a double charge brings billing words, not outage ones
        assert not set(surging["term"]) & OUTAGE_WORDS
