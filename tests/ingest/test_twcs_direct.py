"""The fast twcs path (DuckDB reads the file, sentiment per distinct text on forked workers) loads exactly what the
pandas path loads, on a messy synthetic twcs file written here and on copies of it made by the replicator."""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pytest

from dashboard.cli import main
from dashboard.ingest import common
from dashboard.ingest.twcs import TWCS_COLUMNS
from dashboard.ingest.twcs_replicate import replicate
from dashboard.sentiment import analyzer

# The real file's quirks: a leading unnamed index column, float-written ids, three spellings of the inbound flag, a bare
# carriage return inside an unquoted text, a quoted text over two lines, links leaving the file, a years-old tweet, a
# text with an @-mention of a customer id, an empty text, a brand that signs (^JK) and one that does not.
ROWS = [
    ",tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id",
    "0,13,205,true,Mon Oct 30 10:15:00 +0000 2017,@BrandA @204 same problem here,,11.0",
    "1,12,204,TRUE,Mon Oct 30 10:20:00 +0000 2017,@BrandA thanks\r\rgreat help! love it,,11.0",
    '2,11,BrandA,False,Mon Oct 30 10:05:00 +0000 2017,@204 Sorry about that! Please DM us ^JK,"12,13",10.0',
    "3,10,204,True,Mon Oct 30 10:00:00 +0000 2017,@BrandA my phone is broken and I hate it,11,",
    "4,20,206,True,Tue Oct 31 09:00:00 +0000 2017,@someone @branda help please,,",
    "5,30,BrandB,FALSE,Tue Oct 31 12:00:00 +0000 2017,@207 we are sorry,,999.0",
    "6,31,208,True,Tue Oct 31 12:10:00 +0000 2017,@BrandB hi there,,998.0",
    '7,41,BrandB,False,Mon Aug 29 04:20:05 +0000 2011,"@209 hi\nthere",,40.0',
    '8,40,209,True,Mon Aug 29 03:20:05 +0000 2011,@BrandB an old tweet,"41,77",',
    "9,62,BrandA,False,Tue Oct 31 11:30:00 +0000 2017,@210 sorry for the wait - Jane,,61.0",
    "10,61,210,True,Tue Oct 31 11:01:00 +0000 2017,,62,60.0",
    "11,60,210,True,Tue Oct 31 11:00:00 +0000 2017,@BrandA this is terrible. waited 2 hours!!,61,",
]
TABLES = {
    "messages": "message_id",
    "conversations": "conversation_id",
    "conversation_facts": "conversation_id",
    "customers": "customer_id",
    "coverage_days": "day",
}


def synthetic_file(folder: Path, line_end: str = "\n") -> Path:
    path = folder / "twcs_synthetic.csv"
    path.write_bytes((line_end.join(ROWS) + line_end).encode("utf-8"))
    return path


def load(db: Path, file: Path) -> None:
    assert main(["--db", str(db), "import", "twcs", str(file)]) == 0


def dump(db: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(db), read_only=True) as con:
        tables = {name: con.execute(f"select * from {name} order by {key}").fetchall() for name, key in TABLES.items()}
        tables["import_notes"] = con.execute("select kind, count, detail from import_notes order by kind").fetchall()
    return tables


def both_paths(tmp_path: Path, file: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[dict, dict]:
    """The databases the direct path and the pandas path load from `file` (the direct path must be taken)."""
    taken = []
    direct = common.read_csv_direct

    def spy(*args, **kwargs) -> bool:
        taken.append(direct(*args, **kwargs))
        return taken[-1]

    monkeypatch.setattr(common, "read_csv_direct", spy)
    load(tmp_path / "direct.duckdb", file)
    assert taken == [True]
    monkeypatch.setattr(common, "read_csv_direct", lambda *args, **kwargs: False)
    load(tmp_path / "pandas.duckdb", file)
    return dump(tmp_path / "direct.duckdb"), dump(tmp_path / "pandas.duckdb")


def test_direct_read_loads_what_the_pandas_path_loads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fast, reference = both_paths(tmp_path, synthetic_file(tmp_path), monkeypatch)
    assert fast == reference
    texts = [row[5] for row in fast["messages"]]
    assert "@BrandA thanks\r\rgreat help! love it" in texts  # the bare carriage returns survive the stand-in
    assert "@209 hi\nthere" in texts
    assert len(fast["conversations"]) == 5


def test_replicated_file_scales_the_source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = synthetic_file(tmp_path)
    copies = 40
    big = tmp_path / "replicated.csv"
    assert replicate(source, copies * (len(ROWS) - 1), big) == copies * (len(ROWS) - 1)
    fast, reference = both_paths(tmp_path, big, monkeypatch)
    assert fast == reference
    load(tmp_path / "source.duckdb", source)
    alone = dump(tmp_path / "source.duckdb")
    # Each copy's reply trees stay inside it: the source's conversations, outside links and old tweets per copy.
    assert len(fast["conversations"]) == len(alone["conversations"]) * copies
    notes, once = ({kind: count for kind, count, _ in tables["import_notes"]} for tables in (fast, alone))
    for kind in ("reply_links_outside", "started_outside_file", "old_rows", "agent_signatures"):
        assert notes[kind] == once[kind] * copies, kind
    texts = [row[5] for row in fast["messages"]]
    assert len(set(texts)) == len(texts)  # every copy's texts carry their own tag


def test_files_duckdb_would_read_differently_take_the_pandas_path(tmp_path: Path) -> None:
    con = common.scratch()
    crlf = synthetic_file(tmp_path, line_end="\r\n")
    assert not common.read_csv_direct(con, crlf, TWCS_COLUMNS, "ingest/twcs_raw_from_csv")
    standin = tmp_path / "standin.csv"
    standin.write_bytes(synthetic_file(tmp_path).read_bytes() + b"12,99,300,True,x,a\x1fb,,\n")
    assert not common.read_csv_direct(con, standin, TWCS_COLUMNS, "ingest/twcs_raw_from_csv")
    short = tmp_path / "short.csv"
    short.write_bytes(synthetic_file(tmp_path).read_bytes() + b"12,99,300,True\n")
    assert not common.read_csv_direct(con, short, TWCS_COLUMNS, "ingest/twcs_raw_from_csv")
    assert not con.execute("select count(*) from information_schema.tables where table_name = 'raw'").fetchone()[0]


def test_shared_scoring_gives_score_texts_scores() -> None:
    rng = np.random.default_rng(3)
    words = ["great", "terrible", "waited", "2 hours", "sorry", "DM us", "not", "working", "thanks", "again", "!"]
    texts = list(dict.fromkeys(" ".join(rng.choice(words, 6)) + f" #{i}" for i in range(25_000)))
    half = len(texts) // 2
    voices = {False: texts[:half], True: texts[half:]}
    counted = []
    shared = analyzer.score_shared(voices, processes=2, done=counted.append)
    assert sum(counted) == len(texts)
    for brand, values in voices.items():
        expected, _ = analyzer.score_texts(
            values, processes=1, author_types=["agent" if brand else "customer"] * len(values)
        )
        np.testing.assert_array_equal(shared[brand], expected)
