"""Every SQL statement of the import lives in queries/ (one file each, two-line header), none in Python strings."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dashboard.db import sql

PACKAGE = Path(__file__).resolve().parents[2] / "dashboard" / "ingest"
FOLDERS = ("ingest", "derived")
STATEMENT_IN_STRING = re.compile(
    r"[\"']\s*(select\s.*\sfrom\s|insert\s+(or\s+\w+\s+)?into\s|update\s+\w+(\s+as\s+\w+)?\s+set\s|delete\s+from\s"
    r"|create\s+(or\s+replace\s+)?(temp\s+)?(table|macro|view)\s|drop\s+(table|view)\s|with\s+\w+\s+as\s+\(|set\s+\w+\s*=)"
)
# The facts and coverage tables (queries/derived/) belong to the schema module, not to the import.
OTHERS = ("conversation_facts", "coverage_days")
NAMED = re.compile(r"[\"']((?:ingest|derived)/\w+)[\"']")


def statement_files() -> list[Path]:
    paths = (path for folder in FOLDERS for path in (sql.QUERIES_DIR / folder).glob("*.sql"))
    return sorted(path for path in paths if path.stem not in OTHERS)


def package_source() -> str:
    return "\n".join(path.read_text() for path in sorted(PACKAGE.parent.rglob("*.py")))


@pytest.mark.parametrize("module", sorted(PACKAGE.glob("*.py")), ids=lambda path: path.name)
def test_ingest_modules_hold_no_sql(module: Path) -> None:
    found = STATEMENT_IN_STRING.findall(module.read_text())
    assert not found, f"{module.name} runs SQL from a Python string ({found}); move it to queries/ingest/"


def test_every_named_statement_exists() -> None:
    for name in set(NAMED.findall(package_source())):
        assert sql.query_text(name), name


@pytest.mark.parametrize("path", statement_files(), ids=lambda path: f"{path.parent.name}/{path.stem}")
def test_statement_files_have_a_header_and_are_used(path: Path) -> None:
    lines = path.read_text().splitlines()
    assert lines[0].startswith("-- ") and any(line.startswith("-- Params:") for line in lines[:6]), path.name
    name = f"{path.parent.name}/{path.stem}"
    assert name in package_source(), f"{name} is not run by the package"


def test_page_query_names_leave_out_the_statement_folders() -> None:
    assert not any("/" in name for name in sql.query_names())
    assert "conversations_count" not in sql.query_names()
