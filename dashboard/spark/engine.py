"""Running the product's queries on Spark over a Parquet lake, returning the same pandas frames as DuckDB.

Settings (environment): DASHBOARD_ENGINE=spark selects this engine in dashboard.db.sql.run_query; DASHBOARD_LAKE is the
lake folder (python -m dashboard export parquet DIR); SPARK_REMOTE=sc://host:15002 connects to a Spark Connect server,
otherwise a local session (SPARK_MASTER, default local[2]) runs in this process.
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from dashboard.core.errors import UserError
from dashboard.db import sql
from dashboard.spark import lake as lake_layout
from dashboard.spark.transpile import spark_query_text

# Every session computes in UTC: the data's naive timestamps are UTC, and time_bucket/epoch rewrites rely on it.
SESSION_CONFIG = {
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.execution.arrow.pyspark.enabled": "true",
    "spark.sql.parquet.inferTimestampNTZ.enabled": "true",
    "spark.sql.shuffle.partitions": "8",
}
# Only for a session this process starts (a Spark Connect server has its own).
LOCAL_CONFIG = {
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.warehouse.dir": str(Path(tempfile.gettempdir()) / "dashboard-spark-warehouse"),
}
# The lake tables' columns per session, so the transpiler can resolve `select *` (see transpile.py).
_schemas: dict[int, tuple[tuple[str, tuple[str, ...]], ...]] = {}


def session(master: str | None = None, remote: str | None = None):
    """A Spark session: Spark Connect at `remote` ($SPARK_REMOTE) if given, else local at `master` ($SPARK_MASTER)."""
    warnings.filterwarnings("ignore", message=".*pandas >= 3.0.0.*")
    try:
        from pyspark.sql import SparkSession
    except ImportError as error:
        raise UserError("the Spark engine needs pyspark: pip install -r requirements-spark.txt") from error

    remote = remote or os.environ.get("SPARK_REMOTE")
    builder = SparkSession.builder.appName("dashboard")
    if remote:
        builder = builder.remote(remote)
    elif master or os.environ.get("SPARK_MASTER") or "PYSPARK_GATEWAY_PORT" not in os.environ:
        # not under spark-submit (which sets the gateway port and its own --master): this process picks the master
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # local executors score with this environment
        builder = builder.master(master or os.environ.get("SPARK_MASTER") or "local[2]")
    for key, value in {**SESSION_CONFIG, **({} if remote else LOCAL_CONFIG)}.items():
        builder = builder.config(key, value)
    where = (
        f"Spark Connect at {remote}"
        if remote
        else f"a local Spark ({master or os.environ.get('SPARK_MASTER') or 'local[2]'})"
    )
    try:
        spark = builder.getOrCreate()
        if not remote:  # errors reach the caller as exceptions; the JVM's own logging of them is noise
            spark.sparkContext.setLogLevel("OFF")
    except Exception as error:  # no Java, a port in use, an unreachable server: pyspark raises several families
        raise UserError(f"could not start {where}: {_first_line(error)}") from error
    return spark


def register_lake(spark, lake: Path) -> dict[str, Any]:
    """Register every table of the lake as a temp view named after it (partition columns dropped); return manifest."""
    manifest = lake_layout.read_manifest(lake)
    columns = []
    for name, table in manifest["tables"].items():
        try:
            frame = spark.read.parquet(str(Path(lake).resolve() / name))
            if table.get("partition_by"):
                frame = frame.drop(table["partition_by"])
            frame.createOrReplaceTempView(name)
            columns.append((name, tuple(frame.columns)))
        except Exception as error:
            if _from_spark(error):
                raise UserError(
                    f"table {name} of the lake at {lake} could not be read on Spark: {_first_line(error)}"
                ) from error
            raise
    _schemas[id(spark)] = tuple(columns)
    return manifest


def run_query(spark, name: str, **params: Any) -> pd.DataFrame:
    """Run queries/<name>.sql on Spark over the registered lake; Spark's errors become one-line UserErrors."""
    text = sql.query_text(name)
    used = set(sql.PARAMETER.findall(text))
    args = {key: _bindable(value) for key, value in {**sql.DEFAULTS, **params}.items() if key in used}
    try:
        return spark.sql(spark_query_text(name, _schemas.get(id(spark), ())), args=args).toPandas()
    except Exception as error:  # pyspark raises several families (analysis, Py4J, Connect gRPC)
        if _from_spark(error):
            raise UserError(f"query {name} failed on Spark: {_first_line(error)}") from error
        raise


# The session this process reads the configured lake with, and the lake version its views were registered at.
_default: dict[str, Any] = {}
_default_lock = threading.Lock()  # the app's sessions run on threads: one start-up, one registration per version


def configured_lake() -> Path:
    """The lake named by DASHBOARD_LAKE (a UserError saying how to set it when it is not)."""
    lake = os.environ.get("DASHBOARD_LAKE")
    if not lake:
        raise UserError("DASHBOARD_ENGINE=spark needs DASHBOARD_LAKE=DIR (write one with `export parquet DIR`)")
    return Path(lake)


def configured_session():
    """The session over the configured lake, its tables registered again whenever the lake's manifest changes."""
    lake = configured_lake()
    key = (str(lake), lake_layout.version(lake))
    with _default_lock:
        if _default.get("key") != key:
            spark = _default.get("spark") or session()
            _default["spark"] = spark
            register_lake(spark, lake)
            _default["key"] = key
        return _default["spark"]


def run_configured(name: str, **params: Any) -> pd.DataFrame:
    """run_query on the session and lake named by the environment (DASHBOARD_LAKE, SPARK_REMOTE / SPARK_MASTER)."""
    return run_query(configured_session(), name, **params)


def _bindable(value: Any) -> Any:
    """Tuples bind as lists (Spark arrays); pandas timestamps as plain datetimes, numpy scalars as Python ones."""
    if isinstance(value, (tuple, list)):
        return [_bindable(item) for item in value]
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, np.generic):
        return value.item()
    return value


def _from_spark(error: Exception) -> bool:
    """Whether pyspark, its JVM bridge or the Connect client raised this (rather than a bug of ours)."""
    return type(error).__module__.startswith(("pyspark", "py4j", "grpc"))


def _first_line(error: Exception) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


sql.register_engine("spark", run_configured)  # DASHBOARD_ENGINE=spark sends dashboard.db.sql.run_query here
