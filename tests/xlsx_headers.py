"""Finding a table's header in a worksheet read back, one line or two (group labels above their columns' labels,
the other columns' labels merged down both lines)."""

from __future__ import annotations


def flat_header(top: list, bottom: list) -> list:
    """Each column's own label: the lower line's, or the upper line's where a label is merged down both."""
    return [b if b is not None else t for t, b in zip(top, bottom, strict=False)]


def header_end(values: list[list], columns: list[str]) -> int:
    """Index (0-based, into `values`) of the last line of the header whose column labels are `columns`."""
    n = len(columns)
    for i, row in enumerate(values):
        if list(row[:n]) == columns:
            return i
        if i and flat_header(list(values[i - 1][:n]), list(row[:n])) == columns and any(v is None for v in row[:n]):
            return i
    raise AssertionError(f"no header {columns}")
