"""Every queries/*.sql runs on the demo database with sample parameters; a query without them fails here."""

from __future__ import annotations

import pytest

from dashboard.core import definitions as defs
from dashboard.db import sql
from dashboard.report.build import all_values_params


def sample_params(con) -> dict:
    """One sample value for every parameter a page query may take."""
    params = all_values_params(con)
    latest = con.execute("select incident_id from incidents order by started_at desc limit 1").fetchone()[0]
    conversation = con.execute("select conversation_id from conversations limit 1").fetchone()[0]
    customer = con.execute("select customer_id from conversations where customer_id is not null limit 1").fetchone()[0]
    return {
        **params,
        "incident_id": latest,
        "conversation_id": conversation,
        "customer_id": customer,
        "search": "outage",
        "limit": 50,
        "sentiments": ["negative", "neutral", "positive", "unscored"],
        "sla_statuses": ["met", "breached_answered", "breached_unanswered", "pending"],
        "scored_at": params["end_at"],
        "tz": "Asia/Kolkata",  # UTC+5:30: local hours are not UTC hours
        "at_risk_minutes": defs.AT_RISK_MINUTES,
        "influencer_followers": defs.INFLUENCER_FOLLOWERS,
        "churn_horizons": list(defs.CHURN_HORIZONS),
    }


@pytest.mark.parametrize("name", sql.query_names())
def test_every_query_runs_with_sample_parameters(demo_con, name):
    text = sql.query_text(name)
    header = text.splitlines()[:2]
    assert all(line.startswith("--") for line in header), f"{name}.sql needs a two-line header comment"
    params = sample_params(demo_con)
    missing = set(sql.PARAMETER.findall(text)) - set(params)
    assert not missing, f"{name}.sql uses parameters with no sample value: {missing}; add them to sample_params"
    sql.run_query(demo_con, name, **params)
