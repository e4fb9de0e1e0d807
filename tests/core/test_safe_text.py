"""safe_text: data-supplied strings stay literal text in Markdown, Plotly and HTML, and CSV exports carry no formula."""

from __future__ import annotations

import csv
import io
import json
import re

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard.app import selection
from dashboard.charts import shade_incidents
from dashboard.core import safe_text
from tests.app import hostile_data as hostile

HOSTILE = [
    hostile.LINK,
    hostile.IMAGE,
    hostile.ANCHOR,
    hostile.IMG,
    hostile.SCRIPT,
    hostile.JS_LINK,
    hostile.BARE_URL,
    "line\n# heading\n\n- item",
    ":red[coloured] :material/warning: $x^2$ <https://evil.example/auto> evil@evil.example",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_escaping_leaves_no_markup(text):
    escaped = safe_text.md(text)
    assert not hostile.markdown_problems(escaped), escaped
    assert "\n" not in escaped
    # Removing the escapes gives the text back (line breaks read as spaces): nothing is lost, only made literal.
    assert re.sub(r"\\(.)", r"\1", escaped).replace(safe_text.WORD_JOINER, "") == re.sub(r"\n+", " ", text)


def test_markdown_escaping_keeps_plain_words_readable():
    assert safe_text.md("Mobile data outage") == "Mobile data outage"
    assert safe_text.md(None) == ""
    assert safe_text.md(42) == "42"


def test_a_code_span_cannot_be_closed_by_the_data():
    span = safe_text.md_code("a`b``c")
    assert span.startswith("``` ") and span.endswith(" ```")
    assert not hostile.markdown_problems(span)


@pytest.mark.parametrize("text", HOSTILE)
def test_plotly_and_html_escaping_leave_no_tag(text):
    assert not hostile.PLOTLY_TAG.search(safe_text.plot(text))
    assert "<" not in safe_text.html_text(text) and '"' not in safe_text.html_text(text)


def test_a_figure_shows_data_strings_as_text_but_keeps_our_markup():
    fig = go.Figure()
    fig.add_bar(x=[hostile.ANCHOR, "chat"], y=[1, 2], name=hostile.IMG, hovertemplate="<b>%{x}</b><br>%{y}")
    fig.add_scatter(x=[1.0], y=[2.0], customdata=np.array([[hostile.SCRIPT, 3]], dtype=object), text=["<br>n=3"])
    fig.add_sankey(node={"label": [hostile.ANCHOR, "End positive"]}, link={"source": [0], "target": [1], "value": [1]})
    fig.update_xaxes(categoryorder="array", categoryarray=[hostile.ANCHOR, "chat"])
    incidents = pd.DataFrame(
        {"incident_id": ["I"], "title": [hostile.ANCHOR], "started_at": ["2026-01-01"], "ended_at": ["2026-01-02"]}
    )
    shade_incidents(fig, incidents, "I")
    spec = json.loads(safe_text.safe_figure(fig).to_json())
    assert not hostile.plotly_problems(spec), hostile.plotly_problems(spec)
    assert spec["data"][0]["hovertemplate"] == "<b>%{x}</b><br>%{y}"  # our own markup stays
    assert spec["data"][1]["text"] == ["<br>n=3"]
    assert spec["layout"]["xaxis"]["categoryarray"][0] == spec["data"][0]["x"][0]


def test_a_selection_on_a_safe_figure_names_the_original_values():
    fig = safe_text.safe_figure(go.Figure(go.Bar(x=[hostile.ANCHOR], y=[1], name="a & b")))
    clicked = {"points": [{"x": fig.data[0].x[0], "y": 1, "curve_number": 0}]}
    assert selection.selected_values(clicked) == [hostile.ANCHOR]
    assert selection.selected_points(clicked, fig) == [{"x": hostile.ANCHOR, "y": 1, "trace": "a & b"}]


FORMULAS = [hostile.FORMULA, hostile.COMMAND, hostile.AT_SUM, "=1+1", "-2+3", "@handle", "\t=1", "=2"]


def test_csv_cells_that_would_run_as_formulas_are_quoted_and_numbers_stay_numbers():
    frame = pd.DataFrame(
        {
            "text": [*FORMULAS, "plain", None],
            "number": [-1.5, -2, 0, 3, -4, 5, 6, 7, 8, float("nan")],
            "mixed": [-3, "-3", "=x", 1.0, None, "ok", "@a", 2, "+1", "x"],
        }
    )
    out = pd.read_csv(io.BytesIO(safe_text.csv_bytes(frame)), keep_default_na=False, dtype=str)
    assert list(out["text"][:8]) == [f"'{value}" for value in FORMULAS]
    assert list(out["text"][8:]) == ["plain", ""]
    assert list(out["number"][:5]) == ["-1.5", "-2.0", "0.0", "3.0", "-4.0"]  # a negative number is a number
    assert list(out["mixed"][:4]) == ["-3", "-3", "'=x", "1.0"]  # a number held as text is a number too
    assert frame.loc[0, "text"] == hostile.FORMULA  # the caller's frame is left alone


def test_every_formula_start_is_quoted():
    for start in safe_text.FORMULA_STARTS:
        assert safe_text.csv_cell(f"{start}x") == f"'{start}x".replace("\r", "\n")
    assert safe_text.csv_cell(-1) == -1 and safe_text.csv_cell(None) is None
    assert [safe_text.csv_cell(text) for text in ("-3", "+4.5", "-1e5", "-2+3", "-")] == [
        "-3",
        "+4.5",
        "-1e5",
        "'-2+3",
        "'-",
    ]


def test_a_carriage_return_cannot_start_a_new_row_with_a_formula():
    frame = pd.DataFrame({"text": [f"hello\r{hostile.FORMULA}", "two\r\nlines"], "n": [1, 2]})
    rows = list(csv.reader(io.StringIO(safe_text.csv_bytes(frame).decode("utf-8"), newline="")))
    assert rows == [["text", "n"], [f"hello\n{hostile.FORMULA}", "1"], ["two\nlines", "2"]]


def test_a_formula_column_name_is_quoted_too():
    assert safe_text.csv_bytes(pd.DataFrame({"=cmd": [1]})).startswith(b"'=cmd\n")
