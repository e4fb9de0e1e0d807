"""Care-VADER's fast engine: nltk's VADER algorithm and the care rules, re-implemented for throughput, same scores.

nltk's `SentimentIntensityAnalyzer.polarity_scores` spends most of its time on per-call set-up: a punctuation regex run
under a timeout and a dict of every word joined with every punctuation mark, built for each text. Here the same steps
are done once per distinct token (memoised), and only words in the lexicon are scored, with nltk's rules ported line for
line (booster and dampener words, negation, "never so", "least", idioms, "but", ALL-CAPS emphasis, "!" and "?" emphasis,
the rounding of the compound score to four decimals). nltk has no emoji handling; neither has this. The care layer
(dashboard/sentiment/care_rules.py) is applied exactly as the reference path in dashboard/sentiment/analyzer.py applies
it, except that a care pattern is not searched when none of the literal strings every match of it contains occurs in the
text (read once from the compiled patterns, so the rules stay in one place). nltk is not imported here: the lexicon is
read from the vaderSentiment wheel as nltk would parse it. tests/sentiment/test_fast.py holds this engine to the nltk
reference path, score for score.
"""

from __future__ import annotations

import math
import re
import string
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from re import _constants as sre  # type: ignore[attr-defined]  # private, not in typeshed; the parsed form of a pattern, read to find the literals every match contains
from re import _parser  # type: ignore[attr-defined]  # private, not in typeshed

from dashboard.sentiment import care_rules as care

# nltk.sentiment.vader.VaderConstants, copied so the fast path never imports nltk (tests check they still agree).
B_INCR, B_DECR, C_INCR, N_SCALAR = 0.293, -0.293, 0.733, -0.74
_NEGATE_WORDS = (
    "aint arent cannot cant couldnt darent didnt doesnt ain't aren't can't couldn't daren't didn't doesn't dont hadnt "
    "hasnt havent isnt mightnt mustnt neither don't hadn't hasn't haven't isn't mightn't mustn't neednt needn't never "
    "none nope nor not nothing nowhere oughtnt shant shouldnt uhuh wasnt werent oughtn't shan't shouldn't uh-uh "
    "wasn't weren't without wont wouldnt won't wouldn't rarely seldom despite"
)
NEGATE = frozenset(_NEGATE_WORDS.split())
_UP = (
    "absolutely amazingly awfully completely considerably decidedly deeply effing enormously entirely especially "
    "exceptionally extremely fabulously flipping flippin fricking frickin frigging friggin fully fucking greatly hella "
    "highly hugely incredibly intensely majorly more most particularly purely quite really remarkably so substantially "
    "thoroughly totally tremendously uber unbelievably unusually utterly very"
)
_DOWN = (
    "almost barely hardly kinda kindof kind-of less little marginally occasionally partly scarcely slightly somewhat "
    "sorta sortof sort-of"
)
BOOSTER_DICT = {
    **dict.fromkeys(_UP.split(), B_INCR),
    **dict.fromkeys(_DOWN.split(), B_DECR),
    **dict.fromkeys(("just enough", "kind of", "sort of"), B_DECR),
}
SPECIAL_CASE_IDIOMS = {
    "the shit": 3,
    "the bomb": 3,
    "bad ass": 1.5,
    "yeah right": -2,
    "cut the mustard": 2,
    "kiss of death": -1.5,
    "hand to mouth": -2,
}
_IDIOM_WORDS = frozenset(
    word for phrase in [*SPECIAL_CASE_IDIOMS, *BOOSTER_DICT] if " " in phrase for word in phrase.split()
)
_PUNC_MARKS = ". ! ? , ; : - ' \" !! !!! ?? ??? ?!? !?! ?!?! !?!?"
PUNC_LIST = frozenset(_PUNC_MARKS.split())
_DROP_PUNCTUATION = str.maketrans("", "", string.punctuation)
_SO_THIS = ("so", "this")
VADER_ALPHA = 15.0  # VADER normalises a raw valence sum x as x / sqrt(x^2 + alpha)
MAX_COMPOUND = 0.9999
TOKEN_CACHE_LIMIT = 500_000  # distinct tokens remembered before the memo starts over (bounds memory on huge imports)


def vader_token(word: str) -> str:
    """A whitespace-separated word as nltk's SentiText keeps it: one leading or trailing mark from its list removed.

    nltk maps `p + w` and `w + p` to `w` for every punctuation-free word `w` of the text longer than one character
    and every mark `p` in PUNC_LIST; a word can only ever match its own punctuation-free form, so this is per word.
    """
    bare = word.translate(_DROP_PUNCTUATION)
    if len(bare) > 1 and bare != word:
        if word.endswith(bare) and word[: -len(bare)] in PUNC_LIST:
            return bare
        if word.startswith(bare) and word[len(bare) :] in PUNC_LIST:
            return bare
    return word


class _Memo(dict):
    """A function's value per distinct word, computed on first sight (starts over past TOKEN_CACHE_LIMIT words)."""

    def __init__(self, function: Callable[[str], str]) -> None:
        super().__init__()
        self.function = function

    def __missing__(self, word: str) -> str:
        if len(self) >= TOKEN_CACHE_LIMIT:
            self.clear()
        value = self[word] = self.function(word)
        return value


_TOKENS = _Memo(vader_token)


def clear_memos() -> None:
    """Forget every memoised word (for timing runs that must start cold)."""
    _TOKENS.clear()


def _negated(lowered: str) -> bool:
    return lowered in NEGATE or "n't" in lowered


def _scalar(word: str, lowered: str, valence: float, cap_diff: bool) -> float:
    """nltk's scalar_inc_dec: what a preceding booster or dampener adds to a word's valence."""
    scalar = 0.0
    if lowered in BOOSTER_DICT:
        scalar = BOOSTER_DICT[lowered]
        if valence < 0:
            scalar *= -1
        if word.isupper() and cap_diff:
            scalar = scalar + C_INCR if valence > 0 else scalar - C_INCR
    return scalar


def _never(valence: float, words: list[str], lowers: list[str], start_i: int, i: int) -> float:
    """nltk's _never_check ("never so" and "never this" compare the words as written)."""
    if start_i == 0:
        if _negated(lowers[i - 1]):
            valence = valence * N_SCALAR
    elif start_i == 1:
        if words[i - 2] == "never" and words[i - 1] in _SO_THIS:
            valence = valence * 1.5
        elif _negated(lowers[i - 2]):
            valence = valence * N_SCALAR
    elif (words[i - 3] == "never" and words[i - 2] in _SO_THIS) or words[i - 1] in _SO_THIS:
        valence = valence * 1.25
    elif _negated(lowers[i - 3]):
        valence = valence * N_SCALAR
    return valence


def _idioms(valence: float, words: list[str], i: int) -> float:
    """nltk's _idioms_check (only reached for i >= 3); a no-op unless a word of a multi-word phrase is near."""
    if _IDIOM_WORDS.isdisjoint(words[i - 3 : i + 3]):
        return valence
    twoone = f"{words[i - 2]} {words[i - 1]}"
    threetwo = f"{words[i - 3]} {words[i - 2]}"
    sequences = (
        f"{words[i - 1]} {words[i]}",
        f"{words[i - 2]} {words[i - 1]} {words[i]}",
        twoone,
        f"{words[i - 3]} {words[i - 2]} {words[i - 1]}",
        threetwo,
    )
    for seq in sequences:
        if seq in SPECIAL_CASE_IDIOMS:
            valence = SPECIAL_CASE_IDIOMS[seq]
            break
    last = len(words) - 1
    if last > i and f"{words[i]} {words[i + 1]}" in SPECIAL_CASE_IDIOMS:
        valence = SPECIAL_CASE_IDIOMS[f"{words[i]} {words[i + 1]}"]
    if last > i + 1 and f"{words[i]} {words[i + 1]} {words[i + 2]}" in SPECIAL_CASE_IDIOMS:
        valence = SPECIAL_CASE_IDIOMS[f"{words[i]} {words[i + 1]} {words[i + 2]}"]
    if threetwo in BOOSTER_DICT or twoone in BOOSTER_DICT:
        valence = valence + B_DECR
    return valence


def _least(valence: float, lowers: list[str], lexicon: dict[str, float], i: int) -> float:
    """nltk's _least_check."""
    if i > 0 and lowers[i - 1] == "least" and "least" not in lexicon:
        if i > 1:
            if lowers[i - 2] != "at" and lowers[i - 2] != "very":
                valence = valence * N_SCALAR
        else:
            valence = valence * N_SCALAR
    return valence


def _word_valence(words: list[str], lowers: list[str], lexicon: dict[str, float], i: int, cap_diff: bool) -> float:
    """nltk's sentiment_valence for a word known to be in the lexicon."""
    valence = lexicon[lowers[i]]
    if cap_diff and words[i].isupper():
        valence = valence + C_INCR if valence > 0 else valence - C_INCR
    for start_i in range(3):
        if i > start_i and lowers[i - (start_i + 1)] not in lexicon:
            s = _scalar(words[i - (start_i + 1)], lowers[i - (start_i + 1)], valence, cap_diff)
            if start_i == 1 and s != 0:
                s = s * 0.95
            if start_i == 2 and s != 0:
                s = s * 0.9
            valence = valence + s
            valence = _never(valence, words, lowers, start_i, i)
            if start_i == 2:
                valence = _idioms(valence, words, i)
    return _least(valence, lowers, lexicon, i)


def compound(text: str, lexicon: dict[str, float]) -> float:
    """The compound score nltk's polarity_scores(text) gives with this lexicon, rounded to four decimals as there."""
    tokens = _TOKENS  # a word without punctuation (isalpha) is its own token: no memo look-up needed
    words = [word if word.isalpha() else tokens[word] for word in text.split() if len(word) > 1]
    lowers = [word.lower() for word in words]
    if lexicon.keys().isdisjoint(lowers):
        return 0.0
    hits = [j for j, word in enumerate(lowers) if word in lexicon and word not in BOOSTER_DICT]
    if not hits:
        return 0.0
    upper = sum(map(str.isupper, words))
    cap_diff = 0 < len(words) - upper < len(words)
    but = lowers.index("but") if "but" in lowers else -1
    last = len(words) - 1
    sentiments = []
    for j in hits:
        i = words.index(words[j])  # nltk scores every copy of a word at its first position
        if i < last and lowers[i] == "kind" and lowers[i + 1] == "of":
            continue
        valence = _word_valence(words, lowers, lexicon, i, cap_diff)
        if but >= 0 and j != but:
            valence = valence * (0.5 if j < but else 1.5)
        sentiments.append(valence)
    sum_s = float(sum(sentiments))
    emphasis = min(text.count("!"), 4) * 0.292
    questions = text.count("?")
    if questions > 1:
        emphasis = emphasis + (questions * 0.18 if questions <= 3 else 0.96)
    if sum_s > 0:
        sum_s += emphasis
    elif sum_s < 0:
        sum_s -= emphasis
    return round(sum_s / math.sqrt(sum_s * sum_s + 15), 4)


def read_lexicon(path: Path | None = None) -> dict[str, float]:
    """VADER's lexicon from the vaderSentiment wheel, parsed line for line as nltk's make_lex_dict parses it."""
    if path is None:
        import vaderSentiment

        path = Path(vaderSentiment.__file__).with_name("vader_lexicon.txt")
    lexicon = {}
    for line in path.read_text(encoding="utf-8").replace("\r", "").split("\n"):
        if line.strip():
            word, measure = line.strip().split("\t")[0:2]
            lexicon[word] = float(measure)
    return lexicon


@cache
def lexicon(voice: str) -> dict[str, float]:
    """The lexicon of a voice: 'plain' (VADER's own), 'customer' or 'brand' (the care lexicons); built once."""
    base = read_lexicon()
    return {"plain": base, "customer": care.customer_lexicon(base), "brand": care.brand_lexicon(base)}[voice]


def raw_valence(value: float) -> float:
    """Undo VADER's normalisation: the raw valence sum behind a compound score."""
    clipped = min(max(value, -MAX_COMPOUND), MAX_COMPOUND)
    return clipped * math.sqrt(VADER_ALPHA / (1.0 - clipped * clipped))


def compound_of(raw: float) -> float:
    """VADER's normalisation of a raw valence sum into -1..1."""
    return raw / math.sqrt(raw * raw + VADER_ALPHA)


def score_customer(text: str) -> float:
    """Care-VADER's score of a customer text (same arithmetic as sentiment.score_care(text))."""
    if not text:
        return 0.0
    cleaned = care.clean_text(text)
    value = compound(cleaned, lexicon("customer"))
    valence = care_valence(cleaned)
    if valence == 0.0:
        return value
    return compound_of(raw_valence(value) + valence)


def score_brand(text: str) -> float:
    """Care-VADER's score of a brand reply (same arithmetic as sentiment.score_care(text, brand=True))."""
    if not text:
        return 0.0
    cleaned = care.clean_text(text)
    raw = raw_valence(compound(care.brand_text(cleaned), lexicon("brand")))
    bad_news = care.brand_valence(cleaned) if may_match(care.BRAND_BAD_NEWS, _BAD_NEWS_NEEDS, cleaned) else 0.0
    raw = math.copysign(max(abs(raw) - care.BRAND_MARGIN, 0.0), raw) + bad_news
    return compound_of(raw)


def score_plain(text: str) -> float:
    """Plain VADER's compound score (nltk's polarity_scores(text)['compound'])."""
    return compound(text, lexicon("plain")) if text else 0.0


def score_many(texts: Sequence[str], brand: bool = False) -> list[float]:
    """Care-VADER scores for texts in one voice, in order."""
    score: Callable[[str], float] = score_brand if brand else score_customer
    return [score(text) for text in texts]


def required_literals(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """Strings at least one of which every match of `pattern` contains; None when none can be read off safely.

    Read from the parsed pattern: a run of literal characters must occur; a group needs what its body needs; an
    alternation needs one of its branches' needs; a repeat needs its body's when it runs at least once. Lookarounds
    are not used. For a case-insensitive pattern the strings are lowercase ASCII and hold for ASCII texts only
    (Unicode case folding lets a few other characters match an ASCII letter); see `may_match`. A literal that
    contains another one of the set is left out (the shorter one occurs wherever it does).
    """
    folded = bool(pattern.flags & re.IGNORECASE)
    try:
        needs = _needs(_parser.parse(pattern.pattern, pattern.flags & ~re.IGNORECASE))
    except Exception:  # a private parser: if its shape ever changes, fall back to always searching
        return None
    if not needs or (folded and not all(need.isascii() for need in needs)):
        return None
    literals = {need.lower() for need in needs} if folded else set(needs)
    return tuple(sorted(need for need in literals if not any(other in need for other in literals - {need})))


def may_match(pattern: re.Pattern[str], needs: tuple[str, ...] | None, text: str) -> bool:
    """False only when `pattern` cannot match `text` because none of its required literals occurs in it."""
    if needs is None:
        return True
    if pattern.flags & re.IGNORECASE:
        if not text.isascii():
            return True
        text = text.lower()
    return any(need in text for need in needs)


def _strength(needs: frozenset[str]) -> tuple[int, int]:
    return min(map(len, needs)), -len(needs)


def _needs(items) -> frozenset[str] | None:
    """The most selective set of literals one of which a match of this parsed sequence contains (None if none)."""
    best, run = None, []
    for op, arg in [*items, (None, None)]:
        if op is sre.LITERAL:
            run.append(chr(arg))
            continue
        candidates: list[frozenset[str] | None] = [frozenset({"".join(run)})] if run else []
        run = []
        if op is sre.SUBPATTERN and not arg[1] & re.IGNORECASE:
            candidates.append(_needs(arg[3]))
        elif op is sre.BRANCH:
            branches = [_needs(branch) for branch in arg[1]]
            known = [branch for branch in branches if branch is not None]
            candidates.append(None if len(known) < len(branches) else frozenset[str]().union(*known))
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT) and arg[0] >= 1:
            candidates.append(_needs(arg[2]))
        for candidate in candidates:
            if candidate and (best is None or _strength(candidate) > _strength(best)):
                best = candidate
    return best


_BAD_NEWS_NEEDS = required_literals(care.BRAND_BAD_NEWS)
PREFILTER_MAX_LITERALS = 16  # testing more substrings costs about what the search costs (measured on real tweets)


def _prefilter(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    needs = required_literals(pattern)
    return needs if needs and len(needs) <= PREFILTER_MAX_LITERALS else None


_CUES = tuple((_prefilter(pattern), pattern, valence) for _, pattern, valence in care.CARE_CUES)


def care_valence(text: str) -> float:
    """care.care_valence(text), skipping each cue's search when none of the literals it needs is in the text."""
    lowered = text.lower()
    total: float = 0  # summed in cue order from 0, as care.care_valence sums
    for needs, pattern, valence in _CUES:
        if needs is not None and not any(need in lowered for need in needs):
            continue
        if pattern.search(lowered):
            total += valence
    return total
