"""Telling a person at a terminal what a long command is doing: a one-line progress bar and status lines on stderr.

Silent when stderr is not a terminal (tests, pipes, cron), so output stays clean.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

PROGRESS_MIN_BYTES = 20_000_000  # smaller files finish before a bar would help


class Progress:
    """A one-line progress bar on stderr for long reads; silent for small files or when stderr is not a terminal."""

    def __init__(self, label: str, total: int, stream: TextIO | None = None):
        self.label, self.total, self.stream = label, max(total, 1), stream or sys.stderr
        self.enabled = total >= PROGRESS_MIN_BYTES and self.stream.isatty()
        self.started, self.shown = time.monotonic(), -1

    def update(self, done: int) -> None:
        """Show `done` of `total` (bytes or rows), redrawing at most once per percent."""
        percent = min(100, done * 100 // self.total)
        if self.enabled and percent != self.shown:
            self.shown = percent
            bar = "#" * (percent // 4)
            seconds = time.monotonic() - self.started
            print(f"\r{self.label} [{bar:<25}] {percent:3d}% {seconds:5.0f} s", end="", file=self.stream, flush=True)

    def close(self) -> None:
        """End the progress line."""
        if self.enabled and self.shown >= 0:
            print(file=self.stream, flush=True)


def say(message: str) -> None:
    """Tell a person watching a terminal what a long import is doing; silent otherwise (tests, pipes, cron)."""
    if sys.stderr.isatty():
        print(message, file=sys.stderr, flush=True)
