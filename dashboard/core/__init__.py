"""Shared vocabulary every layer may import: user-facing errors, the display time zone, the metric definitions
registry, paths, terminal progress, and what reaches a screen (safe_text: data shown as text and CSV without
formulas; display: missing and thin figures).

May import: nothing from the package."""
