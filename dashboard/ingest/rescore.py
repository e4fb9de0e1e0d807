"""Re-score a database's sentiment with the current analyzer: `python -m dashboard rescore`.

Every message gets a fresh sentiment_score/label (customers and brand replies each in their own voice), then the
conversations are derived again by the very derivation the import runs (queries/derived/conversations.sql): start =
the first customer message, end = the last customer message only when the customer wrote again after the first agent
reply. All of it is one transaction, so an interrupted rescore leaves the database as it was.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from dashboard.core.errors import UserError
from dashboard.db import database, schema, sql
from dashboard.ingest.load import derive_conversations, mark_influencers
from dashboard.sentiment import analyzer as sentiment


@dataclass
class RescoreResult:
    """What a rescore did."""

    path: Path
    messages: int
    changed_labels: int
    conversations: int
    seconds: float

    def summary(self) -> str:
        """One line for the CLI."""
        return (
            f"{self.path}: re-scored {self.messages:,} messages ({self.changed_labels:,} labels changed) and "
            f"{self.conversations:,} conversations with {sentiment.ANALYZER_NAME} in {self.seconds:.1f} s"
        )


def score_messages(messages: pd.DataFrame) -> pd.DataFrame:
    """message_id with fresh sentiment_score/label for a frame of message_id, text, author_type."""
    scores, labels = sentiment.score_texts(messages["text"].tolist(), author_types=messages["author_type"].tolist())
    return pd.DataFrame({"message_id": messages["message_id"], "sentiment_score": scores, "sentiment_label": labels})


def rescore(path: Path, progress: bool = False) -> RescoreResult:
    """Re-score every message of the database at `path` and re-derive conversation start/end sentiment."""
    if not Path(path).exists():
        raise UserError(f"no database at {path}: build one with `python -m dashboard demo` or import data")
    started = time.perf_counter()
    con = database.connect(path)
    try:
        messages = sql.execute(con, "ingest/rescore_messages_to_score").df()
        if progress:
            print(f"scoring {len(messages):,} messages with {sentiment.ANALYZER_NAME} ...", file=sys.stderr)
        rescored = score_messages(messages)
        changed = int((rescored["sentiment_label"].to_numpy() != messages["sentiment_label"].to_numpy()).sum())
        con.begin()
        try:
            con.register("rescored", rescored)
            sql.execute(con, "ingest/rescore_messages_update")
            con.unregister("rescored")
            sql.execute(con, "ingest/stored_conversation_attrs")
            derive_conversations(con)
            mark_influencers(con)
            schema.refresh_derived(con)
            sql.execute(con, "ingest/rescore_analyzer_record", name=sentiment.ANALYZER_NAME)
            con.commit()
        except BaseException:
            con.rollback()
            raise
        conversations = sql.execute(con, "ingest/conversations_count").fetchall()[0][0]
    finally:
        con.close()
    return RescoreResult(Path(path), len(messages), changed, conversations, time.perf_counter() - started)
