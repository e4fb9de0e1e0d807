"""Shared vocabulary every layer may import: user-facing errors, the display time zone, metric definitions, and what
reaches a screen (safe_text: data shown as text and CSV without formulas; display: missing and thin figures).

Imports nothing else from the package."""
