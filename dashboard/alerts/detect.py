"""Spike detection: incident windows found from the data alone (`python -m dashboard detect`).

Method, per bucket (60 or 15 minutes) of conversation starts; the incidents table is never read, so detection cannot
learn from recorded (or earlier detected) incidents:
1. Expected volume: the median of the same bucket of the week over the previous four weeks (two at least). The
   median, not the mean, so one past spike or gap cannot inflate the baseline.
2. Volume z = (actual - expected) / sd, with sd = max(1.4826 x MAD of those weeks, sqrt(expected)) (the Poisson floor
   for quiet hours), widened by sqrt(1 + pi / 2n) for the error of a median of n weeks.
3. Negative z: negative starts against the median daily negative-start share of the previous 28 days, in binomial
   standard deviations with a continuity correction.
4. Evidence is summed over the trailing hour (1 bucket, or 4 quarter-hours: hourly evidence every 15 minutes) and
   score = (volume z + negative z) / sqrt(2) (Stouffer). A bucket opens a window at score >= OPEN_Z / sensitivity with
   volume z >= MIN_VOLUME_Z (a sour mood alone is not a spike); neighbours at score >= EXTEND_Z / sensitivity (and
   volume above expected) extend it; edges at or below expected are trimmed.
5. Windows closer than MERGE_MINUTES merge; a window is kept when it lasts MIN_MINUTES and its whole-window score
   reaches WINDOW_Z / sensitivity (one noisy hour is not an incident, one huge hour can be).
Collection gaps (days under GAP_FRACTION of the median day's volume; the last, partial day excepted) are never scored
and never feed a baseline. `detected_at` is when the window first qualified from the data up to then: the end of the
first bucket by which it had an opening bucket, MIN_MINUTES of duration and a running score of WINDOW_Z / sensitivity.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from dashboard.core.errors import UserError
from dashboard.db import database, schema, sql

BUCKET_MINUTES = (60, 15)
OPEN_Z = 4.0
EXTEND_Z = 1.5
MIN_VOLUME_Z = 1.5
MIN_MINUTES = 60
WINDOW_Z = 5.0
MERGE_MINUTES = 120
GAP_FRACTION = 0.10
BASELINE_WEEKS = 4
MIN_BASELINE_WEEKS = 2
MAD_TO_SD = 1.4826


@dataclass(frozen=True)
class Settings:
    """How to detect: bucket size in minutes and sensitivity (higher finds more, smaller spikes)."""

    bucket_minutes: int = 60
    sensitivity: float = 1.0

    def __post_init__(self) -> None:
        if self.bucket_minutes not in BUCKET_MINUTES:
            raise UserError(f"--bucket must be one of {', '.join(map(str, BUCKET_MINUTES))} (minutes)")
        if not 0.1 <= self.sensitivity <= 10:
            raise UserError("--sensitivity must be between 0.1 and 10 (1 is the default)")


def arrivals(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Conversation and negative starts per 15 minutes, indexed by bucket start (empty buckets included)."""
    return sql.run_query(con, "detect_arrivals_quarter_hour").set_index("bucket_at")


def gap_days(quarter: pd.DataFrame) -> pd.Index:
    """Days holding under GAP_FRACTION of the median day's conversations: collection gaps, not quiet days."""
    daily = quarter["conversation_count"].resample("D").sum()
    if len(daily) < 2:
        return daily.index[:0]
    judged = daily.iloc[:-1]  # the last day is where the data ends, usually part of a day
    return judged.index[judged < GAP_FRACTION * judged.median()]


def score_buckets(quarter: pd.DataFrame, bucket_minutes: int = 60) -> pd.DataFrame:
    """Each bucket's actual and expected volume and negative starts, and the evidence over the trailing hour."""
    frame = quarter.resample(f"{bucket_minutes}min").sum()
    gaps = gap_days(quarter)
    frame["is_gap"] = frame.index.normalize().isin(gaps)
    usable = frame["conversation_count"].where(~frame["is_gap"])
    lagged = np.column_stack(
        [usable.reindex(frame.index - pd.Timedelta(weeks=w)).to_numpy() for w in range(1, BASELINE_WEEKS + 1)]
    )
    frame["baseline_weeks"] = np.isfinite(lagged).sum(axis=1)
    lagged[frame["baseline_weeks"].to_numpy() < MIN_BASELINE_WEEKS] = np.nan
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN rows: no baseline yet, or a gap
        expected = np.nanmedian(lagged, axis=1)
        mad = np.nanmedian(np.abs(lagged - expected[:, None]), axis=1)
    # The baseline is itself a median of a few weeks: its error (variance pi / 2n of a week's) adds to the spread.
    spread = np.maximum(MAD_TO_SD * mad, np.sqrt(np.maximum(expected, 1.0)))
    weeks = np.maximum(frame["baseline_weeks"].to_numpy(), 1)
    frame["expected_count"] = np.where(frame["is_gap"], np.nan, expected)
    frame["volume_var"] = spread**2 * (1 + np.pi / (2 * weeks))
    share = _negative_baseline(quarter, gaps).reindex(frame.index.normalize()).to_numpy().clip(0.01, 0.99)
    frame["negative_expected"] = frame["conversation_count"] * share
    frame["negative_var"] = frame["negative_expected"] * (1 - share)
    span = max(1, 60 // bucket_minutes)
    trailing = frame[SUMMED].rolling(span, min_periods=span).sum()  # a gap or missing baseline inside gives NaN
    return frame.join(evidence(trailing))


SUMMED = ["conversation_count", "expected_count", "volume_var", "negative_start_count", "negative_expected",
          "negative_var"]  # fmt: skip


def evidence(sums: pd.DataFrame) -> pd.DataFrame:
    """Volume z, negative z and their Stouffer score from summed counts, expectations and variances."""
    volume_z = (sums["conversation_count"] - sums["expected_count"]) / np.sqrt(sums["volume_var"])
    excess = sums["negative_start_count"] - sums["negative_expected"]
    # Continuity correction: a handful of negative starts in a quiet hour is lumpy, not a signal.
    corrected = np.sign(excess) * (excess.abs() - 0.5).clip(lower=0)
    negative_z = (corrected / np.sqrt(sums["negative_var"].clip(lower=0.25))).where(sums["expected_count"].notna())
    return pd.DataFrame(
        {"volume_z": volume_z, "negative_z": negative_z, "score": (volume_z + negative_z) / math.sqrt(2)}
    )


def _negative_baseline(quarter: pd.DataFrame, gaps: pd.Index) -> pd.Series:
    """Per day, the median daily negative-start share of the previous 28 days (gap days left out)."""
    daily = quarter.resample("D").sum()
    share = (daily["negative_start_count"] / daily["conversation_count"].replace(0, np.nan)).where(
        ~daily.index.isin(gaps)
    )
    baseline = share.rolling(28, min_periods=7).median().shift(1)
    return baseline.fillna(share.median())


def find_windows(scored: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """Windows of unusual buckets: opened by a strong hour, extended by its neighbours, merged, then kept when the
    window as a whole is strong evidence."""
    step = pd.Timedelta(minutes=settings.bucket_minutes)
    lead = step * (max(1, 60 // settings.bucket_minutes) - 1)  # the trailing hour reaches back this far
    opens = (scored["score"] >= OPEN_Z / settings.sensitivity) & (scored["volume_z"] >= MIN_VOLUME_Z)
    warm = ((scored["score"] >= EXTEND_Z / settings.sensitivity) & (scored["volume_z"] > 0)) | opens
    runs = (warm != warm.shift()).cumsum()[warm]
    spans = []
    for _, group in scored[warm].groupby(runs):
        if opens.loc[group.index].any():
            spans.append(_trim(scored, group.index[0] - lead, group.index[-1]))
    merged: list[list[pd.Timestamp]] = []
    for start, last in (span for span in spans if span):
        if merged and start - merged[-1][1] <= pd.Timedelta(minutes=MERGE_MINUTES):
            merged[-1][1] = last
        else:
            merged.append([start, last])
    rows = [_describe(scored, start, last, opens, settings) for start, last in merged]
    rows = [row for row in rows if row is not None]
    return pd.DataFrame(rows, columns=WINDOW_COLUMNS)


def _trim(scored: pd.DataFrame, first: pd.Timestamp, last: pd.Timestamp) -> tuple | None:
    """The span without leading and trailing buckets at or below their expected volume."""
    inside = scored.loc[first:last]
    above = inside.index[inside["conversation_count"] > inside["expected_count"]]
    return (above[0], above[-1]) if len(above) else None


WINDOW_COLUMNS = ["incident_id", "started_at", "ended_at", "detected_at", "actual_count", "expected_count",
                  "volume_uplift", "negative_start_share", "score"]  # fmt: skip


def _describe(scored: pd.DataFrame, first: pd.Timestamp, last: pd.Timestamp, opens, settings: Settings) -> dict | None:
    """One window's numbers and when it first qualified; None when the whole window is too weak or too short."""
    step = pd.Timedelta(minutes=settings.bucket_minutes)
    inside = scored.loc[first:last]
    so_far = evidence(inside[SUMMED].cumsum())["score"]
    threshold = WINDOW_Z / settings.sensitivity
    if so_far.iloc[-1] < threshold or last + step - first < pd.Timedelta(minutes=MIN_MINUTES):
        return None
    ready = (so_far >= threshold) & opens.loc[first:last].cummax()
    ready &= inside.index + step - first >= pd.Timedelta(minutes=MIN_MINUTES)
    detected_at = ready.idxmax() + step if ready.any() else last + step
    actual, expected = inside["conversation_count"].sum(), inside["expected_count"].sum()
    return {
        "incident_id": f"DET-{first:%Y%m%d-%H%M}",
        "started_at": first,
        "ended_at": last + step,
        "detected_at": detected_at,
        "actual_count": int(actual),
        "expected_count": float(expected),
        "volume_uplift": float(actual / expected - 1) if expected else None,
        "negative_start_share": float(inside["negative_start_count"].sum() / actual) if actual else None,
        "score": float(so_far.iloc[-1]),
    }


def detect(con: duckdb.DuckDBPyConnection, settings: Settings = Settings()) -> pd.DataFrame:
    """Detected incident windows in the database at `con` (nothing is written)."""
    quarter = arrivals(con)
    if quarter.empty:
        raise UserError("the database holds no conversations: import data or run `python -m dashboard demo`")
    return find_windows(score_buckets(quarter, settings.bucket_minutes), settings)


def match_recorded(windows: pd.DataFrame, incidents: pd.DataFrame) -> pd.Series:
    """For each window, the recorded incident it overlaps most (None when it overlaps none)."""
    recorded = incidents[incidents["source"] == "recorded"]
    if recorded.empty:
        return pd.Series(None, index=windows.index, dtype=object)

    def best(window) -> str | None:
        overlap = (
            np.minimum(recorded["ended_at"], window.ended_at) - np.maximum(recorded["started_at"], window.started_at)
        ).dt.total_seconds()
        return recorded["incident_id"].iloc[int(overlap.argmax())] if (overlap > 0).any() else None

    return pd.Series([best(w) for w in windows.itertuples()], index=windows.index, dtype=object)


def evaluate(con: duckdb.DuckDBPyConnection, settings: Settings = Settings()) -> dict:
    """Precision, recall and median delay (incident start to detected_at) against the recorded incidents."""
    windows = detect(con, settings)
    recorded = sql.run_query(con, "incidents_list").query("source == 'recorded'")
    matched = match_recorded(windows, recorded)
    delays = {}
    for incident in recorded.itertuples():
        hits = windows[(windows["started_at"] < incident.ended_at) & (windows["ended_at"] > incident.started_at)]
        if len(hits):
            delays[incident.incident_id] = (hits["detected_at"].min() - incident.started_at).total_seconds() / 60
    return {
        "bucket_minutes": settings.bucket_minutes,
        "sensitivity": settings.sensitivity,
        "detected": len(windows),
        "matching": int(matched.notna().sum()),
        "precision": float(matched.notna().mean()) if len(windows) else None,
        "recorded": len(recorded),
        "found": len(delays),
        "recall": len(delays) / len(recorded) if len(recorded) else None,
        "median_delay_minutes": float(np.median(list(delays.values()))) if delays else None,
        "delay_minutes": delays,
    }


def describe_evaluation(result: dict) -> str:
    """One line saying how detection did: precision, recall and median delay, with the counts behind them."""

    def number(value: float | None, fmt: str) -> str:
        return "n/a" if value is None else format(value, fmt)

    delays = ", ".join(f"{key} {minutes:.0f}" for key, minutes in sorted(result["delay_minutes"].items()))
    return (
        f"{result['bucket_minutes']}-minute buckets, sensitivity {result['sensitivity']:g}: "
        f"precision {number(result['precision'], '.2f')} ({result['matching']}/{result['detected']} windows match a "
        f"recorded incident), recall {number(result['recall'], '.2f')} ({result['found']}/{result['recorded']} found), "
        f"median delay {number(result['median_delay_minutes'], '.0f')} min ({delays or 'none'})"
    )


def incident_rows(windows: pd.DataFrame) -> list[dict]:
    """Rows for the incidents table: a plain title with the window's numbers, severity from its uplift."""
    rows = []
    for window in windows.itertuples():
        uplift = window.volume_uplift or 0.0
        severity = "high" if uplift >= 0.75 else "medium" if uplift >= 0.35 else "low"
        rows.append(
            {
                "incident_id": window.incident_id,
                "title": f"Detected spike: volume {uplift:+.0%}, {window.negative_start_share:.0%} negative starts",
                "started_at": window.started_at.to_pydatetime(),
                "ended_at": window.ended_at.to_pydatetime(),
                "severity": severity,
                "services": None,
            }
        )
    return rows


def store_detected(con: duckdb.DuckDBPyConnection, windows: pd.DataFrame) -> int:
    """Replace every detected incident with these windows and refresh membership, in one transaction."""
    con.execute("begin transaction")
    try:
        con.execute("delete from incidents where source = 'detected'")
        for row in incident_rows(windows):
            con.execute(
                "insert into incidents values ($incident_id, $title, $started_at, $ended_at, $severity, $services, "
                "'detected')",
                row,
            )
        schema.refresh_derived(con)
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return len(windows)


def run_detection(path: Path, settings: Settings) -> pd.DataFrame:
    """Detect on the database at `path`, store the windows as detected incidents, return them with their matches."""
    con = database.connect(path)
    try:
        windows = detect(con, settings)
        store_detected(con, windows)
        incidents = sql.run_query(con, "incidents_list")
        return windows.assign(matches=match_recorded(windows, incidents))
    finally:
        con.close()
