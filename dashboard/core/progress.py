"""Telling a person at a terminal what a long command is doing: a one-line progress bar and status lines on stderr.

Silent when stderr is not a terminal (tests, pipes, cron), so output stays clean.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

PROGRESS_MIN_BYTES = 20_000_000  # smaller files finish before a bar would help


def duration(seconds: float) -> str:
    """A short human duration: "45 s", "3 min 10 s", "1 h 05 min"."""
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"


def pace(done: float, total: float, seconds: float, unit: str = "bytes") -> str:
    """Rate so far and the time left at that rate, e.g. "41,200 conversations/s, 3 min 10 s left"."""
    if done <= 0 or seconds <= 0:
        return "starting"
    rate = done / seconds
    shown = f"{rate / 1e6:,.1f} MB/s" if unit == "bytes" else f"{rate:,.0f} {unit}/s"
    return f"{shown}, {duration(max(total - done, 0) / rate)} left"


class Progress:
    """A one-line progress bar on stderr for long work, with its rate and time left; silent below `minimum` (small
    files finish first) or when stderr is not a terminal. `unit` names what is counted in the rate ("texts");
    without one, the total is bytes and the rate is shown in MB/s."""

    def __init__(
        self,
        label: str,
        total: int,
        stream: TextIO | None = None,
        unit: str | None = None,
        minimum: int = PROGRESS_MIN_BYTES,
    ):
        self.label, self.total, self.stream, self.unit = label, max(total, 1), stream or sys.stderr, unit
        self.enabled = total >= minimum and self.stream.isatty()
        self.started, self.shown, self.done = time.monotonic(), -1, 0

    def update(self, done: int) -> None:
        """Show `done` of `total` (bytes or rows), redrawing at most once per percent."""
        self.done = done
        percent = min(100, done * 100 // self.total)
        if self.enabled and percent != self.shown:
            self.shown = percent
            bar = "#" * (percent // 4)
            seconds = time.monotonic() - self.started
            print(f"\r{self.label} [{bar:<25}] {percent:3d}% {self._pace(done, seconds)}", end="", file=self.stream)
            self.stream.flush()

    def advance(self, count: int) -> None:
        """Count `count` more done."""
        self.update(self.done + count)

    def _pace(self, done: int, seconds: float) -> str:
        """Elapsed seconds, the rate and the time left, e.g. '12 s, 41,000 texts/s, 20 s left'."""
        return f"{seconds:5.0f} s, {pace(done, self.total, seconds, self.unit or 'bytes')}"

    def close(self) -> None:
        """End the progress line (once)."""
        if self.enabled and self.shown >= 0:
            print(file=self.stream, flush=True)
            self.shown = -2


def say(message: str) -> None:
    """Tell a person watching a terminal what a long import is doing; silent otherwise (tests, pipes, cron)."""
    if sys.stderr.isatty():
        print(message, file=sys.stderr, flush=True)
