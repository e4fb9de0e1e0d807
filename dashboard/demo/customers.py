"""The demo's customers: who writes (some customers contact often), their plans and tenure, and who churns.

Churn is planted from each customer's care experience (unanswered, late or negative-ending contacts raise it, a
recovered one lowers it), so the Churn risk page has a real signal to find. The demo is built day by day, so a
CustomerBook draws every customer up front and keeps only a few numbers of each one's history (first and last contact,
how bad the last one was, how many bad ones before): memory grows with customers, never with messages. Shared helpers
for vectorised draws and ids live here too; dashboard/demo/messages.py uses them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.core.definitions import INFLUENCER_FOLLOWERS

PLANS = np.array(["basic", "plus", "premium", "business"])
PLAN_MIX = np.array([0.35, 0.3, 0.15, 0.2])
PLAN_VALUE = np.array([25.0, 45.0, 80.0, 150.0])
PLAN_CHURN = np.array([1.6, 1.0, 0.7, 0.5])
CUSTOMER_ID_WIDTH = 7
NOT_YET = np.datetime64("NaT", "s")


def ids(prefix: str, numbers: np.ndarray, width: int) -> np.ndarray:
    """Zero-padded string ids ("CV00000042"), built with Arrow compute so a million take milliseconds."""
    digits = pc.utf8_lpad(pc.cast(pa.array(numbers), pa.string()), width, "0")
    return pc.binary_join_element_wise(prefix, digits, "").to_numpy(zero_copy_only=False)


def customer_ids(numbers: np.ndarray) -> np.ndarray:
    """The customer id of each customer number ("CU0000042")."""
    return ids("CU", numbers, CUSTOMER_ID_WIDTH)


def choose(rng: np.random.Generator, probabilities: np.ndarray) -> np.ndarray:
    """Vectorised categorical draw: one index per row of a (n, k) probability matrix."""
    cumulative = np.cumsum(probabilities, axis=1)
    return (rng.random(len(probabilities))[:, None] > cumulative).sum(axis=1).clip(0, probabilities.shape[1] - 1)


class CustomerBook:
    """Every demo customer, drawn up front per brand, and each one's care history, recorded day by day in time order."""

    def __init__(self, brand_conversations: np.ndarray, rng: np.random.Generator, end_at: pd.Timestamp):
        self.counts = np.maximum(np.asarray(brand_conversations) * 45 // 100, 10)
        self.offsets = np.concatenate([[0], np.cumsum(self.counts)])
        total = int(self.offsets[-1])
        self.followers = np.round(np.exp(rng.normal(np.log(150), 2.0, total))).astype(np.int64)
        self.is_media = rng.random(total) < 0.003
        loud = np.flatnonzero((self.followers >= INFLUENCER_FOLLOWERS) | self.is_media)
        loud_brand = np.searchsorted(self.offsets, loud, side="right") - 1
        self.loud = [loud[loud_brand == brand] for brand in range(len(self.counts))]
        self.plan = np.searchsorted(np.cumsum(PLAN_MIX), rng.random(total)).clip(0, len(PLANS) - 1)
        self.value = np.round(PLAN_VALUE[self.plan] * np.exp(rng.normal(0, 0.25, total)), 2)
        days = rng.integers(30, 3650, total).astype("timedelta64[D]")
        self.since = np.asarray(np.datetime64(end_at.normalize().date(), "D") - days)
        self.first_contact = np.full(total, NOT_YET)
        self.last_contact = np.full(total, NOT_YET)
        self.last_weight = np.zeros(total, np.float32)
        self.last_bad = np.zeros(total, bool)
        self.bad_contacts = np.zeros(total, np.int32)

    def assign(self, starts: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
        """A customer of its brand for each conversation (some contact often); during their brand's incident,
        influencers and media post more."""
        n, brand = len(starts), starts["brand"].to_numpy()
        customer = self.offsets[brand] + (self.counts[brand] * rng.random(n) ** 1.6).astype(np.int64)
        pick_loud = starts["affected"].to_numpy() & (rng.random(n) < 0.12)
        for number, pool in enumerate(self.loud):
            rows = np.flatnonzero(pick_loud & (brand == number))
            if len(pool) and len(rows):
                customer[rows] = rng.choice(pool, len(rows))
        return customer

    def record(self, customer, started_at, frt, mood, end_mood, has_end) -> None:
        """Add a day's contacts (in start order) to each customer's history: how much each weighs on churn.

        The last contact's experience weighs most; earlier bad ones (unanswered, late, ended negative) add to it.
        """
        unanswered, late = np.isnan(frt), np.nan_to_num(frt) > 120
        ended_negative = has_end & (end_mood == 0)
        recovered = has_end & (mood == 0) & (end_mood == 2)
        weight = np.where(unanswered, 1.9, np.where(late, 1.2, 1.0)) * np.where(mood == 0, 1.2, 1.0)
        weight *= np.where(ended_negative, 2.2, np.where(recovered, 0.7, 1.0))
        bad = unanswered | late | ended_negative
        at = started_at.astype("datetime64[s]")
        seen, first = np.unique(customer, return_index=True)
        new = np.isnat(self.first_contact[seen])
        self.first_contact[seen[new]] = at[first[new]]
        latest, from_end = np.unique(customer[::-1], return_index=True)
        last = len(customer) - 1 - from_end
        self.last_contact[latest] = at[last]
        self.last_weight[latest] = weight[last]
        self.last_bad[latest] = bad[last]
        self.bad_contacts += np.bincount(customer, weights=bad, minlength=len(self.bad_contacts)).astype(np.int32)

    def frame(self, end_at: pd.Timestamp, rng: np.random.Generator) -> pd.DataFrame:
        """The customers table: tenure never starts after a customer's first contact; churn follows their history."""
        contacted = ~np.isnat(self.first_contact)
        first_day = self.first_contact.astype("datetime64[D]") - np.timedelta64(1, "D")
        since = np.where(contacted, np.minimum(self.since, first_day), self.since)
        return pd.DataFrame(
            {
                "customer_id": pd.arrays.ArrowStringArray(pa.array(customer_ids(np.arange(len(since))))),
                "segment": np.where(self.plan == 3, "business", "consumer"),
                "plan": PLANS[self.plan],
                "monthly_value": self.value,
                "customer_since": since.astype("datetime64[s]"),
                "follower_count": self.followers,
                "is_media": self.is_media,
                "churned_at": self._churn(np.flatnonzero(contacted), since, end_at, rng),
            }
        )

    def _churn(self, contacted: np.ndarray, since: np.ndarray, end_at: pd.Timestamp, rng) -> np.ndarray:
        """churned_at per customer: one may leave within 90 days of their last contact, more so after bad ones."""
        tenure_days = (np.datetime64(end_at, "D") - since[contacted]).astype(np.int64)
        earlier_bad = self.bad_contacts[contacted] - self.last_bad[contacted]
        risk = 0.15 * self.last_weight[contacted].astype(float) * (1 + 0.25 * earlier_bad)
        risk *= np.where(tenure_days < 365, 2.2, 1.0) * PLAN_CHURN[self.plan[contacted]]
        leaves = rng.random(len(contacted)) < risk
        seconds = np.round(rng.uniform(1, 90, len(contacted)) * 86400).astype("timedelta64[s]")
        churned = np.full(len(since), NOT_YET)
        churned[contacted[leaves]] = (self.last_contact[contacted] + seconds)[leaves]
        churned[churned > np.datetime64(end_at, "s")] = NOT_YET
        return churned
