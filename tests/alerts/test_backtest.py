"""Alert backtesting: a replayed window equals alerts.measure(), alerts fire once per key, scoring on incidents."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.alerts import backtest as alert_backtest
from dashboard.alerts import rules as alerts
from dashboard.cli import main
from dashboard.db import sql
from dashboard.report.build import all_values_params

H0 = pd.Timestamp("2026-03-02 00:00")


def test_a_replayed_window_has_the_numbers_alerts_check_would_measure(demo_con):
    rules = alerts.load_rules()
    end = pd.Timestamp(sql.run_query(demo_con, "alert_data_bounds").iloc[0]["last_started_at"]).floor("h")
    start = end - pd.Timedelta(days=10)
    span = alert_backtest.query_range(start, end, rules)
    counts = sql.run_query(demo_con, "alert_backtest_hourly", **span)
    volume = sql.run_query(demo_con, "volume_expected_hourly", **{**all_values_params(demo_con), **span})
    inputs = alert_backtest.hourly(counts, volume, **span)
    for hours_back in (3, 50, 200):
        window_end = end - pd.Timedelta(hours=hours_back)
        window_start = window_end - pd.Timedelta(hours=rules["window"]["hours"])
        expected = alerts.measure(demo_con, window_start, window_end, rules)
        got = alert_backtest.window_measures(inputs, window_start, window_end, rules)
        for part in ("recent", "reference"):
            assert got[part] == pytest.approx({name: float(expected[part][name]) for name in got[part]}, nan_ok=True)
        for name in ("actual_count", "expected_count", "volume_uplift"):
            assert got["volume"][name] == pytest.approx(float(expected["volume"][name]), nan_ok=True)


def synthetic_inputs(spike_hours: list[int], spike: int = 40) -> alert_backtest.Hourly:
    """48 hours from H0 with 10 conversations an hour (10 expected), `spike` in the spike hours, detection alarmed
    15 minutes into the first of them; none negative."""
    hours = pd.date_range(H0, periods=48, freq="h")
    counts = pd.DataFrame(
        {"hour_at": hours, "scope": "all", "conversation_count": [spike if i in spike_hours else 10 for i in range(48)]}
    )
    for column in alert_backtest.COUNTS[1:]:
        counts[column] = 0
    volume = pd.DataFrame({"hour_at": hours, "expected_count": 10.0})
    inputs = alert_backtest.hourly(counts, volume, H0, H0 + pd.Timedelta(hours=48))
    alarms = pd.DataFrame(
        {"alarm": True, "statistic": 9.0}, index=pd.DatetimeIndex([H0 + pd.Timedelta(hours=spike_hours[0], minutes=15)])
    )
    return alert_backtest.with_alarms(inputs, alarms)


def volume_only_rules() -> dict:
    """The shipped rules with every rule but volume_uplift switched off."""
    rules = alerts.load_rules()
    for name in alerts.RULES:
        rules["rules"][name]["enabled"] = name == "volume_uplift"
    return rules


def test_an_alert_fires_once_per_rule_and_block():
    # Detection alarmed at 30:15: the runs at 31:00 ... 33:00 see the alarm, all inside the 30:00-36:00 block.
    fired = alert_backtest.replay(synthetic_inputs([30, 31]), H0, H0 + pd.Timedelta(hours=47), volume_only_rules())
    assert list(fired["key"]) == ["volume_uplift@2026-03-03T06:00"]
    assert list(fired["run_at"]) == [H0 + pd.Timedelta(hours=31)]


def test_no_alarm_no_volume_alert_however_high_the_uplift():
    inputs = synthetic_inputs([30, 31], spike=100)
    quiet = alert_backtest.with_alarms(inputs, pd.DataFrame({"alarm": [], "statistic": []}, index=pd.DatetimeIndex([])))
    assert alert_backtest.replay(quiet, H0, H0 + pd.Timedelta(hours=47), volume_only_rules()).empty


def test_replayed_alert_texts_never_show_nan():
    rules = volume_only_rules()
    inputs = synthetic_inputs([30])
    no_baseline = alert_backtest.Hourly(
        inputs.hours, inputs.all, inputs.normal, inputs.expected * 0, inputs.expected_known * 0, inputs.alarm_at,
        inputs.alarm_score,
    )  # fmt: skip
    end = H0 + pd.Timedelta(hours=32)
    measures = alert_backtest.window_measures(no_baseline, end - pd.Timedelta(hours=3), end, rules)
    (alert,) = alerts.evaluate(measures, rules, end - pd.Timedelta(hours=3), end)
    assert "no expected volume yet" in alert.text and "not enough history" in alert.text
    assert not any(word in alert.text.lower() for word in ("nan", "inf", "none"))


def test_scores_count_matches_delays_and_alerts_outside_incidents():
    fired = pd.DataFrame(
        {
            "rule": ["a", "a", "b", "a"],
            "key": ["a@1", "a@2", "b@1", "a@3"],
            "window_start": [H0 + pd.Timedelta(hours=h) for h in (0, 7, 1, 20)],
            "run_at": [H0 + pd.Timedelta(hours=h) for h in (3, 10, 4, 23)],
        }
    )
    incidents = pd.DataFrame(
        {
            "incident_id": ["I1", "I2", "I3"],
            "started_at": [H0 + pd.Timedelta(hours=h) for h in (2, 9, 30)],
            "ended_at": [H0 + pd.Timedelta(hours=h) for h in (5, 12, 31)],
        }
    )
    got = alert_backtest.score(fired, incidents, ["a", "b"])
    expected = pd.DataFrame(
        [
            ("a", 3, 2, 3, 60.0, 1),  # I1 first alerted at 03:00 (+60), I2 at 10:00 (+60); the 23:00 alert is off
            ("b", 1, 1, 3, 120.0, 0),
            ("any rule", 4, 2, 3, 60.0, 1),
        ],
        columns=["rule", "fired", "matched", "incidents", "median_minutes_to_alert", "fired_outside_incidents"],
    )
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)


def test_backtest_command_describes_every_rule(demo_db, capsys):
    assert main(["--db", str(demo_db), "alerts", "backtest", "--days", "14"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("hourly checks replayed over the 14 days before")
    assert [line.split(":")[0] for line in lines[1:]] == [*alerts.RULES, "any rule"]
    assert all("would have fired" in line and "recorded incidents" in line for line in lines[1:])
    assert main(["--db", str(demo_db), "alerts", "backtest", "--days", "0"]) == 2
