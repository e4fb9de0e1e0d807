"""Insights other care tools do not give: definitions, confidence intervals and time to recover (plain Python).

The SQL in queries/insight_*.sql counts; this module judges those counts against the thresholds of the definitions
registry (dashboard/core/definitions.py), computes Wilson intervals (scipy) and applies the time-to-recover rule, so
each is tested with plain pytest.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
from scipy import stats

# The thresholds, as the README and the Incidents page state them (time to recover, churn by care exposure).
from dashboard.core.definitions import BAND_SDS, CHURN_HORIZONS, NEGATIVE_TOLERANCE, RUN_HOURS, SLA_TARGET_SHARE

# First-response buckets, in the order queries/sentiment_recovery_response_bucket.sql returns them.
RESPONSE_BUCKETS = ("< 15 min", "15-60 min", "1-2 h", "2-8 h", "> 8 h", "never")
MEASURES = ("volume", "sla", "negative")
MEASURE_LABELS = {
    "volume": f"Volume under expected + {BAND_SDS:g} sd",
    "sla": f"SLA attainment ≥ {SLA_TARGET_SHARE:.0%}",
    "negative": f"Negative starts ≤ normal + {NEGATIVE_TOLERANCE:.0%}",
}


def wilson_interval(k: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """The Wilson score interval of k successes in n trials (scipy); NaNs when n is 0."""
    if n <= 0:
        return math.nan, math.nan
    ci = stats.binomtest(int(k), int(n)).proportion_ci(confidence_level=confidence, method="wilson")
    return float(ci.low), float(ci.high)


def with_wilson(frame: pd.DataFrame, k: str, n: str) -> pd.DataFrame:
    """A copy of the frame with ci_low / ci_high: the 95% Wilson interval of column k out of column n."""
    bounds = [wilson_interval(a, b) for a, b in zip(frame[k].fillna(0), frame[n].fillna(0), strict=True)]
    out = frame.copy()
    out["ci_low"] = [low for low, _ in bounds]
    out["ci_high"] = [high for _, high in bounds]
    return out


def recovery_by_response(frame: pd.DataFrame) -> pd.DataFrame:
    """Recovery by first-response bucket with Wilson intervals, buckets in order (its query: by response bucket)."""
    out = with_wilson(frame, "recovered_count", "recovery_base_count")
    out["response_bucket"] = pd.Categorical(out["response_bucket"], categories=RESPONSE_BUCKETS, ordered=True)
    return out.sort_values(["period", "response_bucket"]).reset_index(drop=True)


def churn_exposure(frame: pd.DataFrame) -> pd.DataFrame:
    """Every horizon x group x period (n = 0 rows kept, so an unobserved group shows as such) with Wilson intervals."""
    groups = [
        ("all", "all contacts"),
        ("sla", "answered within SLA"),
        ("sla", "not within SLA"),
        ("ending", "ended positive"),
        ("ending", "did not end positive"),
    ]
    grid = pd.DataFrame(
        [(h, s, g, p) for h in CHURN_HORIZONS for s, g in groups for p in ("incident", "normal")],
        columns=["horizon_days", "split", "group_name", "period"],
    )
    keys = ["horizon_days", "split", "group_name", "period"]
    merged = grid.merge(frame, on=keys, how="left")
    merged[["contact_count", "churned_count"]] = merged[["contact_count", "churned_count"]].fillna(0).astype(int)
    merged["churn_rate"] = merged["churned_count"] / merged["contact_count"].where(merged["contact_count"] > 0)
    return with_wilson(merged, "churned_count", "contact_count")


@dataclass(frozen=True)
class Recovery:
    """When one measure came back after an incident started."""

    status: str  # recovered, never out, not within the data, not before the next incident, not within the range
    minutes: float | None  # from the incident's start to the first hour of the run; None when not recovered
    observed_minutes: float  # how long after the start the data was searched


def hourly_measures(volume: pd.DataFrame, quality: pd.DataFrame) -> pd.DataFrame:
    """One row per hour: value, threshold, ok and evaluable for each measure (long format: hour_at, measure, ...)."""
    hours = volume[["hour_at", "conversation_count", "expected_count", "expected_sd"]].merge(
        quality.drop(columns=["conversation_count"]), on="hour_at", how="left"
    )
    upper = hours["expected_count"] + BAND_SDS * hours["expected_sd"]
    negative_limit = quality["normal_negative_start_share"].max() + NEGATIVE_TOLERANCE
    parts = {
        "volume": (hours["conversation_count"], upper, hours["expected_count"].notna()),
        "sla": (hours["sla_attainment"], pd.Series(SLA_TARGET_SHARE, index=hours.index), hours["sla_due_count"] > 0),
        "negative": (
            hours["negative_start_share"],
            pd.Series(negative_limit, index=hours.index),
            hours["conversation_count"] > 0,
        ),
    }
    frames = []
    for measure, (value, threshold, evaluable) in parts.items():
        ok = value >= threshold if measure == "sla" else value <= threshold
        frames.append(
            pd.DataFrame(
                {
                    "hour_at": hours["hour_at"],
                    "measure": measure,
                    "value": value.astype(float),
                    "threshold": threshold.astype(float),
                    "is_ok": ok.fillna(False).astype(bool),
                    "is_evaluable": evaluable.fillna(False).astype(bool),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def first_recovery(
    series: pd.DataFrame, started_at: pd.Timestamp, ended_at: pd.Timestamp, limit_at: pd.Timestamp, limit_reason: str
) -> Recovery:
    """Time to recover for one measure: the first run of RUN_HOURS good hours after the first bad one in the window."""
    observed = (limit_at - started_at).total_seconds() / 60
    start_hour = started_at.floor("h")
    hours = series[
        (series["hour_at"] >= start_hour)
        & (series["hour_at"] + pd.Timedelta(hours=1) <= limit_at)
        & series["is_evaluable"]
    ].sort_values("hour_at")
    bad = hours[(~hours["is_ok"]) & (hours["hour_at"] <= ended_at)]
    if bad.empty:
        return Recovery("never out", 0.0, observed)
    after = hours[hours["hour_at"] > bad["hour_at"].iloc[0]].reset_index(drop=True)
    run = after["is_ok"].rolling(RUN_HOURS).sum() == RUN_HOURS
    if not run.any():
        return Recovery(limit_reason, None, observed)
    first_hour = after["hour_at"].iloc[int(run.to_numpy().argmax()) - RUN_HOURS + 1]
    return Recovery("recovered", max((first_hour - started_at).total_seconds() / 60, 0.0), observed)


def recoverable_incidents(incidents: pd.DataFrame) -> pd.DataFrame:
    """The incidents to time: recorded ones (detected windows only annotate them), else the detected ones."""
    recorded = incidents[incidents["source"] == "recorded"]
    return recorded if len(recorded) else incidents


def time_to_recover(
    incidents: pd.DataFrame, measures: pd.DataFrame, data_end_at: pd.Timestamp, range_end_at: pd.Timestamp
) -> pd.DataFrame:
    """Per incident x measure: status, minutes to recover and minutes observed (searched up to the next incident)."""
    ordered = incidents.sort_values("started_at").reset_index(drop=True)
    rows = []
    for i, incident in ordered.iterrows():
        started_at, ended_at = pd.Timestamp(incident["started_at"]), pd.Timestamp(incident["ended_at"])
        limits = [(pd.Timestamp(data_end_at), "not within the data"), (pd.Timestamp(range_end_at), "not in the range")]
        if i + 1 < len(ordered):
            limits.append((pd.Timestamp(ordered.loc[i + 1, "started_at"]), "not before the next incident"))
        limit_at, reason = min(limits, key=lambda pair: pair[0])
        for measure in MEASURES:
            series = measures[measures["measure"] == measure]
            found = first_recovery(series, started_at, ended_at, limit_at, reason)
            rows.append(
                {
                    "incident_id": incident["incident_id"],
                    "title": incident["title"],
                    "measure": measure,
                    "started_at": started_at,
                    **found.__dict__,
                }
            )
    columns = ["incident_id", "title", "measure", "started_at", "status", "minutes", "observed_minutes"]
    return pd.DataFrame(rows, columns=columns)
