"""The README's "Metric definitions" section, generated from the registry in definitions.py.

`python -m dashboard.core.readme` rewrites the part between the two marker comments; a test checks it is current.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from dashboard.core.definitions import REGISTRY

README = Path(__file__).resolve().parents[2] / "README.md"
MARKUP = (">", "<", "-", "+", "*", "#", "|")
SECTION = re.compile(r"(<!-- definitions: start -->\n)(.*?)(<!-- definitions: end -->)", re.DOTALL)


def readme_section() -> str:
    """The README's definition list: one bullet per registry entry, wrapped at 120 characters."""
    lines = []
    for item in REGISTRY.values():
        words, line = f"- **{item.label}**: {item.text}".split(" "), ""
        for word in words:
            # a continuation line must not start with markdown syntax (a quote, a list item)
            if line and len(line) + 1 + len(word) > 120 and not word.startswith(MARKUP):
                lines.append(line)
                line = "  " + word
            else:
                line = f"{line} {word}" if line else word
        lines.append(line)
    return "\n".join(lines) + "\n"


def write_readme(path: Path = README) -> bool:
    """Rewrite the generated section of the README from the registry; True when the file changed."""
    text = path.read_text(encoding="utf-8")
    if not SECTION.search(text):
        raise SystemExit(f"{path}: no '<!-- definitions: start -->' ... '<!-- definitions: end -->' section")
    updated = SECTION.sub(lambda match: match.group(1) + readme_section() + match.group(3), text)
    path.write_text(updated, encoding="utf-8")
    return updated != text


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else README
    print(f"{target}: metric definitions {'rewritten' if write_readme(target) else 'already current'}")
