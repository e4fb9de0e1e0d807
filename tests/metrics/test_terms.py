"""Surging terms: weighted log-odds with an informative Dirichlet prior ranks a planted incident word first."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.metrics import terms


def texts(rows: list[tuple[str, int, int]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["text", "incident_count", "normal_count"])


BACKGROUND = [
    ("How do I change my delivery address?", 20, 400),
    ("Where is my parcel, tracking has not moved", 25, 500),
    ("Can I get a receipt for my order", 10, 300),
    ("My card payment failed twice", 8, 60),
]


def test_a_planted_surging_word_ranks_first():
    given = texts([*BACKGROUND, ("Checkout outage again, nothing loads", 40, 5), ("outage?", 15, 1)])
    ranked = terms.surging_terms(given, top=5)
    assert ranked["term"].iloc[0] == "outage"
    top = ranked.iloc[0]
    assert (top["incident_count"], top["normal_count"]) == (55, 6)
    assert top["incident_share"] == pytest.approx(55 / 118)
    assert top["z_score"] > 3
    assert list(ranked["z_score"]) == sorted(ranked["z_score"], reverse=True)


def test_common_words_do_not_surge_and_frequency_alone_does_not_win():
    ranked = terms.surging_terms(texts(BACKGROUND + [("password reset please", 3, 3)]), top=50)
    # 'tracking' is frequent in both periods at the same rate: never listed as surging
    assert "tracking" not in set(ranked["term"])


def test_handles_urls_stop_words_and_numbers_are_left_out():
    given = texts([("@nordtel_care the https://t.co/xyz outage is on www.status.com since 8am", 10, 1), *BACKGROUND])
    vocabulary = set(terms.term_counts(given)["term"])
    assert "outage" in vocabulary
    assert (
        not {"nordtel_care", "nordtel", "https", "t.co", "xyz", "status", "com", "the", "is", "on", "8am"} & vocabulary
    )


def test_one_template_gives_one_entry():
    given = texts([*BACKGROUND, ("my fibre keeps dropping", 30, 2)])
    ranked = terms.surging_terms(given, top=10)
    # 'fibre', 'keeps', 'dropping' only occur inside the template's phrases, and the phrases echo each other
    template = {"fibre", "keeps", "dropping", "fibre keeps", "keeps dropping"}
    assert set(ranked["term"]) & template == {"fibre keeps"}
    assert ranked["term"].iloc[0] == "fibre keeps"


def test_log_odds_is_zero_for_a_term_used_at_the_same_rate():
    counts = pd.DataFrame({"term": ["a", "b"], "incident_count": [10, 90], "normal_count": [100, 900]})
    scored = terms.log_odds(counts)
    assert scored["log_odds"].abs().max() == pytest.approx(0, abs=1e-9)


def test_no_incident_texts_give_an_empty_frame():
    assert terms.surging_terms(texts([("hello there", 0, 5)])).empty
    assert terms.surging_terms(texts([])).empty
    assert terms.surging_terms(texts([("the and of", 3, 3)])).empty
