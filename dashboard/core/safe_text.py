"""Data-supplied text made inert wherever it reaches a person: Streamlit Markdown, Plotly figures, HTML and CSV.

Plain Python (no streamlit). Everything the data can name (accounts, channels, incident ids and titles, customer
segments and plans, conversation, customer and agent ids, message text, URL parameters) goes through one of these
before it is drawn or exported; text we wrote ourselves does not need to.

- `md`: a string shown as literal text inside Streamlit Markdown (st.markdown, st.info, st.caption, labels, help).
- `md_code`: the same shown as inline code.
- `plot`: a string placed in a Plotly title, annotation, hover or tick label (Plotly renders <a>, <b>, <br>, ...).
- `safe_figure`: a figure whose data-bearing fields (x, y, names, labels, hover data, categories) are escaped.
- `html_text`: a string placed in HTML (the executive report).
- `csv_safe` / `csv_bytes`: CSV exports whose text cells cannot run as spreadsheet formulas (OWASP CSV injection).
"""

from __future__ import annotations

import html
import re
import string
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

# Every ASCII punctuation character may be backslash-escaped in CommonMark; escaping all of them also defuses the
# extensions Streamlit adds (:emoji: and :material/icon: codes, :red[colour] directives, $maths$), since each needs an
# unescaped punctuation character to start.
_MD_SPECIAL = re.compile("([" + re.escape(string.punctuation) + "])")
# GFM autolinks (http://, https://, www., e-mail addresses) are found in the text after escapes are decoded, so an
# invisible word joiner goes where each pattern needs two characters side by side.
WORD_JOINER = "\u2060"
_AUTOLINK_SEAMS = re.compile(r"(?<=:)(?=//)|(?i:(?<=\bwww)(?=\.))|(?<=@)")
_LINE_BREAKS = re.compile(r"[\r\n\t\v\f\u2028\u2029]+")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet reads a cell starting so as a formula
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")  # "-3" read from a text file is still a number
TRACE_TEXT_FIELDS = ("x", "y", "labels", "ids", "name", "legendgroup", "customdata", "hovertext")


def md(value: Any) -> str:
    """`value` as literal text for Streamlit Markdown: no link, image, HTML, heading, icon or colour can start."""
    text = _LINE_BREAKS.sub(" ", "" if value is None else str(value))
    return _MD_SPECIAL.sub(r"\\\1", _AUTOLINK_SEAMS.sub(WORD_JOINER, text))


def md_code(value: Any) -> str:
    """`value` as an inline code span in Markdown, fenced by more backticks than it holds (so it cannot close)."""
    text = _LINE_BREAKS.sub(" ", "" if value is None else str(value))
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    fence = "`" * (longest + 1)
    return f"{fence} {text} {fence}"


def plot(value: Any) -> str:
    """`value` as literal text inside Plotly's text markup (titles, annotations, hover and tick labels)."""
    return html.escape("" if value is None else str(value), quote=False)


def html_text(value: Any) -> str:
    """`value` as literal text (and attribute-safe) inside HTML."""
    return html.escape("" if value is None else str(value), quote=True)


def _escape_values(values: Any) -> Any:
    """Strings escaped for Plotly in a scalar, list, tuple or array (nested for customdata); others unchanged."""
    if isinstance(values, str):
        return plot(values)
    if isinstance(values, np.ndarray):
        if values.dtype.kind in "OUS":
            return np.vectorize(_escape_values, otypes=[object])(values) if values.size else values
        return values
    if isinstance(values, list | tuple):
        return type(values)(_escape_values(value) for value in values)
    return values


def safe_figure(fig: go.Figure) -> go.Figure:
    """Escape the data-bearing strings of every trace and the category orders that name them, in place; return fig.

    Call once, where the figure is drawn (escaping twice shows entities). Text we format ourselves (text,
    texttemplate, hovertemplate, ticktext, titles) keeps its markup; data put into those must go through `plot`.
    """
    for trace in fig.data:
        for field in TRACE_TEXT_FIELDS:
            if field in trace and trace[field] is not None:
                trace[field] = _escape_values(trace[field])
        if trace.type == "sankey" and trace.node.label is not None:
            trace.node.label = _escape_values(trace.node.label)
    for axis in (*fig.select_xaxes(), *fig.select_yaxes()):
        if axis.categoryarray is not None:
            axis.categoryarray = _escape_values(axis.categoryarray)
    return fig


def unescape(value: Any) -> Any:
    """The original of a value read back from a drawn figure (a selected point's x, a trace name)."""
    return html.unescape(value) if isinstance(value, str) else value


def csv_cell(value: Any) -> Any:
    """A text cell prefixed with a quote when a spreadsheet would run it as a formula; anything else unchanged.

    A carriage return inside the text becomes a newline: the CSV writer quotes a cell holding a newline, but a lone
    carriage return would go out unquoted and start a new row (whose first cell could be a formula).
    """
    if not isinstance(value, str):
        return value
    if value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value):
        value = "'" + value
    return value.replace("\r\n", "\n").replace("\r", "\n")


def csv_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` whose text cells (and column names) cannot start a formula; numbers stay numbers."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(csv_cell)
    out.columns = [csv_cell(str(column)) for column in out.columns]
    return out


def csv_bytes(frame: pd.DataFrame, columns: Iterable[str] | None = None) -> bytes:
    """UTF-8 CSV of `frame` (optionally only `columns`) with formula cells neutralised: every export goes here."""
    chosen = frame if columns is None else frame[list(columns)]
    return csv_safe(chosen).to_csv(index=False).encode("utf-8")
