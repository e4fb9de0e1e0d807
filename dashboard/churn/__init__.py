"""The churn model: features, training, evaluation and scoring.

May import dashboard.core and dashboard.db."""
