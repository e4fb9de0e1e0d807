"""Shared pieces of the import readers: files into an in-memory DuckDB table and value parsers (progress: core).

Readers load every column of a file as text into a scratch (in-memory) table named `raw` with a fixed set of
columns, so their validation SQL is static text. Errors name the 1-based *data row* (header excluded, records not
physical lines: a quoted text spanning lines is one row), which is the raw table's `rowid + 1`.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path

import duckdb
import pandas as pd

from dashboard.core.errors import InputError
from dashboard.core.progress import Progress

CHUNK_ROWS = 200_000
PARQUET_SUFFIXES = (".parquet", ".pq")
ISO_EXAMPLE = "ISO 8601 such as 2024-03-01T14:05:00Z or 2024-03-01 14:05:00+02:00 (no offset means UTC)"
BOOLEAN_WORDS = "true/false, yes/no or 1/0"

# Parsers shared by every reader's SQL; each returns null for a value it cannot read.
MACROS = """
create macro clean_text(x) as nullif(trim(x), '');
create macro clean_id(x) as regexp_replace(clean_text(x), '^(\\d+)\\.0+$', '\\1');
create macro parse_ts(x) as try_cast(clean_text(x) as timestamptz)::timestamp;
create macro parse_bool(x) as case
    when lower(clean_text(x)) in ('true', '1', 'yes') then true
    when lower(clean_text(x)) in ('false', '0', 'no') then false
end;
create macro parse_tweet_time(x) as coalesce(
    try_strptime(clean_text(x), '%a %b %d %H:%M:%S %z %Y')::timestamp,
    parse_ts(x)
);
create macro parse_number(x) as try_cast(clean_text(x) as double);
create macro parse_count(x) as case
    when parse_number(x) = round(parse_number(x)) then parse_number(x)::bigint
end;
"""


def scratch() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB for reading and validating files before the target database is touched."""
    con = duckdb.connect(":memory:")
    con.execute("set TimeZone = 'UTC'")
    for statement in MACROS.split(";"):
        if statement.strip():
            con.execute(statement)
    return con


def normalize_header(name: object) -> str:
    """A column name as the readers match it: trimmed, lower case, without a byte-order mark or stray `\\r`."""
    return str(name).replace("\ufeff", "").strip().lower()


def check_header(label: str, found: Sequence[str], required: Sequence[str], what: str) -> None:
    """Raise an InputError when a required column is missing or a column name repeats."""
    repeated = sorted({name for name in found if found.count(name) > 1 and name})
    if repeated:
        raise InputError(label, f"column {repeated[0]!r} appears more than once in the header; keep one")
    missing = [name for name in required if name not in found]
    if missing:
        shown = ", ".join(name or "(unnamed)" for name in found[:20]) + (" ..." if len(found) > 20 else "")
        raise InputError(
            label,
            f"missing required column(s) {', '.join(missing)}; found {shown}; "
            f"a {what} needs {', '.join(required)} (is this the right file and format?)",
        )


def _fixed_chunk(chunk: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """Name a chunk's columns as normalized and keep exactly `columns` (absent ones empty), all text."""
    chunk = chunk.set_axis([normalize_header(name) for name in chunk.columns], axis=1)
    last = chunk.columns[-1]
    # Only `\n` ends a record, so a CRLF file leaves `\r` on its last field; bare `\r` inside texts stay.
    chunk[last] = chunk[last].str.removesuffix("\r")
    return chunk.reindex(columns=list(columns)).astype("str")


def _csv_chunks(label: str, path: Path) -> Iterator[pd.DataFrame]:
    """Read a CSV file as text in chunks; tokenizer failures become InputErrors."""
    with path.open("rb") as handle:
        if b"\x00" in handle.read(65536):
            raise InputError(label, "this is not a CSV text file (it holds binary data); export the data as CSV")
        handle.seek(0)
        progress = Progress(f"reading {path.name}", path.stat().st_size)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", pd.errors.ParserWarning)
                reader = pd.read_csv(
                    handle,
                    dtype=str,
                    keep_default_na=False,
                    na_values=[""],
                    lineterminator="\n",
                    index_col=False,
                    encoding="utf-8",
                    chunksize=CHUNK_ROWS,
                )
                for chunk in reader:
                    yield chunk
                    progress.update(handle.tell())
        except pd.errors.EmptyDataError as error:
            raise InputError(label, "the file is empty; expected a header row and data rows") from error
        except UnicodeDecodeError as error:
            raise InputError(label, f"this is not UTF-8 text ({error.reason}); save the file as UTF-8 CSV") from error
        except (pd.errors.ParserError, pd.errors.ParserWarning) as error:
            detail = str(error).replace("Error tokenizing data. C error: ", "").strip()
            raise InputError(label, f"not a well-formed CSV file ({detail}); check quoting and separators") from error
        finally:
            progress.close()


def _parquet_chunks(label: str, path: Path) -> Iterator[pd.DataFrame]:
    """Read a Parquet file in record batches with every column as text (lists joined with ';')."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as error:
        raise InputError(label, f"this is not a readable Parquet file ({error})") from error
    names = parquet.schema_arrow.names
    for batch in parquet.iter_batches(batch_size=CHUNK_ROWS):
        columns = []
        for column in batch.columns:
            if pa.types.is_list(column.type) or pa.types.is_large_list(column.type):
                column = pc.binary_join(pc.cast(column, pa.list_(pa.string())), ";")
            columns.append(pc.cast(column, pa.string()))
        yield pd.DataFrame({name: col.to_pandas() for name, col in zip(names, columns, strict=True)})
    if parquet.metadata.num_rows == 0:
        yield pd.DataFrame(columns=names)


def read_raw(
    con: duckdb.DuckDBPyConnection, path: Path, columns: Sequence[str], required: Sequence[str], what: str
) -> list[str]:
    """Load a CSV or Parquet file into table `raw` with exactly `columns` as text; return the file's own columns."""
    label = str(path)
    if not path.is_file():
        raise InputError(label, "no such file")
    if path.stat().st_size == 0:
        raise InputError(label, "the file is empty; expected a header row and data rows")
    chunks = _parquet_chunks if path.suffix.lower() in PARQUET_SUFFIXES else _csv_chunks
    found: list[str] | None = None
    for chunk in chunks(label, path):
        if found is None:
            found = [normalize_header(name) for name in chunk.columns]
            check_header(label, found, required, what)
        fixed = _fixed_chunk(chunk, columns)
        con.register("chunk", fixed)
        if con.execute("select count(*) from information_schema.tables where table_name = 'raw'").fetchone()[0]:
            con.execute("insert into raw select * from chunk")
        else:
            con.execute("create table raw as select * from chunk")
        con.unregister("chunk")
    if not con.execute("select count(*) from raw").fetchone()[0]:
        raise InputError(label, "the file has a header but no data rows")
    return found or []


def problem_message(kind: str, column: str, value: str | None, allowed: Sequence[str] = ()) -> str:
    """What is wrong with one value and what to do about it."""
    choices = ", ".join(allowed)
    if kind == "customer":
        return "a customer message needs a customer_id; fill it in, or set author_type to agent or bot"
    if value is None or not value.strip():
        if kind == "choice":
            return f"{column} is empty; expected one of {choices}"
        return f"{column} is empty; every row needs one"
    shown = repr(value if len(value) <= 60 else value[:57] + "...")
    messages = {
        "timestamp": f"cannot read {shown} as a date-time; expected {ISO_EXAMPLE}",
        "tweet_time": f"cannot read {shown} as a date-time; expected the format 'Tue Oct 31 22:10:47 +0000 2017'",
        "choice": f"unknown {column} {shown}; expected one of {choices} (case and spaces do not matter)",
        "count": f"cannot read {shown} as a whole number",
        "number": f"cannot read {shown} as a number",
        "bool": f"cannot read {shown} as a yes/no value; use {BOOLEAN_WORDS}",
        "order": f"ended_at is before started_at ({value}); fix the times or swap them",
    }
    return messages[kind]


def check_rows(
    con: duckdb.DuckDBPyConnection,
    label: str,
    sql: str,
    kinds: dict[str, tuple[str, Sequence[str]]],
    params: dict | None = None,
) -> None:
    """Run a problem query (row_number, problem, value of the first bad row) and raise an InputError for its row.

    A problem is a column name, or `column:detail` when one column has several kinds of problem.
    """
    found = con.execute(sql, params or {}).fetchone()
    if found:
        row, problem, value = found
        kind, allowed = kinds[problem]
        column = problem.split(":")[0]
        raise InputError(label, problem_message(kind, column, value, allowed), row=row, column=column)


DIFFERENT_DUPLICATE = """
select row_number, key, first_row
from (
    select
        row_number,
        key,
        content,
        first_value(row_number) over same_key as first_row,
        first_value(content) over same_key as first_content
    from typed
    window same_key as (partition by key order by row_number)
)
where content <> first_content
order by row_number
limit 1
"""

DELETE_REPEATS = """
delete from typed
where row_number not in (select min(row_number) from typed group by key)
"""


def drop_duplicates(con: duckdb.DuckDBPyConnection, label: str, column: str) -> int:
    """Reject a key repeated with different content in table `typed`; drop exact repeats and return their count."""
    found = con.execute(DIFFERENT_DUPLICATE).fetchone()
    if found:
        row, key, first = found
        raise InputError(
            label,
            f"{column} {key!r} already appears on row {first} with different content; each needs its own {column}",
            row=row,
            column=column,
        )
    return con.execute(DELETE_REPEATS).fetchone()[0]
