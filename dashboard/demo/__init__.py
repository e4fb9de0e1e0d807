"""The demo data generator: customers, conversations and texts with planted incidents, loaded like an import.

May import dashboard.core, db, sentiment and ingest."""
