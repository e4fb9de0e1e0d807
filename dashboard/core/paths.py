"""Where the project and its default database live, and which database a command or the app opens."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]
DEFAULT_DB = PROJECT_DIR / "data" / "dashboard.duckdb"


def database_path(explicit: str | os.PathLike | None = None) -> Path:
    """The database path: --db, else $DASHBOARD_DB, else data/dashboard.duckdb (README: Command line)."""
    return Path(explicit or os.environ.get("DASHBOARD_DB") or DEFAULT_DB)
