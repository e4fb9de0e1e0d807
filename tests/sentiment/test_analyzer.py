"""The product's sentiment analyzer: care rules on hand-written sentences, the scoring contract, and the goals on the
held-back part of the hand-labelled evaluation set (tests/sentiment_eval/)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from dashboard.sentiment import analyzer as sentiment
from dashboard.sentiment import care_rules as care
from dashboard.sentiment import evaluate as sentiment_eval


def label(text: str, author_type: str = "customer") -> str:
    """The product label of one text."""
    return sentiment.score_texts([text], author_types=[author_type])[1][0]


def plain_label(text: str) -> str:
    """Plain VADER's label of one text."""
    return sentiment.label_scores(sentiment.score_plain([text]))[0]


@pytest.mark.parametrize(
    ("cue", "text"),
    [
        ("waiting", "waited 2 hours for the engineer"),
        ("waiting", "no signal since 8am"),
        ("waiting", "the parcel has been stuck for 3 days"),
        ("waiting", "on hold again, lovely music"),
        ("repeated", "third time asking about my bill"),
        ("repeated", "the app logged me out again"),
        ("repeated", "still nothing from your team"),
        ("negated_service", "no signal in the house"),
        ("negated_service", "the router is not working"),
        ("negated_service", "I can't log in to my account"),
        ("negated_service", "haven\u2019t heard from you"),
        ("outage", "is the site down?"),
        ("outage", "my flight was cancelled and nobody answers"),
        ("outage", "train delayed at Preston"),
        ("outage", "where is my refund"),
        ("charged", "I was charged twice for one order"),
    ],
)
def test_care_cue_found(cue, text):
    assert cue in care.care_cues(care.clean_text(text))


@pytest.mark.parametrize(
    "text",
    [
        "third time asking",
        "waited 2 hours on hold",
        "internet is down for 3 days now",
        "is xbox live down?",
        "can't log in to the app",
        "where is my package?",
        "my order never arrived",
    ],
)
def test_care_complaints_plain_vader_misses_read_negative(text):
    assert plain_label(text) == "neutral"
    assert label(text) == "negative"


@pytest.mark.parametrize(
    "text",
    ["my flight was cancelled and nobody answers", "still no signal since 8am", "I was charged twice for my order"],
)
def test_care_complaints_read_clearly_negative(text):
    score = sentiment.score_texts([text])[0][0]
    assert score <= -0.5 and score < sentiment.score_plain([text])[0]


@pytest.mark.parametrize(
    "text",
    ["do you ship to Canada?", "how do I change my plan?", "my account email is the one I DMed", "iOS 11.1"],
)
def test_plain_questions_stay_neutral(text):
    assert label(text) == "neutral"


@pytest.mark.parametrize(
    "text", ["thank you so much, all sorted!", "love the new app, great job", "you guys are awesome"]
)
def test_thanks_and_praise_stay_positive(text):
    assert label(text) == "positive"


@pytest.mark.parametrize(
    "text",
    [
        "Sorry for the trouble! Please DM us your account number and we'll take a look.",
        "We apologize for the inconvenience. I'll be happy to help, can you DM me your order number? ^JB",
        "I understand how frustrating this must be. Which iOS version are you on?",
    ],
)
def test_brand_apologies_are_not_negativity(text):
    assert label(text, "agent") == "neutral"
    assert label(text, "bot") == "neutral"


def test_brand_warmth_and_bad_news_still_read():
    assert label("Glad to hear it's sorted! Enjoy your flight, see you soon :)", "agent") == "positive"
    assert label("Unfortunately this app is no longer supported.", "agent") == "negative"


def test_clean_text_drops_links_handles_signatures():
    assert care.clean_text("@AmazonHelp it\u2019s broken https://t.co/x ^JP") == "it's broken"
    assert care.clean_text("best...better") == "best ... better"


def test_score_texts_contract():
    texts = ["no signal since 8am", None, "", "thanks!", "no signal since 8am"]
    scores, labels = sentiment.score_texts(texts)
    assert scores.shape == (5,) and labels.dtype == object
    assert np.all((scores >= -1) & (scores <= 1))
    assert scores[0] == scores[4] and scores[1] == scores[2] == 0.0
    assert labels.tolist() == sentiment.label_scores(scores).tolist()
    positional = sentiment.score_texts(texts, 1)[0]  # the old (texts, processes) call still works
    assert positional.tolist() == scores.tolist()
    as_customer = sentiment.score_texts(texts, author_types=["customer", None, "customer", None, "customer"])[0]
    assert as_customer.tolist() == scores.tolist()
    empty_scores, empty_labels = sentiment.score_texts([])
    assert len(empty_scores) == 0 and len(empty_labels) == 0


def test_author_types_must_match_texts():
    with pytest.raises(ValueError, match="author types"):
        sentiment.score_texts(["a", "b"], author_types=["agent"])


def test_label_thresholds_unchanged():
    scores = np.array([-1.0, -0.05, -0.0499, 0.0, 0.0499, 0.05, 1.0])
    expected = ["negative", "negative", "neutral", "neutral", "neutral", "positive", "positive"]
    assert sentiment.label_scores(scores).tolist() == expected


def test_compound_arithmetic_round_trips():
    for compound in (-0.99, -0.3, 0.0, 0.42, 0.98):
        assert sentiment.compound_of(sentiment.raw_valence(compound)) == pytest.approx(compound, abs=1e-9)
    assert -1 < sentiment.compound_of(-1e6) < -0.999


def test_parallel_scoring_matches_serial(monkeypatch):
    texts = [f"order {i} still not delivered" if i % 2 else f"thanks {i}, great help" for i in range(60)]
    serial = sentiment.score_distinct(texts, processes=1, brand=True)
    monkeypatch.setattr(sentiment, "PARALLEL_MIN_TEXTS", 10)
    parallel = sentiment.score_distinct(texts, processes=2, brand=True)
    assert parallel.tolist() == serial.tolist()


def test_small_batches_start_no_worker_processes(monkeypatch):
    def no_pool(*args, **kwargs):
        raise AssertionError("a batch under PARALLEL_MIN_TEXTS must be scored in this process")

    monkeypatch.setattr(sentiment, "ProcessPoolExecutor", no_pool)
    texts = [f"order {i} still not delivered" for i in range(sentiment.PARALLEL_MIN_TEXTS - 1)]
    assert len(sentiment.score_distinct(texts, processes=2)) == len(texts)


def test_lexicon_is_provisioned_offline(tmp_path, monkeypatch):
    import nltk

    monkeypatch.setenv("DASHBOARD_CACHE", str(tmp_path))
    monkeypatch.setattr(nltk, "download", lambda *a, **k: pytest.fail("nltk.download must never be called"))
    folder = sentiment.provision_vader_lexicon()
    assert (folder / "sentiment" / "vader_lexicon.zip").stat().st_size > 10_000


def test_labels_file_is_a_fixed_split():
    labels = pd.read_csv(sentiment_eval.LABELS_CSV, dtype=str)
    assert labels["tweet_id"].is_unique
    assert set(labels["label"]) == set(sentiment_eval.CLASSES)
    assert set(labels["split"]) == {"tune", "heldout"}
    counts = labels["role"].value_counts()
    assert counts["customer"] >= 400 and counts["agent"] >= 200
    assert 0.25 <= (labels["split"] == "heldout").mean() <= 0.35


@pytest.fixture(scope="module")
def eval_set() -> pd.DataFrame:
    """The labelled tweets with their texts, read from the public excerpt (its texts are not kept in the repository)."""
    if not sentiment_eval.SAMPLE_CSV.exists():
        pytest.skip(
            f"the labelled tweets' texts are in the public twcs excerpt, absent here ({sentiment_eval.SAMPLE_CSV})"
        )
    return sentiment_eval.load_eval_set()


@pytest.fixture(scope="module")
def heldout(eval_set) -> dict:
    """Both analyzers' quality on the held-back split."""
    part = eval_set[eval_set["split"] == "heldout"]
    truth, texts, roles = part["label"].tolist(), part["text"].tolist(), part["role"].tolist()
    return {
        "plain": sentiment_eval.quality(truth, sentiment_eval.plain_scores(texts, roles)),
        "care": sentiment_eval.quality(truth, sentiment_eval.care_scores(texts, roles)),
    }


def test_goal_macro_f1_gain(heldout):
    assert heldout["care"]["macro_f1"] - heldout["plain"]["macro_f1"] >= 0.15


def test_goal_negative_recall(heldout):
    assert heldout["care"]["per_class"]["negative"]["recall"] >= 0.75


def test_goal_positive_precision_kept(heldout):
    plain = heldout["plain"]["per_class"]["positive"]["precision"]
    assert heldout["care"]["per_class"]["positive"]["precision"] >= plain - 0.05


def test_quality_json_is_current(heldout):
    stored = json.loads(sentiment_eval.QUALITY_JSON.read_text())
    assert stored["analyzer"] == sentiment.ANALYZER_NAME, "re-run `python -m dashboard.sentiment.evaluate`"
    assert stored["analyzers"]["care_vader"]["heldout"] == heldout["care"], (
        "re-run `python -m dashboard.sentiment.evaluate`"
    )
    assert stored["analyzers"]["plain_vader"]["heldout"] == heldout["plain"]
    assert stored["eval_set_size"] >= 600 and stored["heldout_size"] >= 150
