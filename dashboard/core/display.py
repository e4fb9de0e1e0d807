"""How a figure reads on screen when it is missing or rests on very few conversations (plain Python).

A missing value (None, NaN, pandas NA, ±inf) is shown as MISSING, never as "nan", "inf" or "None"; the caller puts the
reason in the tooltip. A rate from a base under SMALL_BASE shows its base next to it ("0% (n=1)") and its tile is
greyed, so one conversation cannot pass for a trend.
"""

from __future__ import annotations

import math
from typing import Any

MISSING = "—"
SMALL_BASE = 20
SMALL_BASE_NOTE = f"Fewer than {SMALL_BASE} in the base: a rate this thin moves a lot by chance."


def number(value: Any) -> float | None:
    """A finite float, or None for a missing or non-finite value (None, NaN, NA, inf)."""
    if value is None:
        return None
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def formatted(value: Any, fmt: str = "{:,.0f}") -> str:
    """`value` in format `fmt` (a str.format pattern), or MISSING."""
    value = number(value)
    return MISSING if value is None else fmt.format(value)


def is_small(base: Any) -> bool:
    """Whether a rate's base (its denominator count) is too small to read on its own; a missing base is not small."""
    base = number(base)
    return base is not None and base < SMALL_BASE


def with_base(text: str, base: Any) -> str:
    """A formatted rate with its base appended when the base is small: '0% (n=1)'."""
    return f"{text} (n={number(base):,.0f})" if text != MISSING and is_small(base) else text
