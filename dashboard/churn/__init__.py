"""The churn model: features, training, evaluation and scoring.

May import: core, db."""
