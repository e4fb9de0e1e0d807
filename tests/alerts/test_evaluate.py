"""The detection benchmark: seeds split once, the synthetic generator's ground truth, window scoring by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.alerts import evaluate, traffic, traffic_alt

T0 = pd.Timestamp("2026-03-02 00:00")


def at(hours: float) -> pd.Timestamp:
    return T0 + pd.Timedelta(hours=hours)


def test_tuning_and_held_out_seeds_never_overlap():
    for source in evaluate.BUILDERS:
        tune, old, fresh = (set(split.get(source, [])) - {0} for split in evaluate.SPLITS.values())
        assert not tune & old and not tune & fresh and not old & fresh
    assert "alternative" not in evaluate.TUNE  # the second generator is never tuned on
    assert all(set(split) <= set(evaluate.BUILDERS) for split in evaluate.SPLITS.values())


def test_synthetic_traffic_plants_what_it_says():
    generated = traffic.synthetic_traffic(1001)
    assert generated.starts.equals(traffic.synthetic_traffic(1001).starts)  # seeded
    truth = generated.incidents
    assert 3 <= len(truth) <= 5
    hours = (truth["ended_at"] - truth["started_at"]).dt.total_seconds() / 3600
    assert hours.between(3, 12).all() and truth["uplift"].between(0.4, 1.5).all()
    assert (truth["started_at"] >= generated.first_at + pd.Timedelta(days=15)).all()
    starts = generated.starts["started_at"]
    stray = (starts < generated.first_at).mean()
    assert 0.005 < stray < 0.009 and (starts < generated.first_at - pd.Timedelta(days=300)).sum() > 0
    for start, end in generated.gaps:  # nothing collected, bar a backlog burst in a gap's last ten minutes
        inside = starts[(starts >= start) & (starts < end - pd.Timedelta(minutes=10))]
        assert inside.empty
    assert not any(
        start < t.ended_at and t.started_at < end for start, end in generated.gaps for t in truth.itertuples()
    )


@pytest.mark.parametrize("seed", [7, 9])  # one busy, one quiet; not seeds of any split
def test_the_second_generator_plants_what_it_says(seed):
    generated = traffic_alt.synthetic_traffic(seed)
    truth = generated.incidents
    hours = (truth["ended_at"] - truth["started_at"]).dt.total_seconds() / 3600
    assert 3 <= len(truth) <= 5 and hours.between(3, 12).all() and truth["uplift"].between(0.4, 1.5).all()
    starts = generated.starts["started_at"]
    per_hour = starts[starts >= generated.first_at].dt.floor("h").value_counts().max()
    assert per_hour < 60 or per_hour > 200  # ten times quieter or ten times busier than the tuned generator
    assert 0.005 < (starts < generated.first_at).mean() < 0.009
    for start, end in generated.gaps:
        assert starts[(starts >= start) & (starts < end)].empty
    assert not any(
        start < t.ended_at and t.started_at < end for start, end in generated.gaps for t in truth.itertuples()
    )


def test_windows_are_scored_against_the_ground_truth():
    truth = pd.DataFrame({"incident_id": ["A", "B"], "started_at": [at(10), at(40)], "ended_at": [at(14), at(44)]})
    windows = pd.DataFrame(
        {
            "started_at": [at(10.25), at(20), at(11)],
            "ended_at": [at(13), at(21), at(12)],
            "detected_at": [at(11.25), at(20.5), at(11.5)],
        }
    )
    got = evaluate.score_windows(windows, truth)
    assert got == {"incidents": 2, "found": 1, "delays": [75.0], "start_offsets": [15.0], "windows": 3,
                   "false_windows": 1}  # fmt: skip


def test_a_summary_without_incidents_reads_a_dash():
    result = {"source": "twcs", "seed": 0, "incidents": 0, "found": 0, "delays": [], "start_offsets": [], "windows": 0,
              "false_windows": 0, "normal_days": 7.0, "backtest": {"any rule": {"outside": 1}}}  # fmt: skip
    summary = evaluate.summarise([result])
    assert summary["recall"] is None and summary["false_windows_per_30_days"] == 0
    line = evaluate.describe_summary("twcs", summary)
    assert "recall — of 0 incidents" in line and "nan" not in line.lower()
