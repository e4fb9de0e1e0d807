"""`python -m dashboard.sentiment.bench`: how many texts per CPU-second each VADER variant scores, and whether the fast
engine still gives the reference scores.

Four analyzers score the same distinct texts in the same run, interleaved so machine load hits them alike: Care-VADER
through nltk (the reference path, as the product scored before dashboard/sentiment/fast.py), Care-VADER through the fast
engine, plain nltk VADER and the `vaderSentiment` package. Texts per CPU-second is the texts over the best run's process
CPU time; wall seconds are shown beside it. A last row scores a larger batch with `score_texts` on every core (worker
CPU time included). `--compare` lists every text whose fast score differs from the reference score. By default the texts
are the hand-labelled evaluation tweets and the demo's texts; `--csv` measures another file.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path

import pandas as pd

from dashboard.sentiment import analyzer as sentiment
from dashboard.sentiment import fast as vader_fast
from dashboard.sentiment.evaluate import SAMPLE_CSV

Scorer = Callable[[Sequence[str], Sequence[bool]], list[float]]


def eval_corpus() -> list[tuple[str, bool]]:
    """The hand-labelled evaluation tweets, as (text, is_brand)."""
    from dashboard.sentiment import evaluate as sentiment_eval

    frame = sentiment_eval.load_eval_set()
    return list(zip(frame["text"], frame["role"] != "customer", strict=True))


def csv_corpus(path: Path, text_column: str = "text", inbound_column: str = "inbound") -> list[tuple[str, bool]]:
    """Texts of a CSV file; rows whose `inbound_column` is not true are brand replies (all customers without it)."""
    frame = pd.read_csv(path, dtype=str, lineterminator="\n", keep_default_na=False)
    texts = frame[text_column].str.removesuffix("\r")
    brand = frame[inbound_column].str.upper() != "TRUE" if inbound_column in frame else pd.Series(False, frame.index)
    return list(zip(texts, brand, strict=True))


def reference_scores(texts: Sequence[str], brand: Sequence[bool]) -> list[float]:
    """Care-VADER through nltk, one text at a time (the path score_texts took before the fast engine)."""
    return [sentiment.score_care(text, is_brand) for text, is_brand in zip(texts, brand, strict=True)]


def fast_scores(texts: Sequence[str], brand: Sequence[bool]) -> list[float]:
    """Care-VADER through the fast engine, starting from empty word memos so no run profits from an earlier one."""
    vader_fast.clear_memos()
    return [vader_fast.score_brand(t) if b else vader_fast.score_customer(t) for t, b in zip(texts, brand, strict=True)]


def nltk_plain_scores(texts: Sequence[str], brand: Sequence[bool]) -> list[float]:
    """Plain nltk VADER (no care layer; the voice is ignored)."""
    polarity = sentiment.analyzer().polarity_scores
    return [polarity(text)["compound"] for text in texts]


def package_scores(texts: Sequence[str], brand: Sequence[bool]) -> list[float]:
    """The `vaderSentiment` package's own analyzer (it also reads emoji; no care layer)."""
    polarity = package_analyzer().polarity_scores
    return [polarity(text)["compound"] for text in texts]


@cache
def package_analyzer():
    """The vaderSentiment package's analyzer, built once per process."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


SCORERS: dict[str, Scorer] = {
    "Care-VADER, nltk reference path": reference_scores,
    "Care-VADER, fast engine": fast_scores,
    "plain VADER, nltk": nltk_plain_scores,
    "vaderSentiment package": package_scores,
}


def cpu_seconds() -> float:
    """CPU seconds of this process plus its finished (joined) child processes."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def measure(scorers: dict[str, Scorer], pairs: list[tuple[str, bool]], repeats: int) -> dict[str, tuple[float, float]]:
    """Best wall and best CPU seconds per scorer over `repeats` interleaved runs."""
    texts, brand = [text for text, _ in pairs], [is_brand for _, is_brand in pairs]
    best = {name: (float("inf"), float("inf")) for name in scorers}
    for scorer in scorers.values():
        scorer(texts[:20], brand[:20])  # warm-up: imports and lexicons
    for _ in range(repeats):
        for name, scorer in scorers.items():
            wall, cpu = time.perf_counter(), cpu_seconds()
            scorer(texts, brand)
            wall, cpu = time.perf_counter() - wall, cpu_seconds() - cpu
            best[name] = (min(best[name][0], wall), min(best[name][1], cpu))
    return best


def parallel_batch(pairs: list[tuple[str, bool]], size: int) -> tuple[list[str], list[str]]:
    """`size` distinct texts for the all-cores row: the corpus repeated, each copy tagged with its number."""
    rounds = -(-size // len(pairs))
    rows = [(f"{text} #{k}" if k else text, b) for k in range(rounds) for text, b in pairs][:size]
    return [text for text, _ in rows], ["agent" if b else "customer" for _, b in rows]


def time_all_cores(texts: list[str], authors: list[str], processes: int | None) -> tuple[float, float]:
    """Wall and CPU seconds (workers included) of score_texts on every core."""
    vader_fast.clear_memos()
    wall, cpu = time.perf_counter(), cpu_seconds()
    sentiment.score_texts(texts, processes=processes, author_types=authors)
    return time.perf_counter() - wall, cpu_seconds() - cpu


def compare(pairs: list[tuple[str, bool]]) -> list[tuple[str, bool, float, float]]:
    """Every (text, is_brand, reference, fast) whose scores differ by more than 1e-9."""
    texts, brand = [text for text, _ in pairs], [is_brand for _, is_brand in pairs]
    reference, fast = reference_scores(texts, brand), fast_scores(texts, brand)
    return [
        (text, is_brand, ref, new)
        for text, is_brand, ref, new in zip(texts, brand, reference, fast, strict=True)
        if abs(ref - new) > 1e-9
    ]


def main(argv: list[str] | None = None) -> int:
    """Measure texts per CPU-second of each VADER variant on the same texts; --compare checks the fast scores."""
    parser = argparse.ArgumentParser(prog="python -m dashboard.sentiment.bench", description=main.__doc__)
    parser.add_argument("--csv", type=Path, action="append", help="texts from this CSV instead (repeatable)")
    parser.add_argument("--text-column", default="text")
    parser.add_argument("--repeats", type=int, default=5, help="interleaved runs per analyzer (best is kept)")
    parser.add_argument("--batch", type=int, default=100_000, help="texts in the all-cores row (0: skip it)")
    parser.add_argument("--processes", type=int, help="worker processes for the all-cores row (default: every core)")
    parser.add_argument("--compare", action="store_true", help="compare fast and reference scores, do not time")
    args = parser.parse_args(argv)
    if args.csv:
        pairs = [pair for path in args.csv for pair in csv_corpus(path, args.text_column)]
    elif SAMPLE_CSV.exists():
        pairs = eval_corpus()
    else:
        print(f"error: no texts: pass --csv FILE (the labelled tweets' texts are in the public excerpt, {SAMPLE_CSV})")
        return 2
    pairs = list(dict.fromkeys(pairs))
    print(f"{len(pairs):,} distinct texts ({sum(b for _, b in pairs):,} brand replies); {os.cpu_count()} cores")
    if args.compare:
        differences = compare(pairs)
        for text, is_brand, ref, new in differences:
            print(f"{'brand' if is_brand else 'customer'}: reference {ref!r} fast {new!r}: {text!r}")
        print(f"{len(differences)} of {len(pairs):,} scores differ from the reference by more than 1e-9")
        return 1 if differences else 0
    best = measure(SCORERS, pairs, args.repeats)
    reference_rate = len(pairs) / best["Care-VADER, nltk reference path"][1]
    print(f"{'analyzer':<34}{'wall s':>9}{'cpu s':>9}{'texts/cpu-s':>13}{'x reference':>13}")
    for name, (wall, cpu) in best.items():
        rate = len(pairs) / cpu
        print(f"{name:<34}{wall:>9.3f}{cpu:>9.3f}{rate:>13,.0f}{rate / reference_rate:>13.2f}")
    if args.batch:
        texts, authors = parallel_batch(pairs, args.batch)
        wall, cpu = time_all_cores(texts, authors, args.processes)
        print(
            f"score_texts, {len(texts):,} texts on {args.processes or os.cpu_count()} processes: wall {wall:.3f} s "
            f"({len(texts) / wall:,.0f} texts/s), cpu {cpu:.3f} s ({len(texts) / cpu:,.0f} texts/cpu-s)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
