"""How good is the churn model? Ranking, calibration and lift on the test split, each beside the rule baseline.

The rule baseline flags customers with an unanswered or negative-ending conversation in the last 90 days; as a
probability it takes the churn rate of flagged and unflagged customers in the training split. Plain Python.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from sklearn.calibration import calibration_curve
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score

from dashboard.churn import features as cf

METRIC_LABELS = {
    "roc_auc": "ROC-AUC",
    "pr_auc": "PR-AUC (average precision)",
    "brier": "Brier score (lower is better)",
    "top_decile_lift": "Top-decile lift",
}


def top_fraction_lift(y: pd.Series, score: pd.Series, fraction: float = 0.1) -> float:
    """Churn rate among the top `fraction` by score ÷ overall churn rate; ties at the cut count at their mean rate."""
    y, score = np.asarray(y, dtype=float), np.asarray(score, dtype=float)
    k = max(1, math.ceil(fraction * len(y)))
    cut = np.sort(score)[::-1][k - 1]
    above, tied = score > cut, score == cut
    hits = y[above].sum() + (k - above.sum()) * y[tied].mean()
    return float(hits / k / y.mean())


def lift_by_decile(y: pd.Series, score: pd.Series) -> list[float]:
    """Lift of each score decile, highest first; tied scores share their group's rate (random tie-breaking)."""
    frame = pd.DataFrame({"y": np.asarray(y, dtype=float), "score": np.asarray(score, dtype=float)})
    frame = frame.sort_values("score", ascending=False, kind="stable")
    expected = frame.groupby("score")["y"].transform("mean").to_numpy()
    return [float(chunk.mean() / frame["y"].mean()) for chunk in np.array_split(expected, 10)]


def score_metrics(y: pd.Series, score: pd.Series) -> dict[str, float]:
    """ROC-AUC, PR-AUC, Brier score and top-decile lift of probabilities `score` against outcomes `y`."""
    return {
        "roc_auc": float(roc_auc_score(y, score)),
        "pr_auc": float(average_precision_score(y, score)),
        "brier": float(brier_score_loss(y, score)),
        "top_decile_lift": top_fraction_lift(y, score),
    }


def rule_probability(test: pd.DataFrame, train: pd.DataFrame) -> pd.Series:
    """The rule baseline as a probability: the training churn rate of its flagged / unflagged group."""
    rates = train["is_churned"].groupby(cf.rule_flag(train)).mean()
    return cf.rule_flag(test).map(rates).fillna(train["is_churned"].mean()).astype(float)


def _curve(y: pd.Series, score: pd.Series) -> dict[str, list[float]]:
    """Calibration points: mean predicted vs observed churn rate per quantile bin (fewer bins for tied scores)."""
    observed, predicted = calibration_curve(y, score, n_bins=10, strategy="quantile")
    return {"predicted": predicted.tolist(), "observed": observed.tolist()}


def evaluate(probability: pd.Series, test: pd.DataFrame, train: pd.DataFrame) -> dict[str, Any]:
    """Model and rule-baseline metrics on the test split, with calibration curves and lift by decile."""
    y = test["is_churned"]
    rule = rule_probability(test, train)
    return {
        "test_customers": len(test),
        "test_churned": int(y.sum()),
        "base_rate": float(y.mean()),
        "rule_flagged_share": float(cf.rule_flag(test).mean()),
        "model": score_metrics(y, probability),
        "rule": score_metrics(y, rule),
        "calibration": {"model": _curve(y, probability), "rule": _curve(y, rule)},
        "lift_by_decile": {"model": lift_by_decile(y, probability), "rule": lift_by_decile(y, rule)},
    }


def metrics_table(metrics: dict[str, Any]) -> pd.DataFrame:
    """One row per metric: the model's value, the rule baseline's, and which is better."""
    rows = []
    for key, label in METRIC_LABELS.items():
        model, rule = metrics["model"][key], metrics["rule"][key]
        better = model < rule if key == "brier" else model > rule
        rows.append({"metric": label, "model": model, "rule baseline": rule, "model better": better})
    return pd.DataFrame(rows)


def model_card(metadata: dict[str, Any]) -> str:
    """A short model card in Markdown: data window, split, features, metrics and limits."""
    m = metadata["metrics"]
    first, end = (pd.Timestamp(t) for t in metadata["data_window"])
    days = lambda times: ", ".join(f"{pd.Timestamp(t):%d %b}" for t in times)  # noqa: E731
    constant = ", ".join(cf.LABELS[f] for f in metadata["constant_in_training"]) or "none"
    val = ", ".join(f"{k} {v:.3f}" for k, v in metadata["validation_pr_auc"].items())
    return f"""
**Model**: {metadata["chosen_name"]} (validation PR-AUC: {val}), Platt-calibrated on the validation split.
Version {metadata["model_version"]}, trained {metadata["trained_at"]} in {metadata.get("training_seconds", "?")} s.

**Data**: conversations {first:%d %b %Y} to {end:%d %b %Y}. Label: churned within {cf.HORIZON_DAYS} days after
the scoring time; customers already churned are left out. Snapshots {days(metadata["train_snapshots"])} train
({metadata["rows"]["train"]:,} customer-snapshots, {metadata["churned"]["train"]:,} churned),
{days([metadata["validation_snapshot"]])} validates ({metadata["rows"]["validation"]:,} / \
{metadata["churned"]["validation"]:,}), {days([metadata["test_snapshot"]])} tests ({m["test_customers"]:,} / \
{m["test_churned"]:,}); each customer falls in exactly one split.

**Features** (known before the scoring time, last 90 days): {", ".join(cf.LABELS[f] for f in cf.FEATURES)}.

**Test metrics** (model vs rule): ROC-AUC {m["model"]["roc_auc"]:.3f} vs {m["rule"]["roc_auc"]:.3f};
PR-AUC {m["model"]["pr_auc"]:.3f} vs {m["rule"]["pr_auc"]:.3f} (base rate {m["base_rate"]:.3f});
Brier {m["model"]["brier"]:.4f} vs {m["rule"]["brier"]:.4f}; top-decile lift {m["model"]["top_decile_lift"]:.2f}
vs {m["rule"]["top_decile_lift"]:.2f}.

**Limits**: a 90-day label leaves few snapshots, and their outcome windows overlap, so the test is later in time
but not a true forward backtest. Early snapshots see less than 90 days of history, so at later scoring times the
90-day counts exceed what the model saw in training. Features constant in training, so given no weight:
{constant}. Reasons are associations in historical data, not causes.
"""
