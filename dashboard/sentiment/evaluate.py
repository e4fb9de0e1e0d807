"""Measure the product's sentiment analyzer against plain VADER on the hand-labelled care evaluation set.

`python -m dashboard.sentiment.evaluate` re-reads tests/sentiment_eval/labels.csv (tweet ids, role, label, split),
takes the texts from the public twcs excerpt (`--sample`; the texts are licensed CC BY-NC-SA, so the repository keeps
only ids and labels), scores them with both analyzers and writes dashboard/sentiment/quality.json, which the Data page
shows. The `heldout` split was drawn before any tuning and is only ever measured here. Speed is texts per CPU-second
of one process on the labelled texts.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support

from dashboard.core.paths import PROJECT_DIR
from dashboard.sentiment import analyzer as sentiment
from dashboard.sentiment import fast as vader_fast

LABELS_CSV = PROJECT_DIR / "tests" / "sentiment_eval" / "labels.csv"
SAMPLE_CSV = PROJECT_DIR.parent / "shared" / "data" / "twcs_head_5000rows.csv"
QUALITY_JSON = Path(__file__).resolve().parent / "quality.json"
CLASSES = ("negative", "neutral", "positive")
Scorer = Callable[[Sequence[str], Sequence[str]], np.ndarray]


def read_sample(path: Path) -> pd.DataFrame:
    """The twcs sample as strings (it has a leading index column and bare carriage returns inside one text)."""
    frame = pd.read_csv(path, dtype=str, lineterminator="\n", keep_default_na=False)
    return frame.assign(text=frame["text"].str.removesuffix("\r"))


def load_eval_set(sample_csv: Path = SAMPLE_CSV, labels_csv: Path = LABELS_CSV) -> pd.DataFrame:
    """Labelled tweets with their texts: tweet_id, role, label, split, text."""
    labels = pd.read_csv(labels_csv, dtype=str)
    texts = read_sample(sample_csv).set_index("tweet_id")["text"]
    return labels.assign(text=texts.reindex(labels["tweet_id"]).to_numpy())


def plain_scores(texts: Sequence[str], roles: Sequence[str]) -> np.ndarray:
    """Plain VADER compound scores, each distinct text once as the product did before (roles are ignored)."""
    distinct, inverse = np.unique(np.asarray(texts, dtype=object), return_inverse=True)
    return sentiment.score_plain(list(distinct))[inverse]


def care_scores(texts: Sequence[str], roles: Sequence[str]) -> np.ndarray:
    """The product analyzer's scores, customers and brand replies each in their own voice."""
    return sentiment.score_texts(list(texts), processes=1, author_types=list(roles))[0]


def quality(truth: Sequence[str], scores: np.ndarray) -> dict:
    """Accuracy, macro-F1 and per-class precision/recall of the labels derived from `scores`."""
    predicted = sentiment.label_scores(np.asarray(scores, dtype=float))
    precision, recall, _, support = precision_recall_fscore_support(
        truth, predicted, labels=list(CLASSES), zero_division=0
    )
    return {
        "accuracy": round(float(accuracy_score(truth, predicted)), 4),
        "macro_f1": round(float(f1_score(truth, predicted, labels=list(CLASSES), average="macro")), 4),
        "per_class": {
            name: {"precision": round(float(p), 4), "recall": round(float(r), 4), "support": int(s)}
            for name, p, r, s in zip(CLASSES, precision, recall, support, strict=True)
        },
    }


def texts_per_second(scorers: dict[str, Scorer], texts: list[str], roles: list[str], repeats: int = 5) -> dict:
    """Texts per CPU-second of one process, best of `repeats` runs interleaved so machine load hits scorers alike.

    Every run starts with the fast engine's word memos empty, so no run profits from the one before.
    """
    best = dict.fromkeys(scorers, float("inf"))
    for scorer in scorers.values():
        scorer(texts[:10], roles[:10])  # warm-up: builds the analyzers
    for _ in range(repeats):
        for key, scorer in scorers.items():
            vader_fast.clear_memos()
            started = time.process_time()
            scorer(texts, roles)
            best[key] = min(best[key], time.process_time() - started)
    return {key: round(len(texts) / seconds) for key, seconds in best.items()}


def evaluate(eval_set: pd.DataFrame, sample: pd.DataFrame | None = None, repeats: int = 5) -> dict:
    """Quality of both analyzers on the tune and held-back parts, plus their speed on `sample` (texts, inbound)."""
    result: dict = {
        "analyzer": sentiment.ANALYZER_NAME,
        "baseline": sentiment.PLAIN_ANALYZER_NAME,
        "date": date.today().isoformat(),
        "eval_set_size": len(eval_set),
        "heldout_size": int((eval_set["split"] == "heldout").sum()),
        "analyzers": {},
    }
    scorers: dict[str, Scorer] = {"plain_vader": plain_scores, "care_vader": care_scores}
    for key, scorer in scorers.items():
        result["analyzers"][key] = {
            split: quality(part["label"].tolist(), scorer(part["text"].tolist(), part["role"].tolist()))
            for split, part in ((s, eval_set[eval_set["split"] == s]) for s in ("heldout", "tune"))
        }
    if sample is not None:
        roles = np.where(sample["inbound"].str.upper() == "TRUE", "customer", "agent").tolist()
        speeds = texts_per_second(scorers, sample["text"].tolist(), roles, repeats)
        for key, speed in speeds.items():
            result["analyzers"][key]["texts_per_second"] = speed
        result["speed_texts"] = len(sample)
        result["speed_measure"] = f"texts per CPU-second, one process, best of {repeats}, same run"
    return result


def main(argv: list[str] | None = None) -> int:
    """Re-measure both analyzers on the labelled tweets and write dashboard/sentiment/quality.json."""
    parser = argparse.ArgumentParser(prog="python -m dashboard.sentiment.evaluate", description=main.__doc__)
    parser.add_argument("--labels", type=Path, default=LABELS_CSV, help="labelled tweet ids (labels.csv)")
    parser.add_argument("--sample", type=Path, default=SAMPLE_CSV, help="the twcs excerpt holding the tweets' texts")
    parser.add_argument("--out", type=Path, default=QUALITY_JSON, help="where to write the JSON")
    parser.add_argument("--repeats", type=int, default=5, help="timing repeats (best is kept)")
    args = parser.parse_args(argv)
    if not args.sample.exists():
        print(f"error: no twcs excerpt at {args.sample}; pass --sample with the file holding the labelled tweets")
        return 2
    eval_set = load_eval_set(args.sample, args.labels)
    sample = eval_set.assign(inbound=np.where(eval_set["role"] == "customer", "True", "False"))
    result = evaluate(eval_set, sample, args.repeats)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    for key, entry in result["analyzers"].items():
        held = entry["heldout"]
        print(
            f"{key}: heldout accuracy {held['accuracy']:.3f} macro-F1 {held['macro_f1']:.3f}, "
            f"{entry.get('texts_per_second', 0):,} texts per CPU-second"
        )
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
