"""Terms that surge in an incident: weighted log-odds with an informative Dirichlet prior (Monroe et al., 2008).

Plain Python (no streamlit), tested with pytest. Input is distinct customer first messages with how many incident and
normal conversations opened with each (aggregated in DuckDB, so a million conversations become a few thousand rows).
Words are counted once per conversation (a conversation mentions a term or not), after removing @handles, URLs,
numbers and scikit-learn's built-in English stop words.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer

NOISE = re.compile(r"@\w+|https?://\S+|www\.\S+|\S+@\S+\.\S+")
TOKEN_PATTERN = r"(?u)\b[a-z][a-z']*[a-z]\b"
STOP_WORDS = sorted(ENGLISH_STOP_WORDS | {"hi", "hello", "hey", "thanks", "thank", "pls", "please", "morning"})


def clean(text: str) -> str:
    """Lower-case text without @handles, URLs or e-mail addresses."""
    return NOISE.sub(" ", str(text).lower())


def term_counts(texts: pd.DataFrame, ngram_range: tuple[int, int] = (1, 2)) -> pd.DataFrame:
    """Per term: incident and normal conversations whose first message mentions it (texts: text, *_count columns)."""
    vectorizer = CountVectorizer(
        preprocessor=clean,
        token_pattern=TOKEN_PATTERN,
        stop_words=STOP_WORDS,
        ngram_range=ngram_range,
        binary=True,
    )
    try:
        matrix = vectorizer.fit_transform(texts["text"].fillna(""))
    except ValueError:  # every text was empty or stop words only
        return pd.DataFrame({"term": pd.Series([], dtype=object), "incident_count": 0, "normal_count": 0})
    weights = texts[["incident_count", "normal_count"]].to_numpy(dtype=float)
    counts = matrix.T @ weights
    return pd.DataFrame(
        {
            "term": vectorizer.get_feature_names_out(),
            "incident_count": counts[:, 0].astype(int),
            "normal_count": counts[:, 1].astype(int),
        }
    )


def log_odds(counts: pd.DataFrame, prior_scale: float | None = None) -> pd.DataFrame:
    """Add delta (weighted log-odds incident vs normal) and its z-score; the prior is the pooled term frequency."""
    y_i = counts["incident_count"].to_numpy(dtype=float)
    y_j = counts["normal_count"].to_numpy(dtype=float)
    n_i, n_j = y_i.sum(), y_j.sum()
    pooled = y_i + y_j
    # alpha0 (how many pseudo-mentions the prior is worth) defaults to the incident's own mentions
    alpha0 = prior_scale if prior_scale is not None else max(n_i, 1.0)
    alpha = alpha0 * pooled / max(pooled.sum(), 1.0)
    alpha = np.maximum(alpha, 1e-3)
    delta = np.log((y_i + alpha) / (n_i + alpha0 - y_i - alpha)) - np.log((y_j + alpha) / (n_j + alpha0 - y_j - alpha))
    variance = 1.0 / (y_i + alpha) + 1.0 / (y_j + alpha)
    return counts.assign(log_odds=delta, z_score=delta / np.sqrt(variance))


def drop_subsumed(scored: pd.DataFrame) -> pd.DataFrame:
    """Drop single words that only ever occur inside one of the listed phrases (same counts): keep 'mobile data'."""
    phrases = scored[scored["term"].str.contains(" ")]
    inside = {(word, row.incident_count, row.normal_count) for row in phrases.itertuples() for word in row.term.split()}
    keys = zip(scored["term"], scored["incident_count"], scored["normal_count"], strict=True)
    return scored[pd.Series([key not in inside for key in keys], index=scored.index, dtype=bool)]


def drop_echoes(ranked: pd.DataFrame) -> pd.DataFrame:
    """Drop a phrase sharing a word and the same counts with a better-ranked one: one template, one entry."""
    kept: list[bool] = []
    seen: set[tuple[str, int, int]] = set()
    for row in ranked.itertuples():
        keys = {(word, row.incident_count, row.normal_count) for word in row.term.split()}
        kept.append(not (" " in row.term and keys & seen))
        if kept[-1]:
            seen |= keys
    return ranked[pd.Series(kept, index=ranked.index, dtype=bool)]


def surging_terms(
    texts: pd.DataFrame, top: int = 20, min_incident_count: int = 3, prior_scale: float | None = None
) -> pd.DataFrame:
    """The `top` terms most over-represented in incident first messages, by z-score, with their shares per period."""
    columns = ["term", "incident_count", "normal_count", "incident_share", "normal_share", "log_odds", "z_score"]
    if texts is None or texts.empty or texts["incident_count"].sum() == 0:
        return pd.DataFrame(columns=columns)
    scored = log_odds(term_counts(texts), prior_scale)
    scored["incident_share"] = scored["incident_count"] / texts["incident_count"].sum()
    scored["normal_share"] = scored["normal_count"] / max(texts["normal_count"].sum(), 1)
    surging = drop_subsumed(scored[(scored["incident_count"] >= min_incident_count) & (scored["z_score"] > 0)])
    ranked = drop_echoes(surging.sort_values(["z_score", "term"], ascending=[False, True]))
    return ranked.head(top)[columns].reset_index(drop=True)
