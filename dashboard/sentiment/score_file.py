"""`python -m dashboard sentiment`: score any CSV's texts with the product's analyzer (README: Command line).

Every input column is kept exactly as written (read as text, blanks stay blank); `sentiment_score` and
`sentiment_label` are appended. The file is streamed in chunks and written to a temporary file that replaces `out`
only when everything succeeded, so a failure never leaves a half-written output.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import BinaryIO

import pandas as pd

from dashboard.core import safe_text
from dashboard.core.errors import UserError
from dashboard.core.progress import Progress
from dashboard.sentiment import analyzer as sentiment

CHUNK_ROWS = 100_000


def _chunks(handle: BinaryIO) -> pd.io.parsers.TextFileReader:
    """A chunked reader that keeps every value as the exact text in the file."""
    return pd.read_csv(
        handle, dtype=str, keep_default_na=False, index_col=False, encoding="utf-8", chunksize=CHUNK_ROWS
    )


def _check_input(path: Path, text_column: str) -> None:
    """Raise a UserError for a missing or empty file, or a header without `text_column`."""
    if not path.is_file():
        raise UserError(f"{path}: no such file")
    try:
        columns = list(pd.read_csv(path, dtype=str, nrows=0).columns)
    except pd.errors.EmptyDataError as error:
        raise UserError(f"{path}: the file is empty; expected a header row and data rows") from error
    except (UnicodeDecodeError, pd.errors.ParserError) as error:
        raise UserError(f"{path}: not a readable UTF-8 CSV file ({str(error).splitlines()[0]})") from error
    if text_column not in columns:
        raise UserError(
            f"{path}: no column {text_column!r}; the file has {', '.join(map(repr, columns))}: "
            "pass one of them with --text-column"
        )
    clash = [name for name in ("sentiment_score", "sentiment_label") if name in columns]
    if clash:
        raise UserError(f"{path}: already has column(s) {', '.join(clash)}; rename or drop them first")


def score_csv(input: Path, text_column: str, out: Path) -> int:
    """Write `input` plus sentiment_score and sentiment_label for `text_column` to `out`; return the rows scored."""
    input, out = Path(input), Path(out)
    _check_input(input, text_column)
    partial = out.with_name(f".{out.name}.{os.getpid()}.partial")
    progress = Progress(f"scoring {input.name}", input.stat().st_size)
    rows = 0
    try:
        with input.open("rb") as source, partial.open("w", encoding="utf-8", newline="") as target:
            for number, chunk in enumerate(_chunks(source)):
                scores, labels = sentiment.score_texts(chunk[text_column].tolist())
                scored = chunk.assign(sentiment_score=scores, sentiment_label=labels)
                safe_text.csv_safe(scored).to_csv(target, index=False, header=number == 0, lineterminator="\n")
                rows += len(chunk)
                progress.update(source.tell())
        partial.replace(out)
    except (UnicodeDecodeError, pd.errors.ParserError) as error:
        raise UserError(f"{input}: not a readable CSV file ({str(error).splitlines()[0]})") from error
    finally:
        progress.close()
        partial.unlink(missing_ok=True)
    return rows
