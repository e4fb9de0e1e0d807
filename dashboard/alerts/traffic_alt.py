"""A second, structurally different synthetic generator, for judging detection on traffic unlike the one it was
tuned on (dashboard/alerts/traffic.py): only ever used in the `fresh` held-out split.

Each seed is one of two volume regimes, ten times quieter (2-20 conversations an hour at the daily peak) or ten times
busier (200-2,000) than the tuned generator, and one of two daily shapes: two peaks (morning and evening, a lunch
dip) or round the clock (a mild swing). Weekends are busier, not quieter. Noise is autocorrelated: a day's level
follows the previous day's (AR(1)), and each quarter hour carries log-normal noise. Normal quirks that are not
incidents: one busy day (+20%, below the 40% we promise to find) and one quiet holiday. 3-5 incidents of 40-150%
mean uplift lasting 3-12 hours, each a step, a linear ramp over 1-3 hours, or a rise and fall (a triangle); the
incident starts where its extra traffic does. One whole day without collection, one 3-6 hour outage, a partial
first day and 0.7% stray rows years back.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.alerts.traffic import INCIDENT_NEGATIVE, NORMAL_NEGATIVE, STRAY_SHARE, Traffic, _spread

DAYS = 49
MINUTES = DAYS * 24 * 60


def _minute_rates(rng: np.random.Generator, minutes: pd.DatetimeIndex) -> np.ndarray:
    """Expected starts per minute: shape x level x AR(1) day noise x quarter-hour noise, with a busy and a quiet day."""
    hour = (minutes.hour + minutes.minute / 60).to_numpy()
    if rng.random() < 0.5:  # two peaks and a lunch dip
        morning, evening = rng.uniform(8, 10), rng.uniform(18, 21)
        shape = (
            0.1
            + np.exp(-0.5 * ((hour - morning) / 1.5) ** 2)
            + rng.uniform(0.6, 1.2) * np.exp(-0.5 * ((hour - evening) / 2.0) ** 2)
        )
    else:  # round the clock
        shape = 1 + rng.uniform(0.1, 0.3) * np.cos(2 * np.pi * (hour - rng.uniform(0, 24)) / 24)
    shape = shape / shape.max()
    weekend = np.where(minutes.day_of_week >= 5, rng.uniform(1.1, 1.4), 1.0)
    days = (minutes - minutes[0]).days.to_numpy()
    ar = np.zeros(DAYS + 1)
    for day in range(1, DAYS + 1):
        ar[day] = 0.6 * ar[day - 1] + rng.normal(0, 0.06)
    quarter = np.exp(rng.normal(0, 0.08, MINUTES // 15 + 1))[np.arange(len(minutes)) // 15]
    special = np.ones(DAYS + 1)
    busy, quiet = rng.choice(np.arange(16, DAYS - 1), 2, replace=False)
    special[busy], special[quiet] = 1.2, 0.6
    regime = (2, 20) if rng.random() < 0.5 else (200, 2000)
    level = np.exp(rng.uniform(np.log(regime[0]), np.log(regime[1]))) / 60
    return level * shape * weekend * np.exp(ar)[days] * special[days] * quarter


def _profile(rng: np.random.Generator, length: int, uplift: float) -> np.ndarray:
    """Extra rate multiplier over an incident's minutes, averaging `uplift`: a step, a ramp or a triangle."""
    kind = rng.integers(0, 3)
    t = np.arange(length, dtype=float)
    if kind == 0:
        shape = np.ones(length)
    elif kind == 1:
        shape = np.clip((t + 1) / rng.uniform(60, 180), 0, 1)
    else:
        peak = rng.uniform(0.3, 0.6) * length
        shape = np.where(t < peak, (t + 1) / peak, (length - t) / (length - peak))
    return shape / shape.mean() * uplift


def synthetic_traffic(seed: int) -> Traffic:
    """One seeded stretch of DAYS days of traffic with its ground truth."""
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2024-02-05") + pd.Timedelta(days=int(rng.integers(0, 300)))
    minutes = pd.date_range(start, periods=MINUTES, freq="min").as_unit("ns")
    rate = _minute_rates(rng, minutes)
    extra, extra_negative = np.zeros(MINUTES), np.zeros(MINUTES)
    taken: list[tuple[int, int]] = []
    rows = []
    for number in range(int(rng.integers(3, 6))):
        while True:
            first, length = int(rng.integers(15 * 1440, (DAYS - 1) * 1440)), int(rng.integers(180, 721))
            if all(first + length + 1440 <= a or b + 1440 <= first for a, b in taken):
                break
        taken.append((first, first + length))
        uplift = float(rng.uniform(0.4, 1.5))
        extra[first : first + length] = rate[first : first + length] * _profile(rng, length, uplift)
        extra_negative[first : first + length] = rng.uniform(*INCIDENT_NEGATIVE)
        rows.append((f"ALT-{number + 1}", minutes[first], minutes[first] + pd.Timedelta(minutes=length), uplift))
    collected = np.ones(MINUTES, dtype=bool)
    collected[: int(rng.integers(3, 20)) * 60] = False
    gaps = [(minutes[0], minutes[0] + pd.Timedelta(hours=int((~collected).sum() // 60)))]
    for hours in [24, int(rng.integers(3, 7))]:
        while True:
            first = int(rng.integers(3, DAYS - 2)) * 1440 + (0 if hours >= 24 else int(rng.integers(6, 16)) * 60)
            if all(first + hours * 60 + 720 <= a or b + 720 <= first for a, b in taken):
                break
        taken.append((first, first + hours * 60))
        collected[first : first + hours * 60] = False
        gaps.append((minutes[first], minutes[first] + pd.Timedelta(hours=hours)))
    normal = rng.poisson(rate * collected)
    surge_negative = rng.poisson(extra * extra_negative * collected)
    surge = rng.poisson(extra * (1 - extra_negative) * collected)
    starts = [_spread(rng, minutes, normal, rng.uniform(*NORMAL_NEGATIVE)), _spread(rng, minutes, surge, 0.0),
              _spread(rng, minutes, surge_negative, 1.0)]  # fmt: skip
    frame = pd.concat(starts, ignore_index=True)
    stray = int(len(frame) * STRAY_SHARE)
    years = pd.to_timedelta(rng.uniform(365, 4 * 365, stray), unit="D")
    frame.loc[rng.choice(len(frame), stray, replace=False), "started_at"] -= years
    frame = frame.sort_values("started_at", ignore_index=True)
    incidents = pd.DataFrame(rows, columns=["incident_id", "started_at", "ended_at", "uplift"])
    return Traffic(frame, incidents, gaps, minutes[0], minutes[-1] + pd.Timedelta(minutes=1))
