"""The incident-versus-normal report: summary.py (words, tiles, tables), html.py (the HTML page) and build.py (the
queries and the one builder behind the CLI and the pages' downloads), imported in that order, never back.

May import: core, db, metrics, charts."""
