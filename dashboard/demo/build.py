"""The demo database: seeded, deterministic social-care traffic with planted incidents (`python -m dashboard demo`).

Everything is vectorised with numpy. Planted effects (see INCIDENTS and the rates below): incident volume 40-80% above
normal with Messenger growing most, negative starts about twice normal, slower first responses and more unanswered
conversations, about 40% of negative starts recovered, more influencer posts and "major" priorities, and more churn
after unanswered or negative-ending conversations. Sentiment is never preset: texts are written from templates
(dashboard/demo/text.py) and go through the same loader, and so the same analyzer, as any import. Each incident's
customers write about what broke (its issue, dashboard/demo/incident_text.py): a double charge brings refunds.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard.db import database
from dashboard.demo import text as demo_text
from dashboard.demo.messages import build_messages

DAYS = 120
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


def draw_conversations(n: int, rng: np.random.Generator) -> pd.DataFrame:
    """Draw n conversation starts over hour x channel x brand cells, with their incident membership.

    `affected` marks a start of the incident's own brand; `issue` names what its incident brought (else missing).
    """
    normal, extra = hourly_rates(rng)
    rates = np.stack([normal, extra], axis=-1)
    counts = rng.multinomial(n, (rates / rates.sum()).ravel()).reshape(rates.shape)
    cells = np.repeat(np.arange(counts.size), counts.ravel())
    hour, channel, brand, is_extra = np.unravel_index(cells, counts.shape)
    start = END_AT - pd.Timedelta(days=DAYS)
    seconds = hour * 3600 + rng.uniform(0, 3600, len(cells))
    started_at = start + pd.to_timedelta(np.round(seconds), unit="s")
    incident_brand, issue = np.full(len(cells), -1), np.full(len(cells), -1)
    for number, (_, _, inc_brand, day, inc_hour, length, *_) in enumerate(INCIDENTS):
        inside = (hour >= day * 24 + inc_hour) & (hour < day * 24 + inc_hour + length)
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


class Progress:
    """A progress line on stderr, or a callback (fraction, message) for the app."""

    def __init__(self, target: bool | Callable[[float, str], None]):
        self.target = target
        self.started = time.perf_counter()

    def __call__(self, fraction: float, message: str) -> None:
        if callable(self.target):
            self.target(fraction, message)
        elif self.target:
            bar = "#" * int(fraction * 30)
            elapsed = time.perf_counter() - self.started
            print(f"\r[{bar:<30}] {fraction:4.0%} {message:<40} {elapsed:5.1f}s", end="", file=sys.stderr)
            if fraction >= 1:
                print(file=sys.stderr)


def build_demo(
    path: Path, conversations: int = 60_000, seed: int = 7, progress: bool | Callable[[float, str], None] = False
) -> dict:
    """Build the demo database at `path` (replacing it atomically); return counts and seconds."""
    from dashboard.ingest.load import ImportResult, load

    if conversations < 100:
        from dashboard.core.errors import UserError

        raise UserError("--conversations must be at least 100")
    report = Progress(progress)
    rng = np.random.default_rng(seed)
    report(0.02, "writing message texts")
    scores: dict[str, float] = {}
    # The texts draw from their own stream, so rewording a template never reshuffles the traffic.
    pools = demo_text.build_pools(rng.spawn(1)[0], scores)
    report(0.15, "simulating traffic")
    starts = draw_conversations(conversations, rng)
    messages, customers = build_messages(starts, pools, rng, END_AT, scores)
    # The export is taken at END_AT: later messages have not been written yet, so the newest conversations are still
    # waiting for a reply (pending, some about to breach), as in the morning-after view of a live queue.
    messages = messages[messages["sent_at"] < END_AT].reset_index(drop=True)
    messages.loc[messages["closed_at"] >= END_AT, "closed_at"] = pd.NaT
    report(0.45, f"loading {len(messages):,} messages")
    path = Path(path)
    partial = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    partial.unlink(missing_ok=True)
    con = database.connect(partial)
    try:
        result = load(con, ImportResult("demo", f"demo seed {seed}"), messages, customers, incident_frame())
        con.execute("checkpoint")
    finally:
        con.close()
    partial.replace(path)
    report(1.0, "done")
    return {
        "conversations": result.conversations,
        "messages": result.rows_loaded,
        "incidents": result.incidents,
        "seconds": time.perf_counter() - report.started,
    }
