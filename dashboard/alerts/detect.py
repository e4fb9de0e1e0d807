"""Spike detection: incident windows found from the data alone (`python -m dashboard detect`).

Method, on conversation starts per 15 minutes (or per hour with --bucket 60):
1. Expected volume: the README's baseline as the tiles and report use it (queries/detect_baseline_hourly.sql over the
   volume_baseline macro: the mean of the same hour of the week over the previous four weeks, covered hours only
   (coverage_days), incident hours left out, nothing with fewer than two usable weeks), spread evenly over the hour's
   buckets. Hours that coverage_days does not mark covered, or without that baseline, are never scored.
2. The in-control mean: that expected volume times the local level (actual / expected over the previous hours,
   shrunk towards 1 at low volume), so a busy day or a slow trend is not a spike; the dispersion of hourly counts
   around it over the previous two weeks; the negative-start share of the previous weeks.
3. Poisson CUSUMs (dashboard/alerts/cusum.py) of each bucket's log-likelihood ratio: conversations up by 40% (and,
   in a second chart, doubled), with negative starts rising more than the rest, each divided by its dispersion. A
   chart crossing its threshold, with at least 20% more conversations than expected since it last stood at zero, is
   an alarm; the charts then restart from zero. Everything is causal: a bucket's alarm uses only data up to its end,
   so alerts (dashboard/alerts/rules.py) and the backtest fire when detection would.
4. A window starts at the alarm's change point (where the statistic last left zero) and ends where its excess over
   1.2 x the in-control mean stops growing; windows closer than MERGE_MINUTES merge. `detected_at` is the end of the
   alarming bucket. The incidents table only enters through the baseline's left-out incident hours; detected rows are
   deleted before detecting again (in the same transaction), so re-running gives the same windows.
Constants were chosen on the TUNE seeds of dashboard/alerts/evaluate.py only; `detect --benchmark fresh` measures.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from dashboard.alerts import cusum
from dashboard.core.errors import UserError
from dashboard.db import database, schema, sql

BUCKET_MINUTES = (15, 60)
MERGE_MINUTES = 60
WINDOW_COLUMNS = ["incident_id", "started_at", "ended_at", "detected_at", "actual_count", "expected_count",
                  "volume_uplift", "negative_start_share", "score"]  # fmt: skip


@dataclass(frozen=True)
class Settings:
    """How to detect: bucket size in minutes and sensitivity (higher finds more, smaller spikes)."""

    bucket_minutes: int = 15
    sensitivity: float = 1.0

    def __post_init__(self) -> None:
        if self.bucket_minutes not in BUCKET_MINUTES:
            raise UserError(f"--bucket must be one of {', '.join(map(str, BUCKET_MINUTES))} (minutes)")
        if not 0.1 <= self.sensitivity <= 10:
            raise UserError("--sensitivity must be between 0.1 and 10 (1 is the default)")


Runner = Callable[..., pd.DataFrame]  # run(name, **params): sql.run_query on a connection, or the app's cached query


def runner(con: duckdb.DuckDBPyConnection, in_transaction: bool = False) -> Runner:
    """A query runner on `con`: fresh cursors, or `con` itself to see the changes of its open transaction."""
    if not in_transaction:
        return lambda name, **params: sql.run_query(con, name, **params)

    def run(name: str, **params) -> pd.DataFrame:
        text = sql.query_text(name)
        used = set(sql.PARAMETER.findall(text))
        return con.execute(text, {key: value for key, value in {**sql.DEFAULTS, **params}.items() if key in used}).df()

    return run


def arrivals(con: duckdb.DuckDBPyConnection | Runner) -> pd.DataFrame:
    """Conversation and negative starts per 15 minutes, indexed by bucket start (empty buckets included)."""
    run = con if callable(con) else runner(con)
    return run("detect_arrivals_quarter_hour").set_index("bucket_at")


def hourly_baseline(run: Runner, quarter: pd.DataFrame) -> pd.DataFrame:
    """Per hour from the first covered day (coverage_days): arrivals, whether collected, and the README expected
    volume (queries/detect_baseline_hourly.sql), with NaN where it has not enough history."""
    columns = ["conversation_count", "negative_start_count", "is_covered", "expected_count", "baseline_weeks"]
    columns.append("lags_collected")
    frame = run("detect_baseline_hourly")
    if frame.empty or quarter.empty:
        return pd.DataFrame(columns=columns, index=pd.DatetimeIndex([], name="hour_at"))
    frame = frame.set_index("hour_at")
    hourly = quarter["conversation_count"].resample("h").sum()
    hourly = hourly.loc[frame.index[0] :]
    frame = frame.reindex(hourly.index)
    frame["conversation_count"] = hourly  # the data before `until` only
    frame["negative_start_count"] = quarter["negative_start_count"].resample("h").sum().loc[frame.index[0] :]
    frame["is_covered"] = frame["is_covered"].astype("boolean").fillna(False).astype(bool)
    frame["baseline_weeks"] = frame["baseline_weeks"].fillna(0)
    frame["expected_count"] = frame["expected_count"].astype(float)
    # The first covered day is usually partial: the README baseline reads its hours before the first start as zero
    # traffic, so an hour whose four-week lags reach back into them is not scored (lags_collected false).
    started = frame["conversation_count"].gt(0).cummax()
    before = frame.index[~started.to_numpy()]
    lagged = before.union(before + pd.Timedelta(hours=1)) if len(before) else before  # and the first, partial hour
    reaches = np.zeros(len(frame), dtype=bool)
    for weeks in range(1, 5):
        reaches |= (frame.index - pd.Timedelta(weeks=weeks)).isin(lagged)
    frame["lags_collected"] = ~reaches
    return frame[columns]


def score_buckets(run: Runner, settings: Settings = Settings(), until: pd.Timestamp | None = None) -> pd.DataFrame:
    """Per bucket (data before `until` only): actual, README expected, the in-control mean and dispersion, the
    CUSUM statistic, and whether it alarmed there (a window's detected_at is the end of its alarm bucket)."""
    quarter = arrivals(run)
    if quarter.empty:
        raise UserError("the database holds no conversations: import data or run `python -m dashboard demo`")
    if until is not None:
        quarter = quarter[quarter.index < until]
    hours = hourly_baseline(run, quarter)
    if hours.empty:
        columns = [*quarter.columns, "readme_expected", "in_control", "dispersion", "statistic", "alarm"]
        return quarter.iloc[:0].reindex(columns=[*columns, "change_point"])
    level = cusum.local_level(hours)
    mean = hours["expected_count"].where(cusum.scored_hours(hours)) * level
    share = cusum.negative_share(hours)
    frame = quarter.loc[hours.index[0] :].resample(f"{settings.bucket_minutes}min").sum()
    per_hour = frame.index.floor("h")
    share_of_hour = settings.bucket_minutes / 60
    negative = hours["negative_start_count"]
    inputs = {
        "readme_expected": hours["expected_count"] * share_of_hour,
        "in_control": mean * share_of_hour,
        "negative_share": share,
        "dispersion": cusum.dispersion(hours["conversation_count"], mean),
        "other_dispersion": cusum.dispersion(hours["conversation_count"] - negative, mean * (1 - share)),
        "negative_dispersion": cusum.dispersion(negative, mean * share),
    }
    for name, values in inputs.items():
        frame[name] = values.reindex(per_hour).to_numpy()
    result = cusum.cusum(frame, cusum.THRESHOLD / settings.sensitivity)
    for column in result.columns:
        frame[column] = result[column].to_numpy()
    frame.attrs["episodes"] = cusum.episodes(frame, settings.bucket_minutes)
    return frame


def find_windows(scored: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """The alarmed episodes as windows, neighbours closer than MERGE_MINUTES merged."""
    step = pd.Timedelta(minutes=settings.bucket_minutes)
    merged: list[list[int]] = []
    for first, alarm, last in scored.attrs.get("episodes", []):
        if merged and scored.index[first] - (scored.index[merged[-1][2]] + step) <= pd.Timedelta(minutes=MERGE_MINUTES):
            merged[-1][2] = last
        else:
            merged.append([first, alarm, last])
    rows = [_describe(scored.iloc[first : last + 1], scored.index[alarm], step) for first, alarm, last in merged]
    return pd.DataFrame(rows, columns=WINDOW_COLUMNS)


def _describe(inside: pd.DataFrame, alarm_at: pd.Timestamp, step: pd.Timedelta) -> dict:
    """One window's numbers; uplift None when the README baseline is missing for part of it."""
    actual, expected = int(inside["conversation_count"].sum()), inside["readme_expected"].sum(min_count=len(inside))
    known = bool(np.isfinite(expected) and expected > 0)
    first = inside.index[0]
    return {
        "incident_id": f"DET-{first:%Y%m%d-%H%M}",
        "started_at": first,
        "ended_at": inside.index[-1] + step,
        "detected_at": alarm_at + step,
        "actual_count": actual,
        "expected_count": float(expected) if known else None,
        "volume_uplift": actual / expected - 1 if known else None,
        "negative_start_share": inside["negative_start_count"].sum() / actual if actual else None,
        "score": float(inside["statistic"].max()) if inside["statistic"].notna().any() else None,
    }


def detect(con: duckdb.DuckDBPyConnection, settings: Settings = Settings()) -> pd.DataFrame:
    """Detected incident windows in the database at `con` (nothing is written)."""
    return find_windows(score_buckets(runner(con), settings), settings)


def alarm_summary(scored: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> dict:
    """Whether detection alarmed in [start, end), when first, and the CUSUM's peak there (None when unscored)."""
    inside = scored[(scored.index >= start) & (scored.index < end)]
    alarmed = inside.index[inside["alarm"].fillna(False).astype(bool).to_numpy()]
    return {
        "alarm": bool(len(alarmed)),
        "alarm_at": alarmed[0] if len(alarmed) else None,
        "score": float(inside["statistic"].max()) if inside["statistic"].notna().any() else None,
    }


def match_recorded(windows: pd.DataFrame, incidents: pd.DataFrame) -> pd.Series:
    """For each window, the recorded incident it overlaps most (None when it overlaps none)."""
    recorded = incidents[incidents["source"] == "recorded"]
    if recorded.empty:
        return pd.Series([None] * len(windows), index=windows.index, dtype=object)

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


def number(value: float | None, fmt: str, missing: str = "—") -> str:
    """A number for people: `missing` instead of None, NaN or infinity."""
    if value is None or not np.isfinite(value):
        return missing
    return format(value, fmt)


def describe_evaluation(result: dict) -> str:
    """One line saying how detection did: precision, recall and median delay, with the counts behind them."""
    delays = ", ".join(f"{key} {number(minutes, '.0f')}" for key, minutes in sorted(result["delay_minutes"].items()))
    return (
        f"{result['bucket_minutes']}-minute buckets, sensitivity {result['sensitivity']:g}: "
        f"precision {number(result['precision'], '.2f')} ({result['matching']}/{result['detected']} windows match a "
        f"recorded incident), recall {number(result['recall'], '.2f')} ({result['found']}/{result['recorded']} found), "
        f"median delay {number(result['median_delay_minutes'], '.0f')} min ({delays or 'none'})"
    )


def uplift_text(uplift: float | None) -> str:
    """'volume +171%', or 'volume — (not enough history)' when no baseline could be measured."""
    return f"volume {number(uplift, '+.0%', '— (not enough history)')}"


def title(uplift: float | None, negative_share: float | None) -> str:
    """A detected incident's title from its README uplift and negative-start share; never nan, inf or None."""
    parts = [f"Detected spike: {uplift_text(uplift)}"]
    if negative_share is not None and np.isfinite(negative_share):
        parts.append(f"{negative_share:.0%} negative starts")
    return ", ".join(parts)


def severity(uplift: float | None) -> str:
    """High from +75%, medium from +35%, else (or unmeasured) low."""
    value = uplift if uplift is not None and np.isfinite(uplift) else 0.0
    return "high" if value >= 0.75 else "medium" if value >= 0.35 else "low"


def store_detected(con: duckdb.DuckDBPyConnection, windows: pd.DataFrame) -> pd.DataFrame:
    """Insert the windows as detected incidents, titled with the uplift the incidents page shows; return them with
    that uplift. Runs inside the caller's transaction."""
    run = runner(con, in_transaction=True)
    for window in windows.itertuples():
        params = {"incident_id": window.incident_id, "started_at": window.started_at.to_pydatetime(),
                  "ended_at": window.ended_at.to_pydatetime()}  # fmt: skip
        con.execute("insert into incidents values ($incident_id, '', $started_at, $ended_at, null, null, 'detected')",
                    params)  # fmt: skip
    schema.refresh_derived(con)
    if len(windows):
        options = run("filter_options").iloc[0]
        params = {key: list(options[key]) for key in ("channels", "accounts", "priorities")}
        params |= {"start_at": windows["started_at"].min().to_pydatetime(),
                   "end_at": windows["ended_at"].max().to_pydatetime()}  # fmt: skip
        headlines = run("incident_headlines_list", **params)
        measured = headlines.set_index("incident_id").reindex(windows["incident_id"])
        for window_id, row in measured.iterrows():
            uplift = None if pd.isna(row["volume_uplift"]) else float(row["volume_uplift"])
            share = None if pd.isna(row["negative_start_share"]) else float(row["negative_start_share"])
            con.execute("update incidents set title = $title, severity = $severity where incident_id = $id",
                        {"title": title(uplift, share), "severity": severity(uplift), "id": window_id})  # fmt: skip
        windows = windows.assign(
            **{
                column: [None if pd.isna(v) else float(v) for v in measured[column]]
                for column in ("volume_uplift", "negative_start_share")
            }
        )
    return windows


def run_detection(path: Path, settings: Settings) -> pd.DataFrame:
    """Replace the detected incidents at `path` with a fresh detection, in one transaction; return the windows (with
    the uplift the incidents page shows) and the recorded incident each overlaps."""
    con = database.connect(path)
    try:
        con.execute("begin transaction")
        try:
            con.execute("delete from incidents where source = 'detected'")
            schema.refresh_derived(con)  # earlier detections must not shape the baseline
            scored = score_buckets(runner(con, in_transaction=True), settings)
            windows = store_detected(con, find_windows(scored, settings))
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
        incidents = sql.run_query(con, "incidents_list")
        return windows.assign(matches=match_recorded(windows, incidents))
    finally:
        con.close()
