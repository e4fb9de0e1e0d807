"""The demo data generator: customers, conversations and texts with planted incidents, loaded like an import.

May import: core, db, sentiment, ingest."""
