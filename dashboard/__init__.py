"""Incident analytics for social customer care: data access, metrics, models and the command line.

One subpackage per subsystem; each __init__ docstring says what it owns and which subpackages it may import
(tests/test_architecture.py checks it). The names below are kept here for callers of the package's first layout.
"""

from dashboard.core.paths import DEFAULT_DB, PROJECT_DIR, database_path

__all__ = ["DEFAULT_DB", "PROJECT_DIR", "database_path"]
