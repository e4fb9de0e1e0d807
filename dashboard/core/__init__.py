"""Shared vocabulary every layer may import: user-facing errors, the display time zone, metric definitions.

Imports nothing else from the package."""
