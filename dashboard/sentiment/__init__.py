"""Care-VADER, the product's sentiment analyzer, its evaluation and the `sentiment` command.

May import: core."""
