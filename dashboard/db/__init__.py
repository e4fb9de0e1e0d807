"""The database: connecting, the schema and its migrations, and the SQL runner over queries/*.sql.

May import: core."""
