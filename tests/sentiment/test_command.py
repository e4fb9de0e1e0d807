"""`python -m dashboard sentiment`: any CSV in, the same CSV plus sentiment columns out (README: Command line)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from dashboard.cli import main
from dashboard.sentiment.score_file import score_csv

TEXTS = Path(__file__).resolve().parents[1] / "fixtures" / "sentiment_texts.csv"


def test_scores_texts_and_keeps_every_column_as_written(tmp_path: Path, capsys) -> None:
    out = tmp_path / "scored.csv"
    assert main(["sentiment", "--in", str(TEXTS), "--text-column", "body", "--out", str(out)]) == 0
    assert "scored 3 rows" in capsys.readouterr().out
    scored = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(scored.columns) == ["id", "body", "note", "sentiment_score", "sentiment_label"]
    assert scored["id"].tolist() == ["007", "008", "009"]
    assert scored["note"].tolist() == ['keep "quotes"', "", "empty text"]
    assert scored["sentiment_label"].tolist() == ["positive", "negative", "neutral"]
    assert float(scored["sentiment_score"][0]) > 0.05 > -0.05 > float(scored["sentiment_score"][1])
    assert float(scored["sentiment_score"][2]) == 0.0


def test_output_may_replace_the_input(tmp_path: Path) -> None:
    path = tmp_path / "texts.csv"
    path.write_bytes(TEXTS.read_bytes())
    assert score_csv(path, "body", path) == 3
    assert pd.read_csv(path).columns[-1] == "sentiment_label"
    assert [p.name for p in tmp_path.iterdir()] == ["texts.csv"]


def test_header_only_file_gives_an_empty_scored_file(tmp_path: Path) -> None:
    path, out = tmp_path / "in.csv", tmp_path / "out.csv"
    path.write_text("id,body\n")
    assert score_csv(path, "body", out) == 0
    assert out.read_text() == "id,body,sentiment_score,sentiment_label\n"


@pytest.mark.parametrize(
    ("content", "column", "expected"),
    [
        ("id,body\n1,hi\n", "text", "no column 'text'; the file has 'id', 'body'"),
        ("", "text", "the file is empty"),
        ("id,sentiment_score,body\n1,2,hi\n", "body", "already has column(s) sentiment_score"),
        (None, "text", "no such file"),
    ],
    ids=["missing column", "empty file", "column clash", "missing file"],
)
def test_user_mistakes_exit_2_with_one_line(
    tmp_path: Path, capsys, content: str | None, column: str, expected: str
) -> None:
    path, out = tmp_path / "in.csv", tmp_path / "out.csv"
    if content is not None:
        path.write_text(content)
    assert main(["sentiment", "--in", str(path), "--text-column", column, "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert expected in err and err.count("\n") == 0
    assert not out.exists()
