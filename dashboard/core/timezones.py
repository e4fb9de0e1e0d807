"""The display time zone: data stays in UTC; pages show hours, days and times in the zone the user picks.

SQL buckets by local time through the tz_offsets macro (queries/macros/tz_offsets.sql); this module does the same
conversions in Python for what pages draw or filter by (incident windows, date ranges, a clicked bucket). Zone names
are IANA names from the installed tz database (the `tzdata` package, so it works offline on any machine).
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

import pandas as pd

DEFAULT = "UTC"
# Offered first in the picker: the zones of the data's usual readers; every IANA zone can be typed.
COMMON = ("UTC", "Europe/London", "Europe/Zurich", "America/New_York", "America/Los_Angeles", "Asia/Kolkata")


@cache
def choices() -> tuple[str, ...]:
    """Every zone the picker offers: the common ones first, then all region/city zones alphabetically."""
    names = available_timezones()
    regional = sorted(name for name in names if "/" in name and not name.startswith(("Etc/", "SystemV")))
    return (*COMMON, *(name for name in regional if name not in COMMON))


def valid(name: str | None) -> str:
    """`name` when it is an offered zone, else UTC."""
    return name if name in choices() else DEFAULT


def to_local(stamp: datetime | pd.Timestamp, tz: str) -> pd.Timestamp:
    """A naive UTC time as naive local time in `tz`."""
    return pd.Timestamp(stamp).tz_localize("UTC").tz_convert(tz).tz_localize(None)


def to_utc(stamp: datetime | pd.Timestamp, tz: str) -> datetime:
    """A naive local time in `tz` as naive UTC; in a repeated hour (clocks going back) its first occurrence."""
    local = pd.Timestamp(stamp).to_pydatetime().replace(tzinfo=ZoneInfo(tz), fold=0)
    return local.astimezone(UTC).replace(tzinfo=None)


def local_columns(frame: pd.DataFrame, tz: str, *columns: str) -> pd.DataFrame:
    """A copy of `frame` with these naive UTC columns shown in `tz` (the frame itself when tz is UTC)."""
    if tz == DEFAULT or frame.empty:
        return frame
    out = frame.copy()
    for column in columns:
        out[column] = pd.to_datetime(out[column]).dt.tz_localize("UTC").dt.tz_convert(tz).dt.tz_localize(None)
    return out
