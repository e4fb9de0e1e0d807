"""Finding incidents in the data: detection, alert rules with their webhook, the alert backtest, and the detection
benchmark (evaluate.py), which builds held-out databases through the importer and the demo generator.

May import: core, db, ingest, demo."""
