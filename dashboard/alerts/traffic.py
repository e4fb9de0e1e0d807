"""Synthetic care traffic for judging detection: seeded Poisson arrivals with planted incidents, collection gaps and
stray rows, independent of the demo generator (dashboard/demo) so detection is judged on traffic it was not built on.

Each seed draws its own level (20-200 conversations an hour at the daily peak), daily shape, weekend dip, day-to-day
and hour-to-hour overdispersion, trend and share of negative starts (8-25%); then 3-5 incidents of 40-150% mean uplift
lasting 3-12 hours (a step or a surge that decays; 15-60% of their extra conversations start negative), one or two
whole days without collection (sometimes ending in a small backlog burst), one daytime collection outage of 4-8 hours,
a partial first day and 0.7% stray rows dated years before the rest.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

DAYS = 63
MINUTES = DAYS * 24 * 60
NORMAL_NEGATIVE, INCIDENT_NEGATIVE = (0.08, 0.25), (0.15, 0.6)  # ranges: per seed, per incident
STRAY_SHARE = 0.007


@dataclass(frozen=True)
class Traffic:
    """Conversation starts (started_at, is_negative), the planted incidents and the spans with no collection."""

    starts: pd.DataFrame
    incidents: pd.DataFrame  # incident_id, started_at, ended_at, uplift
    gaps: list[tuple[pd.Timestamp, pd.Timestamp]]
    first_at: pd.Timestamp
    last_at: pd.Timestamp


def _minute_rates(rng: np.random.Generator, minutes: pd.DatetimeIndex) -> np.ndarray:
    """Expected starts per minute: seasonal shape x level x overdispersed day and hour noise x trend."""
    peak_hour, width = rng.uniform(10, 16), rng.uniform(3.0, 6.0)
    floor, evening = rng.uniform(0.05, 0.3), rng.uniform(0.0, 0.4)
    hour = minutes.hour + minutes.minute / 60
    shape = floor + (1 - floor) * np.exp(-0.5 * ((hour - peak_hour) / width) ** 2)
    shape = shape + evening * np.exp(-0.5 * ((hour - 20.5) / 1.5) ** 2)
    weekend = np.where(minutes.day_of_week >= 5, rng.uniform(0.6, 1.0), 1.0)
    days = (minutes - minutes[0]).days.to_numpy()
    day_noise = rng.gamma(k := rng.uniform(30, 200), 1 / k, DAYS + 1)[days]
    hours = (days * 24 + minutes.hour).to_numpy()
    hour_noise = rng.gamma(60, 1 / 60, DAYS * 24 + 24)[hours]
    trend = np.linspace(1.0, rng.uniform(0.85, 1.25), len(minutes))
    level = np.exp(rng.uniform(np.log(20), np.log(200))) / 60  # conversations per minute at the daily peak
    return level * shape * weekend * day_noise * hour_noise * trend


def _plant(rng: np.random.Generator, start: pd.Timestamp, taken: list[tuple[int, int]]) -> tuple[int, int, float]:
    """One incident (first minute, minutes, mean uplift) at least a day from every span already taken."""
    while True:
        first = int(rng.integers(15 * 1440, (DAYS - 1) * 1440))
        length = int(rng.integers(3 * 60, 12 * 60 + 1))
        if all(first + length + 1440 <= a or b + 1440 <= first for a, b in taken):
            taken.append((first, first + length))
            return first, length, float(rng.uniform(0.4, 1.5))


def _profile(rng: np.random.Generator, length: int, uplift: float) -> np.ndarray:
    """Extra rate multiplier over an incident's minutes, averaging `uplift`: a step or a surge that decays."""
    x = (np.arange(length) + 0.5) / length
    ramp = np.clip(np.arange(length) / rng.uniform(5, 30), 0, 1)
    shape = ramp if rng.random() < 0.5 else ramp * (1 - 0.7 * x)
    return shape / shape.mean() * uplift


def synthetic_traffic(seed: int) -> Traffic:
    """One seeded stretch of DAYS days of traffic with its ground truth."""
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2025-01-06") + pd.Timedelta(days=int(rng.integers(0, 300)))
    minutes = pd.date_range(start, periods=MINUTES, freq="min").as_unit("ns")
    rate = _minute_rates(rng, minutes)
    extra, extra_negative = np.zeros(MINUTES), np.zeros(MINUTES)
    taken: list[tuple[int, int]] = []
    rows = []
    for number in range(int(rng.integers(3, 6))):
        first, length, uplift = _plant(rng, start, taken)
        extra[first : first + length] = rate[first : first + length] * _profile(rng, length, uplift)
        extra_negative[first : first + length] = rng.uniform(*INCIDENT_NEGATIVE)
        rows.append((f"SYN-{number + 1}", minutes[first], minutes[first] + pd.Timedelta(minutes=length), uplift))
    collected = np.ones(MINUTES, dtype=bool)
    collected[: int(rng.integers(6, 16)) * 60] = False  # the export starts part-way through its first day
    gaps = [(minutes[0], minutes[0] + pd.Timedelta(hours=int((~collected).sum() // 60)))]
    for hours in [24 * int(rng.integers(1, 3)), int(rng.integers(4, 9))]:
        while True:
            day = int(rng.integers(3, DAYS - 2))
            first = day * 1440 + (0 if hours >= 24 else int(rng.integers(9, 13)) * 60)
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
    if rng.random() < 0.5:  # a backlog burst as collection resumes after the whole-day gap
        burst_at = gaps[1][1] - pd.Timedelta(minutes=10)
        starts.append(pd.DataFrame({"started_at": burst_at + pd.to_timedelta(rng.uniform(0, 600, 12), unit="s"),
                                    "is_negative": False}))  # fmt: skip
    frame = pd.concat(starts, ignore_index=True)
    stray = int(len(frame) * STRAY_SHARE)
    years = pd.to_timedelta(rng.uniform(365, 4 * 365, stray), unit="D")
    frame.loc[rng.choice(len(frame), stray, replace=False), "started_at"] -= years
    frame = frame.sort_values("started_at", ignore_index=True)
    incidents = pd.DataFrame(rows, columns=["incident_id", "started_at", "ended_at", "uplift"])
    return Traffic(frame, incidents, gaps, minutes[0], minutes[-1] + pd.Timedelta(minutes=1))


def _spread(rng: np.random.Generator, minutes: pd.DatetimeIndex, counts: np.ndarray, negative: float) -> pd.DataFrame:
    """Starts at uniform seconds inside their minutes, each negative with probability `negative`."""
    at = np.repeat(minutes.asi8, counts) + (rng.uniform(0, 60, counts.sum()) * 1e9).astype("int64")
    return pd.DataFrame({"started_at": pd.to_datetime(at, unit="ns"), "is_negative": rng.random(len(at)) < negative})


def message_frame(starts: pd.DataFrame) -> pd.DataFrame:
    """One pre-scored customer message per conversation, in the loader's staged layout."""
    from dashboard.ingest.load import STAGED_COLUMNS

    n = len(starts)
    frame = pd.DataFrame({column: pd.Series([None] * n, dtype=object) for column in STAGED_COLUMNS})
    frame["row_number"] = np.arange(1, n + 1)
    frame["conversation_id"] = [f"s{i}" for i in range(n)]
    frame["message_id"] = [f"m{i}" for i in range(n)]
    frame["sent_at"] = pd.to_datetime(starts["started_at"].to_numpy())
    frame["closed_at"] = pd.NaT
    frame["author_type"] = "customer"
    frame["customer_id"] = [f"u{i % 997}" for i in range(n)]
    frame["channel"] = "twitter"
    frame["text"] = np.where(starts["is_negative"], "still broken", "hello")
    frame["sentiment_score"] = np.where(starts["is_negative"], -0.6, 0.0)
    frame["sentiment_label"] = np.where(starts["is_negative"], "negative", "neutral")
    return frame
