"""Finding incidents in the data: detection, alert rules with their webhook, and the alert backtest.

May import: core, db."""
