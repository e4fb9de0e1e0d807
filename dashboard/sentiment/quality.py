"""What the Data page says about data quality: the sentiment analyzer's measured quality and the product's analyzer.

The data-quality checks themselves are SQL (queries/quality_checks_list.sql); this module reads the analyzer's
evaluation (dashboard/sentiment/quality.json, written by `python -m dashboard.sentiment.evaluate`) into tables. Plain
Python, no streamlit.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

QUALITY_JSON = Path(__file__).resolve().parent / "quality.json"
CLASSES = ("negative", "neutral", "positive")
# Keys under "analyzers" -> the top-level field naming that analyzer.
NAME_FIELDS = {"care_vader": "analyzer", "plain_vader": "baseline"}


def product_analyzer() -> str:
    """The name of the analyzer this version of the dashboard scores new imports with."""
    from dashboard.sentiment.analyzer import ANALYZER_NAME

    return ANALYZER_NAME


def load_sentiment_quality(path: Path = QUALITY_JSON) -> dict | None:
    """The analyzer evaluation report, or None when it is missing or unreadable."""
    try:
        report = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return report if isinstance(report, dict) and isinstance(report.get("analyzers"), dict) else None


def _analyzer_name(report: dict, key: str) -> str:
    """The display name of an analyzer entry: its named field when known, else the key."""
    field = NAME_FIELDS.get(key)
    return str(report.get(field) or key) if field else key


def sentiment_quality_table(report: dict, split: str = "heldout") -> pd.DataFrame:
    """One row per analyzer: accuracy, macro-F1 and per-class precision/recall on `split`, product analyzer first."""
    product = report.get("analyzer")
    rows = []
    for key, entry in report["analyzers"].items():
        scores = entry.get(split) or {}
        name = _analyzer_name(report, key)
        row = {
            "analyzer": name,
            "is_product": name == product,
            "accuracy": scores.get("accuracy"),
            "macro_f1": scores.get("macro_f1"),
        }
        per_class = scores.get("per_class") or {}
        for label in CLASSES:
            row[f"{label}_precision"] = (per_class.get(label) or {}).get("precision")
            row[f"{label}_recall"] = (per_class.get(label) or {}).get("recall")
        row["texts_per_second"] = entry.get("texts_per_second")
        rows.append(row)
    return pd.DataFrame(rows).sort_values("is_product", ascending=False, kind="stable").reset_index(drop=True)


def quality_caption(report: dict) -> str:
    """One sentence saying what the numbers were measured on."""
    return (
        f"Measured {report.get('date', 'on an unknown date')} on {report.get('heldout_size', '?')} held-back "
        f"hand-labelled texts (of {report.get('eval_set_size', '?')}), kept out of tuning."
    )
