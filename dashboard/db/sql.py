"""Run the SQL files in queries/ with bound parameters. No streamlit here: plain Python, tested with pytest.

Page queries live directly in queries/ (`query_names()` lists only those); statements used by the package itself, such
as imports (queries/ingest/) and derivations (queries/derived/), are named by their folder path, e.g. `ingest/raw_drop`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from dashboard.core import definitions
from dashboard.core.errors import UserError

PARAMETER = re.compile(r"\$([A-Za-z_]\w*)")
QUERIES_DIR = Path(__file__).resolve().parents[2] / "queries"
ENGINES: dict[str, Callable[..., pd.DataFrame]] = {}  # other engines run_query can use (DASHBOARD_ENGINE)
# Parameters with a default: $tz, the display time zone of hourly and daily buckets, is UTC (the data's own time)
# unless a page passes the user's choice; the thresholds that metric definitions quote are the registry's
# (dashboard/core/definitions.py), so no query writes them as literals.
DEFAULTS: dict[str, Any] = {
    "tz": "UTC",
    "at_risk_minutes": definitions.AT_RISK_MINUTES,
    "influencer_followers": definitions.INFLUENCER_FOLLOWERS,
    "churn_horizons": definitions.CHURN_HORIZONS,
}


@cache
def query_text(name: str) -> str:
    """The text of queries/<name>.sql, `name` possibly a folder path such as ingest/raw_drop (read once per process)."""
    path = QUERIES_DIR / f"{name}.sql"
    if not path.is_file():
        raise KeyError(f"no query named {name!r} in {QUERIES_DIR}")
    return path.read_text()


def query_names() -> list[str]:
    """Every page query file's name (queries/*.sql, not its subfolders), without the .sql suffix."""
    return sorted(path.stem for path in QUERIES_DIR.glob("*.sql"))


def register_engine(name: str, run: Callable[..., pd.DataFrame]) -> None:
    """Make another engine available to run_query under DASHBOARD_ENGINE=name (Spark: dashboard/spark/engine.py)."""
    ENGINES[name] = run


def run_query(con: duckdb.DuckDBPyConnection, name: str, **params: Any) -> pd.DataFrame:
    """Run queries/<name>.sql on a fresh cursor, binding only the $parameters the file uses (DEFAULTS fill gaps).

    With DASHBOARD_ENGINE set to a registered engine (spark), the same query runs there instead.
    """
    engine = os.environ.get("DASHBOARD_ENGINE", "duckdb")
    if engine != "duckdb":
        if engine not in ENGINES:
            raise UserError(f"DASHBOARD_ENGINE={engine!r} is not available: use duckdb, or spark (pyspark installed)")
        return ENGINES[engine](name, **params)
    text = query_text(name)
    with con.cursor() as cursor:
        return cursor.execute(text, _bound(text, params)).df()


def execute(con: duckdb.DuckDBPyConnection, name: str, /, **params: Any) -> duckdb.DuckDBPyConnection:
    """Run queries/<name>.sql on `con` itself, so it sees that connection's transaction, temp tables and registered
    frames; return the connection for fetching. A file without parameters may hold several statements (macros)."""
    text = query_text(name)
    bound = _bound(text, params)
    return con.execute(text, bound) if bound else con.execute(text)


def _bound(text: str, params: dict[str, Any]) -> dict[str, Any]:
    """The $parameters `text` uses, from `params` with DEFAULTS filling gaps."""
    used = set(PARAMETER.findall(text))
    return {key: _bindable(value) for key, value in {**DEFAULTS, **params}.items() if key in used}


def _bindable(value: Any) -> Any:
    """Tuples (hashable, for caching) bind as lists."""
    return list(value) if isinstance(value, tuple) else value
