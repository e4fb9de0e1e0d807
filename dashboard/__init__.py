"""Incident analytics for social customer care: data access, metrics, models and the command line."""

import os
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DB = PROJECT_DIR / "data" / "dashboard.duckdb"


def database_path(explicit: str | os.PathLike | None = None) -> Path:
    """The database path: --db, else $DASHBOARD_DB, else data/dashboard.duckdb (PRODUCT.md §5)."""
    return Path(explicit or os.environ.get("DASHBOARD_DB") or DEFAULT_DB)
