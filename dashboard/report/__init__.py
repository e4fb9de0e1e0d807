"""The incident-versus-normal report: numbers (JSON), the plain-language summary and tiles, and the HTML report.

May import dashboard.core, db, metrics and charts."""
