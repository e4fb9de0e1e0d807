"""The Spark build job: from the lake's raw messages to conversations and conversation_facts, by DuckDB's definitions.

Steps, each from the definition DuckDB runs (transpiled, never rewritten by hand):
1. sentiment: messages without a score (or every message, with rescore) are scored by the product's analyzer,
   dashboard.sentiment.analyzer.score_texts, inside the executors (mapInPandas);
2. conversations: the import's derivation (queries/derived/conversations.sql) over every message, with each
   conversation's attributes (channel, account, customer, priority, tags, closed) from the lake's conversations table
   as the import's staged attributes;
3. the influencer flag and incident membership: the UPDATEs DuckDB runs after the derivation
   (queries/ingest/conversations_mark_influencers.sql, queries/ingest/conversations_incident_membership.sql), in
   the same order, each transpiled to a select giving the updated rows (transpile.update_as_select), over the lake's
   customers and incidents;
4. every derived table in queries/derived/ (today conversation_facts and coverage_days), each named by its
   `create ... table NAME`, over the rebuilt conversations.
The results are written back into the lake (day-partitioned as the export does) and the manifest's counts updated.
Runs in-process (`python -m dashboard spark build --lake DIR`) or via spark-submit on this file's `main`.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

import pandas as pd
import sqlglot
from sqlglot import exp

from dashboard.core.definitions import INFLUENCER_FOLLOWERS
from dashboard.db import sql
from dashboard.spark import engine
from dashboard.spark import lake as lake_layout
from dashboard.spark.transpile import to_spark, update_as_select

DERIVED_DIR = sql.QUERIES_DIR / "derived"
DERIVATION = "derived/conversations"  # the one conversation derivation that import, demo and rescore run
# The import's staged attributes, as the lake's conversations hold them.
ATTRIBUTES = (
    "conversation_id",
    "channel",
    "account",
    "customer_id",
    "priority",
    "tags",
    "closed_at",
    "started_outside_file",
)
# The DuckDB UPDATEs run after the derivation (load.mark_influencers, schema.refresh_incident_membership), in order.
# The UPDATEs' parameters, with the values the import binds (dashboard/ingest/load.py).
PARAMS = {"followers": INFLUENCER_FOLLOWERS}
UPDATES = ("ingest/conversations_mark_influencers", "ingest/conversations_incident_membership")


def score_partitions(batches):
    """mapInPandas body: each batch of messages with sentiment_score and sentiment_label from the product's analyzer."""
    from dashboard.sentiment.analyzer import score_texts

    for batch in batches:
        scores, labels = score_texts(batch["text"].tolist(), processes=1, author_types=batch["author_type"].tolist())
        yield batch.assign(sentiment_score=scores, sentiment_label=labels.astype(object))


def scored_messages(spark, rescore: bool):
    """The lake's messages, those without a score (every one, with rescore) scored on the executors."""
    messages = spark.table("messages")
    if rescore:
        return messages.mapInPandas(score_partitions, schema=messages.schema)
    unscored = messages.where("sentiment_score is null")
    if unscored.isEmpty():
        return messages
    return messages.where("sentiment_score is not null").unionByName(
        unscored.mapInPandas(score_partitions, schema=messages.schema)
    )


def build(spark, lake: Path, rescore: bool = False) -> dict[str, Any]:
    """Rebuild conversations and the derived tables in the lake from its messages; return counts and seconds."""
    started = time.perf_counter()
    manifest = engine.register_lake(spark, lake)
    scored_messages(spark, rescore).createOrReplaceTempView("messages")
    stored = spark.table("conversations")
    stored.select(*ATTRIBUTES).createOrReplaceTempView("conversation_attrs")
    conversations = _checkpoint(spark.sql(to_spark(sql.query_text(DERIVATION))).select(*stored.columns))
    conversations.createOrReplaceTempView("conversations")
    for name in UPDATES:
        conversations = _checkpoint(_updated(spark, name, stored.columns))
        conversations.createOrReplaceTempView("conversations")
    tables = {"conversations": conversations}
    for path in sorted(DERIVED_DIR.glob("*.sql")):
        if path.stem == DERIVATION.split("/")[1]:
            continue  # the conversations themselves, derived above
        text = path.read_text()
        name = sqlglot.parse_one(text, read="duckdb").this.find(exp.Table).name
        tables[name] = _checkpoint(spark.sql(to_spark(text)))
        tables[name].createOrReplaceTempView(name)
    counts = {}
    for name, frame in tables.items():
        counts[name] = _write_table(frame, lake, name)
        partition = lake_layout.DAY_PARTITIONS.get(name, (None,))[0]
        manifest["tables"].setdefault(name, {"partition_by": partition})["rows"] = counts[name]
    lake_layout.write_manifest(lake, manifest)
    engine.register_lake(spark, lake)
    return {**counts, "seconds": time.perf_counter() - started}


def _updated(spark, name: str, columns: list[str]):
    """The conversations after the UPDATE in queries/<name>.sql, as Spark rows (bound with the query's defaults)."""
    # The membership UPDATE reads the conversations of table $source (an import passes only those it touched); a
    # build derives every conversation, and Spark needs the table name as a literal.
    text = sql.query_text(name).replace("query_table($source)", "conversations")
    used = set(sql.PARAMETER.findall(text))
    args = {key: value for key, value in {**sql.DEFAULTS, **PARAMS}.items() if key in used}
    return spark.sql(update_as_select(text, columns), args=args)


def _checkpoint(frame):
    """Materialise a step (local checkpoint) so the next step and the writer do not recompute it."""
    try:
        return frame.localCheckpoint()
    except Exception:  # Spark Connect sessions may not offer it; recomputing is only slower
        return frame


def _write_table(frame, lake: Path, name: str) -> int:
    """Replace <lake>/<name> with the frame (day-partitioned when the lake layout says so); return its row count."""
    from pyspark.sql import functions as F

    staging = Path(lake) / f".{name}.building"
    if name in lake_layout.DAY_PARTITIONS:
        day_column, time_column = lake_layout.DAY_PARTITIONS[name]
        frame = frame.withColumn(day_column, F.to_date(F.col(time_column)))
        frame.write.mode("overwrite").partitionBy(day_column).parquet(str(staging.resolve()))
    else:
        frame.write.mode("overwrite").parquet(str(staging.resolve()))
    target = Path(lake) / name
    old = Path(lake) / f".{name}.old"
    if target.exists():
        target.rename(old)
    staging.rename(target)
    _remove(old)
    return frame.count()


def _remove(path: Path) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    """spark-submit entry: build.py LAKE [--rescore]."""
    args = list(sys.argv[1:] if argv is None else argv)
    rescore = "--rescore" in args
    lakes = [arg for arg in args if not arg.startswith("--")]
    if len(lakes) != 1:
        print("usage: spark-submit dashboard/spark/build.py LAKE [--rescore]", file=sys.stderr)
        return 2
    result = build(engine.session(), Path(lakes[0]), rescore=rescore)
    print(pd.Series(result).to_string())
    return 0


if __name__ == "__main__":
    sys.exit(main())
