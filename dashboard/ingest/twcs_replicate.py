"""A large twcs-format file for timing the import, replicated from a small real one (bench tooling, not an import).

`python -m dashboard.ingest.twcs_replicate SOURCE --tweets 2800000 --out /tmp/twcs_2800k.csv` copies SOURCE (a twcs
file such as the public dataset's sample) as many times as needed. Copy k keeps every row's shape and quirks (ids
written as floats, bare carriage returns, reply links leaving the file, years-old timestamps, a leading index column)
and changes:

- ids: every numeric tweet id, reply link (`in_response_to_tweet_id`, each of `response_tweet_id`'s list), numeric
  author id and numeric `@mention` in a text moves by k x a power of ten above the source's largest id, so reply trees
  stay linked inside their copy and never join another copy's;
- dates: `created_at` moves k days later (values that are not tweet dates stay as they are);
- texts: numeric mentions follow their author, and from copy 1 on every tweet gets a short hashtag made of its copy and
  row after its leading mentions (so brands' signatures still end their replies): texts that differ in the source
  differ in every copy and no text repeats across copies, even with handles and links removed as the analyzer reads
  it, so caching repeated texts saves no more than it would on the source, as in the real data (about 3% of the
  public sample's texts repeat once handles, links and signatures are removed).

Copy 0 is the source itself. Nothing is downloaded and no text is stored in the repository: the source is an argument.
With `--time-import`, the file is then imported into a fresh temporary database by a child process
(`python -m dashboard import twcs`), and its wall seconds, CPU seconds (its worker processes included) and peak
memory are printed, with tweets per CPU-second (the figure to compare on a shared machine).
"""

from __future__ import annotations

import argparse
import csv
import math
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pandas as pd

TWEET_TIME = "%a %b %d %H:%M:%S %z %Y"
NUMBER = re.compile(r"^(\d+)(\.0+)?$")
MENTION = re.compile(r"(?<=@)(\d+)")
LEADING_MENTIONS = re.compile(r"^((?:@\w+\s+)*)")


def _shift_id(value: str, offset: int) -> str:
    """A numeric id (possibly written as a float, '3.0') moved by `offset`, in the same spelling; others unchanged."""
    found = NUMBER.match(value.strip())
    if not found or not offset:
        return value
    return f"{int(found.group(1)) + offset}{found.group(2) or ''}"


def _shift_list(value: str, offset: int) -> str:
    """A comma-separated list of ids, each moved by `offset`."""
    return ",".join(_shift_id(part, offset) for part in value.split(",")) if value else value


def _largest_id(frame: pd.DataFrame) -> int:
    """The largest number among the source's ids, links, author ids and numeric mentions."""
    values = [frame["tweet_id"], frame["author_id"], frame["in_response_to_tweet_id"]]
    values.append(frame["response_tweet_id"].str.split(",").explode())
    values.append(pd.Series([int(m) for text in frame["text"] for m in MENTION.findall(text)], dtype=object))
    numbers = pd.concat([pd.to_numeric(v, errors="coerce") for v in values])
    return int(numbers.max()) if numbers.notna().any() else 0


def read_source(path: Path) -> tuple[pd.DataFrame, str]:
    """The source file as text columns (header names trimmed) and its line ending ('\\n' or '\\r\\n')."""
    with path.open("rb") as handle:
        first = handle.readline()
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, lineterminator="\n", index_col=False)
    frame.columns = [str(name).replace("\ufeff", "").strip() for name in frame.columns]
    last = frame.columns[-1]
    frame[last] = frame[last].str.removesuffix("\r")
    return frame, "\r\n" if first.endswith(b"\r\n") else "\n"


def _copy_rows(frame: pd.DataFrame, copy: int, stride: int, times: list[datetime | None]) -> Iterator[dict[str, str]]:
    """The rows of copy `copy` (without the leading index column)."""
    offset, shift = copy * stride, timedelta(days=copy)
    columns = zip(*(frame[name].tolist() for name in ("tweet_id", "author_id", "created_at", "text")), strict=True)
    links = zip(frame["response_tweet_id"].tolist(), frame["in_response_to_tweet_id"].tolist(), strict=True)
    for row, ((tweet_id, author_id, created_at, text), (responses, parent)) in enumerate(
        zip(columns, links, strict=True)
    ):
        stamp = times[row]
        if offset:
            text = MENTION.sub(lambda m: str(int(m.group(1)) + offset), text)
            lead = LEADING_MENTIONS.match(text).end()  # type: ignore[union-attr]  # matches every text (maybe empty)
            text = f"{text[:lead]}#r{copy}x{row} {text[lead:]}"
        yield {
            "tweet_id": _shift_id(tweet_id, offset),
            "author_id": _shift_id(author_id, offset),
            "created_at": (stamp + shift).strftime(TWEET_TIME) if stamp else created_at,
            "text": text,
            "response_tweet_id": _shift_list(responses, offset),
            "in_response_to_tweet_id": _shift_id(parent, offset),
        }


def replicate(source: Path, tweets: int, out: Path) -> int:
    """Write `tweets` rows replicated from `source` to `out` (see the module docstring); return the rows written."""
    frame, line_end = read_source(source)
    if frame.empty:
        raise SystemExit(f"{source}: no data rows to replicate")
    stride = 10 ** math.ceil(math.log10(_largest_id(frame) + 2))
    times = [_tweet_time(value) for value in frame["created_at"].tolist()]
    columns = list(frame.columns)
    others = {name: frame[name].tolist() for name in columns}
    written = 0
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator=line_end)
        writer.writerow(columns)
        for copy in range(math.ceil(tweets / len(frame))):
            for row, changed in enumerate(_copy_rows(frame, copy, stride, times)):
                if written == tweets:
                    return written
                values = {name: others[name][row] for name in columns}
                values.update(changed)
                if columns[0] in ("", "Unnamed: 0"):
                    values[columns[0]] = str(written)
                writer.writerow([values[name] for name in columns])
                written += 1
    return written


def _tweet_time(value: str) -> datetime | None:
    """A tweet timestamp ('Tue Oct 31 22:10:47 +0000 2017'), or None when the value is not one."""
    try:
        return datetime.strptime(value.strip(), TWEET_TIME)
    except ValueError:
        return None


def time_import(file: Path, tweets: int) -> str:
    """Import `file` into a fresh temporary database in a child process; say how long it took and how much memory."""
    with tempfile.TemporaryDirectory(prefix="twcs-bench-") as folder:
        command = [sys.executable, "-m", "dashboard", "--db", str(Path(folder) / "twcs.duckdb"), "import", "twcs"]
        before, started = resource.getrusage(resource.RUSAGE_CHILDREN), time.monotonic()
        subprocess.run([*command, str(file)], check=True)
        wall, after = time.monotonic() - started, resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return (
        f"import of {tweets:,} tweets: {wall:,.1f} s wall, {cpu:,.1f} CPU-s ({tweets / max(cpu, 1e-9):,.0f} tweets "
        f"per CPU-second), peak memory {after.ru_maxrss / 1e6:.2f} GB (largest process)"
    )


def main(argv: list[str] | None = None) -> int:
    """Command line: replicate a twcs file to a given number of tweets."""
    parser = argparse.ArgumentParser(
        prog="python -m dashboard.ingest.twcs_replicate", description="Replicate a twcs file for timing the import."
    )
    parser.add_argument("source", help="a twcs-format CSV file to replicate (for example the dataset's sample)")
    parser.add_argument("--tweets", type=int, default=2_800_000, help="rows to write (default 2,800,000)")
    parser.add_argument("--out", required=True, help="the CSV file to write")
    parser.add_argument(
        "--time-import", action="store_true", help="then import it into a temporary database and time that"
    )
    args = parser.parse_args(argv)
    source = Path(args.source)
    if not source.is_file():
        print(f"error: {source}: no such file", file=sys.stderr)
        return 2
    written = replicate(source, args.tweets, Path(args.out))
    print(f"wrote {written:,} tweets to {args.out}", flush=True)
    if args.time_import:
        print(time_import(Path(args.out), written))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
