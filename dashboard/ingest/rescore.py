"""Re-score a database's sentiment with the current analyzer: `python -m dashboard rescore`.

Every message gets a fresh sentiment_score/label (customers and brand replies each in their own voice), then the
conversations' start/end sentiment is derived again exactly as the import derives it (README, Metric definitions):
start = the first customer message, end = the last customer message only when the customer wrote again after the
first agent reply.
All of it is one transaction, so an interrupted rescore leaves the database as it was.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from dashboard.core.errors import UserError
from dashboard.db import database, schema
from dashboard.sentiment import analyzer as sentiment

UPDATE_MESSAGES = """
update messages as m
set sentiment_score = r.sentiment_score, sentiment_label = r.sentiment_label
from rescored as r
where m.message_id = r.message_id
"""

# Same ordering and end rule as DERIVE_CONVERSATIONS in dashboard/ingest/load.py.
UPDATE_CONVERSATIONS = """
update conversations as c
set
    start_sentiment_score = d.start_score,
    start_sentiment_label = d.start_label,
    end_sentiment_score = case when d.last_customer_at > c.first_response_at then d.last_score end,
    end_sentiment_label = case when d.last_customer_at > c.first_response_at then d.last_label end
from (
    select
        conversation_id,
        arg_min(sentiment_score, (sent_at, message_id)) as start_score,
        arg_min(sentiment_label, (sent_at, message_id)) as start_label,
        arg_max(sentiment_score, (sent_at, message_id)) as last_score,
        arg_max(sentiment_label, (sent_at, message_id)) as last_label,
        max(sent_at) as last_customer_at
    from messages
    where author_type = 'customer'
    group by conversation_id
) as d
where c.conversation_id = d.conversation_id
"""


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
        messages = con.execute("select message_id, text, author_type, sentiment_label from messages").df()
        if progress:
            print(f"scoring {len(messages):,} messages with {sentiment.ANALYZER_NAME} ...", file=sys.stderr)
        rescored = score_messages(messages)
        changed = int((rescored["sentiment_label"].to_numpy() != messages["sentiment_label"].to_numpy()).sum())
        con.execute("begin transaction")
        try:
            con.register("rescored", rescored)
            con.execute(UPDATE_MESSAGES)
            con.unregister("rescored")
            con.execute(UPDATE_CONVERSATIONS)
            schema.refresh_facts(con)
            con.execute(
                "insert or replace into schema_info values ('sentiment_analyzer', $name)",
                {"name": sentiment.ANALYZER_NAME},
            )
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
        conversations = con.execute("select count(*) from conversations").fetchone()[0]
    finally:
        con.close()
    return RescoreResult(Path(path), len(messages), changed, conversations, time.perf_counter() - started)
