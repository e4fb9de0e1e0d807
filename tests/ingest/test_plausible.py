"""Implausible values stop an import with one located line (or are skipped and counted with --skip-invalid)."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dashboard.cli import main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CARE = FIXTURES / "care_small.csv"
HEADER = "conversation_id,message_id,sent_at,author_type,channel,customer_id,follower_count,closed_at\n"


def run(db: Path, *args: str | Path) -> int:
    return main(["--db", str(db), *map(str, args)])


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def care_row(sent_at: str = "2024-03-01T10:00:00Z", followers: str = "", closed_at: str = "") -> str:
    return f"c1,m1,{sent_at},customer,chat,u1,{followers},{closed_at}\n"


@pytest.fixture(scope="module")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("plausible") / "db.duckdb"
    assert run(db, "import", "care", CARE) == 0
    return db


@pytest.fixture
def db(template_db: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "db.duckdb"
    shutil.copyfile(template_db, copy)
    return copy


def fails(db: Path, capsys, path: Path, *extra: str, fragments: list[str], kind: str = "care") -> None:
    """The import exits 2 with one line naming the file and every fragment, and leaves the database alone."""
    before = digest(db)
    capsys.readouterr()
    assert run(db, "import", kind, path, *extra) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and err.startswith("error: ") and "Traceback" not in err, err
    for fragment in fragments:
        assert fragment in err, err
    assert digest(db) == before


BAD_MESSAGES = {
    "infinity": (care_row("infinity"), ["row 1", "'sent_at'", "plausible dates 2000-01-01"]),
    "-infinity": (care_row("-infinity"), ["row 1", "'sent_at'", "plausible dates"]),
    "epoch": (care_row("epoch"), ["'sent_at'", "'epoch'", "plausible dates"]),
    "year 1": (care_row("0001-01-01"), ["'sent_at'", "plausible dates"]),
    "year 9999": (care_row("9999-12-31"), ["'sent_at'", "plausible dates"]),
    "BC year": (care_row("0044-03-15 BC"), ["'sent_at'"]),
    "offset +99:00": (care_row("2024-03-01T10:00:00+99:00"), ["'sent_at'", "UTC offset"]),
    "offset +14:30": (care_row("2024-03-01T10:00:00+14:30"), ["'sent_at'", "UTC offset"]),
    "offset minutes 75": (care_row("2024-03-01T10:00:00+01:75"), ["'sent_at'", "UTC offset"]),
    "closed_at infinity": (care_row(closed_at="infinity"), ["'closed_at'", "plausible dates"]),
    "followers 1e20": (care_row(followers="1e20"), ["'follower_count'", "out of range"]),
    "followers NaN": (care_row(followers="NaN"), ["'follower_count'", "out of range"]),
    "followers inf": (care_row(followers="inf"), ["'follower_count'", "out of range"]),
    "followers int64 max": (care_row(followers="9223372036854775807"), ["'follower_count'", "out of range"]),
    "followers negative": (care_row(followers="-5"), ["'follower_count'", "out of range"]),
    "short row": (care_row() + "c1,m2,2024-03-01T10:05:00Z,agent\n", ["row 2", "4 field(s)", "header has 8"]),
}


@pytest.mark.parametrize("case", BAD_MESSAGES, ids=list(BAD_MESSAGES))
def test_implausible_message_values_fail_with_one_located_line(db: Path, tmp_path: Path, capsys, case: str) -> None:
    rows, fragments = BAD_MESSAGES[case]
    path = tmp_path / "care.csv"
    path.write_text(HEADER + rows)
    fails(db, capsys, path, fragments=[str(path), *fragments])


def test_plausible_edges_load(db: Path, tmp_path: Path) -> None:
    path = tmp_path / "care.csv"
    rows = [
        "c1,m1,2024-03-01T10:00:00+14:00,customer,chat,u1,0,\n",
        "c1,m2,2024-03-01T10:00:00-12:00,agent,chat,,,\n",
        "c2,m3,2000-01-01T00:00:00Z,customer,chat,u2,10000000000,\n",
    ]
    path.write_text(HEADER + "".join(rows))
    assert run(db, "import", "care", path) == 0


def test_window_is_configurable_by_flag_and_environment(db: Path, tmp_path: Path, capsys, monkeypatch) -> None:
    path = tmp_path / "care.csv"
    path.write_text(HEADER + care_row("1999-06-01T10:00:00Z"))
    fails(db, capsys, path, fragments=["'1999-06-01T10:00:00Z' is outside the plausible dates 2000-01-01"])
    fails(db, capsys, path, "--earliest", "1999-07-01", fragments=["plausible dates 1999-07-01"])
    assert run(db, "import", "care", path, "--earliest", "1999-01-01") == 0
    later = tmp_path / "later.csv"
    later.write_text(HEADER + care_row("2024-06-01T10:00:00Z").replace("m1", "m9").replace("c1", "c9"))
    monkeypatch.setenv("DASHBOARD_IMPORT_LATEST", "2024-05-31")
    fails(db, capsys, later, fragments=["to 2024-05-31"])
    fails(db, capsys, later, "--latest", "someday", fragments=["cannot read 'someday' as a date"])


BAD_COMPANIONS = {
    "monthly_value inf": ("--customers", "customer_id,monthly_value\nu1,inf\n", ["'monthly_value'", "out of range"]),
    "monthly_value negative": ("--customers", "customer_id,monthly_value\nu1,-3\n", ["'monthly_value'", "range"]),
    "customer_since infinity": (
        "--customers",
        "customer_id,customer_since\nu1,infinity\n",
        ["'customer_since'", "plausible dates"],
    ),
    "follower_count overflow": (
        "--customers",
        "customer_id,follower_count\nu1,9223372036854775807\n",
        ["'follower_count'", "out of range"],
    ),
    "incident longer than 31 days": (
        "--incidents",
        "incident_id,title,started_at,ended_at\ni1,a,2024-01-01T00:00Z,2024-03-01T00:00Z\n",
        ["row 1", "'ended_at'", "longer than 31 days"],
    ),
    "incident of no length": (
        "--incidents",
        "incident_id,title,started_at,ended_at\ni1,a,2024-01-01T00:00Z,2024-01-01T00:00Z\n",
        ["row 1", "'ended_at'", "at or before started_at"],
    ),
    "incident in year 9999": (
        "--incidents",
        "incident_id,title,started_at,ended_at\ni1,a,2024-01-01T00:00Z,9999-12-31\n",
        ["'ended_at'", "plausible dates"],
    ),
}


@pytest.mark.parametrize("case", BAD_COMPANIONS, ids=list(BAD_COMPANIONS))
def test_implausible_companion_values_fail(db: Path, tmp_path: Path, capsys, case: str) -> None:
    option, content, fragments = BAD_COMPANIONS[case]
    path = tmp_path / "companion.csv"
    path.write_text(content)
    fails(db, capsys, CARE, option, str(path), fragments=[str(path), *fragments])


def test_incident_length_is_configurable(db: Path, tmp_path: Path) -> None:
    path = tmp_path / "incidents.csv"
    path.write_text("incident_id,title,started_at,ended_at\ni1,a,2024-01-01T00:00Z,2024-03-01T00:00Z\n")
    assert run(db, "import", "care", CARE, "--incidents", path, "--max-incident-days", "90") == 0


def test_twcs_offset_out_of_range_fails(db: Path, tmp_path: Path, capsys) -> None:
    path = tmp_path / "twcs.csv"
    path.write_text(
        "tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n"
        "1,u1,True,Tue Oct 31 22:10:47 +9999 2017,@brand help,,\n"
    )
    fails(db, capsys, path, kind="twcs", fragments=["row 1", "'created_at'", "UTC offset"])


def test_skip_invalid_skips_and_counts_bad_rows(db: Path, tmp_path: Path, capsys) -> None:
    path = tmp_path / "care.csv"
    rows = [
        "d1,n1,2024-03-01T10:00:00Z,customer,chat,u1,,\n",
        "d1,n2,infinity,agent,chat,,,\n",
        "d1,n3,2024-03-01T10:10:00Z,agent,chat,,-4,\n",
        "d2,n4,2024-03-01T11:00:00Z,customer,chat,u2,1e20,\n",
        "d1,n5,2024-03-01T10:20:00Z,agent,chat,,,\n",
        "d3,n6,2024-03-01T12:00:00Z,customer,chat,u3,,\n",
    ]
    path.write_text(HEADER + "".join(rows))
    capsys.readouterr()
    assert run(db, "import", "care", path, "--skip-invalid") == 0
    out = capsys.readouterr().out
    assert "loaded 3 messages into 2 conversations" in out and "skipped 3 rows" in out
    assert "skipped 2: invalid follower_count (first on row 3:" in out
    assert "skipped 1: invalid sent_at (first on row 2:" in out
    with duckdb.connect(str(db), read_only=True) as con:
        got = con.execute("select message_id from messages where message_id like 'n%' order by 1").fetchall()
        logged = con.execute("select rows_skipped from import_log order by imported_at desc limit 1").fetchone()
    assert got == [("n1",), ("n5",), ("n6",)] and logged == (3,)


def test_parquet_struct_column_is_one_line(db: Path, tmp_path: Path, capsys) -> None:
    table = pa.table(
        {
            "conversation_id": ["c1"],
            "message_id": ["m1"],
            "sent_at": ["2024-03-01T10:00:00Z"],
            "author_type": ["customer"],
            "channel": [{"name": "chat", "id": 3}],
            "customer_id": ["u1"],
        }
    )
    path = tmp_path / "struct.parquet"
    pq.write_table(table, path)
    fails(db, capsys, path, fragments=["column 'channel'", "not text", "struct"])


def test_parquet_non_utf8_binary_column_is_one_line(db: Path, tmp_path: Path, capsys) -> None:
    frame = pd.DataFrame(
        {
            "conversation_id": ["c1"],
            "message_id": ["m1"],
            "sent_at": ["2024-03-01T10:00:00Z"],
            "author_type": ["customer"],
            "channel": ["chat"],
            "customer_id": ["u1"],
            "text": [b"\xff\xfe caf\xe9"],
        }
    )
    path = tmp_path / "binary.parquet"
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), path)
    fails(db, capsys, path, fragments=["column 'text'", "not UTF-8"])
