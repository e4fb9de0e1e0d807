"""Shared pieces of the import readers: files into an in-memory DuckDB table, value parsers, progress on stderr.

Readers load every column of a file as text into a scratch (in-memory) table named `raw` with a fixed set of
columns, so their validation SQL (queries/ingest/) is static text. Errors name the 1-based *data row* (header
excluded, records not physical lines: a quoted text spanning lines is one row), which is the raw table's `rowid + 1`.
"""

from __future__ import annotations

import csv
import os
import tempfile
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

import duckdb
import pandas as pd

from dashboard.core.errors import InputError
from dashboard.core.progress import Progress
from dashboard.db import sql
from dashboard.ingest.settings import MAX_FOLLOWERS, MAX_MONTHLY_VALUE, ImportSettings

CHUNK_ROWS = 200_000
BLOCK_BYTES = 64 << 20  # how much of a file the direct CSV path scans or copies at a time
BARE_CR_STANDIN = b"\x1f"  # stands for a bare carriage return while DuckDB reads a file (restored in SQL)
PARQUET_SUFFIXES = (".parquet", ".pq")
ISO_EXAMPLE = "ISO 8601 such as 2024-03-01T14:05:00Z or 2024-03-01 14:05:00+02:00 (no offset means UTC)"
BOOLEAN_WORDS = "true/false, yes/no or 1/0"
LIMITS = {"max_followers": MAX_FOLLOWERS, "max_value": MAX_MONTHLY_VALUE}
FOLLOWER_RANGE = ("range", ("0", f"{MAX_FOLLOWERS:,}"))
VALUE_RANGE = ("range", ("0", f"{MAX_MONTHLY_VALUE:,.0f}"))


def scratch() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB for reading and validating files before the target database is touched."""
    con = duckdb.connect(":memory:")
    sql.execute(con, "ingest/scratch_setup")
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
        _check_row_widths(label, path)
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


def _check_row_widths(label: str, path: Path) -> None:
    """Raise an InputError for the first record with fewer fields than the header (pandas would pad it silently).

    Records are split as pandas splits them: only `\n` ends a line, quoted fields may span lines, blank lines are
    skipped. Undecodable bytes and malformed quoting are left for the pandas reader to report.
    """
    csv.field_size_limit(2**31 - 1)
    with path.open(encoding="utf-8", errors="replace", newline="\n") as handle:
        records = csv.reader((line.replace("\r", "") for line in handle), strict=True)
        try:
            width, row = None, 0
            for record in records:
                if not record:
                    continue
                if width is None:
                    width = len(record)
                    continue
                row += 1
                if len(record) < width:
                    raise InputError(
                        label,
                        f"this row has {len(record)} field(s) but the header has {width}; add the missing fields "
                        "(empty ones still need their separators) or quote a text that breaks the line",
                        row=row,
                    )
        except csv.Error:
            return


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
        for name, column in zip(names, batch.columns, strict=True):
            try:
                if pa.types.is_list(column.type) or pa.types.is_large_list(column.type):
                    column = pc.binary_join(pc.cast(column, pa.list_(pa.string())), ";")
                columns.append(pc.cast(column, pa.string()))
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError) as error:
                binary = pa.types.is_binary(column.type) or pa.types.is_large_binary(column.type)
                problem = "bytes that are not UTF-8 text" if binary else "values that are not text"
                raise InputError(
                    label,
                    f"the column holds {problem} (type {column.type}); export it as plain text, numbers or dates",
                    column=name,
                ) from error
        yield pd.DataFrame({name: col.to_pandas() for name, col in zip(names, columns, strict=True)})
    if parquet.metadata.num_rows == 0:
        yield pd.DataFrame(columns=names)


def _direct_header(path: Path, columns: Sequence[str]) -> list[str] | None:
    """The normalized header of a CSV file DuckDB may read directly: '\n' line ends, text, a plain one-line header
    without repeats that holds every one of `columns`. None otherwise."""
    with path.open("rb") as handle:
        head = handle.read(65536)
    first, newline, _ = head.partition(b"\n")
    if not newline or b"\x00" in head or first.endswith(b"\r") or b'"' in first:
        return None
    try:
        names = [normalize_header(name) for name in first.decode("utf-8").split(",")]
    except UnicodeDecodeError:
        return None
    if len(set(names)) < len(names) or not set(columns) <= set(names):
        return None
    return names


def _bare_cr_copy(path: Path) -> Path | None:
    """Where DuckDB can read `path`: itself, or a temporary copy with each carriage return replaced by a stand-in
    (DuckDB ends a record at a bare `\r`; pandas, and so the import's rules, keep it in the text). None when the file
    holds `\r\n` (its records' last field would keep a `\r` that the pandas path strips) or the stand-in itself."""
    with path.open("rb") as handle:
        previous, bare = b"", False
        while block := handle.read(BLOCK_BYTES):
            scanned = previous + block
            if b"\r\n" in scanned or BARE_CR_STANDIN in block:
                return None
            bare = bare or b"\r" in block
            previous = block[-1:]
    if not bare:
        return path
    handle_out, name = tempfile.mkstemp(suffix=".csv", prefix="import-")
    with path.open("rb") as source, os.fdopen(handle_out, "wb") as copy:
        while block := source.read(BLOCK_BYTES):
            copy.write(block.replace(b"\r", BARE_CR_STANDIN))
    return Path(name)


def read_csv_direct(con: duckdb.DuckDBPyConnection, path: Path, columns: Sequence[str], query: str) -> bool:
    """Let DuckDB read a CSV file into table `raw` with `query` (a file in queries/ingest/ selecting `columns` from
    read_csv($path, columns = $columns), with the stand-in restored); False, leaving nothing, when it cannot.

    Only files the pandas path would read the same way qualify (see `_direct_header` and `_bare_cr_copy`); DuckDB
    reads them strictly, so any record it would have to guess about (short or long rows, stray quotes, bytes that
    are not UTF-8) ends the attempt, and the pandas path then reads the file and names the problem.
    """
    names = _direct_header(path, columns)
    source = _bare_cr_copy(path) if names else None
    if names is None or source is None:
        return False
    fields = {name or f"unnamed_{i}": "varchar" for i, name in enumerate(names)}
    try:
        sql.execute(con, query, path=str(source), columns=fields)
    except duckdb.Error:
        sql.execute(con, "ingest/raw_drop")
        return False
    finally:
        if source != path:
            source.unlink(missing_ok=True)
    return True


def read_raw(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    columns: Sequence[str],
    required: Sequence[str],
    what: str,
    direct_query: str | None = None,
) -> list[str]:
    """Load a CSV or Parquet file into table `raw` with exactly `columns` as text; return the file's own columns.

    With `direct_query`, DuckDB reads a CSV file that holds every column itself when it can (`read_csv_direct`).
    """
    label = str(path)
    if not path.is_file():
        raise InputError(label, "no such file")
    if path.stat().st_size == 0:
        raise InputError(label, "the file is empty; expected a header row and data rows")
    direct = path.suffix.lower() not in PARQUET_SUFFIXES and direct_query is not None
    if direct and direct_query and read_csv_direct(con, path, columns, direct_query):
        if not sql.execute(con, "ingest/raw_row_count").fetchall()[0][0]:
            raise InputError(label, "the file has a header but no data rows")
        return _direct_header(path, columns) or []
    chunks = _parquet_chunks if path.suffix.lower() in PARQUET_SUFFIXES else _csv_chunks
    found: list[str] | None = None
    first = True
    for chunk in chunks(label, path):
        if found is None:
            found = [normalize_header(name) for name in chunk.columns]
            check_header(label, found, required, what)
        fixed = _fixed_chunk(chunk, columns)
        con.register("chunk", fixed)
        sql.execute(con, "ingest/raw_create_from_chunk" if first else "ingest/raw_append_chunk")
        con.unregister("chunk")
        first = False
    if not sql.execute(con, "ingest/raw_row_count").fetchall()[0][0]:
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
    low, high = (list(allowed) + ["", ""])[:2]
    messages = {
        "timestamp": f"cannot read {shown} as a date-time; expected {ISO_EXAMPLE}",
        "tweet_time": f"cannot read {shown} as a date-time; expected the format 'Tue Oct 31 22:10:47 +0000 2017'",
        "choice": f"unknown {column} {shown}; expected one of {choices} (case and spaces do not matter)",
        "count": f"cannot read {shown} as a whole number",
        "number": f"cannot read {shown} as a number",
        "bool": f"cannot read {shown} as a yes/no value; use {BOOLEAN_WORDS}",
        "order": f"ended_at is at or before started_at ({value}); fix the times or swap them",
        "offset": f"{shown} has a UTC offset no place uses (beyond +-14:00); fix the offset, or leave it out for UTC",
        "window": f"{shown} is outside the plausible dates {low} to {high} (UTC); fix it, or widen the window with "
        "--earliest/--latest",
        "range": f"{shown} is out of range; expected a number from {low} to {high}",
        "span": f"the incident lasts longer than {low} days ({value}); fix the times, or raise --max-incident-days",
    }
    return messages[kind]


def check_rows(
    con: duckdb.DuckDBPyConnection,
    label: str,
    query: str,
    kinds: Mapping[str, tuple[str, Sequence[str]]],
    settings: ImportSettings,
    skip: Callable[[str, int], None],
    params: dict | None = None,
) -> None:
    """Run a problem query (row_number, problem, value per bad row) and raise an InputError for the first bad row,
    or with settings.skip_invalid drop every bad row from table `raw`, counting them through `skip(reason, n)`.

    `query` names a file in queries/ingest/. A problem is a column name, or `column:detail` when one column has
    several kinds of problem; `column:offset`, `column:window` and `column:span` need no entry in `kinds`.
    """
    bound = {**settings.window(), **LIMITS, "max_days": settings.max_incident_days, **(params or {})}
    found = sql.execute(con, query, **bound)
    if not settings.skip_invalid:
        first = found.fetchone()
        if first:
            row, problem, value = first
            raise InputError(label, _describe(problem, value, kinds, settings), row=row, column=problem.split(":")[0])
        return
    problems = found.df()
    if problems.empty:
        return
    con.register("invalid_rows", problems[["row_number"]])
    sql.execute(con, "ingest/raw_invalid_delete")
    con.unregister("invalid_rows")
    for problem, group in problems.groupby("problem", sort=True):
        row, value = int(group["row_number"].iloc[0]), group["value"].iloc[0]
        column = problem.split(":")[0]
        detail = _describe(problem, None if pd.isna(value) else str(value), kinds, settings)
        skip(f"invalid {column} (first on row {row}: {detail})", len(group))


def _describe(problem: str, value: str | None, kinds: Mapping, settings: ImportSettings) -> str:
    """The message for one problem found by a problem query."""
    suffix = problem.partition(":")[2]
    generic = {"window": settings.window_text(), "span": (f"{settings.max_incident_days:g}",), "offset": ()}
    kind, allowed = kinds.get(problem) or (suffix, generic[suffix])
    return problem_message(kind, problem.split(":")[0], value, allowed)


def drop_duplicates(con: duckdb.DuckDBPyConnection, label: str, column: str) -> int:
    """Reject a key repeated with different content in table `typed`; drop exact repeats and return their count."""
    found = sql.execute(con, "ingest/typed_key_conflict_first").fetchone()
    if found:
        row, key, first = found
        raise InputError(
            label,
            f"{column} {key!r} already appears on row {first} with different content; each needs its own {column}",
            row=row,
            column=column,
        )
    return sql.execute(con, "ingest/typed_repeats_delete").fetchall()[0][0]
