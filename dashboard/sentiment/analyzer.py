"""The product's sentiment analyzer: nltk's VADER with a care-domain layer, provisioned offline, behind one function.

`score_texts` is the only entry point the rest of the package uses. At its core is nltk's VADER; the care layer
(dashboard/sentiment/care_rules.py) extends its lexicon and adds valence for how customers complain to brands (waiting,
repeated contact, failed service, outages), and reads brand replies without counting their apologies as negativity. The
result is still a VADER-style compound score in -1..1, labelled at the same thresholds. The lexicon comes from the
`vaderSentiment` wheel: on first use it is laid out as nltk expects (`sentiment/vader_lexicon.zip`) in a cache folder.
`nltk.download` is never called. `score_texts` scores through dashboard/sentiment/fast.py, which re-implements these
steps with the same results several times faster; `score_care` and `score_plain` keep the nltk path as the reference.
"""

from __future__ import annotations

import copy
import math
import multiprocessing
import os
import zipfile
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from dashboard.core.definitions import NEGATIVE_AT, POSITIVE_AT
from dashboard.sentiment import care_rules as care
from dashboard.sentiment import fast as vader_fast
from dashboard.sentiment.fast import MAX_COMPOUND as MAX_COMPOUND  # re-exported: part of this module's API
from dashboard.sentiment.fast import VADER_ALPHA as VADER_ALPHA
from dashboard.sentiment.fast import compound_of as compound_of
from dashboard.sentiment.fast import raw_valence as raw_valence

if TYPE_CHECKING:
    from nltk.sentiment.vader import SentimentIntensityAnalyzer

ANALYZER_NAME = "Care-VADER 1.0 (nltk VADER + care lexicon and rules)"
PLAIN_ANALYZER_NAME = "VADER (nltk 3, lexicon from vaderSentiment)"
PARALLEL_MIN_TEXTS = 20_000
SHARED_SLICE_TEXTS = 20_000  # texts per task of score_shared: small enough for a smooth progress bar
BRAND_AUTHORS = ("agent", "bot")
LABELS = np.array(["negative", "neutral", "positive"], dtype=object)


def nltk_data_dir() -> Path:
    """Folder holding the nltk data this package provisions (DASHBOARD_CACHE, else ~/.cache/incident-dashboard)."""
    base = os.environ.get("DASHBOARD_CACHE") or Path.home() / ".cache" / "incident-dashboard"
    return Path(base) / "nltk_data"


def provision_vader_lexicon() -> Path:
    """Write nltk's VADER lexicon layout from the vaderSentiment wheel, once; return the nltk data folder."""
    import vaderSentiment

    folder = nltk_data_dir()
    target = folder / "sentiment" / "vader_lexicon.zip"
    if not target.exists():
        source = Path(vaderSentiment.__file__).with_name("vader_lexicon.txt")
        lines = source.read_text(encoding="utf-8").replace("\r", "").split("\n")
        text = "\n".join(line for line in lines if line.strip())
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(f".{os.getpid()}.tmp")
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("vader_lexicon/vader_lexicon.txt", text)
        partial.replace(target)  # atomic: concurrent first uses never see a half-written zip
    return folder


@cache
def analyzer() -> SentimentIntensityAnalyzer:
    """Plain nltk SentimentIntensityAnalyzer over the offline lexicon (built once per process)."""
    import nltk.data
    from nltk.sentiment.vader import SentimentIntensityAnalyzer

    folder = str(provision_vader_lexicon())
    if folder not in nltk.data.path:
        nltk.data.path.insert(0, folder)
    return SentimentIntensityAnalyzer()


def label_scores(scores: np.ndarray) -> np.ndarray:
    """Labels for compound scores: positive at >= 0.05, negative at <= -0.05, neutral otherwise."""
    index = np.where(scores >= POSITIVE_AT, 2, np.where(scores <= NEGATIVE_AT, 0, 1))
    return LABELS[index]


@cache
def care_analyzer(brand: bool) -> SentimentIntensityAnalyzer:
    """A VADER analyzer over the care lexicon: the brand-reply variant ignores empathy formulas (built once)."""
    base = analyzer()
    clone = copy.copy(base)
    clone.lexicon = care.brand_lexicon(base.lexicon) if brand else care.customer_lexicon(base.lexicon)
    return clone


def score_care(text: str, brand: bool = False) -> float:
    """The care analyzer's compound score for one text through nltk (the reference the fast engine is held to)."""
    if not text:
        return 0.0
    cleaned = care.clean_text(text)
    if brand:
        compound = care_analyzer(True).polarity_scores(care.brand_text(cleaned))["compound"]
        raw = raw_valence(compound)
        raw = math.copysign(max(abs(raw) - care.BRAND_MARGIN, 0.0), raw) + care.brand_valence(cleaned)
    else:
        compound = care_analyzer(False).polarity_scores(cleaned)["compound"]
        valence = care.care_valence(cleaned)
        if valence == 0.0:
            return compound
        raw = raw_valence(compound) + valence
    return compound_of(raw)


def _score_chunk(texts: Sequence[str], brand: bool = False) -> list[float]:
    return vader_fast.score_many(texts, brand)


def score_plain(texts: Sequence[str]) -> np.ndarray:
    """Plain VADER compound scores (the baseline the care analyzer is measured against)."""
    polarity = analyzer().polarity_scores
    return np.asarray([polarity(text)["compound"] if text else 0.0 for text in texts], dtype=float)


def score_distinct(texts: Sequence[str], processes: int | None = None, brand: bool = False) -> np.ndarray:
    """Compound scores for texts that are already distinct, on all cores when there are many."""
    if processes is None:
        processes = os.cpu_count() or 1
    if processes < 2 or len(texts) < PARALLEL_MIN_TEXTS:
        return np.asarray(_score_chunk(texts, brand), dtype=float)
    vader_fast.lexicon("brand" if brand else "customer")  # built before the workers fork, so they inherit it
    size = -(-len(texts) // (processes * 4))
    chunks = [texts[i : i + size] for i in range(0, len(texts), size)]
    with ProcessPoolExecutor(max_workers=processes) as pool:
        parts = list(pool.map(_score_chunk, chunks, [brand] * len(chunks)))
    return np.asarray([score for part in parts for score in part], dtype=float)


_SHARED: dict[bool, Sequence[str]] = {}  # score_shared's texts per voice (brand?), inherited by forked workers


def _score_shared_slice(brand: bool, start: int, stop: int) -> np.ndarray:
    return np.asarray(vader_fast.score_many(_SHARED[brand][start:stop], brand), dtype=float)


def score_shared(
    texts: dict[bool, Sequence[str]], processes: int | None = None, done: Callable[[int], None] | None = None
) -> dict[bool, np.ndarray]:
    """Compound scores of distinct texts per voice (True: brand replies), on all cores, calling `done(n)` as each
    slice of n texts is scored (for a progress bar).

    The workers are forked after the texts are in memory and read their slices from it, so no text is copied through
    a pipe; only the scores come back. Same scores as `score_distinct`.
    """
    processes = processes or os.cpu_count() or 1
    tasks = [
        (brand, start, min(start + SHARED_SLICE_TEXTS, len(values)))
        for brand, values in texts.items()
        for start in range(0, len(values), SHARED_SLICE_TEXTS)
    ]
    parts: dict[bool, list[np.ndarray]] = {brand: [] for brand in texts}
    _SHARED.update(texts)
    try:
        if processes < 2 or sum(map(len, texts.values())) < PARALLEL_MIN_TEXTS:
            results: Iterable[np.ndarray] = (_score_shared_slice(*task) for task in tasks)
            for (brand, start, stop), scores in zip(tasks, results, strict=True):
                parts[brand].append(scores)
                if done:
                    done(stop - start)
        else:
            for voice in texts:
                vader_fast.lexicon("brand" if voice else "customer")  # built before the fork, so workers inherit it
            context = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(max_workers=processes, mp_context=context) as pool:
                results = pool.map(_score_shared_slice, *zip(*tasks, strict=True))
                for (brand, start, stop), scores in zip(tasks, results, strict=True):
                    parts[brand].append(scores)
                    if done:
                        done(stop - start)
    finally:
        _SHARED.clear()
    return {brand: np.concatenate(found) if found else np.zeros(0) for brand, found in parts.items()}


def score_texts(
    texts: Iterable[str | None],
    processes: int | None = None,
    author_types: Sequence[str | None] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Score texts with the product's analyzer, each distinct text once per voice; return (scores, labels).

    `author_types` ('customer', 'agent', 'bot' or None per text) selects the voice: agent and bot texts are brand
    replies, read without their apologies; everything else (and every text when it is omitted) reads as a customer.
    """
    values = np.asarray(["" if t is None else str(t) for t in texts], dtype=object)
    scores = np.zeros(len(values))
    if len(values) == 0:
        return scores, np.zeros(0, dtype=object)
    brand = np.zeros(len(values), dtype=bool)
    if author_types is not None:
        brand = np.isin(np.asarray(author_types, dtype=object), BRAND_AUTHORS)
        if len(brand) != len(values):
            raise ValueError(f"{len(brand)} author types for {len(values)} texts")
    for voice in (False, True):
        mask = brand == voice
        if mask.any():
            distinct, inverse = np.unique(values[mask], return_inverse=True)
            scores[mask] = score_distinct(list(distinct), processes, brand=voice)[inverse]
    return scores, label_scores(scores)
