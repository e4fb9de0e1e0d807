"""The page registry (dashboard/app/pages.py) is the one list of pages: every page file is in it once, under the title
its frame shows, at Streamlit's URL path, with the queries its code names."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from dashboard.app import pages
from dashboard.db import sql

PROJECT = Path(__file__).resolve().parents[2]


def _calls(path: Path, function: str) -> list[ast.Call]:
    """Every call of `function` (by name) in a page script."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node for node in ast.walk(tree) if isinstance(node, ast.Call) and getattr(node.func, "id", None) == function
    ]


def _literal(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def test_every_page_file_is_registered_once():
    on_disk = {"streamlit_app.py", *(f"pages/{path.name}" for path in (PROJECT / "pages").glob("*.py"))}
    registered = [page.file for page in pages.PAGES]
    assert sorted(registered) == sorted(on_disk)
    assert pages.PAGES[0].file == "streamlit_app.py"  # the entry page comes first in the sidebar
    assert len({page.title for page in pages.PAGES}) == len(pages.PAGES)


@pytest.mark.parametrize("page", pages.PAGES, ids=lambda page: page.title)
def test_a_page_frames_itself_with_its_registered_title_and_path(page):
    frames = _calls(PROJECT / page.file, "page_frame")
    assert len(frames) == 1, f"{page.file} should call page_frame once"
    assert _literal(frames[0].args[0]) == page.title
    assert page.url_path == ("" if page.file == "streamlit_app.py" else Path(page.file).stem)
    assert page.icon.startswith(":material/") and page.icon.endswith(":")


@pytest.mark.parametrize("page", pages.PAGES, ids=lambda page: page.title)
def test_the_queries_a_page_names_are_registered_and_exist(page):
    named = {_literal(call.args[0]) for call in _calls(PROJECT / page.file, "query") if call.args}
    registered = {name for name, _ in pages.calls(page.title)}
    assert named - {None} <= registered, f"{page.file} runs queries its registry entry does not list"
    assert registered <= set(sql.query_names())


def test_an_unknown_page_title_is_named():
    with pytest.raises(KeyError, match="Nowhere"):
        pages.page("Nowhere")
