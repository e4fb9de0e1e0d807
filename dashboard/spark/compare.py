"""Timing the same queries on DuckDB and on Spark over the exported lake (for docs/beyond_one_machine.md).

python -m dashboard.spark.compare DB LAKE [QUERY ...]: for each query, the median of `repeat` warm runs on each engine,
after one untimed run each (Spark's first run pays for planning and JVM warm-up, DuckDB's for reading the file).
"""

from __future__ import annotations

import math
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import pandas as pd

from dashboard.db import database, sql
from dashboard.report.build import all_values_params
from dashboard.spark import engine

# Representative page queries: a filtered scan with local-time buckets, exact medians and percentiles, the hourly
# baseline (self-join over four weeks), the incident baseline lags, and a small lookup.
REPRESENTATIVE = (
    "sla_attainment_daily",
    "kpi_incident_vs_normal",
    "volume_expected_hourly",
    "incident_headlines_list",
    "filter_options",
)


def sample_params(con) -> dict:
    """The whole data range, every channel, account and priority, the latest incident, UTC buckets."""
    with con.cursor() as cursor:
        latest = cursor.execute("select incident_id from incidents order by started_at desc limit 1").fetchone()[0]
    return {**all_values_params(con), "incident_id": latest, "tz": "UTC"}


def time_engines(db: Path, lake: Path, names: tuple[str, ...] = REPRESENTATIVE, repeat: int = 3) -> pd.DataFrame:
    """Median warm seconds per query on DuckDB and on a local Spark session, and their ratio."""
    con = database.connect(db, read_only=True)
    spark = engine.session()
    engine.register_lake(spark, lake)
    params = sample_params(con)
    rows = []
    for name in names:
        duck = _median_seconds(sql.run_query, (con, name), params, repeat)
        on_spark = _median_seconds(engine.run_query, (spark, name), params, repeat)
        rows.append({"query": name, "duckdb_s": duck, "spark_s": on_spark, "spark_over_duckdb": on_spark / duck})
    con.close()
    return pd.DataFrame(rows)


def report_differences(left: Any, right: Any, rel: float = 1e-9, where: str = "report") -> list[str]:
    """Where two report JSON documents differ: numbers beyond `rel` relative (1e-12 absolute near zero), anything
    else unequal; each difference as `path: left vs right`."""
    if isinstance(left, dict) and isinstance(right, dict):
        found = (
            [f"{where}: keys {sorted(left.keys() ^ right.keys())} on one side only"]
            if left.keys() ^ right.keys()
            else []
        )
        for key in sorted(left.keys() & right.keys()):
            found += report_differences(left[key], right[key], rel, f"{where}.{key}")
        return found
    if isinstance(left, list) and isinstance(right, list):
        if len(left) != len(right):
            return [f"{where}: {len(left)} vs {len(right)} items"]
        return [
            d
            for i, (a, b) in enumerate(zip(left, right, strict=True))
            for d in report_differences(a, b, rel, f"{where}[{i}]")
        ]
    numbers = (int, float)
    if isinstance(left, numbers) and isinstance(right, numbers) and not isinstance(left, bool):
        return [] if math.isclose(left, right, rel_tol=rel, abs_tol=1e-12) else [f"{where}: {left!r} vs {right!r}"]
    return [] if left == right else [f"{where}: {left!r} vs {right!r}"]


def _median_seconds(run, args: tuple, params: dict, repeat: int) -> float:
    run(*args, **params)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run(*args, **params)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


if __name__ == "__main__":
    arguments = sys.argv[1:]
    if len(arguments) < 2:
        sys.exit("usage: python -m dashboard.spark.compare DB LAKE [QUERY ...]")
    chosen = tuple(arguments[2:]) or REPRESENTATIVE
    print(time_engines(Path(arguments[0]), Path(arguments[1]), chosen).to_string(index=False, float_format="%.3f"))
