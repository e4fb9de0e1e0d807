"""The public "Customer Support on Twitter" file (twcs.csv) as care messages.

Inbound tweets are customer messages, outbound ones agent messages from a brand account. A conversation is a
connected reply tree inside the file, labelled iteratively with numpy (no recursion, so 2.8M tweets and long reply
chains are fine). The conversation id is the tree's root tweet id: the tweet whose reply link does not resolve
inside the file.

DuckDB reads the file itself where it can (common.read_csv_direct), the reply trees are labelled in numpy and
summarized in SQL, and sentiment is scored here, once per distinct text and voice on every core, so the loader gets a
finished, Arrow-backed frame and no text passes through a Python object per row more than once.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from dashboard.core.definitions import NEGATIVE_AT, POSITIVE_AT
from dashboard.core.progress import Progress, say
from dashboard.db import sql
from dashboard.ingest import common
from dashboard.ingest.load import ImportResult
from dashboard.ingest.settings import ImportSettings
from dashboard.sentiment import analyzer as sentiment

TWCS_COLUMNS = (
    "tweet_id",
    "author_id",
    "inbound",
    "created_at",
    "text",
    "response_tweet_id",
    "in_response_to_tweet_id",
)
TWCS_REQUIRED = ("tweet_id", "author_id", "inbound", "created_at", "text", "in_response_to_tweet_id")
TWCS_KINDS = {
    "tweet_id": ("required", ()),
    "author_id": ("required", ()),
    "inbound": ("bool", ()),
    "created_at": ("tweet_time", ()),
}
OLD_AFTER_DAYS = 365
PROGRESS_MIN_TEXTS = 100_000  # fewer texts score in seconds: no bar


def label_components(count: int, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Connected-component labels for `count` nodes joined by edges left[i]-right[i]: each node's smallest member."""
    labels = np.arange(count, dtype=np.int64)
    while True:
        low, high = np.minimum(labels[left], labels[right]), np.maximum(labels[left], labels[right])
        joining = low != high
        if not joining.any():
            return labels
        # Hook each root to the smallest root it touches, then compress every path to its root.
        np.minimum.at(labels, high[joining], low[joining])
        while True:
            jumped = labels[labels]
            if np.array_equal(jumped, labels):
                break
            labels = jumped


def _check_and_type(con: duckdb.DuckDBPyConnection, label: str, result: ImportResult, settings: ImportSettings) -> None:
    """Reject (or skip) bad rows, type the tweets and drop exact repeats."""
    common.check_rows(con, label, "ingest/twcs_problem_rows", TWCS_KINDS, settings, result.skip)
    sql.execute(con, "ingest/twcs_typed")
    sql.execute(con, "ingest/raw_drop")
    result.skip(
        "repeated row (same tweet_id and content as an earlier row)", common.drop_duplicates(con, label, "tweet_id")
    )
    sql.execute(con, "ingest/twcs_tweets_numbered")
    sql.execute(con, "ingest/typed_drop")


def _label_threads(con: duckdb.DuckDBPyConnection) -> None:
    """Label every tweet with its reply tree and summarize the trees in table `threads`."""
    count = sql.execute(con, "ingest/twcs_tweet_count").fetchall()[0][0]
    edges = sql.execute(con, "ingest/twcs_reply_edges").fetchnumpy()
    labels = label_components(count, edges["child"].astype(np.int64), edges["parent"].astype(np.int64))
    components = pd.DataFrame({"idx": np.arange(count), "component": labels})
    con.register("components", components)
    sql.execute(con, "ingest/twcs_threads")


def _note_quirks(con: duckdb.DuckDBPyConnection, result: ImportResult) -> None:
    """Note reply links that leave the file and timestamps far older than the rest."""
    sql.execute(con, "ingest/twcs_outside_responses")
    parents, responses = sql.execute(con, "ingest/twcs_unresolved_links").fetchall()[0]
    if parents or responses:
        result.note(
            "reply_links_outside",
            parents + responses,
            f"reply links not resolved: {parents:,} in_response_to_tweet_id and {responses:,} response_tweet_id "
            "value(s) point at tweets outside the file; those tweets still load",
        )
    old, earliest = sql.execute(con, "ingest/twcs_old_tweets", days=OLD_AFTER_DAYS).fetchall()[0]
    if old:
        result.note(
            "old_rows",
            old,
            f"{old:,} tweet(s) dated more than {OLD_AFTER_DAYS} days before the file's median "
            f"(earliest {earliest:%Y-%m-%d}); loaded as given",
        )


def _part(part: int, whole: int) -> str:
    """'part of whole (share%)', for notes."""
    return f"{part:,} of {whole:,} ({part / whole:.0%})" if whole else f"{part:,} of 0"


def _note_coverage(con: duckdb.DuckDBPyConnection, result: ImportResult) -> None:
    """Note what the file lacks: real starts, brand replies, brands' own tweets and agents' signatures."""
    counts = sql.execute(con, "ingest/twcs_coverage_counts").df().iloc[0].astype(int)
    total, outside, unreplied = (
        int(counts[k]) for k in ("conversation_count", "started_outside_count", "no_brand_reply_count")
    )
    if outside:
        result.note(
            "started_outside_file",
            outside,
            f"{_part(outside, total)} conversations start with a tweet answering one outside the file; "
            "their start sentiment is unknown",
        )
    if unreplied:
        outside_replies = int(counts["replied_outside_count"])
        result.note(
            "no_brand_reply",
            unreplied,
            f"{_part(unreplied, total)} conversations have no brand tweet in the file; {outside_replies:,} of them "
            "have a reply that the file does not hold",
        )
    if counts["no_brand_count"]:
        result.note(
            "brand_outbound_absent",
            int(counts["no_brand_count"]),
            f"{counts['no_brand_count']:,} conversations address no brand that tweets anywhere in the file",
        )
    signed, tweets = int(counts["signed_tweet_count"]), int(counts["brand_tweet_count"])
    agents, signing, brands = (int(counts[k]) for k in ("agent_count", "signing_brand_count", "brand_count"))
    if tweets:
        result.note(
            "agent_signatures",
            signed,
            f"{_part(signed, tweets)} brand tweets are signed by an agent: {agents:,} agents at {signing:,} of "
            f"{brands:,} brands",
        )
    unsigned = sql.execute(con, "ingest/twcs_unsigned_brands").fetchall()
    if unsigned:
        names = ", ".join(brand for brand, _ in unsigned[:10]) + (", ..." if len(unsigned) > 10 else "")
        result.note(
            "unsigned_brands",
            len(unsigned),
            f"{len(unsigned):,} brand(s) never sign their tweets ({names}); their replies have no per-agent id",
        )


def _score_texts(con: duckdb.DuckDBPyConnection) -> None:
    """Score every distinct text of the tweets to load in its voice, on every core; register the scores as frame
    `text_scores` (brand, position, score)."""
    sql.execute(con, "ingest/twcs_texts")
    texts = {
        brand: sql.execute(con, "ingest/twcs_texts_voice", brand=brand).fetchnumpy()["text"].tolist()
        for brand in (False, True)
    }
    total = sum(map(len, texts.values()))
    progress = Progress("scoring sentiment", total, unit="texts", minimum=PROGRESS_MIN_TEXTS)
    try:
        scores = sentiment.score_shared(texts, done=progress.advance)
    finally:
        progress.close()
    frames = [
        pd.DataFrame({"brand": brand, "position": np.arange(len(values)), "score": values})
        for brand, values in scores.items()
    ]
    con.register("text_scores", pd.concat(frames, ignore_index=True))


def _staged_frame(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The staged messages with their sentiment as an Arrow-backed frame (no Python object per value)."""
    bound = {"positive_at": POSITIVE_AT, "negative_at": NEGATIVE_AT}
    table = con.sql(sql.query_text("ingest/twcs_staged_messages"), params=bound).to_arrow_table()
    return table.to_pandas(types_mapper=pd.ArrowDtype)


def read_twcs(path: Path, result: ImportResult, settings: ImportSettings | None = None) -> pd.DataFrame:
    """Read and validate a twcs.csv file; return the staged messages frame for `load`, sentiment scored."""
    label = str(path)
    with common.scratch() as con:
        say(f"{path}: reading")
        direct = "ingest/twcs_raw_from_csv"
        common.read_raw(con, path, TWCS_COLUMNS, TWCS_REQUIRED, "twcs file", direct_query=direct)
        say(f"{path}: checking tweets and following reply links")
        _check_and_type(con, label, result, settings or ImportSettings())
        _label_threads(con)
        sql.execute(con, "ingest/twcs_signatures")
        _note_quirks(con, result)
        _note_coverage(con, result)
        skipped = sql.execute(con, "ingest/twcs_customerless_tweet_count").fetchall()[0][0]
        result.skip("reply tree with no customer tweet", int(skipped))
        _score_texts(con)
        return _staged_frame(con)
