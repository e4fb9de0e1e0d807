"""The project documents itself: no reference to a brief the user does not have, no path to a module that no longer
exists, and every local link in the README and docs/ resolves."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
MODULE_PATH = re.compile(r"\bdashboard/[a-z_/]+\.(?:py|toml)\b")
LINK = re.compile(r"\]\(([^)#:]+)(?:#[^)]*)?\)")


def _tracked() -> list[Path]:
    """Every file git knows in the project (or, outside a checkout, every text file beside the tests)."""
    try:
        listed = subprocess.run(["git", "ls-files"], cwd=PROJECT, capture_output=True, text=True, check=True).stdout
        return [PROJECT / name for name in listed.splitlines() if (PROJECT / name).is_file()]
    except (OSError, subprocess.CalledProcessError):
        return [path for path in PROJECT.rglob("*") if path.is_file() and ".git" not in path.parts]


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError):
        return ""


def test_nothing_cites_a_document_the_user_does_not_have():
    brief = "PRODUCT" + ".md"  # spelled apart so this file does not cite it either
    citing = [str(path.relative_to(PROJECT)) for path in _tracked() if brief in _text(path)]
    assert not citing, f"{brief} is not shipped; point at README.md or docs/ instead: {citing}"


def test_every_module_path_named_in_code_and_docs_exists():
    places = [PROJECT / "README.md", PROJECT / "streamlit_app.py", *(PROJECT / "docs").glob("*.md")]
    places += [
        *(PROJECT / "dashboard").rglob("*.py"),
        *(PROJECT / "pages").glob("*.py"),
        *(PROJECT / "queries").rglob("*.sql"),
    ]
    missing = {
        f"{path.relative_to(PROJECT)}: {name}"
        for path in places
        for name in MODULE_PATH.findall(_text(path))
        if not (PROJECT / name).exists()
    }
    assert not missing, f"paths to modules that do not exist: {sorted(missing)}"


def test_local_links_in_the_readme_and_docs_resolve():
    for path in [PROJECT / "README.md", *(PROJECT / "docs").glob("*.md")]:
        for target in LINK.findall(_text(path)):
            assert (path.parent / target).exists(), f"{path.relative_to(PROJECT)} links to missing {target}"
