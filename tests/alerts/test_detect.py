"""Spike detection: a planted spike is found soon after it starts, flat traffic, the start of the data and collection
gaps never are; detected rows replace each other, carry the incidents page's uplift and never read nan."""

from __future__ import annotations

import shutil

import duckdb
import numpy as np
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


def planted_starts(spike: bool = True, gap: bool = True) -> list[tuple[pd.Timestamp, bool]]:
    """(start, is_negative) for every conversation: steady hours, one spike, one gap day with a small burst."""
    starts = []
    for hour in pd.date_range(FIRST_DAY, periods=DAYS * 24, freq="h"):
        if gap and hour.normalize() == GAP_DAY:
            starts += [(hour + pd.Timedelta(minutes=5 * i), True) for i in range(10)] if hour.hour == 3 else []
            continue
        count = DAY_RATE if 8 <= hour.hour < 21 else NIGHT_RATE
        starts += [(hour + pd.Timedelta(minutes=60 * i / count), i == 0 and hour.hour % 8 == 0) for i in range(count)]
        if spike and SPIKE[0] <= hour < SPIKE[1]:
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


def build(path, starts: list[tuple[pd.Timestamp, bool]]):
    """A database at `path` holding these conversation starts."""
    con = database.connect(path)
    load(con, ImportResult("test", "planted"), message_rows(starts))
    con.close()
    return path


@pytest.fixture(scope="module")
def spike_db(tmp_path_factory):
    """A database with six weeks of steady traffic, one planted spike, one collection gap and no incidents."""
    return build(tmp_path_factory.mktemp("spike") / "spike.duckdb", planted_starts())


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


@pytest.mark.parametrize(("bucket", "bound"), [(15, 75), (60, 120)])
def test_the_planted_spike_is_the_only_window_and_found_soon(spike_con, bucket, bound):
    windows = detect.detect(spike_con, detect.Settings(bucket))
    assert len(windows) == 1
    window = windows.iloc[0]
    assert overlaps(window, *SPIKE)
    assert SPIKE[0] < window.detected_at <= SPIKE[0] + pd.Timedelta(minutes=bound)
    assert abs(window.started_at - SPIKE[0]) <= pd.Timedelta(minutes=bucket)
    assert window.volume_uplift > 1


def poisson_starts(seed: int, burst_on_first_day: bool = False) -> list[tuple[pd.Timestamp, bool]]:
    """Six weeks of Poisson traffic with a daily shape (no incident), optionally a burst as the data starts, and a
    few stray rows years earlier."""
    rng = np.random.default_rng(seed)
    hours = pd.date_range(FIRST_DAY + pd.Timedelta(hours=13), periods=DAYS * 24 - 13, freq="h")
    rate = np.where((hours.hour >= 8) & (hours.hour < 21), 12.0, 2.0)
    starts = [
        (hour + pd.Timedelta(seconds=int(s)), bool(rng.random() < 0.15))
        for hour, count in zip(hours, rng.poisson(rate), strict=True)
        for s in rng.uniform(0, 3600, count)
    ]
    if burst_on_first_day:
        starts += [(hours[2] + pd.Timedelta(minutes=i), True) for i in range(60)]
    starts += [(pd.Timestamp("2013-03-01") + pd.Timedelta(days=30 * i), False) for i in range(5)]
    return starts  # fmt: skip


def test_flat_traffic_and_the_start_of_the_data_are_never_detected(tmp_path):
    con = database.connect(build(tmp_path / "flat.duckdb", poisson_starts(2, burst_on_first_day=True)))
    scored = detect.score_buckets(detect.runner(con))
    # the first two weeks have no two-week baseline: never scored, so never a spike
    assert scored.loc[: FIRST_DAY + pd.Timedelta(days=14), "statistic"].isna().all()
    assert detect.detect(con).empty
    con.close()


def test_steady_traffic_is_never_detected(tmp_path):
    con = database.connect(build(tmp_path / "steady.duckdb", planted_starts(spike=False, gap=False)))
    assert detect.detect(con).empty
    con.close()


def test_a_collection_gap_is_never_an_incident(spike_con):
    status = spike_con.execute("select status from coverage_days where day = $d", {"d": GAP_DAY.date()}).fetchone()
    assert status == ("gap",)
    for sensitivity in (1, 3, 10):  # even the most sensitive setting leaves the gap (and its burst) alone
        scored = detect.score_buckets(detect.runner(spike_con), detect.Settings(15, sensitivity))
        assert scored.loc[GAP_DAY : GAP_DAY + pd.Timedelta(hours=23, minutes=45), "statistic"].isna().all()
        windows = detect.find_windows(scored, detect.Settings(15, sensitivity))
        assert not any(overlaps(w, GAP_DAY, GAP_DAY + pd.Timedelta(days=1)) for w in windows.itertuples())


def test_the_gap_burst_would_be_a_spike_if_coverage_called_the_day_covered(spike_con):
    spike_con.execute("update coverage_days set status = 'covered' where day = $d", {"d": GAP_DAY.date()})
    windows = detect.detect(spike_con)
    assert any(overlaps(w, GAP_DAY, GAP_DAY + pd.Timedelta(days=1)) for w in windows.itertuples())


def test_a_daytime_collection_outage_never_alarms(tmp_path):
    outage = (pd.Timestamp("2026-01-27 09:00"), pd.Timestamp("2026-01-27 14:00"))  # day 22: five hours, nothing
    starts = [
        (at, negative) for at, negative in planted_starts(spike=False, gap=False) if not outage[0] <= at < outage[1]
    ]
    con = database.connect(build(tmp_path / "outage.duckdb", starts))
    # the outage reads as a drop, never a rise; a week later its zeros lower the baseline by a quarter, not enough
    assert detect.detect(con, detect.Settings(15, 2.0)).empty
    con.close()


def test_hours_whose_baseline_reaches_before_the_data_starts_are_not_scored(tmp_path):
    con = database.connect(build(tmp_path / "flat.duckdb", poisson_starts(3)))
    scored = detect.score_buckets(detect.runner(con))
    day22 = FIRST_DAY + pd.Timedelta(days=21)
    # the data starts at 13:00 on the first day: the README baseline reads its earlier hours as zero traffic
    assert (
        scored.loc[day22 + pd.Timedelta(hours=9) : day22 + pd.Timedelta(hours=13, minutes=45), "statistic"].isna().all()
    )
    assert scored.loc[day22 + pd.Timedelta(hours=14) : day22 + pd.Timedelta(hours=20), "statistic"].notna().all()
    con.close()


def test_the_baseline_is_the_readme_baseline(spike_con):
    hours = detect.hourly_baseline(detect.runner(spike_con), detect.arrivals(spike_con))
    macro = spike_con.execute(
        "select hour_at, expected_count from volume_baseline($s, $e, ['twitter'], ['(none)'], ['normal'])",
        {"s": hours.index[0].to_pydatetime(), "e": (hours.index[-1] + pd.Timedelta(hours=1)).to_pydatetime()},
    ).df().set_index("hour_at")["expected_count"]  # fmt: skip
    pd.testing.assert_series_equal(
        hours["expected_count"], macro.reindex(hours.index).astype(float), check_names=False, check_freq=False
    )
    assert hours["expected_count"].notna().sum() > 24 * 20


@pytest.mark.parametrize("cut", ["2026-02-04 10:45", "2026-02-04 11:30", "2026-02-05 00:00", "2026-02-10 13:15"])
def test_detection_is_causal(spike_con, cut):
    """A bucket's statistic and alarm use only the data up to its end, so `alerts check --until` sees what the
    backtest's single pass over all the data saw."""
    full = detect.score_buckets(detect.runner(spike_con))
    until = pd.Timestamp(cut)
    cut_short = detect.score_buckets(detect.runner(spike_con), until=until)
    columns = ["conversation_count", "in_control", "dispersion", "statistic", "alarm", "change_point"]
    pd.testing.assert_frame_equal(cut_short[columns], full.loc[full.index < until, columns], check_freq=False)
    assert full["alarm"].any()


def test_detection_replaces_detected_rows_with_the_incidents_page_uplift(spike_db, tmp_path):
    path = tmp_path / "copy.duckdb"
    shutil.copy(spike_db, path)
    first = detect.run_detection(path, detect.Settings())
    again = detect.run_detection(path, detect.Settings())  # earlier detections do not shape the baseline
    pd.testing.assert_frame_equal(first, again)
    con = database.connect(path)
    stored = con.execute("select incident_id, title, source from incidents").fetchall()
    (window,) = first.itertuples()
    assert stored == [(window.incident_id, detect.title(window.volume_uplift, window.negative_start_share), "detected")]
    owned = "select count(*) from conversations where incident_id = $id"
    assert con.execute(owned, {"id": window.incident_id}).fetchone()[0] > 0  # no recorded incident: fallback
    con.execute(
        "insert into incidents values ('INC-1', 'Elsewhere', '2026-01-20 10:00', '2026-01-20 12:00', null, null, "
        "'recorded')"
    )
    schema.refresh_derived(con)
    assert con.execute(owned, {"id": window.incident_id}).fetchone()[0] == 0  # back to normal time
    assert con.execute(owned, {"id": "INC-1"}).fetchone()[0] == 2 * DAY_RATE + 1
    con.close()


def test_evaluation_against_a_recorded_incident(spike_con):
    spike_con.execute(
        "insert into incidents values ('INC-9', 'Outage', $start, $end, null, null, 'recorded')",
        {"start": SPIKE[0].to_pydatetime(), "end": SPIKE[1].to_pydatetime()},
    )
    result = detect.evaluate(spike_con, detect.Settings(15))
    assert (result["precision"], result["recall"]) == (1.0, 1.0)
    assert 0 < result["median_delay_minutes"] <= 75
    assert "precision 1.00" in detect.describe_evaluation(result)


@pytest.mark.parametrize("uplift", [None, float("nan"), float("inf"), -float("inf")])
def test_no_nan_reaches_a_title(uplift):
    for share in (None, float("nan"), 0.25):
        text = detect.title(uplift, share)
        assert "not enough history" in text and not any(w in text.lower() for w in ("nan", "inf", "none"))
    assert detect.severity(uplift) == "low"
    empty = {
        "bucket_minutes": 15,
        "sensitivity": 1.0,
        "detected": 0,
        "matching": 0,
        "precision": None,
        "recorded": 1,
        "found": 1,
        "recall": 1.0,
        "median_delay_minutes": uplift,
        "delay_minutes": {"I": uplift},
    }
    assert "nan" not in detect.describe_evaluation(empty).lower()  # fmt: skip


def test_a_window_without_history_is_stored_without_a_number(build_db):
    con = build_db([{"conversation_id": "c1", "message_id": "m1", "sent_at": "2026-01-05 10:00",
                     "author_type": "customer", "customer_id": "u1", "channel": "twitter", "text": "hi"}])  # fmt: skip
    day = pd.Timestamp("2026-01-05")
    window = pd.DataFrame([{"incident_id": "DET-1", "started_at": day + pd.Timedelta(hours=9),
                            "ended_at": day + pd.Timedelta(hours=11), "detected_at": day + pd.Timedelta(hours=10),
                            "actual_count": 1, "expected_count": None, "volume_uplift": None,
                            "negative_start_share": 0.0, "score": None}])  # fmt: skip
    stored = detect.store_detected(con, window)
    assert stored.iloc[0]["volume_uplift"] is None
    title = con.execute("select title from incidents").fetchone()[0]
    assert title == "Detected spike: volume — (not enough history), 0% negative starts"


def test_settings_are_checked():
    with pytest.raises(UserError):
        detect.Settings(bucket_minutes=30)
    with pytest.raises(UserError):
        detect.Settings(sensitivity=0)


def test_cli_detect_and_evaluate(spike_db, tmp_path, capsys):
    path = tmp_path / "cli.duckdb"
    shutil.copy(spike_db, path)
    assert main(["--db", str(path), "detect", "--bucket", "60"]) == 0
    out = capsys.readouterr().out
    assert "stored 1 detected incidents" in out and "matches no recorded incident" in out
    assert "nan" not in out.lower()
    assert main(["--db", str(path), "detect", "--evaluate"]) == 0
    out = capsys.readouterr().out
    assert "60-minute buckets" in out and "15-minute buckets" in out
    assert main(["--db", str(path), "detect", "--sensitivity", "50"]) == 2
    with duckdb.connect(str(path), read_only=True) as con:
        assert con.execute("select count(*) from incidents where source = 'detected'").fetchone()[0] == 1
