"""Past one machine: the product's data as a Parquet lake and its queries on Apache Spark.

lake.py exports a DuckDB database to Parquet with a manifest; transpile.py turns the same queries/*.sql into Spark SQL
(table macros expanded, DuckDB-only constructs rewritten once in the AST); engine.py runs them on a Spark session over
the lake; build.py derives the lake's conversation_facts on Spark. May import dashboard.sql, dashboard.errors,
dashboard.sentiment and dashboard.schema; nothing imports this package except the CLI and dashboard.sql's engine switch.
pyspark is imported lazily, so the rest of the product never needs Java.
"""
