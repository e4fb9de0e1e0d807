"""`python -m dashboard bench`: how long each page's data takes on a database, cold and warm, against the targets.

For every page in the registry (dashboard/app/pages.py), its queries (the frame's too) run with the default view:
the whole date range, every channel, account and priority, and the latest incident. Cold is a fresh read-only
connection running them once (DuckDB starts with empty caches; the operating system may still hold the file in
memory). Warm is the best of `repeat` further runs on that connection. In the app, st.cache_data serves a repeated
view from memory, so its real warm path is faster still than this warm figure.
"""

from __future__ import annotations

import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import duckdb
import pandas as pd

from dashboard.app import pages
from dashboard.db import database, sql
from dashboard.report.build import all_values_params

COLD_TARGET_SECONDS = 3.0
WARM_TARGET_SECONDS = 1.0


@dataclass
class PageTiming:
    """One page's timings: total cold and best warm seconds, the warm run's CPU seconds, each query's cold seconds."""

    page: str
    cold_seconds: float
    warm_seconds: float
    warm_cpu_seconds: float = 0.0
    query_seconds: dict[str, float] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        """Whether both timings are inside their targets."""
        return self.cold_seconds < COLD_TARGET_SECONDS and self.warm_seconds < WARM_TARGET_SECONDS


def default_params(con: duckdb.DuckDBPyConnection, tz: str = "UTC") -> dict[str, Any]:
    """The default view's parameters: everything selected, the latest incident, the newest conversation, zone tz, and
    churn features scored at the end of the data (as the Churn risk page does)."""
    params = all_values_params(con)
    incidents = sql.run_query(con, "incidents_list")
    newest = con.execute("select conversation_id from conversations order by started_at desc limit 1").fetchone()
    data_end = sql.run_query(con, "churn_data_window").iloc[0]["data_end_at"]
    return {
        **params,
        "scored_at": pd.Timestamp(data_end).to_pydatetime(),
        "incident_id": incidents["incident_id"].iloc[0] if len(incidents) else "",
        "conversation_id": newest[0] if newest else "",
        "tz": tz,
    }


def _run_page(con: duckdb.DuckDBPyConnection, calls: list[tuple[str, dict]], params: dict) -> dict[str, float]:
    """Run a page's queries once; seconds per query."""
    seconds = {}
    for name, extra in calls:
        started = time.perf_counter()
        sql.run_query(con, name, **{**params, **extra})
        seconds[name] = time.perf_counter() - started
    return seconds


def time_page(path: Path, page: str, params: dict, repeat: int) -> PageTiming:
    """Cold (fresh connection, first run, connecting included) and best-of-`repeat` warm seconds for one page."""
    calls = pages.calls(page)
    started = time.perf_counter()
    con = database.connect(path, read_only=True)
    try:
        first = _run_page(con, calls, params)
        cold = time.perf_counter() - started
        runs = []
        for _ in range(max(repeat, 1)):
            cpu = time.process_time()
            wall = sum(_run_page(con, calls, params).values())
            runs.append((wall, time.process_time() - cpu))
    finally:
        con.close()
    warm, warm_cpu = min(runs)
    return PageTiming(page, cold, warm, warm_cpu, first)


def bench_database(path: Path, repeat: int = 3, out: TextIO | None = None, tz: str = "UTC") -> list[PageTiming]:
    """Time every page on the database at `path`, printing one line per page as it finishes."""
    out = out or sys.stdout
    con = database.connect(path, read_only=True)
    try:
        params = default_params(con, tz)
        row = con.execute("select count(*) from conversations").fetchone()
        assert row is not None  # count(*) returns one row
        conversations = row[0]
    finally:
        con.close()
    incident = params["incident_id"] or "(none)"
    print(f"{path}: {conversations:,} conversations; incident {incident}; time zone {tz}", file=out)
    print(f"targets: cold < {COLD_TARGET_SECONDS:g} s, warm < {WARM_TARGET_SECONDS:g} s (best of {repeat})", file=out)
    print(f"{'page':<20}{'cold s':>8}{'warm s':>8}{'cpu s':>8}  result  slowest query (cold s)", file=out)
    timings = []
    for page in (entry.title for entry in pages.PAGES):
        timing = time_page(path, page, params, repeat)
        slowest = max(timing.query_seconds, key=timing.query_seconds.__getitem__)
        verdict = "pass" if timing.passed else "FAIL"
        print(
            f"{page:<20}{timing.cold_seconds:>8.2f}{timing.warm_seconds:>8.2f}{timing.warm_cpu_seconds:>8.2f}  "
            f"{verdict:<6}  "
            f"{slowest} ({timing.query_seconds[slowest]:.2f})",
            file=out,
            flush=True,
        )
        timings.append(timing)
    print(
        "warm is DuckDB re-running the queries; in the app st.cache_data makes repeat views faster still. cpu s is "
        "the warm run's process CPU time (all DuckDB threads): on a busy machine wall time rises, cpu s does not.",
        file=out,
    )
    return timings


def run_bench(db_path: Path, conversations: int | None = None, repeat: int = 3, tz: str = "UTC") -> list[PageTiming]:
    """The bench command: time `db_path`, or a fresh demo database of `conversations`; exit 1 if a page fails."""
    if conversations is None:
        timings = bench_database(Path(db_path), repeat, tz=tz)
    else:
        from dashboard.demo.build import build_demo

        with tempfile.TemporaryDirectory(prefix="dashboard-bench-") as folder:
            path = Path(folder) / "bench.duckdb"
            build_demo(path, conversations=conversations, progress=True)
            timings = bench_database(path, repeat, tz=tz)
    failed = [t.page for t in timings if not t.passed]
    if failed:
        print(f"too slow: {', '.join(failed)}", file=sys.stderr)
        raise SystemExit(1)
    return timings
