"""The benchmark runs on the small demo and lists every page (correctness only: no timing is asserted, since a busy
machine could fail any target)."""

from __future__ import annotations

import shutil

import pytest

from dashboard.app import bench, pages
from dashboard.cli import main
from dashboard.db import sql


def test_bench_times_every_page_on_a_database(demo_db, capsys):
    timings = bench.bench_database(demo_db, repeat=1)
    assert [t.page for t in timings] == [page.title for page in pages.PAGES]
    for timing in timings:
        assert timing.cold_seconds > 0 and timing.warm_seconds > 0
        assert set(pages.FRAME_QUERIES) <= set(timing.query_seconds)
    out = capsys.readouterr().out
    for page in pages.PAGES:
        assert page.title in out
    assert "cold < 3 s, warm < 1 s" in out


def test_bench_builds_a_demo_of_the_asked_size_in_a_temp_folder(demo_db, monkeypatch):
    built = {}
    monkeypatch.setattr(bench, "COLD_TARGET_SECONDS", float("inf"))  # pass or fail is not what this test checks
    monkeypatch.setattr(bench, "WARM_TARGET_SECONDS", float("inf"))

    def fake_build(path, conversations, progress):
        built.update(path=path, conversations=conversations)
        shutil.copy(demo_db, path)

    monkeypatch.setattr("dashboard.demo.build.build_demo", fake_build)
    timings = bench.run_bench(demo_db.parent / "unused.duckdb", conversations=500, repeat=1)
    assert built["conversations"] == 500 and len(timings) == len(pages.PAGES)
    assert not built["path"].exists()  # the temporary folder is gone


def test_a_slow_page_fails_the_bench(demo_db, monkeypatch):
    monkeypatch.setattr(bench, "WARM_TARGET_SECONDS", 0.0)
    with pytest.raises(SystemExit) as exit_info:
        bench.run_bench(demo_db, repeat=1)
    assert exit_info.value.code == 1


def test_every_listed_query_exists():
    names = set(sql.query_names())
    for page in pages.PAGES:
        assert {name for name, _ in pages.calls(page.title)} <= names, page.title


def test_bench_runs_the_pages_in_another_time_zone(demo_db, capsys):
    timings = bench.bench_database(demo_db, repeat=1, tz="Asia/Kolkata")
    assert [t.page for t in timings] == [page.title for page in pages.PAGES]
    assert "time zone Asia/Kolkata" in capsys.readouterr().out


def test_bench_refuses_an_unknown_time_zone(demo_db, capsys):
    assert main(["--db", str(demo_db), "bench", "--tz", "Mars/Olympus"]) == 2
    assert "unknown time zone" in capsys.readouterr().err
