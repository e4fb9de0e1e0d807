"""Spike detection: a planted spike is found, collection gaps never are, detected rows replace each other and only
own conversations when no incident is recorded."""

from __future__ import annotations

import shutil

import duckdb
import pandas as pd
import pytest

from dashboard.alerts import detect
from dashboard.cli import main
from dashboard.core.errors import UserError
from dashboard.db import database, schema
from dashboard.ingest.load import ImportResult, load
from tests.conftest import message_frame

FIRST_DAY = pd.Timestamp("2026-01-05")  # a Monday
DAYS = 42
SPIKE = (pd.Timestamp("2026-02-04 10:00"), pd.Timestamp("2026-02-04 14:00"))  # day 30: +12 an hour, all negative
GAP_DAY = pd.Timestamp("2026-02-03")  # day 29: only a backlog burst of 10 at 03:00, under 10% of a normal day
DAY_RATE, NIGHT_RATE, SPIKE_EXTRA = 8, 1, 12


def planted_starts() -> list[tuple[pd.Timestamp, bool]]:
    """(start, is_negative) for every conversation: steady hours, one spike, one gap day with a small burst."""
    starts = []
    for hour in pd.date_range(FIRST_DAY, periods=DAYS * 24, freq="h"):
        if hour.normalize() == GAP_DAY:
            starts += [(hour + pd.Timedelta(minutes=5 * i), True) for i in range(10)] if hour.hour == 3 else []
            continue
        count = DAY_RATE if 8 <= hour.hour < 21 else NIGHT_RATE
        starts += [(hour + pd.Timedelta(minutes=60 * i / count), i == 0 and hour.hour % 8 == 0) for i in range(count)]
        if SPIKE[0] <= hour < SPIKE[1]:
            starts += [(hour + pd.Timedelta(minutes=5 * i + 2), True) for i in range(SPIKE_EXTRA)]
    return starts


def message_rows(starts: list[tuple[pd.Timestamp, bool]]) -> pd.DataFrame:
    """One pre-scored customer message per conversation (scoring is not under test here)."""
    rows = [
        {
            "conversation_id": f"c{n}",
            "message_id": f"m{n}",
            "sent_at": at,
            "author_type": "customer",
            "customer_id": f"u{n % 50}",
            "channel": "twitter",
            "text": "down again" if negative else "hello",
        }
        for n, (at, negative) in enumerate(starts)
    ]
    frame = message_frame(rows)
    negative = frame["text"] == "down again"
    return frame.assign(
        sentiment_score=negative.map({True: -0.6, False: 0.0}),
        sentiment_label=negative.map({True: "negative", False: "neutral"}),
    )


@pytest.fixture(scope="module")
def spike_db(tmp_path_factory):
    """A database with six weeks of steady traffic, one planted spike, one collection gap and no incidents."""
    path = tmp_path_factory.mktemp("spike") / "spike.duckdb"
    con = database.connect(path)
    load(con, ImportResult("test", "planted"), message_rows(planted_starts()))
    con.close()
    return path


@pytest.fixture
def spike_con(spike_db, tmp_path):
    """A writable copy of the spike database."""
    path = tmp_path / "copy.duckdb"
    shutil.copy(spike_db, path)
    con = database.connect(path)
    yield con
    con.close()


def overlaps(window, start: pd.Timestamp, end: pd.Timestamp) -> bool:
    return window.started_at < end and window.ended_at > start


@pytest.mark.parametrize("bucket", [60, 15])
def test_the_planted_spike_is_the_only_window(spike_con, bucket):
    windows = detect.detect(spike_con, detect.Settings(bucket))
    assert len(windows) == 1
    window = windows.iloc[0]
    assert overlaps(window, *SPIKE)
    assert SPIKE[0] < window.detected_at <= SPIKE[1]
    assert window.volume_uplift > 1


def test_a_collection_gap_is_never_an_incident(spike_con):
    quarter = detect.arrivals(spike_con)
    assert list(detect.gap_days(quarter)) == [GAP_DAY]
    scored = detect.score_buckets(quarter, 60)
    gap = scored.loc[GAP_DAY : GAP_DAY + pd.Timedelta(hours=23)]
    assert gap["is_gap"].all() and gap["score"].isna().all()
    for sensitivity in (1, 3, 10):  # even the most sensitive setting leaves the gap (and its burst) alone
        windows = detect.find_windows(scored, detect.Settings(60, sensitivity))
        assert not any(overlaps(w, GAP_DAY, GAP_DAY + pd.Timedelta(days=1)) for w in windows.itertuples())


def test_the_gap_burst_would_be_a_spike_without_the_gap_rule(spike_con, monkeypatch):
    monkeypatch.setattr(detect, "GAP_FRACTION", 0.0)
    windows = detect.detect(spike_con, detect.Settings(60))
    assert any(overlaps(w, GAP_DAY, GAP_DAY + pd.Timedelta(days=1)) for w in windows.itertuples())


def test_detection_replaces_detected_rows_and_owns_conversations_only_without_recorded_ones(spike_con):
    windows = detect.detect(spike_con)
    for _ in range(2):
        detect.store_detected(spike_con, windows)
    stored = spike_con.execute("select incident_id, source from incidents").fetchall()
    assert stored == [(windows.iloc[0].incident_id, "detected")]
    owned = "select count(*) from conversations where incident_id = $id"
    assert spike_con.execute(owned, {"id": windows.iloc[0].incident_id}).fetchone()[0] > 0  # no recorded: fallback

    spike_con.execute(
        "insert into incidents values ('INC-1', 'Elsewhere', '2026-01-20 10:00', '2026-01-20 12:00', null, null, "
        "'recorded')"
    )
    schema.refresh_derived(spike_con)
    assert spike_con.execute(owned, {"id": windows.iloc[0].incident_id}).fetchone()[0] == 0  # back to normal time
    assert spike_con.execute(owned, {"id": "INC-1"}).fetchone()[0] == 2 * DAY_RATE + 1


def test_evaluation_against_a_recorded_incident(spike_con):
    spike_con.execute(
        "insert into incidents values ('INC-9', 'Outage', $start, $end, null, null, 'recorded')",
        {"start": SPIKE[0].to_pydatetime(), "end": SPIKE[1].to_pydatetime()},
    )
    result = detect.evaluate(spike_con, detect.Settings(15))
    assert (result["precision"], result["recall"]) == (1.0, 1.0)
    assert 0 < result["median_delay_minutes"] <= 240
    assert "precision 1.00" in detect.describe_evaluation(result)


def test_detection_ignores_the_incidents_table(spike_con):
    before = detect.detect(spike_con)
    spike_con.execute(
        "insert into incidents values ('INC-2', 'Spike', '2026-02-04 09:00', '2026-02-04 15:00', null, null, "
        "'recorded')"
    )
    schema.refresh_derived(spike_con)
    pd.testing.assert_frame_equal(detect.detect(spike_con), before)


def test_settings_are_checked():
    with pytest.raises(UserError):
        detect.Settings(bucket_minutes=30)
    with pytest.raises(UserError):
        detect.Settings(sensitivity=0)


def test_cli_detect_and_evaluate(spike_db, tmp_path, capsys):
    path = tmp_path / "cli.duckdb"
    shutil.copy(spike_db, path)
    assert main(["--db", str(path), "detect", "--bucket", "15"]) == 0
    assert "stored 1 detected incidents" in capsys.readouterr().out
    assert main(["--db", str(path), "detect", "--evaluate"]) == 0
    out = capsys.readouterr().out
    assert "60-minute buckets" in out and "15-minute buckets" in out
    assert main(["--db", str(path), "detect", "--sensitivity", "50"]) == 2
    with duckdb.connect(str(path), read_only=True) as con:
        assert con.execute("select count(*) from incidents where source = 'detected'").fetchone()[0] == 1
