"""Data access for the app: with frame.py and drilldown.py, the only modules that import streamlit.

One read-only DuckDB connection is shared by every session (st.cache_resource); each query takes its own cursor
because a connection is not thread-safe. Query results are cached by name and parameters, bounded in number, and
small, because every query aggregates to the grain its chart needs.

With DASHBOARD_ENGINE=spark the same queries run on Spark over the lake at DASHBOARD_LAKE (dashboard/spark/engine.py,
through dashboard.db.sql.run_query): no DuckDB file is needed, and the caches are keyed on the lake's manifest, so a
re-exported or rebuilt lake is read afresh.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import duckdb
import pandas as pd
import streamlit as st

from dashboard.app.filters import Options
from dashboard.core import timezones
from dashboard.core.errors import UserError
from dashboard.core.paths import database_path
from dashboard.db import database, schema, sql

if TYPE_CHECKING:
    from dashboard.churn.model import ChurnModel

LOG = logging.getLogger("dashboard.app")
T = TypeVar("T")


def fail(error: Exception) -> NoReturn:
    """Show the viewer one line and stop the page; the details (traceback, SQL, paths) go to the server log only."""
    LOG.error("page failed: %s", error, exc_info=error)
    if isinstance(error, UserError):  # written for readers: one clear line saying what to do
        st.error(str(error).splitlines()[0] if str(error) else "The data could not be read.")
    else:
        st.error("This view could not be loaded; the details are in the server log.")
    st.stop()


def guarded(load: Callable[[], T]) -> T:
    """`load()`, with a data error shown as one line (fail) instead of a traceback."""
    try:
        return load()
    except (UserError, duckdb.Error, OSError) as error:
        fail(error)


def on_spark() -> bool:
    """Whether the queries run on Spark (DASHBOARD_ENGINE=spark) rather than on the DuckDB file."""
    return os.environ.get("DASHBOARD_ENGINE", "duckdb") == "spark"


if on_spark():
    import dashboard.spark.engine  # noqa: F401  (queries then run on Spark over DASHBOARD_LAKE)


def db_path() -> Path:
    """The database the app reads ($DASHBOARD_DB, else data/dashboard.duckdb)."""
    return database_path()


def source() -> tuple[str, int]:
    """What the queries read and its version, the key of every cache: the database file and its modification time,
    or on Spark the lake folder and its manifest's (dashboard/spark/lake.py version)."""
    if on_spark():
        from dashboard.spark import engine, lake

        folder = engine.configured_lake()
        return str(folder), lake.version(folder)
    path = db_path()
    return str(path), path.stat().st_mtime_ns


def ensure_database() -> None:
    """Build the demo database on first start, showing progress, so a fresh clone opens on real numbers. On Spark,
    check the lake instead: it is written by `export parquet` and `spark build`, never by the app."""
    if on_spark():
        _lake_checked(*source())
        return
    path = db_path()
    if path.exists():
        _schema_checked(str(path), path.stat().st_mtime)
        return
    from dashboard.demo.build import build_demo

    bar = st.progress(0.0, text="No database yet: building the demo data (about 10 seconds)...")

    def show(fraction: float, message: str) -> None:
        bar.progress(min(fraction, 1.0), text=message)

    with database.private_files():  # owner-only, WAL included
        build_demo(path, progress=show)
    bar.empty()


def migrate_if_older(path: Path) -> None:
    """Bring a database made by an older dashboard version to the current schema (safe, one transaction each step)."""
    with duckdb.connect(str(path), read_only=True) as con:
        version = schema.stored_version(con)
    if version is not None and version < schema.SCHEMA_VERSION:
        with st.spinner(f"Upgrading {path.name} to schema version {schema.SCHEMA_VERSION}..."):
            database.migrate(path)


@st.cache_resource(show_spinner=False)
def _schema_checked(path: str, modified: float) -> None:
    """migrate_if_older once per database file version, not on every rerun (a migration makes a new version)."""
    migrate_if_older(Path(path))


@st.cache_resource(show_spinner=False)
def _lake_checked(lake: str, version: int) -> None:
    """The lake's manifest is readable and of this dashboard's schema, once per lake version."""
    from dashboard.spark import lake as lake_layout

    stored = lake_layout.read_manifest(Path(lake)).get("schema_version")
    if stored != schema.SCHEMA_VERSION:
        raise UserError(
            f"the lake at {lake} has schema version {stored}, this dashboard reads {schema.SCHEMA_VERSION}: "
            "export it again with `python -m dashboard export parquet DIR`"
        )


@st.cache_resource
def connection(path: str, modified: int) -> duckdb.DuckDBPyConnection:
    """One read-only connection per database file version (a rebuilt file gets a new connection); on Spark an empty
    stand-in (database.reader), as sql.run_query sends every query to Spark."""
    return database.reader(Path(path))


def current_connection() -> duckdb.DuckDBPyConnection:
    """The shared read-only connection to the current database file (take a cursor per query)."""
    return connection(*source())


@st.cache_data(max_entries=512, show_spinner=False)
def _cached_query(name: str, path: str, version: int, params: tuple[tuple[str, Any], ...]) -> pd.DataFrame:
    return sql.run_query(connection(path, version), name, **dict(params))


def query(name: str, **params: Any) -> pd.DataFrame:
    """Run queries/<name>.sql with bound parameters; results are cached per source (database file or lake), version
    and parameters."""
    return guarded(lambda: _cached_query(name, *source(), tuple(sorted(params.items()))))


def options(tz: str = timezones.DEFAULT) -> Options | None:
    """What the shared filters can choose from, with the data's days in time zone `tz`; None when no data is loaded."""
    row = query("filter_options").iloc[0]
    if row["channels"] is None or pd.isna(row["first_started_at"]):
        return None
    incidents = query("incidents_list")
    return Options(
        channels=tuple(row["channels"]),
        accounts=tuple(row["accounts"]),
        priorities=tuple(row["priorities"]),
        first_day=timezones.to_local(row["first_started_at"], tz).date(),
        last_day=timezones.to_local(row["data_end_at"], tz).date(),
        incident_ids=tuple(incidents["incident_id"]),
        default_first_day=timezones.to_local(row["span_started_at"], tz).date(),
        default_last_day=timezones.to_local(row["span_end_at"], tz).date(),
    )


@st.cache_resource(show_spinner="Loading the churn model (training it in memory takes a few seconds)...")
def _cached_churn_model(path: str, version: int, model_modified: float) -> ChurnModel:
    from dashboard.churn import model as churn

    return churn.model_for(connection(path, version), Path(path))


def churn_model() -> ChurnModel:
    """The churn model, loaded once: the saved one next to the database (or lake), else trained once in memory, else
    heuristic."""
    from dashboard.churn import model as churn

    def load() -> ChurnModel:
        path, version = source()
        model_path = churn.model_paths(Path(path))[0]
        saved = model_path.stat().st_mtime if model_path.exists() else 0.0
        return _cached_churn_model(path, version, saved)

    return guarded(load)
