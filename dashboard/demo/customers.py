"""The demo's customers: who writes (some customers contact often), their plans and tenure, and who churns.

Churn is planted from each customer's care experience (unanswered, late or negative-ending contacts raise it, a
recovered one lowers it), so the Churn risk page has a real signal to find. Shared helpers for vectorised draws and
ids live here too; dashboard/demo/messages.py uses them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.core.definitions import INFLUENCER_FOLLOWERS

PLANS = np.array(["basic", "plus", "premium", "business"])
PLAN_VALUE = np.array([25.0, 45.0, 80.0, 150.0])


def ids(prefix: str, numbers: np.ndarray, width: int) -> np.ndarray:
    """Zero-padded string ids ("CV00000042"), built with Arrow compute so a million take milliseconds."""
    digits = pc.utf8_lpad(pc.cast(pa.array(numbers), pa.string()), width, "0")
    return pc.binary_join_element_wise(prefix, digits, "").to_numpy(zero_copy_only=False)


def choose(rng: np.random.Generator, probabilities: np.ndarray) -> np.ndarray:
    """Vectorised categorical draw: one index per row of a (n, k) probability matrix."""
    cumulative = np.cumsum(probabilities, axis=1)
    return (rng.random(len(probabilities))[:, None] > cumulative).sum(axis=1).clip(0, probabilities.shape[1] - 1)


def draw_customers(starts: pd.DataFrame, rng: np.random.Generator) -> tuple[np.ndarray, pd.DataFrame]:
    """Assign each conversation a customer of its brand (some contact often) and build the customers table."""
    n = len(starts)
    brand_counts = np.maximum(np.bincount(starts["brand"], minlength=3) * 45 // 100, 10)
    offsets = np.concatenate([[0], np.cumsum(brand_counts)])
    total = offsets[-1]
    followers = np.round(np.exp(rng.normal(np.log(150), 2.0, total))).astype(np.int64)
    is_media = rng.random(total) < 0.003
    brand = starts["brand"].to_numpy()
    customer = offsets[brand] + (brand_counts[brand] * rng.random(n) ** 1.6).astype(np.int64)
    # During their brand's incident, influencers and media post more.
    loud = np.flatnonzero((followers >= INFLUENCER_FOLLOWERS) | is_media)
    pick_loud = starts["affected"].to_numpy() & (rng.random(n) < 0.12) & (len(loud) > 0)
    loud_of_brand = np.searchsorted(offsets, loud, side="right") - 1
    for b in range(3):
        pool = loud[loud_of_brand == b]
        rows = np.flatnonzero(pick_loud & (brand == b))
        if len(pool) and len(rows):
            customer[rows] = rng.choice(pool, len(rows))
    plan = choose(rng, np.tile([0.35, 0.3, 0.15, 0.2], (total, 1)))
    customers = pd.DataFrame(
        {
            "customer_id": ids("CU", np.arange(total), 7),
            "segment": np.where(plan == 3, "business", "consumer"),
            "plan": PLANS[plan],
            "monthly_value": np.round(PLAN_VALUE[plan] * np.exp(rng.normal(0, 0.25, total)), 2),
            "customer_since": (pd.Timestamp("2026-11-16") - pd.to_timedelta(rng.integers(30, 3650, total), "D")).date,
            "follower_count": followers,
            "is_media": is_media,
        }
    )
    return customer, customers


def customer_since(starts: pd.DataFrame, customer: np.ndarray, customers: pd.DataFrame) -> pd.Series:
    """Tenure start, never after the customer's first contact."""
    first = pd.Series(starts["started_at"].to_numpy()).groupby(customer).min().dt.floor("D") - pd.Timedelta(days=1)
    since = pd.to_datetime(customers["customer_since"])
    since.iloc[first.index] = np.minimum(since.iloc[first.index].to_numpy(), first.to_numpy())
    return since.dt.date


def churn(starts, customer, frt, mood, end_mood, has_end, customers, rng, end_at) -> pd.Series:
    """churned_at per customer: a customer may leave within 90 days of their last contact, more so after bad ones.

    The last contact's experience weighs most; earlier bad experiences (unanswered, late, ended negative) add to it.
    """
    unanswered, late = np.isnan(frt), np.nan_to_num(frt) > 120
    ended_negative = has_end & (end_mood == 0)
    recovered = has_end & (mood == 0) & (end_mood == 2)
    weight = np.where(unanswered, 1.9, np.where(late, 1.2, 1.0)) * np.where(mood == 0, 1.2, 1.0)
    weight *= np.where(ended_negative, 2.2, np.where(recovered, 0.7, 1.0))
    contacts = pd.DataFrame({"customer": customer, "weight": weight, "bad": unanswered | late | ended_negative,
                             "started_at": starts["started_at"].to_numpy()})  # fmt: skip
    last = contacts.groupby("customer").tail(1).set_index("customer")  # starts are in time order
    earlier_bad = contacts.groupby("customer")["bad"].sum() - last["bad"]
    k = customers.iloc[last.index]
    tenure_days = (end_at - pd.to_datetime(k["customer_since"])).dt.days.to_numpy()
    risk = 0.15 * last["weight"].to_numpy() * (1 + 0.25 * earlier_bad.loc[last.index].to_numpy())
    risk *= np.where(tenure_days < 365, 2.2, 1.0)
    risk *= k["plan"].map({"basic": 1.6, "plus": 1.0, "premium": 0.7, "business": 0.5}).to_numpy()
    leaves = rng.random(len(risk)) < risk
    when = last["started_at"].to_numpy() + pd.to_timedelta(rng.uniform(1, 90, len(risk)), "D").to_numpy()
    churned = pd.Series(pd.NaT, index=customers.index, dtype="datetime64[ns]")
    churned.iloc[last.index[leaves]] = when[leaves]
    return churned.where(churned <= end_at).dt.round("s")
