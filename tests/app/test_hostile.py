"""Hostile data never renders as markup and never leaves as a spreadsheet formula: every page, run in AppTest on a
database whose accounts, channels, priorities, incidents, customers, conversation and agent ids and texts are
Markdown links and images, HTML tags, javascript: URLs and formulas; every download it offers is collected."""

from __future__ import annotations

import io

import pandas as pd
import pytest
import streamlit
from streamlit.delta_generator import DeltaGenerator
from streamlit.testing.v1 import AppTest

from dashboard.app.pages import PAGES
from dashboard.core.safe_text import FORMULA_STARTS
from tests.app import hostile_data as hostile

TIMEOUT = 120


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory):
    """The hostile demo database (shared by this module's tests, read only)."""
    return hostile.build_hostile(tmp_path_factory.mktemp("hostile") / "hostile.duckdb")


@pytest.fixture
def downloads(monkeypatch) -> list[tuple[str, bytes]]:
    """Every download button's (label, file bytes) while a page runs; deferred files are built, as a click would."""
    seen: list[tuple[str, bytes]] = []
    original = DeltaGenerator.download_button

    def recording(self, label, data, *args, **kwargs):
        content = data() if callable(data) else data
        seen.append((label, content.encode("utf-8") if isinstance(content, str) else bytes(content)))
        return original(self, label, data, *args, **kwargs)

    monkeypatch.setattr(DeltaGenerator, "download_button", recording)
    monkeypatch.setattr(streamlit, "download_button", lambda *a, **k: recording(streamlit._main, *a, **k))
    return seen


def run_page(path: str, db, monkeypatch, **query_params: str) -> AppTest:
    """Open `path` on database `db` with these URL parameters; no exception allowed."""
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    at = AppTest.from_file("../../streamlit_app.py", default_timeout=TIMEOUT)
    at.query_params.update(query_params)
    at.run()
    if path != "streamlit_app.py":
        at.switch_page(path).run()
    assert not at.exception, f"{path}: {at.exception}"
    return at


def formula_cells(content: bytes) -> list[str]:
    """The cells of a CSV file a spreadsheet would run as a formula."""
    frame = pd.read_csv(io.BytesIO(content), dtype=str, keep_default_na=False, header=None)
    return [cell for cell in frame.to_numpy().ravel() if cell.startswith(FORMULA_STARTS) and not is_number(cell)]


def is_number(cell: str) -> bool:
    """A negative number is a number, not a formula."""
    try:
        float(cell)
    except ValueError:
        return False
    return True


@pytest.mark.parametrize("path", [page.file for page in PAGES])
def test_hostile_data_renders_as_text_and_exports_without_formulas(hostile_db, downloads, monkeypatch, path):
    params = {"incident": hostile.HOSTILE_INCIDENT}
    if path == "pages/conversations.py":
        params["conversation"] = hostile.HOSTILE_CONVERSATION
    at = run_page(path, hostile_db, monkeypatch, **params)
    problems = hostile.rendered_problems(at)
    assert not problems, f"{path} renders data as markup:\n" + "\n".join(problems[:20])
    csvs = [(label, content) for label, content in downloads if label.endswith("(CSV)") or "CSV" in label]
    assert csvs, f"{path} offers no CSV download"
    for label, content in csvs:
        assert not formula_cells(content), f"{path}: {label!r} exports formulas: {formula_cells(content)[:5]}"
    for label, content in downloads:
        if "HTML" in label:
            text = content.decode("utf-8")
            assert not hostile.html_problems(text), f"{path}: {label!r}: {hostile.html_problems(text)[:5]}"


def test_the_conversations_page_shows_a_hostile_thread_as_text(hostile_db, downloads, monkeypatch):
    at = run_page(
        "pages/conversations.py",
        hostile_db,
        monkeypatch,
        incident=hostile.HOSTILE_INCIDENT,
        conversation=hostile.HOSTILE_CONVERSATION,
    )
    # The thread opened (its subheader names the conversation) and its texts are shown verbatim, as plain text.
    assert any("Click to re" in heading.value for heading in at.subheader), [h.value for h in at.subheader]
    assert any(hostile.ANCHOR in text.value for text in at.text)
    assert not hostile.rendered_problems(at)


def test_a_hostile_link_to_a_missing_conversation_is_named_as_text(hostile_db, monkeypatch):
    at = run_page("pages/conversations.py", hostile_db, monkeypatch, conversation=hostile.IMAGE)
    assert any("No conversation with id" in info.value for info in at.info)
    assert not hostile.rendered_problems(at)


def test_command_line_csv_exports_carry_no_formula(hostile_db, tmp_path):
    from dashboard.churn.scoring import run_command
    from dashboard.sentiment.score_file import score_csv

    scored = tmp_path / "customers.csv"
    run_command(hostile_db, "score", out=scored, top=5)
    assert "'=1+1" in scored.read_text(encoding="utf-8")  # the hostile plan is there, quoted
    assert not formula_cells(scored.read_bytes())

    source = tmp_path / "texts.csv"
    pd.DataFrame({"id": [hostile.COMMAND, "-3", "7"], "text": [hostile.FORMULA, "@brand help", "-1 stars"]}).to_csv(
        source, index=False
    )
    score_csv(source, "text", tmp_path / "scored.csv")
    out = pd.read_csv(tmp_path / "scored.csv", dtype=str)
    assert list(out["id"]) == [f"'{hostile.COMMAND}", "-3", "7"]  # numbers stay numbers
    assert not formula_cells((tmp_path / "scored.csv").read_bytes())


@pytest.mark.parametrize("path", ["streamlit_app.py", "pages/sla.py", "pages/incidents.py"])
def test_hostile_url_parameters_render_as_text(hostile_db, monkeypatch, path):
    params = {
        "from": hostile.LINK,
        "to": hostile.IMG,
        "channel": hostile.IMAGE,
        "account": hostile.ANCHOR,
        "priority": hostile.SCRIPT,
        "incident": hostile.JS_LINK,
        "tz": hostile.BARE_URL,
        "conversation": hostile.LINK,
    }
    at = run_page(path, hostile_db, monkeypatch, **params)
    assert at.title
    problems = hostile.rendered_problems(at)
    assert not problems, f"{path} renders URL parameters as markup:\n" + "\n".join(problems[:20])
