"""The shared filters every page applies, and their round trip through the URL's query parameters.

Plain Python (no streamlit) so the URL format is tested with pytest. In the URL: `from`, `to` (dates, inclusive, in
the display time zone; absent means the data's dense span), `channel`, `account`, `priority` (comma-separated; absent
means all), `incident` (an incident id, or `none`) and `tz` (the display time zone, an IANA name; absent means UTC).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from dashboard.core import timezones

NO_INCIDENT = "none"
URL_KEYS = ("from", "to", "channel", "account", "priority", "incident", "tz")


@dataclass(frozen=True)
class Options:
    """What the filters can choose from: every channel, account, priority, the data's dates and the incidents."""

    channels: tuple[str, ...]
    accounts: tuple[str, ...]
    priorities: tuple[str, ...]
    first_day: date
    last_day: date
    incident_ids: tuple[str, ...]  # newest first
    # The default range: the dense span of the data (coverage_days), so stray rows dated years earlier do not stretch
    # every chart; None means the whole range.
    default_first_day: date | None = None
    default_last_day: date | None = None

    @property
    def default_days(self) -> tuple[date, date]:
        """The range a view opens on: the dense span, inside the data's days."""
        first = max(self.default_first_day or self.first_day, self.first_day)
        last = min(self.default_last_day or self.last_day, self.last_day)
        return (first, last) if first <= last else (self.first_day, self.last_day)


@dataclass(frozen=True)
class Filters:
    """One view of the data: a date range, the chosen channels, accounts and priorities, and an incident."""

    first_day: date
    last_day: date
    channels: tuple[str, ...]
    accounts: tuple[str, ...]
    priorities: tuple[str, ...]
    incident_id: str | None
    tz: str = timezones.DEFAULT

    @property
    def start_at(self) -> datetime:
        """Start of the first day in the display time zone, as naive UTC (the data's time)."""
        return timezones.to_utc(datetime.combine(self.first_day, time()), self.tz)

    @property
    def end_at(self) -> datetime:
        """End of the last day in the display time zone (exclusive), as naive UTC."""
        return timezones.to_utc(datetime.combine(self.last_day + timedelta(days=1), time()), self.tz)

    def params(self) -> dict[str, Any]:
        """The SQL parameters every query may use (tuples, so results cache by value)."""
        return {
            "start_at": self.start_at,
            "end_at": self.end_at,
            "channels": self.channels,
            "accounts": self.accounts,
            "priorities": self.priorities,
            "incident_id": self.incident_id or "",
            "tz": self.tz,
        }

    def to_query_params(self, options: Options) -> dict[str, str]:
        """URL query parameters; values equal to the default are left out to keep links short."""
        out: dict[str, str] = {}
        default_first, default_last = options.default_days
        if self.first_day != default_first:
            out["from"] = self.first_day.isoformat()
        if self.last_day != default_last:
            out["to"] = self.last_day.isoformat()
        for key, chosen, every in (
            ("channel", self.channels, options.channels),
            ("account", self.accounts, options.accounts),
            ("priority", self.priorities, options.priorities),
        ):
            if set(chosen) != set(every):
                out[key] = ",".join(chosen)
        default_incident = options.incident_ids[0] if options.incident_ids else None
        if self.incident_id != default_incident:
            out["incident"] = self.incident_id or NO_INCIDENT
        if self.tz != timezones.DEFAULT:
            out["tz"] = self.tz
        return out

    def with_incident(self, incident_id: str | None) -> Filters:
        """The same view for another incident."""
        return replace(self, incident_id=incident_id)


def _pick(raw: str | None, allowed: tuple[str, ...]) -> tuple[str, ...]:
    """The allowed values named in a comma list (unknown ones dropped); all of them when none is named."""
    if not raw:
        return allowed
    chosen = tuple(v for v in raw.split(",") if v in allowed)
    return chosen or allowed


def _day(raw: str | None, default: date, options: Options) -> date:
    """A date from the URL, clamped to the data's range; the default when missing or malformed."""
    try:
        value = date.fromisoformat(raw) if raw else default
    except ValueError:
        value = default
    return min(max(value, options.first_day), options.last_day)


def from_query_params(query: dict[str, str], options: Options) -> Filters:
    """Filters from URL parameters; anything missing or invalid falls back to the default view."""
    default_first, default_last = options.default_days
    first = _day(query.get("from"), default_first, options)
    last = _day(query.get("to"), default_last, options)
    if last < first:
        first, last = default_first, default_last
    incident = query.get("incident")
    if incident == NO_INCIDENT:
        incident_id = None
    elif incident in options.incident_ids:
        incident_id = incident
    else:
        incident_id = options.incident_ids[0] if options.incident_ids else None
    return Filters(
        first_day=first,
        last_day=last,
        channels=_pick(query.get("channel"), options.channels),
        accounts=_pick(query.get("account"), options.accounts),
        priorities=_pick(query.get("priority"), options.priorities),
        incident_id=incident_id,
        tz=timezones.valid(query.get("tz")),
    )
