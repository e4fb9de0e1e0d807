"""Property: any care export either loads with sane counts (exit 0) or fails with one line (exit 2), never half-way."""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import shutil
import tempfile
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.cli import main
from dashboard.ingest import import_files
from dashboard.ingest.settings import MAX_FOLLOWERS

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
COLUMNS = ["conversation_id", "message_id", "sent_at", "author_type", "channel", "customer_id", "follower_count"]
COLUMNS += ["closed_at", "text"]
HOSTILE_TIMES = ["infinity", "-infinity", "epoch", "0001-01-01", "9999-12-31", "0044-03-15 BC", "2024-02-30", "nan"]
HOSTILE_TIMES += ["2024-03-01T10:00:00+99:00", "Tue Oct 31 22:10:47 +9999 2017", "", " "]
times = st.one_of(
    st.datetimes().map(lambda t: t.isoformat()),
    st.builds(
        lambda day, hour, offset: f"2024-03-{day:02d}T{hour:02d}:00:00{offset}",
        st.integers(1, 28),
        st.integers(0, 23),
        st.sampled_from(["Z", "", "+02:00", "-0530", "+14:00", "+14:01", "-15:00"]),
    ),
    st.sampled_from(HOSTILE_TIMES),
)
numbers = st.one_of(
    st.sampled_from(["", "12", "0", "1e20", "NaN", "inf", "-inf", "9223372036854775807", "-5", "12.5", "12,000"]),
    st.integers(-(2**70), 2**70).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)
rows = st.fixed_dictionaries(
    {
        "conversation_id": st.sampled_from(["c1", "c2", "k1", "", " ", "c1 "]),
        "message_id": st.one_of(st.sampled_from(["m1", "m2", "m3", "n1", ""]), st.text(max_size=6)),
        "sent_at": times,
        "author_type": st.sampled_from(["customer", "agent", "bot", "Customer ", "client", ""]),
        "channel": st.sampled_from(["chat", "twitter", "Email", "fax", ""]),
        "customer_id": st.sampled_from(["u1", "u2", "", "=cmd()"]),
        "follower_count": numbers,
        "closed_at": st.one_of(st.just(""), times),
        "text": st.text(max_size=40),
    }
)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("fuzz") / "db.duckdb"
    import_files(db, "care", FIXTURES / "care_small.csv")
    return db


def write_csv(path: Path, records: list[dict], short: int | None) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for number, record in enumerate(records):
        values = [record[column] for column in COLUMNS]
        writer.writerow(values[:-2] if number == short else values)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def counts(db: Path) -> tuple[int, int, int]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(
            "select (select count(*) from messages), (select count(*) from conversations), "
            "(select count(*) from conversation_facts)"
        ).fetchone()


def check_sane(db: Path) -> None:
    """Stored values are finite, within range and inside the plausible window."""
    with duckdb.connect(str(db), read_only=True) as con:
        bad = con.execute(
            """
            select
                (select count(*) from messages
                 where sent_at < '2000-01-01' or sent_at > now()::timestamp + interval 3 day
                    or not isfinite(sentiment_score)),
                (select count(*) from customers where follower_count < 0 or follower_count > $max),
                (select count(*) from conversations
                 where started_at < '2000-01-01' or closed_at > now()::timestamp + interval 3 day
                    or message_count < 1)
            """,
            {"max": MAX_FOLLOWERS},
        ).fetchone()
    assert bad == (0, 0, 0)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    records=st.lists(rows, min_size=1, max_size=8), short=st.one_of(st.none(), st.integers(0, 7)), skip=st.booleans()
)
def test_any_care_file_loads_sanely_or_fails_in_one_line(template_db: Path, records, short, skip) -> None:
    with tempfile.TemporaryDirectory() as folder:
        db, path = Path(folder) / "db.duckdb", Path(folder) / "care.csv"
        shutil.copyfile(template_db, db)
        write_csv(path, records, short)
        before, before_counts = digest(db), counts(db)
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["--db", str(db), "import", "care", str(path), *(["--skip-invalid"] if skip else [])])
        assert code in (0, 2), err.getvalue()
        if code == 2:
            message = err.getvalue().strip()
            assert message.startswith(f"error: {path}") and message.count("\n") == 0, message
            assert digest(db) == before
            return
        messages, conversations, facts = counts(db)
        loaded = int(out.getvalue().split("loaded ")[1].split(" ")[0].replace(",", ""))
        assert messages - before_counts[0] == loaded <= len(records)
        assert conversations == facts and conversations >= before_counts[1]
        check_sane(db)
