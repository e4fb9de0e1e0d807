"""Which hours were collected: hours with no collection are missing data, never zero traffic, for detection.

An hour is uncollected when its day holds under GAP_FRACTION of a typical day (stray rows years back, days the export
skipped; the last, partial day excepted), when it lies before the first conversation of the first collected day, or
inside a run of empty hours that typical traffic would almost never leave empty (expected total over the run of at
least EMPTY_RUN_EXPECTED, so P(no arrival) < e^-8). The hour on each side of an uncollected span is left out too: a
backlog burst as collection resumes is not a spike.
"""

from __future__ import annotations

import pandas as pd

GAP_FRACTION = 0.10
BUSY_FRACTION = 0.05  # days this far below the busiest one do not define a typical day
EMPTY_RUN_EXPECTED = 8.0
SETTLE_HOURS = 1


def collected_days(hourly: pd.Series) -> pd.Series:
    """Per day, whether it holds at least GAP_FRACTION of a typical (median busy) day; the last day always does."""
    daily = hourly.resample("D").sum()
    busy = daily[daily >= BUSY_FRACTION * daily.max()]
    collected = daily >= GAP_FRACTION * busy.median() if len(busy) else daily > 0
    if len(collected):
        collected.iloc[-1] = bool(daily.iloc[-1] > 0)  # where the data ends, usually part of a day
    return collected


def collected_hours(hourly: pd.Series) -> pd.Series:
    """Per hour of `hourly` (conversation starts per hour, empty hours included), whether it was collected."""
    days = collected_days(hourly)
    ok = pd.Series(days.reindex(hourly.index.normalize()).to_numpy(), index=hourly.index)
    started = (ok & (hourly > 0)).cummax()  # nothing before the first conversation of the first collected day
    ok &= started
    if ok.any():
        typical = hourly[ok].groupby(hourly[ok].index.hour).median().reindex(range(24), fill_value=0.0)
        empty = hourly.eq(0) & ok
        runs = (empty != empty.shift()).cumsum()[empty]
        expected = pd.Series(typical.to_numpy()[hourly.index.hour], index=hourly.index)[empty]
        unlikely = expected.groupby(runs).transform("sum") >= EMPTY_RUN_EXPECTED
        ok[unlikely[unlikely].index] = False
    values = ok.to_numpy()
    settled = values.copy()
    for shift in range(1, SETTLE_HOURS + 1):
        settled[shift:] &= values[:-shift]
        settled[:-shift] &= values[shift:]
    return pd.Series(settled, index=hourly.index)
