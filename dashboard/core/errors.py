"""Errors that are the user's to fix: the CLI prints them as one line and exits non-zero, with no traceback."""

from __future__ import annotations


class UserError(Exception):
    """A mistake in input or arguments that the user can fix; the message says what to do."""


class InputError(UserError):
    """A problem in an input file, located by file, row (1-based data row, header excluded) and column."""

    def __init__(self, file: str, message: str, row: int | None = None, column: str | None = None):
        self.file, self.row, self.column = file, row, column
        where = file
        if row is not None:
            where += f", row {row}"
        if column is not None:
            where += f", column {column!r}"
        super().__init__(f"{where}: {message}")
