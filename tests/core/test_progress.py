"""The terminal progress bar: rate and time left once work is under way; silent for small work or off a terminal."""

from __future__ import annotations

import io

import pytest

from dashboard.core import progress as progress_module
from dashboard.core.progress import Progress, duration, pace


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_bar_shows_rate_and_time_left(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = iter([100.0, 110.0, 120.0])
    monkeypatch.setattr(progress_module.time, "monotonic", lambda: next(clock))
    screen = Terminal()
    bar = Progress("scoring sentiment", 400_000, stream=screen, unit="texts", minimum=1)
    bar.advance(100_000)  # 10 s in: 10,000 texts/s, 300,000 left
    bar.advance(100_000)  # 20 s in: still 10,000 texts/s, 200,000 left
    bar.close()
    lines = screen.getvalue().split("\r")
    assert "25%" in lines[1] and "10,000 texts/s, 30 s left" in lines[1]
    assert "50%" in lines[2] and "10,000 texts/s, 20 s left" in lines[2]
    assert screen.getvalue().endswith("\n")


def test_bytes_are_shown_in_megabytes_per_second(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = iter([0.0, 2.0])
    monkeypatch.setattr(progress_module.time, "monotonic", lambda: next(clock))
    screen = Terminal()
    Progress("reading", 100_000_000, stream=screen).update(50_000_000)
    assert "25.0 MB/s, 2 s left" in screen.getvalue()


def test_silent_when_small_or_not_a_terminal() -> None:
    small, piped = Terminal(), io.StringIO()
    Progress("reading", 1_000, stream=small).update(500)
    Progress("reading", 10**9, stream=piped).update(5 * 10**8)
    assert small.getvalue() == "" and piped.getvalue() == ""


def test_duration_reads_like_a_person_would_say_it():
    assert [duration(s) for s in (0, 45.4, 190, 3900)] == ["0 s", "45 s", "3 min 10 s", "1 h 05 min"]


def test_pace_gives_rate_and_time_left():
    assert pace(250_000, 1_000_000, 10, "conversations") == "25,000 conversations/s, 30 s left"
    assert pace(50_000_000, 100_000_000, 5) == "10.0 MB/s, 5 s left"
    assert pace(0, 100, 0) == "starting"


def test_bar_stays_silent_off_a_terminal():
    stream = io.StringIO()
    bar = Progress("building", 10, stream=stream, unit="conversations", minimum=0)
    bar.update(5)
    bar.close()
    assert stream.getvalue() == ""
