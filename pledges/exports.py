"""What every export (CSV now, any later format) does to its cells before writing them."""

from __future__ import annotations

from collections.abc import Iterable

# Spreadsheet apps run a cell that starts with one of these as a formula (a tab or carriage
# return before one is skipped by some of them, so those lead off a formula too).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """A text cell that cannot run as a formula: prefixed with an apostrophe, which
    spreadsheets show as text and hide. Numbers and dates are left as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def spreadsheet_row(values: Iterable[object]) -> list[object]:
    return [spreadsheet_safe(value) for value in values]
