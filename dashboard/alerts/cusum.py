"""The detector's statistics (steps 2-4 of dashboard/alerts/detect.py): in-control mean, dispersion, Poisson CUSUM
and episodes.

Plain numpy and pandas on per-hour and per-bucket frames; no database. Every value at a bucket uses only the data
before its end. Constants were chosen on the TUNE seeds of dashboard/alerts/evaluate.py only.
"""

from __future__ import annotations

import math
from statistics import NormalDist

import numpy as np
import pandas as pd

SHIFT = 0.4  # the smallest incident we promise to find: 40% more conversations
SHIFTS = (SHIFT, 1.0)  # one CUSUM per size: the fastest for a 40% rise and for a doubling
THRESHOLD = 8.0
LEVEL_HOURS = 12
LEVEL_PRIOR = 100.0
LEVEL_LIMITS = (0.67, 1.5)
DISPERSION_DAYS = 14
DISPERSION_MIN_HOURS = 24
DISPERSION_TRIM = 0.05  # the largest 5% of hourly residuals left out: a recent incident must not hide the next one
DISPERSION_LIMITS = (1.0, 20.0)
END_MINUTES = 120
NEGATIVE_SHIFT = 1.0  # an incident brings more than its share of complaints: negatives up (1 + shift) x 2
MIN_UPLIFT = 0.2
SHARE_DAYS = 28
SHARE_MIN_DAYS = 3
END_RATIO = 1 + SHIFT / 2

_Z = NormalDist().inv_cdf(1 - DISPERSION_TRIM / 2)
# E[Z^2 | Z^2 under its (1 - trim) quantile] for a standard normal: the trimmed mean of pure noise residuals.
TRIMMED_CHI2_MEAN = (1 - DISPERSION_TRIM - 2 * _Z * math.exp(-_Z * _Z / 2) / math.sqrt(2 * math.pi)) / (
    1 - DISPERSION_TRIM
)


def scored_hours(hours: pd.DataFrame) -> pd.Series:
    """Hours detection scores: collected, with a README expected volume (two usable weeks) above zero whose lags
    were all collected."""
    return hours["is_covered"].fillna(False).astype(bool) & (hours["expected_count"] > 0) & hours["lags_collected"]


def local_level(hours: pd.DataFrame) -> pd.Series:
    """Per hour, actual / README expected over the previous LEVEL_HOURS scored hours, shrunk towards 1 by
    LEVEL_PRIOR conversations (at low volume a day's ratio is mostly Poisson noise) and clipped to LEVEL_LIMITS: a
    busy day or a slow trend is not a spike."""
    scored = scored_hours(hours)
    actual = hours["conversation_count"].where(scored)
    expected = hours["expected_count"].where(scored)
    window = f"{LEVEL_HOURS}h"
    level = (actual.rolling(window, min_periods=1).sum() + LEVEL_PRIOR) / (
        expected.rolling(window, min_periods=1).sum() + LEVEL_PRIOR
    )
    return level.shift(1).fillna(1.0).clip(*LEVEL_LIMITS)


def _trimmed_mean(values: np.ndarray) -> float:
    values = np.sort(values[np.isfinite(values)])
    keep = max(1, int(math.ceil(len(values) * (1 - DISPERSION_TRIM))))
    return float(values[:keep].mean()) if len(values) else math.nan


def negative_share(hours: pd.DataFrame) -> pd.Series:
    """Per hour, the median daily share of negative starts over the previous SHARE_DAYS days of scored hours (NaN
    with under SHARE_MIN_DAYS days)."""
    scored = scored_hours(hours)
    daily = hours["negative_start_count"].where(scored).resample("D").sum(min_count=1) / hours[
        "conversation_count"
    ].where(scored).resample("D").sum(min_count=1)
    share = daily.rolling(SHARE_DAYS, min_periods=SHARE_MIN_DAYS).median().shift(1)
    return pd.Series(share.reindex(hours.index.normalize()).to_numpy(), index=hours.index)


def dispersion(counts: pd.Series, mean: pd.Series) -> pd.Series:
    """Per hour, the variance-to-mean ratio of hourly `counts` around `mean` over the previous DISPERSION_DAYS days
    of hours with a mean (a trimmed mean of squared Pearson residuals, rescaled so pure Poisson noise reads 1),
    clipped to DISPERSION_LIMITS; NaN until DISPERSION_MIN_HOURS such hours exist."""
    residual = ((counts - mean) ** 2 / mean).where(mean > 0)
    window = DISPERSION_DAYS * 24
    phi = residual.rolling(window, min_periods=DISPERSION_MIN_HOURS).apply(_trimmed_mean, raw=True)
    return (phi / TRIMMED_CHI2_MEAN).shift(1).clip(*DISPERSION_LIMITS)


def _log_ratio(count: np.ndarray, mean: np.ndarray, shift: float, phi: np.ndarray) -> np.ndarray:
    """Poisson log-likelihood ratio of a rise by `shift` over `mean`, divided by the dispersion."""
    return (count * math.log1p(shift) - shift * mean) / phi


def steps(frame: pd.DataFrame, shift: float) -> np.ndarray:
    """Per bucket, the evidence for an incident of size `shift`: the log-likelihood ratio of other starts up by
    `shift` and negative starts up by NEGATIVE_SHIFT more (volume alone until a negative share is known); NaN when
    unscored."""
    x, n = frame["conversation_count"].to_numpy(float), frame["negative_start_count"].to_numpy(float)
    mean, share = frame["in_control"].to_numpy(float), frame["negative_share"].to_numpy(float)
    volume = _log_ratio(x, mean, shift, frame["dispersion"].to_numpy(float))
    other = _log_ratio(x - n, mean * (1 - share), shift, frame["other_dispersion"].to_numpy(float))
    negative_shift = (1 + shift) * (1 + NEGATIVE_SHIFT) - 1
    negative = _log_ratio(n, mean * share, negative_shift, frame["negative_dispersion"].to_numpy(float))
    joint = other + negative
    return np.where(np.isfinite(joint), joint, volume)


def cusum(frame: pd.DataFrame, threshold: float) -> pd.DataFrame:
    """One CUSUM per size in SHIFTS over the per-bucket evidence (steps). A bucket without evidence resets them (no
    evidence across a gap). One crossing `threshold` with at least MIN_UPLIFT more conversations than the in-control
    mean since its change point is an alarm (a sour mood alone is not a spike); all then restart from zero.
    `statistic` is the largest; `change_point` the bucket where the alarming one last left zero."""
    evidence = np.column_stack([steps(frame, shift) for shift in SHIFTS])
    x, mean = frame["conversation_count"].to_numpy(float), frame["in_control"].to_numpy(float)
    statistic = np.full(len(x), np.nan)
    alarm = np.zeros(len(x), dtype=bool)
    start = np.full(len(x), -1, dtype=np.int64)
    s = np.zeros(len(SHIFTS))
    since = np.full(len(SHIFTS), -1)
    for i in range(len(x)):
        step = evidence[i]
        if not np.isfinite(step).all():
            s[:], since[:] = 0.0, -1
            continue
        since = np.where((s <= 0) & (step > 0), i, since)
        s = np.maximum(0.0, s + step)
        since = np.where(s > 0, since, -1)
        statistic[i] = s.max()
        start[i] = since[int(s.argmax())]
        for chart in np.flatnonzero(s >= threshold):
            first = since[chart]
            if x[first : i + 1].sum() >= (1 + MIN_UPLIFT) * mean[first : i + 1].sum():
                alarm[i], start[i] = True, first
                s[:], since[:] = 0.0, -1
                break
    return pd.DataFrame({"statistic": statistic, "alarm": alarm, "change_point": start})


def episodes(frame: pd.DataFrame, bucket_minutes: int) -> list[tuple[int, int, int]]:
    """Alarmed episodes as (first bucket, alarm bucket, last bucket).

    An episode starts at the change point of its first alarm and lasts while the running excess over END_RATIO x the
    in-control mean keeps reaching new peaks: it ends at the last peak once END_MINUTES pass without one, or a bucket
    is unscored. Later alarms up to its end belong to it.
    """
    x, e = frame["conversation_count"].to_numpy(float), frame["in_control"].to_numpy(float)
    patience = max(1, END_MINUTES // bucket_minutes)
    found: list[tuple[int, int, int]] = []
    last = -1
    for i in np.flatnonzero(frame["alarm"].to_numpy(bool)):
        if i <= last:
            continue
        first = max(int(frame["change_point"].iat[i]), last + 1)
        total = peak_total = float(np.sum(x[first : i + 1] - END_RATIO * e[first : i + 1]))
        peak, j = int(i), int(i) + 1
        while j < len(x) and np.isfinite(e[j]) and j - peak <= patience:
            total += x[j] - END_RATIO * e[j]
            if total >= peak_total:
                peak, peak_total = j, total
            j += 1
        found.append((first, int(i), peak))
        last = peak
    return found
