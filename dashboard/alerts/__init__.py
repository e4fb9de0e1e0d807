"""Finding incidents in the data: detection, alert rules with their webhook, and the alert backtest.

May import dashboard.core and dashboard.db."""
