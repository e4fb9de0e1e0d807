"""Using the churn model: who is most at risk and why, and how much risk an incident added. Plain Python.

Reasons are per-customer contributions, read against the scored population:
- logistic regression: coefficient × (the customer's transformed feature − the population mean), summed over a
  categorical feature's one-hot columns: how far this feature moves the customer's log-odds above the average's;
- gradient-boosted trees: the drop in probability when the feature is reset to the population median (the most
  common value for a categorical feature), one feature at a time;
- heuristic: each term's points.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard.churn import features as cf
from dashboard.churn import metrics as churn_metrics
from dashboard.churn import model as churn
from dashboard.churn.model import ChurnModel, predict
from dashboard.core import safe_text
from dashboard.core.errors import UserError
from dashboard.db import database, sql

REASON_COUNT = 3


def _logistic_contributions(model: ChurnModel, rows: pd.DataFrame, population: pd.DataFrame) -> pd.DataFrame:
    assert model.pipeline is not None  # only a fitted model (not the heuristic) has logistic contributions
    columns, classifier = model.pipeline[:-1], model.pipeline[-1]
    rows_t = columns.transform(rows[list(cf.FEATURES)])
    mean_t = columns.transform(population[list(cf.FEATURES)]).mean(axis=0)
    parts = pd.DataFrame((rows_t - mean_t) * classifier.coef_[0], index=rows.index)
    owner = []
    for name in columns.get_feature_names_out():
        kind, rest = name.split("__", 1)
        owner.append(rest if kind == "num" else next(f for f in cf.CATEGORICAL_FEATURES if rest.startswith(f"{f}_")))
    return parts.T.groupby(np.array(owner)).sum().T


def _reset_contributions(model: ChurnModel, rows: pd.DataFrame, population: pd.DataFrame) -> pd.DataFrame:
    base = predict(model, rows)
    out = {}
    for feature in cf.FEATURES:
        reset = rows.copy()
        values = population[feature]
        reset[feature] = values.median() if feature in cf.NUMERIC_FEATURES else values.mode().iloc[0]
        out[feature] = base - predict(model, reset)
    return pd.DataFrame(out, index=rows.index)


def contributions(model: ChurnModel, rows: pd.DataFrame, population: pd.DataFrame) -> pd.DataFrame:
    """Per-customer, per-feature contributions to the risk of `rows`, read against `population` (see module doc)."""
    if model.is_heuristic:
        return cf.heuristic_points(rows)
    if model.metadata.get("chosen") == "logistic":
        return _logistic_contributions(model, rows, population)
    return _reset_contributions(model, rows, population)


def reason_method(model: ChurnModel) -> str:
    """How this model's reasons are computed, in one sentence for the page."""
    if model.is_heuristic:
        return "the heuristic terms that add the most points."
    if model.metadata.get("chosen") == "logistic":
        return "the features that raise the log-odds most above the average customer's (coefficient × difference)."
    return "the features whose reset to the population median lowers the probability most."


def reasons(model: ChurnModel, rows: pd.DataFrame, population: pd.DataFrame) -> pd.Series:
    """The main reasons per customer: up to three features that raise the risk most, with the customer's values."""
    parts = contributions(model, rows, population)
    names, values = parts.columns.to_numpy(), parts.to_numpy()
    order = np.argsort(-values, axis=1, kind="stable")[:, :REASON_COUNT]
    columns = {name: rows[name].to_numpy() for name in names}
    texts = [
        "; ".join(cf.describe_value(names[j], columns[names[j]][i]) for j in order[i] if values[i, j] > 0)
        for i in range(len(rows))
    ]
    return pd.Series(texts, index=rows.index, dtype=object)


def risk_table(model: ChurnModel, features: pd.DataFrame, scope: pd.DataFrame, top: int = 200) -> pd.DataFrame:
    """Customers in scope, highest risk first (at most `top`), each with reasons and their last conversation."""
    scored = features.merge(scope[["customer_id", "is_incident_customer"]], on="customer_id", how="inner")
    if scored.empty:
        return scored.assign(risk=pd.Series(dtype=float), reasons=pd.Series(dtype=object))
    scored["risk"] = predict(model, scored)
    head = scored.sort_values(["risk", "customer_id"], ascending=[False, True]).head(top).copy()
    head["reasons"] = reasons(model, head, features)
    keep = ["customer_id", "risk", "reasons", "plan", "monthly_value", "tenure_days", "is_incident_customer",
            "conversation_90d_count", "last_conversation_id", "last_started_at"]  # fmt: skip
    return head[keep].reset_index(drop=True)


def risk_by_group(model: ChurnModel, features: pd.DataFrame, scope: pd.DataFrame) -> pd.DataFrame:
    """Every scored customer in scope with its risk and group ('incident' or 'normal'), for the distribution."""
    scored = features.merge(scope[["customer_id", "is_incident_customer"]], on="customer_id", how="inner")
    scored["risk"] = predict(model, scored)
    scored["group"] = np.where(scored["is_incident_customer"], "incident", "normal")
    return scored[["customer_id", "group", "risk", "monthly_value"]]


def incident_effect(
    model: ChurnModel, before: pd.DataFrame, after: pd.DataFrame, incident_customers: pd.Series
) -> dict[str, float]:
    """Expected churn of the incident's customers after it, and how much the incident added over just before it.

    added = Σ over incident customers of (p after the incident − p just before it); revenue weights each term by the
    customer's monthly value. A customer with no contact in the 90 days before the incident takes the measured churn
    rate of such customers (metadata no_contact_rate) as p before.
    """
    ids = pd.Index(incident_customers.unique())
    after = after[after["customer_id"].isin(ids)].set_index("customer_id")
    before = before[before["customer_id"].isin(after.index)].set_index("customer_id")
    p_after = predict(model, after)
    p_before = predict(model, before).reindex(after.index)
    missing = int(p_before.isna().sum())
    delta = p_after - p_before.fillna(model.metadata.get("no_contact_rate", 0.0))
    value = after["monthly_value"].fillna(0)
    return {
        "customers": len(after),
        "expected_churned": float(p_after.sum()),
        "expected_revenue": float((p_after * value).sum()),
        "added_churned": float(delta.sum()),
        "added_revenue": float((delta * value).sum()),
        "without_history": missing,
    }


def _describe_model(model: ChurnModel) -> str:
    if model.is_heuristic:
        return f"heuristic risk score ({model.metadata['reason']}): {cf.HEURISTIC_FORMULA}"
    return f"{model.metadata['chosen_name']} trained {model.metadata['trained_at']} ({model.metadata.get('source')})"


def run_command(db_path: Path, action: str, out: str | None = None, top: int = 20) -> str:
    """`python -m dashboard churn train|evaluate|score`: what each prints (score may also write a CSV)."""
    con = database.connect(db_path, read_only=True)
    try:
        if action == "train":
            print("training the churn model on weekly snapshots...", file=sys.stderr)
            model = churn.train(con)
            path = churn.save(model, db_path)
            return f"saved {path} (and churn.json)\n{churn_metrics.model_card(model.metadata)}"
        if action == "evaluate":
            saved = churn.load(db_path)
            if saved is None:
                raise UserError(f"no saved churn model for {db_path}: run `python -m dashboard churn train` first")
            model = saved
            data = churn.build_dataset(con, cf.data_window(sql.run_query(con, "churn_data_window")))
            metrics = churn_metrics.evaluate(predict(model, data.test), data.test, data.train)
            table = churn_metrics.metrics_table(metrics).to_string(index=False, float_format="{:.4f}".format)
            return (
                f"{_describe_model(model)}\n{table}\n{churn_metrics.model_card({**model.metadata, 'metrics': metrics})}"
            )
        window = cf.data_window(sql.run_query(con, "churn_data_window"))
        if pd.isna(window.data_end_at):
            raise UserError("the database holds no conversations: nothing to score")
        model = churn.model_for(con, db_path)
        features = cf.features_at(con, window.data_end_at)
        scope = features[["customer_id"]].assign(is_incident_customer=False)
        table = risk_table(model, features, scope, top=len(features))
    finally:
        con.close()
    if out:
        safe_text.csv_safe(table).to_csv(out, index=False)
    listing = table.head(top)[["customer_id", "risk", "reasons"]].to_string(index=False, float_format="{:.3f}".format)
    written = f"\nwrote {len(table):,} customers to {out}" if out else ""
    return f"{_describe_model(model)}; scored at {window.data_end_at}\n{listing}{written}"
