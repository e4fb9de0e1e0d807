"""Progress lines say the rate so far and the time left at that rate."""

from __future__ import annotations

import io

from dashboard.core.progress import Progress, duration, pace


def test_duration_reads_like_a_person_would_say_it():
    assert [duration(s) for s in (0, 45.4, 190, 3900)] == ["0 s", "45 s", "3 min 10 s", "1 h 05 min"]


def test_pace_gives_rate_and_time_left():
    assert pace(250_000, 1_000_000, 10, "conversations") == "25,000 conversations/s, 30 s left"
    assert pace(50_000_000, 100_000_000, 5) == "10.0 MB/s, 5 s left"
    assert pace(0, 100, 0) == "starting"


def test_bar_stays_silent_off_a_terminal():
    stream = io.StringIO()
    bar = Progress("building", 10, stream=stream, unit="conversations", min_total=0)
    bar.update(5)
    bar.close()
    assert stream.getvalue() == ""
