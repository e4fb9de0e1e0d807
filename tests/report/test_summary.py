"""The Overview's words, tiles and at-risk query: numbers in, the sentences and tiles an executive reads out."""

from __future__ import annotations

import io
import json
from datetime import datetime, timedelta

import pandas as pd
import pytest

from dashboard.core import definitions as defs
from dashboard.core.definitions import REPORT_METRICS
from dashboard.db import sql
from dashboard.report import summary
from dashboard.report.build import all_values_params, incident_report, report_bytes

T0 = datetime(2026, 3, 2, 10, 0)
INCIDENTS = pd.DataFrame(
    {
        "incident_id": ["INC-1"],
        "title": ["Payment outage"],
        "started_at": [T0],
        "ended_at": [T0 + timedelta(hours=2)],
    }
)


def report(**metrics) -> dict:
    """A report in the JSON report's shape (README, Command line) for the Nationwide outage, with these metrics."""
    return {
        "incident": {
            "incident_id": "INC-105",
            "title": "Nationwide network outage",
            "started_at": "2026-11-06T08:00:00",
            "ended_at": "2026-11-07T00:00:00",
        },
        "metrics": metrics,
    }


def pair(incident, normal) -> dict:
    return {"incident": incident, "normal": normal}


def test_summary_dates_the_incident_in_the_display_time_zone():
    # 08:00 UTC on 6 Nov is still 5 Nov in Honolulu (UTC-10); the duration does not depend on the zone.
    assert "(6 Nov, 16 h)" in summary.incident_summary(report(negative_start_share=pair(0.2, 0.1)))
    assert "(5 Nov, 16 h)" in summary.incident_summary(
        report(negative_start_share=pair(0.2, 0.1)), tz="Pacific/Honolulu"
    )


def test_summary_states_uplift_and_each_metric_against_normal():
    text = summary.incident_summary(
        report(
            volume_uplift={"actual": 1860, "expected": 1000, "uplift": 0.86},
            negative_start_share=pair(0.22, 0.10),
            recovery_rate=pair(0.40, 0.43),
            sla_attainment=pair(0.79, 0.91),
            median_first_response_minutes=pair(35.2, 20.4),
            influencer_conversation_count=pair(81, 1229),
        ),
        at_risk_customers=139,
    )
    assert text.startswith("During the Nationwide network outage (6 Nov, 16 h) volume ran 86% above expected")
    assert "(1,860 conversations against 1,000)" in text
    assert "22% of conversations started negative (10% normally)" in text
    assert "40% of negative starts recovered to positive (43% normally)" in text
    assert "SLA attainment fell to 79% (91% normally)" in text
    assert "the median first response took 35 min (20 min normally)" in text
    assert text.endswith(
        "81 conversations came from influencers or media; 139 customers ended negative or went unanswered."
    )


def test_summary_skips_missing_numbers_and_says_when_nothing_is_known():
    text = summary.incident_summary(
        report(volume_uplift={"actual": 50, "expected": 100, "uplift": -0.5}, sla_attainment=pair(0.9, None))
    )
    assert text == (
        "During the Nationwide network outage (6 Nov, 16 h) volume ran 50% below expected "
        "(50 conversations against 100)."
    )
    empty = summary.incident_summary(report(volume_uplift={"actual": None, "expected": None, "uplift": None}))
    assert empty.startswith("No conversations fall inside Nationwide network outage")


def test_summary_says_held_when_rounded_values_agree():
    text = summary.incident_summary(report(sla_attainment=pair(0.912, 0.909)))
    assert "SLA attainment held at 91% (as normally)" in text


@pytest.mark.parametrize(
    ("minutes", "expected"), [(45, "45 min"), (16 * 60, "16 h"), (51 * 60, "2 d 3 h"), (48 * 60, "2 d")]
)
def test_duration_text(minutes, expected):
    assert summary.duration_text(T0, T0 + timedelta(minutes=minutes)) == expected


def kpi_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "period": ["incident", "normal"],
            "conversation_count": [800, 50000],
            "negative_start_share": [0.21, 0.10],
            "recovery_base_count": [100, 4000],
            "recovery_rate": [0.43, 0.43],
            "neutral_base_count": [300, 20000],
            "neutral_to_positive_rate": [0.55, 0.50],
            "sla_due_count": [790, 49900],
            "sla_attainment": [0.79, 0.91],
            "unanswered_count": [60, 1500],
            "median_first_response_minutes": [35.0, 20.0],
            "p90_first_response_minutes": [146.0, 91.0],
            "influencer_conversation_count": [80, 1000],
        }
    )


AT_RISK = pd.DataFrame(
    {
        "period": ["incident", "normal"],
        "conversation_count": [800, 50000],
        "at_risk_conversation_count": [140, 5000],
        "at_risk_conversation_share": [0.175, 0.10],
        "at_risk_customer_count": [139, None],
    }
)
UPLIFT = {"actual_count": 800, "expected_count": 450.0, "volume_uplift": 800 / 450 - 1}


def test_tiles_colour_worse_red_and_state_both_period_sizes():
    tiles = {tile.label: tile for tile in summary.kpi_tiles(kpi_frame(), UPLIFT, AT_RISK)}
    negative = tiles["Negative-start share"]
    assert (negative.value, negative.delta, negative.delta_color) == ("21%", "+11.0 pp", "inverse")
    assert negative.delta_description == "normal 10%"
    assert tiles["SLA attainment"].delta == "-12.0 pp" and tiles["SLA attainment"].delta_color == "normal"
    assert tiles["Recovery rate"].delta_color == "off"  # unchanged at one decimal
    assert tiles["Median first response"].delta == "+15 min" and tiles["Median first response"].delta_color == "inverse"
    assert "Incident: 740 answered conversations; normal: 48,500." in tiles["Median first response"].help
    assert "Incident: 100 negative starts with an end sentiment; normal: 4,000." in tiles["Recovery rate"].help
    assert tiles["Volume uplift"].value == "+78%" and tiles["Volume uplift"].delta == "+350"
    assert tiles["Influencer conversations"].value == "80" and tiles["Influencer conversations"].delta == "+8.0 pp"
    assert tiles["At-risk customers"].value == "139" and tiles["At-risk customers"].delta == "+7.5 pp"
    assert tiles["At-risk customers"].help.startswith(summary.AT_RISK_DEFINITION)
    assert tiles["Conversations"].value == "800" and tiles["Conversations"].delta_description == "normal time 50,000"
    for tile in tiles.values():
        assert "Incident:" in tile.help and "normal:" in tile.help, tile.label


def test_tiles_without_an_incident_row_show_dashes():
    tiles = summary.kpi_tiles(kpi_frame().iloc[1:], {}, AT_RISK.iloc[1:])
    assert {tile.value for tile in tiles if tile.label != "Conversations"} == {"—"}
    assert all(tile.delta is None for tile in tiles)


def test_report_from_frames_has_the_report_shape(demo_con):
    params = {**all_values_params(demo_con), "incident_id": "INC-105"}
    kpis = sql.run_query(demo_con, "kpi_incident_vs_normal", **params)
    uplift = sql.run_query(demo_con, "volume_uplift_incident", **params).iloc[0]
    incident = sql.run_query(demo_con, "incidents_list").set_index("incident_id", drop=False).loc["INC-105"]
    built = summary.report_from_frames(incident, kpis, uplift)
    reference = incident_report(demo_con, "INC-105", params)
    assert built["incident"] == reference["incident"]
    assert set(built["metrics"]) == {*REPORT_METRICS, "volume_uplift"}
    for name, values in reference["metrics"].items():
        for key, value in values.items():
            assert built["metrics"][name][key] == pytest.approx(value, nan_ok=True), (name, key)


def test_report_bytes_serves_the_json_report(demo_db, demo_con):
    params = all_values_params(demo_con)
    served = json.loads(report_bytes(demo_db, "INC-105", params))
    assert served == json.loads(json.dumps(incident_report(demo_con, "INC-105", params)))


def msg(conversation: str, n: int, minutes: float, author: str, text: str, customer: str | None = None) -> dict:
    """One twitter message of `conversation`, `minutes` after T0."""
    customer = customer or f"cust-{conversation}"
    return {
        "conversation_id": conversation,
        "message_id": f"{conversation}-{n}",
        "sent_at": T0 + timedelta(minutes=minutes),
        "author_type": author,
        "author_id": customer if author == "customer" else "agent-1",
        "customer_id": customer if author == "customer" else None,
        "text": text,
        "channel": "twitter",
        "account": "@brand",
    }


def test_at_risk_counts_conversations_per_period_and_incident_customers_once(build_db):
    day = 24 * 60
    con = build_db(
        [
            # incident: one customer ends negative (a) and also goes unanswered (b); c recovers
            msg("a", 1, 5, "customer", "My payment failed, this is terrible."),
            msg("a", 2, 20, "agent", "Sorry, we are on it."),
            msg("a", 3, 30, "customer", "Still broken, awful service.", "cust-a"),
            msg("b", 1, 10, "customer", "Where is my refund?", "cust-a"),
            msg("c", 1, 15, "customer", "Payment page is down?"),
            msg("c", 2, 25, "agent", "Fixed now."),
            msg("c", 3, 35, "customer", "Great, thank you so much!"),
            # normal time: d is never answered, e ends happy and sets the data end
            msg("d", 1, day, "customer", "Can I change my plan?"),
            msg("e", 1, 2 * day, "customer", "Question about my bill."),
            msg("e", 2, 2 * day + 10, "agent", "Happy to help."),
            msg("e", 3, 2 * day + 20, "customer", "Perfect, thanks a lot!"),
        ],
        incidents=INCIDENTS,
    )
    params = {
        "start_at": T0 - timedelta(days=1),
        "end_at": T0 + timedelta(days=3),
        "channels": ["twitter"],
        "accounts": ["@brand"],
        "priorities": ["normal"],
        "incident_id": "INC-1",
    }
    got = sql.run_query(con, "customer_at_risk_period", **params)
    expected = pd.DataFrame(
        {
            "period": ["incident", "normal"],
            "conversation_count": [3, 2],
            "at_risk_conversation_count": [2, 1],
            "at_risk_conversation_share": [2 / 3, 1 / 2],
            "at_risk_customer_count": [1, None],
        }
    )
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)


def test_the_kpi_csv_writes_every_number_as_the_json_report_does(demo_con):
    params = {**all_values_params(demo_con), "incident_id": "INC-105"}
    kpis = sql.run_query(demo_con, "kpi_incident_vs_normal", **params)
    uplift = sql.run_query(demo_con, "volume_uplift_incident", **params).iloc[0]
    incident = sql.run_query(demo_con, "incidents_list").set_index("incident_id", drop=False).loc["INC-105"]
    at_risk = sql.run_query(demo_con, "customer_at_risk_period", **params)
    table = summary.kpi_table(summary.report_from_frames(incident, kpis, uplift), at_risk)
    written = pd.read_csv(io.StringIO(table.to_csv(index=False)), dtype=str, keep_default_na=False).set_index("metric")
    reference = incident_report(demo_con, "INC-105", params)["metrics"]
    for name in REPORT_METRICS:
        for period in ("incident", "normal"):
            expected = reference[name][period]
            assert written.at[name, period] == ("" if expected is None else json.dumps(expected)), (name, period)
    assert written.at["conversation_count", "incident"] == str(reference["conversation_count"]["incident"])  # no .0
    assert written.at["volume_uplift", "incident"] == json.dumps(reference["volume_uplift"]["uplift"])
    keys = {"volume_actual": "actual_count", "volume_expected": "expected_count"}  # the uplift's own rows
    for name, row in written.iterrows():
        entry = defs.get(keys.get(name, name))
        assert (row["label"], row["unit"], row["definition"]) == (entry.label, entry.unit, entry.text), name
