"""Alert backtesting (`python -m dashboard alerts backtest [--days N]`): replay the alert rules over past data.

As if `alerts check` had run at the top of every hour: each run looks at the rules' window (the previous `hours`)
against the `reference_days` of normal time before it, with the same rule functions as dashboard/alerts/rules.py. The
numbers come from hourly counts computed once (queries/alert_backtest_hourly.sql, volume_expected_hourly.sql), so a
window's numbers equal alerts.measure() on that window, for a fraction of the cost; detection's alarms (which the
volume rules fire on) come from one causal pass of dashboard/alerts/detect.py over the data. An alert fires once per key
(rule and `repeat_hours` block), as check's sent-keys file would allow. An alert matches a recorded incident when its
window overlaps the incident's; its delay is the run time (window end) minus the incident's start.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard.alerts import detect
from dashboard.alerts import rules as alerts
from dashboard.core.errors import UserError
from dashboard.db import database, sql

COUNTS = (
    "conversation_count",
    "negative_start_count",
    "sla_due_count",
    "sla_met_count",
    "influencer_conversation_count",
)
HOUR_NS = 3_600_000_000_000
NO_INFLUENCERS = pd.DataFrame(
    columns=["conversation_id", "started_at", "channel", "account", "follower_count", "is_media", "first_text"]
)


def query_range(start: pd.Timestamp, end: pd.Timestamp, rules: dict) -> dict:
    """The start_at / end_at the hourly queries need: the first window's reference period up to the last run."""
    first = start - pd.Timedelta(hours=rules["window"]["hours"]) - pd.Timedelta(days=rules["window"]["reference_days"])
    return {"start_at": first.floor("h").to_pydatetime(), "end_at": end.ceil("h").to_pydatetime()}


@dataclass(frozen=True)
class Hourly:
    """Cumulative hourly sums, so any hour-aligned window's totals are two lookups."""

    hours: pd.DatetimeIndex
    all: np.ndarray  # (hours + 1) x COUNTS, cumulative
    normal: np.ndarray
    expected: np.ndarray  # cumulative expected volume (unknown hours as 0)
    expected_known: np.ndarray  # cumulative count of hours with an expected volume
    alarm_at: np.ndarray = field(default_factory=lambda: np.array([], dtype="int64"))  # detection's alarms (ns)
    alarm_score: np.ndarray = field(default_factory=lambda: np.array([]))

    def sums(self, name: str, start: pd.Timestamp, end: pd.Timestamp) -> np.ndarray:
        """Totals of [start, end) (hours outside the range count as empty)."""
        first, count = self.hours.asi8[0], len(self.hours)
        i, j = (min(max((stamp.value - first) // HOUR_NS, 0), count) for stamp in (start, end))
        values = getattr(self, name)
        return values[j] - values[i]


def hourly(counts: pd.DataFrame, volume: pd.DataFrame, start_at: pd.Timestamp, end_at: pd.Timestamp) -> Hourly:
    """Hourly inputs from alert_backtest_hourly and volume_expected_hourly (all channels) over [start_at, end_at)."""
    hours = pd.date_range(pd.Timestamp(start_at), pd.Timestamp(end_at), freq="h", inclusive="left").as_unit("ns")

    def cumulative(values: np.ndarray) -> np.ndarray:
        """Running totals with a leading zero row, so window sums are two lookups."""
        return np.concatenate([np.zeros((1, *values.shape[1:])), np.cumsum(values, axis=0)])

    scopes = {
        scope: counts[counts["scope"] == scope].set_index("hour_at")[list(COUNTS)].reindex(hours, fill_value=0)
        for scope in ("all", "normal")
    }
    expected = volume.set_index("hour_at")["expected_count"].reindex(hours)
    return Hourly(
        hours,
        cumulative(scopes["all"].to_numpy(dtype=float)),
        cumulative(scopes["normal"].to_numpy(dtype=float)),
        cumulative(expected.fillna(0).to_numpy()),
        cumulative(expected.notna().to_numpy(dtype=float)),
    )


def _shares(totals: np.ndarray) -> dict[str, float]:
    """Summed counts with the shares alert_window_metrics reports; empty when the window has no conversation.

    A dict, not a Series: the rules read it only through .get, and building a Series per run is the slow part.
    """
    part = dict(zip(COUNTS, totals.tolist(), strict=True))
    if not part["conversation_count"]:
        return {}
    part["negative_start_share"] = part["negative_start_count"] / part["conversation_count"]
    part["sla_attainment"] = part["sla_met_count"] / part["sla_due_count"] if part["sla_due_count"] else math.nan
    return part


def window_measures(inputs: Hourly, start: pd.Timestamp, end: pd.Timestamp, rules: dict) -> dict:
    """The dictionary alerts.measure() returns, for an hour-aligned window [start, end)."""
    reference_start = start - pd.Timedelta(days=rules["window"]["reference_days"])
    recent = inputs.sums("all", start, end)
    known = inputs.sums("expected_known", start, end)
    expected = float(inputs.sums("expected", start, end)) if known else math.nan
    actual = float(recent[0])
    uplift = actual / expected - 1 if expected else math.nan
    i, j = np.searchsorted(inputs.alarm_at, [start.value, end.value])
    return {
        "recent": _shares(recent),
        "reference": _shares(inputs.sums("normal", reference_start, start)),
        "volume": {"actual_count": actual, "expected_count": expected, "volume_uplift": uplift},
        "influencers": NO_INFLUENCERS,
        "detection": {
            "alarm": bool(j > i),
            "alarm_at": pd.Timestamp(inputs.alarm_at[i]) if j > i else None,
            "score": float(inputs.alarm_score[i:j].max()) if j > i else None,
        },
    }


def with_alarms(inputs: Hourly, scored: pd.DataFrame) -> Hourly:
    """The inputs with detection's alarms (detect.score_buckets over the whole data: causal, so each equals what
    `alerts check` would see at its time)."""
    alarms = scored[scored["alarm"].astype(bool)] if len(scored) else scored
    return replace(
        inputs,
        alarm_at=alarms.index.as_unit("ns").asi8 if len(alarms) else np.array([], dtype="int64"),
        alarm_score=alarms["statistic"].to_numpy(float) if len(alarms) else np.array([]),
    )


def replay(inputs: Hourly, start: pd.Timestamp, end: pd.Timestamp, rules: dict) -> pd.DataFrame:
    """Every alert the hourly runs in [start, end] would have sent: one row per key (rule, block), first run only."""
    window = pd.Timedelta(hours=rules["window"]["hours"])
    rows, seen = [], set()
    for run_at in pd.date_range(start.ceil("h"), end.floor("h"), freq="h"):
        measures = window_measures(inputs, run_at - window, run_at, rules)
        for alert in alerts.evaluate(measures, rules, run_at - window, run_at):
            if alert.key not in seen:
                seen.add(alert.key)
                rows.append({"rule": alert.rule, "key": alert.key, "window_start": run_at - window, "run_at": run_at})
    return pd.DataFrame(rows, columns=["rule", "key", "window_start", "run_at"])


def score(fired: pd.DataFrame, incidents: pd.DataFrame, rule_names: list[str]) -> pd.DataFrame:
    """Per rule (and any rule): alerts fired, incidents matched of those recorded, median delay, alerts off-incident."""
    rows = []
    for name in [*rule_names, "any rule"]:
        mine = fired if name == "any rule" else fired[fired["rule"] == name]
        delays, on_incident = [], np.zeros(len(mine), dtype=bool)
        for incident in incidents.itertuples():
            overlap = (mine["window_start"] < incident.ended_at) & (mine["run_at"] > incident.started_at)
            on_incident |= overlap.to_numpy()
            if overlap.any():
                delays.append((mine.loc[overlap, "run_at"].min() - incident.started_at).total_seconds() / 60)
        rows.append(
            {
                "rule": name,
                "fired": len(mine),
                "matched": len(delays),
                "incidents": len(incidents),
                "median_minutes_to_alert": float(np.median(delays)) if delays else None,
                "fired_outside_incidents": int((~on_incident).sum()),
            }
        )
    return pd.DataFrame(rows)


def backtest(
    inputs: Hourly, incidents: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp, rules: dict
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The alerts hourly checks would have sent over [start, end], and each rule's score against recorded incidents."""
    fired = replay(inputs, start, end, rules)
    recorded = incidents[
        (incidents["source"] == "recorded") & (incidents["started_at"] < end) & (incidents["ended_at"] > start)
    ]
    names = [name for name in alerts.RULES if rules["rules"].get(name, {}).get("enabled", True)]
    return fired, score(fired, recorded, names)


def _times(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' * (count != 1)}"


def describe(scores: pd.DataFrame, days: float) -> list[str]:
    """One plain sentence per rule."""
    lines = []
    for row in scores.itertuples():
        delay = (
            ""
            if row.median_minutes_to_alert is None
            else (f", first alert a median of {row.median_minutes_to_alert:.0f} minutes after their start")
        )
        lines.append(
            f"{row.rule}: over the last {days:g} days would have fired {_times(row.fired, 'time')}, "
            f"matched {row.matched} of {row.incidents} recorded incidents{delay}; "
            f"{_times(row.fired_outside_incidents, 'alert')} outside any incident"
        )
    return lines


SCORE_LABELS = {
    "rule": "Rule",
    "fired": "Alerts fired",
    "matched": "Incidents matched",
    "incidents": "Recorded incidents",
    "median_minutes_to_alert": "Median minutes to first alert",
    "fired_outside_incidents": "Alerts outside incidents",
}


def score_table(scores: pd.DataFrame) -> pd.DataFrame:
    """The scores with readable column names, for the page."""
    return scores.rename(columns=SCORE_LABELS)


def method_note(span: str, days: float, rules: dict) -> str:
    """How the page's backtest table was made, in one paragraph."""
    return (
        f"{span[0].upper()}{span[1:]} with the rules in dashboard/alerts/rules.toml (`python -m dashboard alerts "
        f"backtest --days {days:g}`). An alert fires once per rule and {rules['window']['repeat_hours']}-hour block; "
        "it matches a recorded incident when its window overlaps the incident's; minutes run from the incident's start "
        "to the hourly check that would have sent it. Alerts outside any incident are false alarms or unrecorded "
        "incidents."
    )


def backtest_days(run: Callable[..., pd.DataFrame], days: float, rules: dict) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """Replay the last `days` days of data; `run(name, **params)` runs a query (sql.run_query or data.query).

    Returns the alerts fired, each rule's score and a one-line description of the replayed span.
    """
    if days <= 0:
        raise UserError("--days must be positive")
    bounds = run("alert_data_bounds").iloc[0]
    if pd.isna(bounds["last_started_at"]):
        raise UserError("the database holds no conversations: nothing to backtest")
    end = pd.Timestamp(bounds["last_started_at"]) + pd.Timedelta(seconds=1)
    start = end - pd.Timedelta(days=days)
    span = query_range(start, end, rules)
    options = run("filter_options").iloc[0]
    everything = {key: tuple(options[key]) for key in ("channels", "accounts", "priorities")}
    inputs = hourly(run("alert_backtest_hourly", **span), run("volume_expected_hourly", **everything, **span), **span)
    inputs = with_alarms(inputs, detect.score_buckets(run, alerts.detection_settings(rules)))
    fired, scores = backtest(inputs, run("incidents_list"), start, end, rules)
    return fired, scores, f"hourly checks replayed over the {days:g} days before {end:%Y-%m-%d %H:%M} UTC"


def run_command(db_path: Path, days: float = 30, rules_path: Path | None = None) -> str:
    """`alerts backtest`: replay the rules over the last `days` days of data and describe each rule's record."""
    rules = alerts.load_rules(rules_path)
    con = database.connect(Path(db_path), read_only=True)
    try:
        _, scores, span = backtest_days(lambda name, **params: sql.run_query(con, name, **params), days, rules)
    finally:
        con.close()
    return "\n".join([span, *describe(scores, days)])
