"""Churn-risk inputs: per-customer features at a scoring time, labels, snapshots, the rule baseline and the heuristic.

Features come from queries/churn_features_customer.sql, which only reads what was known before the scoring time;
labels from queries/churn_labels_customer.sql (churned within 90 days after it). Plain Python, no streamlit.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from dashboard.core.definitions import CHURN_HORIZON_DAYS
from dashboard.db import sql

HORIZON_DAYS = CHURN_HORIZON_DAYS  # the README definition of churned after contact
SNAPSHOT_STEP_DAYS = 7
MIN_HISTORY_DAYS = 7
MIN_POSITIVES = 20  # per split; fewer churned customers than this and no model is trained
NUMERIC_FEATURES = (
    "conversation_30d_count",
    "conversation_90d_count",
    "unanswered_count",
    "sla_breach_count",
    "negative_start_count",
    "negative_end_count",
    "recovered_count",
    "repeat_7d_count",
    "incident_conversation_count",
    "days_since_last_contact",
    "instagram_share",
    "messenger_share",
    "email_share",
    "chat_share",
    "tenure_days",
    "is_tenure_under_1y",
    "monthly_value",
    "is_influencer",
)
CATEGORICAL_FEATURES = ("last_end_sentiment", "plan")
FEATURES = NUMERIC_FEATURES + CATEGORICAL_FEATURES
LABELS = {
    "conversation_30d_count": "Conversations, last 30 days",
    "conversation_90d_count": "Conversations, last 90 days",
    "unanswered_count": "Unanswered past SLA deadline",
    "sla_breach_count": "SLA breaches",
    "negative_start_count": "Negative starts",
    "negative_end_count": "Negative endings",
    "recovered_count": "Recovered (negative to positive)",
    "repeat_7d_count": "Repeat contacts within 7 days",
    "incident_conversation_count": "Conversations during incidents",
    "days_since_last_contact": "Days since last contact",
    "instagram_share": "Share on Instagram",
    "messenger_share": "Share on Messenger",
    "email_share": "Share by email",
    "chat_share": "Share on chat",
    "tenure_days": "Tenure (days)",
    "is_tenure_under_1y": "Customer for under a year",
    "monthly_value": "Monthly value",
    "is_influencer": "Influencer",
    "last_end_sentiment": "Last ending",
    "plan": "Plan",
}
# The heuristic risk score (0-100) used when the data holds no churn outcomes: points per event in the last 90 days,
# capped at 100. Not a probability; the weights follow the churn drivers named in the issue, not a fit.
HEURISTIC_POINTS = {
    "unanswered_count": 25,
    "negative_end_count": 20,
    "sla_breach_count": 10,
    "repeat_7d_count": 10,
    "negative_start_count": 5,
    "recovered_count": -10,
}
HEURISTIC_FORMULA = (
    "risk score = 25 × unanswered + 20 × negative endings + 10 × SLA breaches + 10 × repeat contacts within 7 days "
    "+ 5 × negative starts − 10 × recoveries, counted over the last 90 days and clipped to 0-100"
)


@dataclass(frozen=True)
class DataWindow:
    """The span of the data and its churn outcomes."""

    first_started_at: pd.Timestamp
    data_end_at: pd.Timestamp
    customer_count: int
    churned_customer_count: int

    @property
    def has_outcomes(self) -> bool:
        """True when at least one customer has a churn date: only then can a model be trained or measured."""
        return self.churned_customer_count > 0


def data_window(frame: pd.DataFrame) -> DataWindow:
    """A DataWindow from the churn_data_window query result."""
    row = frame.iloc[0]
    return DataWindow(
        first_started_at=pd.Timestamp(row["first_started_at"]),
        data_end_at=pd.Timestamp(row["data_end_at"]),
        customer_count=int(row["customer_count"]),
        churned_customer_count=int(row["churned_customer_count"]),
    )


def snapshot_times(window: DataWindow) -> list[pd.Timestamp]:
    """Scoring times, oldest first, every 7 days back from the last whose 90-day label window ends inside the data."""
    if pd.isna(window.first_started_at):
        return []
    last = (window.data_end_at - pd.Timedelta(days=HORIZON_DAYS)).floor("D")
    first = window.first_started_at + pd.Timedelta(days=MIN_HISTORY_DAYS)
    times = []
    while last >= first:
        times.append(last)
        last -= pd.Timedelta(days=SNAPSHOT_STEP_DAYS)
    return times[::-1]


def prepare(frame: pd.DataFrame) -> pd.DataFrame:
    """Model-ready features from the churn_features_customer query result (adds derived columns, fixes dtypes)."""
    out = frame.copy()
    out["is_tenure_under_1y"] = (out["tenure_days"] < 365).astype(float).where(out["tenure_days"].notna())
    out["is_influencer"] = out["is_influencer"].astype(float)
    for column in NUMERIC_FEATURES:
        out[column] = pd.to_numeric(out[column], errors="coerce").astype(float)
    for column in CATEGORICAL_FEATURES:
        out[column] = out[column].astype(str)
    return out


def features_at(con: duckdb.DuckDBPyConnection, scored_at: pd.Timestamp) -> pd.DataFrame:
    """Prepared features of every customer who contacted care in the 90 days before `scored_at`."""
    return prepare(sql.run_query(con, "churn_features_customer", scored_at=pd.Timestamp(scored_at).to_pydatetime()))


def labelled_snapshot(con: duckdb.DuckDBPyConnection, scored_at: pd.Timestamp) -> pd.DataFrame:
    """Every customer not churned at `scored_at`: features (has_contact False when none in 90 days) and is_churned."""
    labels = sql.run_query(con, "churn_labels_customer", scored_at=pd.Timestamp(scored_at).to_pydatetime())
    snapshot = features_at(con, scored_at).merge(labels, on="customer_id", how="right", indicator=True)
    snapshot["has_contact"] = snapshot.pop("_merge") == "both"
    snapshot["is_churned"] = snapshot["is_churned"].astype(int)
    snapshot["scored_at"] = pd.Timestamp(scored_at)
    return snapshot


def customer_bucket(customer_ids: pd.Series, buckets: int = 5) -> np.ndarray:
    """A stable bucket per customer (CRC32 of the id), so a customer never sits on both sides of a split."""
    return np.array([zlib.crc32(str(c).encode()) % buckets for c in customer_ids])


def rule_flag(features: pd.DataFrame) -> pd.Series:
    """The rule baseline: 1 when the customer had an unanswered or negative-ending conversation in the last 90 days."""
    return ((features["unanswered_count"] > 0) | (features["negative_end_count"] > 0)).astype(int)


def heuristic_points(features: pd.DataFrame) -> pd.DataFrame:
    """Each heuristic term's points per customer (columns as in HEURISTIC_POINTS)."""
    return pd.DataFrame({name: features[name].fillna(0) * points for name, points in HEURISTIC_POINTS.items()})


def heuristic_score(features: pd.DataFrame) -> pd.Series:
    """The transparent 0-100 risk score used when no churn outcomes exist (see HEURISTIC_FORMULA)."""
    return heuristic_points(features).sum(axis=1).clip(0, 100)


def describe_value(feature: str, value: Any) -> str:
    """A reason as a reader sees it: the feature's label and this customer's value."""
    label = LABELS.get(feature, feature)
    if feature.startswith("is_"):
        return label if value == 1 else f"not {label.lower()}"
    if feature.endswith("_share"):
        return f"{label}: {float(value):.0%}"
    if feature == "monthly_value":
        return f"{label}: {float(value):,.0f}"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, float):
        value = f"{value:.1f}"
    return f"{label}: {value}"
