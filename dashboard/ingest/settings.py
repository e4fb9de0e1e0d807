"""What an import accepts as plausible: the date window, value ranges, incident length, and whether to skip bad rows.

Defaults come from the environment (DASHBOARD_IMPORT_EARLIEST, DASHBOARD_IMPORT_LATEST, DASHBOARD_MAX_INCIDENT_DAYS),
and the CLI flags override them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from dashboard.core.errors import UserError

DEFAULT_EARLIEST = date(2000, 1, 1)
DEFAULT_MAX_INCIDENT_DAYS = 31
MAX_FOLLOWERS = 10_000_000_000  # more than any account has
MAX_MONTHLY_VALUE = 1_000_000_000.0
MAX_OFFSET_MINUTES = 14 * 60  # the widest UTC offset in use (Kiribati, +14:00)


def _today() -> date:
    return datetime.now(UTC).date()


@dataclass(frozen=True)
class ImportSettings:
    """Plausible dates are from `earliest` to `latest` inclusive (UTC); `skip_invalid` skips bad rows, counted."""

    earliest: date = DEFAULT_EARLIEST
    latest: date = field(default_factory=lambda: _today() + timedelta(days=1))
    max_incident_days: float = DEFAULT_MAX_INCIDENT_DAYS
    skip_invalid: bool = False

    def window(self) -> dict[str, datetime]:
        """The date window as bound SQL parameters: $earliest inclusive, $latest exclusive (the day after `latest`)."""
        return {
            "earliest": datetime.combine(self.earliest, datetime.min.time()),
            "latest": datetime.combine(self.latest + timedelta(days=1), datetime.min.time()),
        }

    def window_text(self) -> tuple[str, str]:
        """The window for messages: first and last plausible day."""
        return self.earliest.isoformat(), self.latest.isoformat()


def parse_day(text: str, source: str) -> date:
    """A YYYY-MM-DD date from a flag or variable, or a UserError naming where it came from."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError as error:
        raise UserError(f"{source}: cannot read {text!r} as a date; use YYYY-MM-DD") from error


def settings_from(
    earliest: str | None = None,
    latest: str | None = None,
    max_incident_days: float | None = None,
    skip_invalid: bool = False,
) -> ImportSettings:
    """Settings from CLI values, else the DASHBOARD_IMPORT_* environment, else the defaults; checked for sense."""
    env = os.environ
    earliest = earliest or env.get("DASHBOARD_IMPORT_EARLIEST")
    latest = latest or env.get("DASHBOARD_IMPORT_LATEST")
    days_text = env.get("DASHBOARD_MAX_INCIDENT_DAYS")
    defaults = ImportSettings()
    first = parse_day(earliest, "--earliest / DASHBOARD_IMPORT_EARLIEST") if earliest else defaults.earliest
    last = parse_day(latest, "--latest / DASHBOARD_IMPORT_LATEST") if latest else defaults.latest
    if max_incident_days is None and days_text:
        try:
            max_incident_days = float(days_text)
        except ValueError as error:
            raise UserError(f"DASHBOARD_MAX_INCIDENT_DAYS: cannot read {days_text!r} as a number of days") from error
    days = defaults.max_incident_days if max_incident_days is None else max_incident_days
    if first > last:
        raise UserError(f"the plausible date window is empty: earliest {first} is after latest {last}")
    if not 0 < days <= 3650:
        raise UserError(f"the maximum incident length must be between 0 and 3650 days, not {days:g}")
    return ImportSettings(first, last, days, skip_invalid)
