"""The demo database: seeded, deterministic social-care traffic with planted incidents (`python -m dashboard demo`).

Everything is vectorised with numpy and built one day at a time: the hourly traffic counts are drawn once, then each
day draws its conversations and messages from its own random stream, and whole days are loaded in chunks
(dashboard/ingest/load.py load_chunks, one transaction), so memory stays bounded at any size (about 2.5 GB for the
generator and its chunk plus DuckDB's cache, capped by queries/ingest/build_memory_limit.sql) and a seed gives the
same database at any chunk size. Planted effects (see INCIDENTS and the rates below): incident volume 40-80% above
normal with Messenger growing most, negative starts about twice normal, slower first responses and more unanswered
conversations, about 40% of negative starts recovered, more influencer posts and "major" priorities, and more churn
after unanswered or negative-ending conversations. Sentiment is never preset: texts are written from templates
(dashboard/demo/text.py) and scored by the product's analyzer, each distinct text once. Each incident's
customers write about what broke (its issue, dashboard/demo/incident_text.py): a double charge brings refunds.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard.core.progress import Progress, pace, say
from dashboard.db import database, sql
from dashboard.demo import text as demo_text
from dashboard.demo.customers import CustomerBook
from dashboard.demo.messages import build_messages, text_bank

DAYS = 120
CHUNK_CONVERSATIONS = 250_000  # conversations per loaded chunk (whole days): bounds memory, independent of size
STREAMS = ("texts", "traffic", "customers", "churn")  # random streams drawn before the days' own streams
END_AT = pd.Timestamp("2026-11-16 00:00")  # fixed, so a seed always gives the same database
CHANNELS = np.array(["twitter", "messenger", "instagram", "email", "chat"])
CHANNEL_MIX = np.array([0.25, 0.30, 0.12, 0.15, 0.18])
INCIDENT_CHANNEL_MIX = np.array([0.28, 0.46, 0.10, 0.04, 0.12])  # Messenger grows most during outages
BRANDS = np.array(list(demo_text.BRANDS))
BRAND_MIX = np.array([0.5, 0.3, 0.2])
HOUR_SHAPE = np.array(
    [0.25, 0.15, 0.1, 0.08, 0.08, 0.15, 0.35, 0.65, 0.95, 1.15, 1.25, 1.3,
     1.3, 1.25, 1.2, 1.15, 1.1, 1.1, 1.2, 1.3, 1.25, 1.0, 0.7, 0.45]
)  # fmt: skip
WEEKDAY_SHAPE = np.array([1.05, 1.05, 1.0, 1.0, 0.95, 0.8, 0.75])  # Monday first

# (id, title, brand index, start day, start hour, hours, volume uplift over all normal traffic, severity, services,
#  issue: what its customers write about, a key of demo_incident_text.INCIDENT_ISSUES)
INCIDENTS = [
    ("INC-101", "Mobile data outage, western region", 0, 38, 7, 9, 0.55, "major", "mobile data", "data-outage"),
    ("INC-102", "Online check-in failure", 1, 55, 5, 6, 0.45, "high", "check-in", "check-in-failure"),
    ("INC-103", "Checkout payment errors", 2, 74, 10, 14, 0.50, "high", "payments", "payment-errors"),
    ("INC-104", "Double charge on monthly bills", 0, 93, 8, 30, 0.45, "medium", "billing", "double-charge"),
    ("INC-105", "Nationwide network outage", 0, 110, 8, 16, 0.75, "critical", "mobile, broadband", "network-outage"),
]
ISSUE_NAMES = [incident[-1] for incident in INCIDENTS]


def incident_frame() -> pd.DataFrame:
    """The planted incidents as rows of the incidents table."""
    start = END_AT - pd.Timedelta(days=DAYS)
    rows = []
    for incident_id, title, _, day, hour, hours, _, severity, services, _ in INCIDENTS:
        started_at = start + pd.Timedelta(days=day, hours=hour)
        ended_at = started_at + pd.Timedelta(hours=hours)
        rows.append((incident_id, title, started_at, ended_at, severity, services, "recorded"))
    return pd.DataFrame(
        rows, columns=["incident_id", "title", "started_at", "ended_at", "severity", "services", "source"]
    )


def hourly_rates(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Expected conversations per hour x channel x brand: (normal traffic, incident extra traffic)."""
    hours = pd.date_range(END_AT - pd.Timedelta(days=DAYS), periods=DAYS * 24, freq="h")
    day_noise = np.repeat(rng.gamma(150, 1 / 150, DAYS), 24)
    trend = np.linspace(0.92, 1.08, len(hours))
    level = HOUR_SHAPE[hours.hour] * WEEKDAY_SHAPE[hours.day_of_week] * day_noise * trend
    normal = level[:, None, None] * CHANNEL_MIX[None, :, None] * BRAND_MIX[None, None, :]
    extra = np.zeros_like(normal)
    for _, _, brand, day, hour, length, uplift, *_ in INCIDENTS:
        first = day * 24 + hour
        window = slice(first, first + length)
        # Arrivals surge fast and decay: a ramp peaking a quarter of the way in, scaled to the planted mean uplift.
        x = (np.arange(length) + 0.5) / length
        profile = np.where(x < 0.25, x / 0.25, 1 - 0.75 * (x - 0.25) / 0.75)
        profile = profile / profile.mean() * uplift
        extra[window, :, brand] = (level[window] * profile)[:, None] * INCIDENT_CHANNEL_MIX[None, :]
    return normal, extra


def traffic_counts(n: int, rng: np.random.Generator) -> np.ndarray:
    """How many of the n conversations start in each hour x channel x brand x (normal, incident extra) cell."""
    normal, extra = hourly_rates(rng)
    rates = np.stack([normal, extra], axis=-1)
    return rng.multinomial(n, (rates / rates.sum()).ravel()).reshape(rates.shape)


def draw_day(counts: np.ndarray, day: int, rng: np.random.Generator) -> pd.DataFrame:
    """The conversation starts of one day (its cells of `counts`), in start order, with their incident membership.

    `affected` marks a start of the incident's own brand; `issue` names what its incident brought (else missing).
    """
    cells_of_day = counts[day * 24 : (day + 1) * 24]
    cells = np.repeat(np.arange(cells_of_day.size), cells_of_day.ravel())
    hour, channel, brand, is_extra = np.unravel_index(cells, cells_of_day.shape)
    hour = hour + day * 24
    seconds = hour * 3600 + rng.uniform(0, 3600, len(cells))
    started_at = END_AT - pd.Timedelta(days=DAYS) + pd.to_timedelta(np.round(seconds), unit="s")
    incident_brand, issue = np.full(len(cells), -1), np.full(len(cells), -1)
    for number, (_, _, inc_brand, inc_day, inc_hour, length, *_) in enumerate(INCIDENTS):
        inside = (hour >= inc_day * 24 + inc_hour) & (hour < inc_day * 24 + inc_hour + length)
        incident_brand[inside] = inc_brand
        issue[inside & (brand == inc_brand)] = number
    frame = pd.DataFrame(
        {
            "started_at": started_at,
            "channel": channel,
            "brand": brand,
            "is_extra": is_extra.astype(bool),
            "in_incident": incident_brand >= 0,
            "affected": incident_brand == brand,
            "issue": pd.Categorical.from_codes(issue, ISSUE_NAMES),
        }
    )
    return frame.sort_values("started_at", kind="stable").reset_index(drop=True)


def draw_conversations(n: int, rng: np.random.Generator) -> pd.DataFrame:
    """Every conversation start of a demo of n conversations, in start order (the build draws them day by day)."""
    counts = traffic_counts(n, rng)
    return pd.concat([draw_day(counts, day, rng) for day in range(DAYS)], ignore_index=True)


class DemoProgress:
    """Progress of a build: a bar with rate and time left on a terminal, or a callback (fraction, message) for the
    app; conversations written take the bar from 5% to 90%, the derivations after them the rest."""

    def __init__(self, target: bool | Callable[[float, str], None], total: int):
        self.target, self.total, self.started = target, total, time.monotonic()
        self.bar = Progress("building the demo", total, unit="conversations", minimum=0) if target is True else None

    def phase(self, fraction: float, message: str) -> None:
        """Report a step without a count (scoring texts, deriving facts)."""
        if callable(self.target):
            self.target(fraction, message)
        elif self.bar is not None:
            self.bar.close()
            say(message)

    def written(self, done: int) -> None:
        """Report conversations written so far."""
        if callable(self.target):
            seconds = time.monotonic() - self.started
            message = f"{done:,} of {self.total:,} conversations ({pace(done, self.total, seconds, 'conversations')})"
            self.target(0.05 + 0.85 * done / self.total, message)
        elif self.bar is not None:
            self.bar.update(done)


def build_demo(
    path: Path,
    conversations: int = 60_000,
    seed: int = 7,
    progress: bool | Callable[[float, str], None] = False,
    chunk_conversations: int = CHUNK_CONVERSATIONS,
) -> dict:
    """Build the demo database at `path` (replacing it atomically); return counts and seconds.

    Days are drawn one at a time, each from its own random stream, and loaded in chunks of whole days of about
    `chunk_conversations`, so memory does not grow with the size and a seed gives the same database at any chunk size.
    """
    from dashboard.ingest.load import ImportResult, load_chunks

    if conversations < 100:
        from dashboard.core.errors import UserError

        raise UserError("--conversations must be at least 100")
    report = DemoProgress(progress, conversations)
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(len(STREAMS) + DAYS)]
    report.phase(0.01, "writing and scoring message texts")
    scores: dict[str, float] = {}
    # The texts draw from their own stream, so rewording a template never reshuffles the traffic.
    bank = text_bank(demo_text.build_pools(streams[STREAMS.index("texts")], scores), scores)
    counts = traffic_counts(conversations, streams[STREAMS.index("traffic")])
    book = CustomerBook(counts.sum(axis=(0, 1, 3)), streams[STREAMS.index("customers")], END_AT)
    per_day = counts.reshape(DAYS, -1).sum(axis=1)
    days_per_chunk = max(1, int(chunk_conversations * DAYS // max(conversations, 1)))

    def chunks() -> Iterator[pd.DataFrame]:
        first, rows = 0, 0
        for block in range(0, DAYS, days_per_chunk):
            frames = []
            for day in (d for d in range(block, min(block + days_per_chunk, DAYS)) if per_day[d]):
                rng = streams[len(STREAMS) + day]
                frames.append(build_messages(draw_day(counts, day, rng), bank, book, rng, END_AT, first))
                first += int(per_day[day])
            if not frames:  # a small demo can have whole chunks of days without a conversation
                continue
            messages = pd.concat(frames, ignore_index=True)
            messages["row_number"] = np.arange(rows + 1, rows + len(messages) + 1)
            rows += len(messages)
            yield messages
            report.written(first)
        report.phase(0.9, f"deriving the facts of {conversations:,} conversations")

    def customers() -> pd.DataFrame:
        return book.frame(END_AT, streams[STREAMS.index("churn")])

    path = Path(path)
    partial = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    partial.unlink(missing_ok=True)
    con = database.connect(partial)
    try:
        sql.execute(con, "ingest/build_memory_limit")
        # All or nothing by the swap: nobody sees the temporary file, so each chunk may commit (bounded memory).
        run = ImportResult("demo", f"demo seed {seed}")
        result = load_chunks(con, run, chunks(), customers, incident_frame(), commit_chunks=True)
        con.execute("checkpoint")
    except BaseException:
        con.close()
        for leftover in (partial, partial.with_name(f"{partial.name}.wal")):
            leftover.unlink(missing_ok=True)
        raise
    con.close()
    partial.replace(path)
    report.phase(1.0, "done")
    return {
        "conversations": result.conversations,
        "messages": result.rows_loaded,
        "incidents": result.incidents,
        "seconds": time.monotonic() - report.started,
    }
