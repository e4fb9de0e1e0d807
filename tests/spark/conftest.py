"""The Spark tests' shared fixtures: one small demo, its lake, and one Spark session for the whole tests/spark run
(a JVM per process: starting it once keeps the folder's run time to a few minutes). Each test module skips
itself when pyspark or Java is missing."""

from __future__ import annotations

import os

import pytest

from dashboard.db import database
from dashboard.spark import engine
from dashboard.spark.lake import export_parquet


@pytest.fixture(scope="session")
def parity_db(tmp_path_factory):
    from dashboard.demo.build import build_demo

    path = tmp_path_factory.mktemp("parity") / "demo.duckdb"
    build_demo(path, conversations=2000, seed=11)
    return path


@pytest.fixture(scope="session")
def parity_con(parity_db):
    con = database.connect(parity_db, read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="session")
def lake(parity_con, tmp_path_factory):
    path = tmp_path_factory.mktemp("lake")
    export_parquet(parity_con, path)
    return path


@pytest.fixture(scope="session")
def spark(lake):
    # local[2] in this process; SPARK_REMOTE=sc://host:15002 runs the same module against a Spark Connect server
    session = engine.session(master=None if os.environ.get("SPARK_REMOTE") else "local[2]")
    engine.register_lake(session, lake)
    yield session
    session.stop()
