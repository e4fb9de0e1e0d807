"""The Streamlit layer: the only code that imports streamlit (data access with caching, the page frame, filters,
drill-down), plus the page registry and the bench that times it.

May import: core, db, sentiment, ingest, demo, metrics, charts, churn, alerts, report, spark."""
