"""Shared vocabulary every layer may import: user-facing errors, the display time zone, the metric definitions
registry, paths and terminal progress.

May import: nothing from the package."""
