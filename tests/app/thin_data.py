"""Thin databases (empty, one conversation, no follower counts and one channel) and a scan for the words a missing
or absurd figure prints as: nan, inf and None."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd

from dashboard.db import database
from dashboard.ingest.load import ImportResult, load
from tests.app.hostile_data import _nodes, _proto_strings, _strings
from tests.conftest import message_frame

# "nan%", "inf", "-inf", "NaN", "None" as a value; not "information", "infinite", "-infinity-" or the word "none".
MISSING_WORD = re.compile(r"(?<![\w-])(?:-?(?i:nan|inf|infinity)|None)(?![\w-])")


def missing_words(text: str) -> list[str]:
    """The nan / inf / None figures in a displayed string."""
    return MISSING_WORD.findall(text)


def _conversation(n: int, at: datetime, channel: str = "chat", negative: bool = True, recovered: bool = True) -> list:
    base = {"conversation_id": f"c{n}", "channel": channel, "account": "@brand"}
    first = "the app is down, useless and broken" if negative else "how do I change my address?"
    rows = [
        {**base, "message_id": f"c{n}-1", "sent_at": at, "author_type": "customer", "customer_id": f"k{n % 7}",
         "text": first},
        {**base, "message_id": f"c{n}-2", "sent_at": at + timedelta(minutes=5 + n % 50), "author_type": "agent",
         "author_id": "agent1", "text": "Sorry, we are on it."},
    ]  # fmt: skip
    if recovered:
        rows.append({**base, "message_id": f"c{n}-3", "sent_at": at + timedelta(minutes=70), "author_type": "customer",
                     "customer_id": f"k{n % 7}", "text": "thanks, great, works perfectly now"})  # fmt: skip
    return rows


def build_empty(path: Path) -> Path:
    """A database with the schema and nothing in it."""
    database.connect(path).close()
    return path


def build_one_conversation(path: Path) -> Path:
    """One conversation, inside one incident: every comparison with normal time has nothing to compare with."""
    con = database.connect(path)
    incidents = pd.DataFrame(
        {
            "incident_id": ["INC-1"],
            "title": ["App outage"],
            "started_at": [datetime(2026, 3, 2, 9)],
            "ended_at": [datetime(2026, 3, 2, 12)],
        }
    )
    rows = _conversation(0, datetime(2026, 3, 2, 10), recovered=False)
    load(con, ImportResult("test", "one"), message_frame(rows), None, incidents)
    con.close()
    return path


def build_no_followers(path: Path, with_incident: bool = True) -> Path:
    """Four weeks of one channel with no follower counts and no customers file; an incident of three conversations,
    one of them a negative start (a rate from a base of one). Without the incident when `with_incident` is False."""
    rows, start = [], datetime(2026, 2, 2, 8)
    for n in range(84):
        at = start + timedelta(hours=8 * n)
        rows += _conversation(n, at, negative=n % 3 == 0, recovered=n % 2 == 0)
    incident_start = start + timedelta(days=27, hours=1)
    for n in range(84, 87):
        rows += _conversation(n, incident_start + timedelta(minutes=20 * (n - 84)), negative=n == 84, recovered=n == 84)
    incidents = pd.DataFrame(
        {
            "incident_id": ["INC-7"],
            "title": ["Login failures"],
            "started_at": [incident_start],
            "ended_at": [incident_start + timedelta(hours=2)],
        }
    )
    con = database.connect(path)
    load(con, ImportResult("test", "thin"), message_frame(rows), None, incidents if with_incident else None)
    con.close()
    return path


NUMERIC_FIELDS = {"body", "label", "help", "caption", "value", "delta", "delta_description", "name"}
SKIPPED_ELEMENTS = {"selectbox", "multiselect", "code", "json", "exception", "page_link"}


def displayed_strings(at: Any) -> Iterator[tuple[str, str]]:
    """(where, text) for everything an AppTest run shows: Markdown, metric values and deltas, captions, labels and
    tooltips, every dataframe cell as text, and every string of every Plotly figure."""
    for node in _nodes(at._tree):
        proto = getattr(node, "proto", None)
        kind = getattr(node, "type", "")
        if proto is None or not hasattr(proto, "ListFields") or kind in SKIPPED_ELEMENTS:
            continue
        if kind == "plotly_chart":
            spec = json.loads(proto.spec)
            yield from ((f"plotly {_title(spec)}", text) for text in _strings(spec))
            yield from ((f"plotly {_title(spec)}", str(value)) for value in _numbers(spec) if value != value)
            continue
        if kind in ("arrow_data_frame", "dataframe", "table"):
            # A missing cell shows the element's placeholder (Streamlit's default is "None").
            shown_missing = getattr(proto, "placeholder", "") or "None"
            frame = node.value
            for column in frame.columns:
                for value in frame[column]:
                    text = shown_missing if _is_missing(value) else str(value)
                    yield f"{kind} column {column}", text
            continue
        for name, text in _proto_strings(proto):
            if name in NUMERIC_FIELDS:
                yield f"{kind}.{name}", text


def _is_missing(value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # a list or array cell
        return False


def _title(spec: dict) -> str:
    title = (spec.get("layout") or {}).get("title") or {}
    return str(title.get("text", "")) if isinstance(title, dict) else str(title)


def _numbers(value: Any) -> Iterator[float]:
    if isinstance(value, float):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _numbers(item)
    elif isinstance(value, list):
        for item in value:
            yield from _numbers(item)
