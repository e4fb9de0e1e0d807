"""Plain-Python measures on aggregated query results: intervals, time to recover, staffing, surging terms.

May import: core."""
