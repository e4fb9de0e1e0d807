"""Judging detection on traffic it was not tuned on (`python -m dashboard detect --benchmark fresh`).

Four sources of databases, each built fresh in a temporary folder: the independent synthetic generator
(dashboard/alerts/traffic.py), a second, structurally different one (dashboard/alerts/traffic_alt.py), the demo
generator with its recorded incidents deleted before detection (they are the ground truth), and real twcs samples
when present (no incidents known: every window there counts as false). Seeds are split into TUNE (used while
choosing the detector's constants), HELD_OUT (reported before, and looked at once while tuning the previous
detector) and FRESH (only ever reported, once, for the current detector). Per database: recall of planted
incidents, delay from an incident's start to its window's detected_at, false windows (overlapping no planted
incident) per 30 collected days of normal traffic, and the alert backtest's alerts outside incidents.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard.alerts import backtest, traffic, traffic_alt
from dashboard.alerts import detect as detection
from dashboard.alerts import rules as alert_rules
from dashboard.core.errors import UserError
from dashboard.db import database, schema, sql

TUNE = {"synthetic": list(range(1, 9)), "demo": [101, 102]}
# Looked at once before the current detector was chosen (a threshold was changed after a run on it): kept to compare.
HELD_OUT = {"synthetic": list(range(1001, 1013)), "demo": [2001, 2002, 2003], "twcs": [0]}
# Never run before the CUSUM detector was fixed; the second generator (traffic_alt) appears only here.
FRESH = {"synthetic": list(range(3001, 3013)), "alternative": list(range(5001, 5013)), "demo": [4001, 4002, 4003],
         "twcs": [0]}  # fmt: skip
SPLITS = {"tune": TUNE, "held-out": HELD_OUT, "fresh": FRESH}
DEMO_CONVERSATIONS = 60_000
TWCS_ENV = "DASHBOARD_TWCS_SAMPLES"  # a folder of real twcs*.csv files; the twcs source is skipped without it
TRUTH_COLUMNS = ["incident_id", "started_at", "ended_at"]


def build_synthetic(path: Path, seed: int, generate: Callable[[int], traffic.Traffic] = traffic.synthetic_traffic):
    """A database of synthetic traffic at `path`, no incidents recorded; returns the planted incidents."""
    from dashboard.ingest.load import ImportResult, load

    generated = generate(seed)
    con = database.connect(path)
    try:
        load(con, ImportResult("synthetic", f"seed {seed}"), traffic.message_frame(generated.starts))
    finally:
        con.close()
    return generated.incidents[TRUTH_COLUMNS]


def build_alternative(path: Path, seed: int) -> pd.DataFrame:
    """A database of the second generator's traffic (dashboard/alerts/traffic_alt.py); returns its incidents."""
    return build_synthetic(path, seed, traffic_alt.synthetic_traffic)


def build_demo_case(path: Path, seed: int) -> pd.DataFrame:
    """A demo database at `path` with its recorded incidents deleted; returns them (the ground truth)."""
    from dashboard.demo.build import build_demo

    build_demo(path, conversations=DEMO_CONVERSATIONS, seed=seed)
    con = database.connect(path)
    try:
        truth = sql.run_query(con, "incidents_list").query("source == 'recorded'")[TRUTH_COLUMNS]
        con.execute("delete from incidents")
        schema.refresh_derived(con)
    finally:
        con.close()
    return truth.reset_index(drop=True)


def build_twcs_case(path: Path, seed: int) -> pd.DataFrame | None:
    """The real twcs samples imported at `path` (None when absent); no incident is known in them."""
    from dashboard.ingest import import_files

    folder = Path(os.environ.get(TWCS_ENV, "")) if os.environ.get(TWCS_ENV) else None
    files = sorted(folder.glob("twcs*.csv")) if folder and folder.is_dir() else []
    if not files:
        return None
    for file in files:
        import_files(path, "twcs", file)
    return pd.DataFrame(columns=TRUTH_COLUMNS)


BUILDERS: dict[str, Callable[[Path, int], pd.DataFrame | None]] = {
    "synthetic": build_synthetic,
    "alternative": build_alternative,
    "demo": build_demo_case,
    "twcs": build_twcs_case,
}


def normal_days(quarter: pd.DataFrame, truth: pd.DataFrame) -> float:
    """Collected days (over 10% of the median day's volume) less the planted incidents' duration, in days."""
    daily = quarter["conversation_count"].resample("D").sum()
    busy = daily[daily >= 0.05 * daily.max()]  # stray rows years back leave many near-empty days
    collected = int((daily >= 0.1 * busy.median()).sum()) if len(busy) else 0
    incident = (truth["ended_at"] - truth["started_at"]).dt.total_seconds().sum() / 86400 if len(truth) else 0.0
    return max(collected - incident, 0.0)


def score_windows(windows: pd.DataFrame, truth: pd.DataFrame) -> dict:
    """Which planted incidents a window overlaps (with the delay to its detected_at) and how many windows are false."""
    delays, offsets = [], []
    hit = np.zeros(len(windows), dtype=bool)
    for incident in truth.itertuples():
        overlap = ((windows["started_at"] < incident.ended_at) & (windows["ended_at"] > incident.started_at)).to_numpy()
        hit |= overlap
        if overlap.any():
            first = windows[overlap].sort_values("detected_at").iloc[0]
            delays.append((first["detected_at"] - incident.started_at).total_seconds() / 60)
            offsets.append((first["started_at"] - incident.started_at).total_seconds() / 60)
    return {"incidents": len(truth), "found": len(delays), "delays": delays, "start_offsets": offsets,
            "windows": len(windows), "false_windows": int((~hit).sum())}  # fmt: skip


def backtest_case(con, truth: pd.DataFrame, days: float) -> dict:
    """The alert backtest over the whole data with the ground truth recorded: alerts outside incidents, by rule."""
    if truth.empty:
        con.execute("delete from incidents")
    else:
        con.register("truth", truth.assign(title="truth", severity=None, services=None, source="recorded"))
        con.execute("insert or replace into incidents select incident_id, title, started_at, ended_at, severity, "
                    "services, source from truth")  # fmt: skip
        con.unregister("truth")
    schema.refresh_derived(con)
    rules = alert_rules.load_rules()
    _, scores, _ = backtest.backtest_days(lambda name, **params: sql.run_query(con, name, **params), days, rules)
    return {row.rule: {"outside": row.fired_outside_incidents, "matched": row.matched} for row in scores.itertuples()}


def run_case(source: str, seed: int, folder: Path, detect: Callable = detection.detect) -> dict | None:
    """Build one database, detect on it, score the windows and the alert backtest against its ground truth."""
    path = folder / f"{source}-{seed}.duckdb"
    truth = BUILDERS[source](path, seed)
    if truth is None:
        return None
    con = database.connect(path)
    try:
        quarter = detection.arrivals(con)
        days = normal_days(quarter, truth)
        result = score_windows(detect(con), truth)
        span = (quarter.index[-1] - quarter.index[0]).total_seconds() / 86400 + 1
        result |= {"source": source, "seed": seed, "normal_days": days,
                   "backtest": backtest_case(con, truth, span)}  # fmt: skip
    finally:
        con.close()
    path.unlink(missing_ok=True)
    return result


def run_split(split: str, detect: Callable = detection.detect, out: Callable[[str], None] = print) -> list[dict]:
    """Every case of a split ('tune' or 'held-out'), one line each as it finishes."""
    if split not in SPLITS:
        raise UserError(f"--benchmark must be one of {', '.join(SPLITS)}")
    results = []
    with tempfile.TemporaryDirectory(prefix="detect-benchmark-") as folder:
        for source, seeds in SPLITS[split].items():
            for seed in seeds:
                result = run_case(source, seed, Path(folder), detect)
                if result is None:
                    out(f"{source}: no twcs*.csv files in ${TWCS_ENV}; skipped")
                    continue
                results.append(result)
                out(describe_case(result))
    return results


def describe_case(result: dict) -> str:
    """One line per database: found incidents with delays, false windows, backtest alerts outside incidents."""
    delays = ", ".join(f"{minutes:.0f}" for minutes in result["delays"]) or "none"
    outside = result["backtest"].get("any rule", {}).get("outside", 0)
    return (
        f"{result['source']} seed {result['seed']}: found {result['found']}/{result['incidents']} (delays {delays} "
        f"min), {result['false_windows']} false of {result['windows']} windows over {result['normal_days']:.0f} "
        f"normal days; backtest {outside} alerts outside incidents"
    )


def summarise(results: list[dict]) -> dict:
    """Recall, median delay and false windows / backtest alerts per 30 normal days, over all results."""
    delays = [d for r in results for d in r["delays"]]
    offsets = [d for r in results for d in r["start_offsets"]]
    days = sum(r["normal_days"] for r in results)
    incidents = sum(r["incidents"] for r in results)
    rules = sorted({name for r in results for name in r["backtest"]})
    per_30 = {name: 30 * sum(r["backtest"].get(name, {}).get("outside", 0) for r in results) / days for name in rules}
    return {
        "databases": len(results),
        "incidents": incidents,
        "recall": sum(r["found"] for r in results) / incidents if incidents else None,
        "median_delay_minutes": float(np.median(delays)) if delays else None,
        "median_start_offset_minutes": float(np.median(offsets)) if offsets else None,
        "false_windows_per_30_days": 30 * sum(r["false_windows"] for r in results) / days if days else None,
        "normal_days": days,
        "backtest_outside_per_30_days": per_30,
    }


def describe_summary(name: str, summary: dict) -> str:
    """The summary as one plain line; a number that could not be measured reads '—'."""

    def number(value: float | None, fmt: str) -> str:
        return "—" if value is None else format(value, fmt)

    outside = summary["backtest_outside_per_30_days"].get("any rule")
    return (
        f"{name}: {summary['databases']} databases, recall {number(summary['recall'], '.2f')} of "
        f"{summary['incidents']} incidents, median delay {number(summary['median_delay_minutes'], '.0f')} min "
        f"(window start {number(summary['median_start_offset_minutes'], '+.0f')} min), "
        f"{number(summary['false_windows_per_30_days'], '.2f')} false windows per 30 days over "
        f"{summary['normal_days']:.0f} normal days; backtest {number(outside, '.1f')} alerts per 30 days outside "
        "incidents"
    )


def benchmark(split: str, out: Callable[[str], None] = print) -> dict:
    """Run a split and print its summary by source and overall."""
    results = run_split(split, out=out)
    summaries = {"all": summarise(results)}
    for source in SPLITS[split]:
        mine = [r for r in results if r["source"] == source]
        if mine:
            summaries[source] = summarise(mine)
    for name, summary in summaries.items():
        out(describe_summary(name, summary))
    return {"results": results, "summaries": summaries}
