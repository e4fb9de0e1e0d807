"""The row checks every reader shares (dashboard/ingest/common.py): declared checks in, the first bad row's error."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.errors import InputError
from dashboard.ingest import common
from dashboard.ingest.common import Check

CHECKS = (
    Check("item_id", "required"),
    Check("kind", "choice", allowed=("a", "b")),
    Check("size", "count", optional=True),
    Check("started_at", "timestamp"),
    Check("ended_at", "timestamp"),
    Check("ended_at", "order"),
)
GOOD = {"item_id": "i1", "kind": " A ", "size": "", "started_at": "2024-03-01", "ended_at": "2024-03-02"}


def first_problem(*bad: dict[str, str]) -> str | None:
    """Check a good row followed by `bad` rows (each a change to the good row); return the error text, if any."""
    frame = pd.DataFrame([GOOD, *({**GOOD, **change} for change in bad)])
    with common.scratch() as con:
        con.register("frame", frame)
        con.execute("create table raw as select * from frame")
        try:
            common.check_rows(con, "f.csv", CHECKS)
        except InputError as error:
            return str(error)
    return None


EXPECTED = {
    "good rows pass": ([{"size": "12"}, {"kind": "b"}], None),
    "required blank": ([{"item_id": "  "}], "f.csv, row 2, column 'item_id': item_id is empty; every row needs one"),
    "unknown choice": (
        [{"kind": "c"}],
        "f.csv, row 2, column 'kind': unknown kind 'c'; expected one of a, b (case and spaces do not matter)",
    ),
    "empty choice": ([{"kind": ""}], "f.csv, row 2, column 'kind': kind is empty; expected one of a, b"),
    "optional bad": ([{"size": "1.5"}], "f.csv, row 2, column 'size': cannot read '1.5' as a whole number"),
    "order after its timestamp check": (
        [{"ended_at": "2024-02-01"}],
        "f.csv, row 2, column 'ended_at': ended_at is before started_at (2024-02-01 < 2024-03-01); "
        "fix the times or swap them",
    ),
    "earliest row, its first failed check": (
        [{"size": "x", "kind": "z"}, {"item_id": ""}],
        "f.csv, row 2, column 'kind': unknown kind 'z'; expected one of a, b (case and spaces do not matter)",
    ),
    "file text stays data": (
        [{"kind": "a'); drop table raw; --"}],
        "f.csv, row 2, column 'kind': unknown kind \"a'); drop table raw; --\"; expected one of a, b "
        "(case and spaces do not matter)",
    ),
}


@pytest.mark.parametrize("case", EXPECTED, ids=list(EXPECTED))
def test_first_bad_row_is_named_with_its_column_and_problem(case: str) -> None:
    bad, expected = EXPECTED[case]
    assert first_problem(*bad) == expected


def test_only_column_names_are_formatted_into_the_query() -> None:
    with pytest.raises(ValueError, match="names a column"):
        common.problems_query([Check("x) or (1=1", "required")])
