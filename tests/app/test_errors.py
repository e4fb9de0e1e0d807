"""Viewers see one line for a failure, never a traceback; the server listens on loopback unless told otherwise."""

from __future__ import annotations

import tomllib
from pathlib import Path

from streamlit.testing.v1 import AppTest

PROJECT = Path(__file__).resolve().parents[2]


def test_a_damaged_database_gives_one_line_and_no_traceback(tmp_path, monkeypatch):
    damaged = tmp_path / "damaged.duckdb"
    damaged.write_bytes(b"this is not a duckdb file, and its path is not for viewers" * 100)
    monkeypatch.setenv("DASHBOARD_DB", str(damaged))
    at = AppTest.from_file("../../streamlit_app.py", default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    assert len(at.error) == 1
    message = at.error[0].value
    assert "\n" not in message and "Traceback" not in message and "server log" in message
    assert not at.metric


def test_shipped_server_config_hides_details_and_listens_on_loopback():
    config = tomllib.loads((PROJECT / ".streamlit" / "config.toml").read_text())
    assert config["client"]["showErrorDetails"] == "none"
    assert config["server"]["address"] == "127.0.0.1"
