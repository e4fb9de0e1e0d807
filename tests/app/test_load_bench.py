"""The load benchmark against a real server: both clients (Chromium contexts and Streamlit's websocket protocol) see
every page finish with no errors, percentiles are nearest-rank, and CPU seconds come from /proc."""

from __future__ import annotations

import os

import pytest

from dashboard.app import load_bench
from tests.app.browser_support import CHROMIUM


def test_percentiles_are_nearest_rank():
    result = load_bench.PageResult("Overview", seconds=[5.0, 1.0, 3.0, 2.0, 4.0])
    assert (result.percentile(0.5), result.percentile(0.95), result.percentile(0.0)) == (3.0, 5.0, 1.0)
    assert load_bench.PageResult("SLA").percentile(0.5) != load_bench.PageResult("SLA").percentile(0.5)  # nan


def test_cpu_seconds_counts_this_process():
    before = load_bench.cpu_seconds(os.getpid(), with_children=False)
    sum(i * i for i in range(3_000_000))
    assert load_bench.cpu_seconds(os.getpid(), with_children=False) > before
    assert load_bench.cpu_seconds(2**22 + 12345) == 0.0  # no such process: nothing, not an error


def test_protocol_sessions_finish_every_page(server, capsys):
    results = load_bench.run_load_bench(server, 2, timeout=120, server_pid=None, client="protocol")
    assert [r.page for r in results] == list(load_bench.PAGES)
    assert all(len(r.seconds) == 2 and not r.errors for r in results)
    assert "p95" in capsys.readouterr().out


@pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM}")
def test_browser_sessions_render_every_page(server):
    pytest.importorskip("playwright.async_api")
    results = load_bench.run_load_bench(server, 1, timeout=180, client="browser")
    assert all(len(r.seconds) == 1 and not r.errors for r in results), [r.errors for r in results]
