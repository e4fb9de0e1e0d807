"""The fast Care-VADER engine gives the nltk reference path's scores, exactly, on every text the repository holds and on
hand-written texts that exercise each VADER rule."""

from __future__ import annotations

import re
import subprocess
import sys

import pandas as pd
import pytest
from nltk.sentiment.vader import SentiText, VaderConstants

from dashboard import PROJECT_DIR
from dashboard.demo import text as demo_text
from dashboard.sentiment import analyzer as sentiment
from dashboard.sentiment import bench as sentiment_bench
from dashboard.sentiment import care_rules as care
from dashboard.sentiment import evaluate as sentiment_eval
from dashboard.sentiment import fast as vader_fast

RULE_TEXTS = [
    "",
    "   ",
    "a",
    "I love this product!",
    "This is awful, really bad",
    "The service is GREAT but the app is TERRIBLE",
    "GREAT",
    "ALL CAPS IS ANGRY AND BAD",
    "It is EXTREMELY good, and very VERY good",
    "it was kind of good",
    "it was sort of bad",
    "Kind of OK I guess, kinda",
    "that movie was the shit",
    "yeah right, great service",
    "it was the kiss of death for us",
    "this does not cut the mustard",
    "living hand to mouth",
    "it was the bomb",
    "bad ass phone",
    "never so good",
    "never this bad",
    "I have never been so happy",
    "it is not bad at all",
    "isn't good, wasn't great, don't like it",
    "nothing good came of it",
    "without doubt the best",
    "least favourite, at least good, very least happy",
    "the least bad option",
    "good good good bad good",
    "love it but hate it but love it",
    "BUT it was good",
    "good!!! bad??? ok?!? meh!?!?",
    "great!!!!!!!",
    "great?? great??? great????",
    "hello, world. good; bad: nice - 'fine' \"ok\"",
    "cat... dog,, !good ,bad .great good. ..bad",
    ":) :-( <3 :D ;) :/",
    "don't, isn't! aren't? can't.",
    "It\u2019s \u201cgreat\u201d\u2026 really",
    "Caf\u00e9 is good \U0001f600\U0001f44d\ufe0f, \u0130stanbul nice, \u0391\u03a3 good",
    "tabs\tand\nnew lines\r\nare good",
    "@AmazonHelp it\u2019s broken https://t.co/x ^JP",
    "Sorry for the trouble! Please DM us your account number and we'll take a look. -Becky",
    "Unfortunately this app is no longer supported. 2/2",
    "no signal since 8am, third time asking, please help!!",
    "waited 2 hours on hold, why is my refund not here yet?",
    "I was charged twice for one order",
    "a@b@c good @ bad @x_y",
    "GOOD good",
    "very very very good",
    "hardly good, barely bad, quite happy",
    "so good, this good",
    "no no no",
    "uh-uh not good",
]


def demo_sample() -> list[tuple[str, bool]]:
    """Every fifth text the demo can write (both voices), enough to cover its templates."""
    return demo_text.every_text()[::5]


def repository_texts() -> list[str]:
    """The CSV fixture's texts, the rule texts above and, where the public excerpt is present, the labelled tweets."""
    fixture = pd.read_csv(PROJECT_DIR / "tests" / "fixtures" / "sentiment_texts.csv", dtype=str)
    eval_texts = [text for text, _ in sentiment_bench.eval_corpus()] if sentiment_eval.SAMPLE_CSV.exists() else []
    return [*eval_texts, *fixture["body"].dropna(), *RULE_TEXTS]


def test_constants_match_nltk():
    constants = VaderConstants()
    assert vader_fast.NEGATE == constants.NEGATE
    assert vader_fast.BOOSTER_DICT == constants.BOOSTER_DICT
    assert vader_fast.SPECIAL_CASE_IDIOMS == constants.SPECIAL_CASE_IDIOMS
    assert sorted(vader_fast.PUNC_LIST) == sorted(constants.PUNC_LIST)
    fast = (vader_fast.B_INCR, vader_fast.B_DECR, vader_fast.C_INCR, vader_fast.N_SCALAR)
    assert fast == (constants.B_INCR, constants.B_DECR, constants.C_INCR, constants.N_SCALAR)


def test_lexicons_match_the_reference_analyzers():
    assert vader_fast.lexicon("plain") == sentiment.analyzer().lexicon
    assert vader_fast.lexicon("customer") == sentiment.care_analyzer(False).lexicon
    assert vader_fast.lexicon("brand") == sentiment.care_analyzer(True).lexicon


@pytest.mark.parametrize("text", RULE_TEXTS + ["'quoted' \"twice\" -dash- ?!?why !?!?no ...dots... '' \"\" !! ??"])
def test_words_split_as_nltk_splits_them(text):
    constants = VaderConstants()
    words = SentiText(text, constants.PUNC_LIST, constants.REGEX_REMOVE_PUNCTUATION).words_and_emoticons
    assert [vader_fast.vader_token(word) for word in text.split() if len(word) > 1] == words


def differences(pairs: list[tuple[str, bool]]) -> list[tuple[str, bool, float, float]]:
    """(text, brand, reference, fast) for every Care-VADER score that differs at all."""
    found = []
    for text, brand in pairs:
        reference = sentiment.score_care(text, brand)
        fast = vader_fast.score_brand(text) if brand else vader_fast.score_customer(text)
        if fast != reference:
            found.append((text, brand, reference, fast))
    return found


def test_care_scores_equal_reference_on_repository_texts():
    texts = repository_texts()
    assert len(texts) > (700 if sentiment_eval.SAMPLE_CSV.exists() else 50)  # the labelled tweets when present
    found = differences([(text, brand) for text in texts for brand in (False, True)])
    assert found == [], f"{len(found)} fast Care-VADER scores differ from the nltk reference path"


def test_care_scores_equal_reference_on_demo_texts():
    pairs = demo_sample()
    assert len(pairs) > 3000 and any(brand for _, brand in pairs)
    assert differences(pairs) == []


def test_plain_scores_equal_nltk():
    polarity = sentiment.analyzer().polarity_scores
    texts = repository_texts() + [text for text, _ in demo_sample()[::4]]
    found = [text for text in texts if vader_fast.score_plain(text) != (polarity(text)["compound"] if text else 0.0)]
    assert found == []


def test_score_texts_uses_the_fast_engine_with_reference_scores(monkeypatch):
    texts = repository_texts()
    authors = ["agent" if i % 3 == 0 else "customer" for i in range(len(texts))]
    scores = sentiment.score_texts(texts, processes=1, author_types=authors)[0]
    reference = [sentiment.score_care(text, author == "agent") for text, author in zip(texts, authors, strict=True)]
    assert scores.tolist() == reference
    monkeypatch.setattr(sentiment, "PARALLEL_MIN_TEXTS", 10)
    assert sentiment.score_texts(texts, processes=2, author_types=authors)[0].tolist() == reference


def test_scores_survive_the_memo_starting_over(monkeypatch):
    texts = repository_texts()
    expected = [vader_fast.score_customer(text) for text in texts]
    monkeypatch.setattr(vader_fast, "TOKEN_CACHE_LIMIT", 5)
    vader_fast.clear_memos()
    assert [vader_fast.score_customer(text) for text in texts] == expected
    assert len(vader_fast._TOKENS) <= 5


def test_fast_engine_does_not_import_nltk():
    code = "import sys; from dashboard.sentiment import fast; fast.score_brand('thanks!'); print('nltk' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_DIR, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"\bwhy\b|\bhow\s+come\b", ("come", "why")),  # the longer literal of a sequence is kept
        (r"\b(?:over|double\s+)?charg(?:ed|ing)\b", ("charg",)),
        (r"\bkeeps?\b|\bkeep\s+going", ("keep",)),
        (r"\d+\s*(?:min|hours?)", ("hour", "min")),
        (r"(?:ab)*c?", None),
        (r"[a-z]+", None),
        (r"(?!never)\w+", None),
    ],
)
def test_required_literals(pattern, expected):
    assert vader_fast.required_literals(re.compile(pattern)) == expected


def test_case_insensitive_prefilter_only_trusts_ascii_texts():
    pattern = re.compile(r"\bkindly\b|\bplease\b", re.I)
    needs = vader_fast.required_literals(pattern)
    assert needs == ("kindly", "please")
    assert vader_fast.may_match(pattern, needs, "PLEASE hold") and not vader_fast.may_match(pattern, needs, "hi")
    folded = "plea\u017fe"  # long s: re.I matches it with "s", a substring test would not
    assert pattern.search(folded) and vader_fast.may_match(pattern, needs, folded)


def test_prefilters_never_skip_a_matching_cue():
    texts = [care.clean_text(text).lower() for text in repository_texts()]
    for needs, pattern, _ in vader_fast._CUES:
        assert all(vader_fast.may_match(pattern, needs, text) for text in texts if pattern.search(text))
    for text in texts:
        assert vader_fast.care_valence(text) == care.care_valence(text)


def test_handle_pattern_matches_the_lookbehind_form():
    original = re.compile(r"(?<!\w)@\w+")
    for text in [*repository_texts(), "a@b@c", "@@x", "\u00e9@x _@y", "x\n@y", "\u00b2@x", "@x@y @z."]:
        assert care._HANDLE.sub("", text) == original.sub("", text)


def test_bench_command_times_and_compares(tmp_path, capsys):
    csv = tmp_path / "texts.csv"
    rows = [{"text": text, "inbound": "True" if i % 2 else "False"} for i, text in enumerate(RULE_TEXTS[3:23])]
    pd.DataFrame(rows).to_csv(csv, index=False)
    assert sentiment_bench.main(["--csv", str(csv), "--compare"]) == 0
    assert "0 of 20 scores differ" in capsys.readouterr().out
    assert sentiment_bench.main(["--csv", str(csv), "--repeats", "1", "--batch", "300", "--processes", "1"]) == 0
    out = capsys.readouterr().out
    for name in sentiment_bench.SCORERS:
        assert name in out
    assert "score_texts, 300 texts on 1 processes" in out
