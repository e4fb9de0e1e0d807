"""The detector's statistics on hand-made series: the CUSUM's alarm, change point, reset and guards; the dispersion
of Poisson and overdispersed counts; where an episode ends."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard.alerts import cusum

T0 = pd.Timestamp("2026-03-02")


def buckets(counts, negatives=None, mean=10.0, share=0.1) -> pd.DataFrame:
    """A bucket frame as detect.score_buckets builds it: Poisson-level dispersion, a known negative share."""
    counts = np.asarray(counts, dtype=float)
    n = len(counts)
    negatives = np.round(counts * share) if negatives is None else np.asarray(negatives, dtype=float)
    return pd.DataFrame(
        {
            "conversation_count": counts,
            "negative_start_count": negatives,
            "in_control": np.full(n, mean),
            "negative_share": np.full(n, share),
            "dispersion": 1.0,
            "other_dispersion": 1.0,
            "negative_dispersion": 1.0,
        },
        index=pd.date_range(T0, periods=n, freq="15min"),
    )


def test_a_rise_alarms_soon_and_dates_its_change_point():
    frame = buckets([10] * 40 + [16] * 20)  # +60% from bucket 40
    result = cusum.cusum(frame, cusum.THRESHOLD)
    assert (result["statistic"].iloc[:40] == 0).all()  # expected traffic gathers no evidence
    first = int(np.flatnonzero(result["alarm"])[0])
    assert 40 < first <= 46  # 8 nats at about 1.4 a quarter hour
    assert result["change_point"].iat[first] == 40


def test_the_statistic_restarts_after_an_alarm_and_after_a_missing_bucket():
    frame = buckets([10] * 10 + [20] * 30)
    result = cusum.cusum(frame, cusum.THRESHOLD)
    alarms = np.flatnonzero(result["alarm"])
    assert len(alarms) >= 2  # a long rise alarms again after each restart
    assert result["change_point"].iat[alarms[1]] == alarms[0] + 1
    frame.iloc[12, frame.columns.get_loc("in_control")] = np.nan  # not collected
    result = cusum.cusum(frame, cusum.THRESHOLD)
    assert np.isnan(result["statistic"].iat[12]) and result["change_point"].iat[13] == 13


def test_a_sour_mood_without_more_conversations_never_alarms():
    frame = buckets([10] * 60, negatives=[1] * 20 + [6] * 40)  # negatives six-fold, volume flat
    assert not cusum.cusum(frame, cusum.THRESHOLD)["alarm"].any()
    frame = buckets([10] * 20 + [13] * 40, negatives=[1] * 20 + [6] * 40)  # +30% with them: an incident
    assert cusum.cusum(frame, cusum.THRESHOLD)["alarm"].any()


def test_an_episode_ends_where_the_excess_stops():
    frame = buckets([10] * 20 + [20] * 16 + [10] * 30)
    frame = frame.join(cusum.cusum(frame, cusum.THRESHOLD).set_index(frame.index))
    ((first, alarm, last),) = cusum.episodes(frame, 15)
    assert first == 20 and 20 < alarm < 36 and last == 35


@pytest.mark.parametrize(("extra_variance", "expected"), [(0.0, 1.0), (0.5, 1.0 + 0.5 * 40)])
def test_dispersion_reads_one_on_poisson_counts_and_more_on_noisier_ones(extra_variance, expected):
    rng = np.random.default_rng(4)
    hours = pd.date_range(T0, periods=24 * 28, freq="h")
    mean = pd.Series(40.0, index=hours)
    rates = rng.gamma(1 / extra_variance, 40 * extra_variance, len(hours)) if extra_variance else mean.to_numpy()
    counts = pd.Series(rng.poisson(rates), index=hours, dtype=float)
    phi = cusum.dispersion(counts, mean)
    assert phi.iloc[:24].isna().all()  # not before a day of history
    # the variance-to-mean ratio of a gamma-Poisson mixture: 1 + mean x extra variance (shape 1/extra)
    assert phi.iloc[-1] == pytest.approx(min(expected, cusum.DISPERSION_LIMITS[1]), rel=0.2)
