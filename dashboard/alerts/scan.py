"""The detector's statistics (steps 2-4 of dashboard/alerts/detect.py): local level, calibrated scan, episodes.

Plain numpy and pandas on per-bucket frames; no database. Constants were chosen on the TUNE seeds of
dashboard/alerts/evaluate.py only.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

SCAN_MINUTES = (60, 90, 120, 180, 240, 360, 480, 720)  # an hour at least: a blip of minutes is not an incident
OPEN_Z = 3.75
MIN_UPLIFT = 0.25
MIN_EXCESS = 8
SCALE_DAYS = 14
SCALE_MIN_DAYS = 4
END_RATIO = 1.2
END_MINUTES = 120
MIN_BASELINE_WEEKS = 2
LEVEL_HOURS = 24
LEVEL_LIMITS = (0.67, 1.5)
LEVEL_PRIOR = 100.0
SHARE_DAYS = 28
MIN_VOLUME_Z = 1.0


def local_level(hours: pd.DataFrame) -> pd.DataFrame:
    """Per hour, from the data before it: the local level (actual / README expected over the previous LEVEL_HOURS
    hours' scored ones, shrunk towards 1) and the negative-start share (median daily share of the previous SHARE_DAYS
    days).

    NaN expected marks hours never scored: not collected, or under MIN_BASELINE_WEEKS weeks of baseline."""
    scored = hours["collected"] & (hours["baseline_weeks"] >= MIN_BASELINE_WEEKS) & (hours["expected_count"] > 0)
    actual, expected = hours["conversation_count"].where(scored), hours["expected_count"].where(scored)
    window = f"{LEVEL_HOURS}h"
    # Shrunk towards 1 by LEVEL_PRIOR conversations: at low volume a day's ratio is mostly Poisson noise.
    level = (actual.rolling(window, min_periods=1).sum() + LEVEL_PRIOR) / (
        expected.rolling(window, min_periods=1).sum() + LEVEL_PRIOR
    )
    daily = hours["negative_start_count"].where(scored).resample("D").sum(min_count=1) / actual.resample("D").sum(
        min_count=1
    )
    share = daily.rolling(SHARE_DAYS, min_periods=3).median().shift(1)
    return pd.DataFrame(
        {
            "expected": expected,
            "level": level.shift(1).fillna(1.0).clip(*LEVEL_LIMITS),
            "negative_share": share.reindex(hours.index.normalize()).to_numpy(),
        },
        index=hours.index,
    )


def _window_sums(values: np.ndarray, length: int) -> np.ndarray:
    """Sums of `length` consecutive values ending at each position (NaN before the first full window)."""
    total = np.concatenate([[0.0], np.cumsum(values)])
    sums = total[length:] - total[:-length]
    return np.concatenate([np.full(length - 1, np.nan), sums])


def _calibrated(u: np.ndarray, length: int, per_day: int, index: pd.Index, floor: np.ndarray) -> np.ndarray:
    """u in units of the robust spread the same statistic showed over the previous SCALE_DAYS days, on windows that
    ended before this one starts (overdispersion and correlated noise included), never under `floor` (Poisson noise
    of the count and of its baseline)."""
    past = pd.Series(u, index=index).shift(length).rolling(SCALE_DAYS * per_day, min_periods=SCALE_MIN_DAYS * per_day)
    scale = ((past.quantile(0.75) - past.quantile(0.25)) / 1.349).fillna(np.inf).to_numpy()
    return u / np.maximum(scale, floor)


def anscombe(actual: np.ndarray, expected: np.ndarray) -> np.ndarray:
    """Poisson excess in standard deviations, variance-stabilised (Anscombe) so a few arrivals in a quiet hour are
    not a many-sigma event."""
    return 2 * (np.sqrt(np.maximum(actual, 0) + 0.375) - np.sqrt(np.maximum(expected, 0) + 0.375))


def scan(frame: pd.DataFrame, bucket_minutes: int) -> pd.DataFrame:
    """For every bucket, the strongest window ending there: its score, length in buckets and volume uplift.

    Per window length: volume z, and a joint z of volume and negative starts (each excess over expected in Poisson
    sds, Anscombe-stabilised, summed), both calibrated on the past; the score is the larger, counted only when the
    window holds at least MIN_EXCESS conversations and MIN_UPLIFT over expected and its volume z reaches
    MIN_VOLUME_Z."""
    x, n = frame["conversation_count"].to_numpy(float), frame["negative_start_count"].to_numpy(float)
    e, level, share = (frame[c].to_numpy(float) for c in ("expected", "level", "negative_share"))
    missing = _window_sums((~np.isfinite(e)).astype(float), 1)
    floor = np.sqrt(1 + 1 / np.maximum(frame["baseline_weeks"].to_numpy(float), 1))
    e0, share0 = np.nan_to_num(e), np.nan_to_num(share)
    best = pd.DataFrame({"z": np.nan, "length": 0, "uplift": np.nan}, index=frame.index)
    per_day = 24 * 60 // bucket_minutes
    for length in sorted({max(1, m // bucket_minutes) for m in SCAN_MINUTES}):
        whole = _window_sums(missing, length) == 0
        start_level = np.concatenate([np.full(length - 1, np.nan), level[: len(level) - length + 1]])
        actual, expected = _window_sums(x, length), _window_sums(e0, length) * start_level
        negative, negative_expected = _window_sums(n, length), _window_sums(e0 * share0, length) * start_level
        volume_u = np.where(whole, anscombe(actual, expected), np.nan)
        negative_u = anscombe(negative, negative_expected)
        volume_z = _calibrated(volume_u, length, per_day, frame.index, floor)
        joint_z = _calibrated(volume_u + np.nan_to_num(negative_u), length, per_day, frame.index, 1.5 * floor)
        uplift = actual / np.maximum(expected, 1e-9) - 1
        valid = (actual - expected >= MIN_EXCESS) & (uplift >= MIN_UPLIFT) & (volume_z >= MIN_VOLUME_Z)
        z = np.where(valid, np.fmax(volume_z, joint_z), np.nan)
        better = np.nan_to_num(z, nan=-np.inf) > np.nan_to_num(best["z"].to_numpy(), nan=-np.inf)
        best.loc[better, "z"], best.loc[better, "length"], best.loc[better, "uplift"] = (
            z[better], length, uplift[better]
        )  # fmt: skip
    return best


def episodes(frame: pd.DataFrame, threshold: float, bucket_minutes: int) -> list[tuple[int, int, int]]:
    """Alarmed episodes as (first bucket, alarm bucket, last bucket).

    An episode opens at the first bucket whose z reaches `threshold` with a window after the last episode; it starts
    where that bucket's strongest window does (leading buckets at or under expected trimmed). It lasts while the
    running excess over END_RATIO x expected keeps reaching new peaks: it ends at the last peak once END_MINUTES pass
    without one, or a bucket is missing.
    """
    z, x = frame["z"].to_numpy(), frame["conversation_count"].to_numpy(float)
    e = frame["expected"].to_numpy(float) * frame["level"].to_numpy(float)
    length, patience = frame["length"].to_numpy(), max(1, END_MINUTES // bucket_minutes)
    found, i, last = [], 0, -1
    while i < len(z):
        first = max(0, i - int(length[i]) + 1)
        if not z[i] >= threshold or first <= last:  # a window reaching back into the last episode is that episode
            i += 1
            continue
        while first < i and not x[first] > e[first]:
            first += 1
        total = peak_total = float(np.sum(x[first : i + 1] - END_RATIO * e[first : i + 1]))
        peak, j = i, i + 1
        while j < len(z) and np.isfinite(e[j]) and j - peak <= patience:
            total += x[j] - END_RATIO * e[j]
            if total >= peak_total:
                peak, peak_total = j, total
            j += 1
        found.append((first, i, peak))
        i = last = peak
        i += 1
    return found
