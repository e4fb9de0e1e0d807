"""Past one machine: the product's data as a Parquet lake and its queries on Apache Spark.

lake.py exports a DuckDB database to Parquet with a manifest; transpile.py turns the same queries/*.sql into Spark SQL
(table macros expanded, DuckDB-only constructs rewritten once in the AST); engine.py runs them on a Spark session over
the lake; build.py derives the lake's conversations and derived tables on Spark; compare.py times both engines.
Nothing imports this package except the CLI and the app, and only with DASHBOARD_ENGINE=spark (engine.py then registers
itself with dashboard.db.sql), so the rest of the product never needs Java.

May import: core, db, sentiment, report."""
