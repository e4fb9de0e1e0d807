"""Run the SQL files in queries/ with bound parameters. No streamlit here: plain Python, tested with pytest."""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

PARAMETER = re.compile(r"\$([A-Za-z_]\w*)")
QUERIES_DIR = Path(__file__).resolve().parent.parent / "queries"
# Parameters with a default: $tz, the display time zone of hourly and daily buckets, is UTC (the data's own time)
# unless a page passes the user's choice.
DEFAULTS: dict[str, Any] = {"tz": "UTC"}


@cache
def query_text(name: str) -> str:
    """The text of queries/<name>.sql (read once per process)."""
    path = QUERIES_DIR / f"{name}.sql"
    if not path.is_file():
        raise KeyError(f"no query named {name!r} in {QUERIES_DIR}")
    return path.read_text()


def query_names() -> list[str]:
    """Every query file's name, without the .sql suffix."""
    return sorted(path.stem for path in QUERIES_DIR.glob("*.sql"))


def run_query(con: duckdb.DuckDBPyConnection, name: str, **params: Any) -> pd.DataFrame:
    """Run queries/<name>.sql on a fresh cursor, binding only the $parameters the file uses (DEFAULTS fill gaps).

    With DASHBOARD_ENGINE=spark the same query runs on Spark over the lake instead (dashboard/spark/engine.py).
    """
    if os.environ.get("DASHBOARD_ENGINE", "duckdb") == "spark":
        from dashboard.spark.engine import run_configured

        return run_configured(name, **params)
    text = query_text(name)
    used = set(PARAMETER.findall(text))
    bound = {key: _bindable(value) for key, value in {**DEFAULTS, **params}.items() if key in used}
    with con.cursor() as cursor:
        return cursor.execute(text, bound).df()


def _bindable(value: Any) -> Any:
    """Tuples (hashable, for caching) bind as lists."""
    return list(value) if isinstance(value, tuple) else value
