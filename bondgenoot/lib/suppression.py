"""Small-cell suppression with complementary suppression, for published tables of counts.

A published table is a set of numbers (``values``: key -> count) and the sums that tie
them together (``equations``: total key -> the keys it is the sum of: a row and its
total, a column and its total, a margin shared by two tables). Anyone who reads the
page knows these equations, so hiding a small count is not enough: "the total minus
every shown cell" would give it back. ``protect`` decides what to hide:

1. primary: every count below ``threshold`` (shown as "< 10");
2. complementary: more cells, until no hidden number can be worked out from what is
   shown. Two attacks are closed, each until nothing changes:
   - one line at a time, with bounds: a hidden count below the threshold lies in
     0..threshold-1, a complementary one is at least the threshold (the reader can tell
     them apart) and at most the line's total; no hidden count may have one possible value;
   - all lines together, without bounds: no hidden count may be a linear combination
     of the shown ones (exact elimination over the hidden counts, modulo a large prime,
     in reduced row echelon form: a count is determined exactly when its unit vector
     lies in the span of the equations).
   The complementary cell is always the smallest shown part of the line concerned (the
   least information lost), ties by key order, so the result is deterministic: the
   same figures always hide the same cells (which matters when a page is read twice).

What this module does not do: it knows nothing of time. Figures that change between
two readings (a month that is not over yet, a window that moves) can be subtracted from
each other; callers only publish periods that no longer change (see patterns).
No models here.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

THRESHOLD = 10
SMALL = "small"  # below the threshold: shown as "< 10"
COMPLEMENT = "complement"  # hidden so that a small one cannot be worked out

_PRIME = (1 << 61) - 1

Key = Hashable


@dataclass(frozen=True)
class Equation:
    total: Key
    parts: tuple[Key, ...]


def equations_for_grid(
    rows: Sequence[Key],
    columns: Sequence[Key],
    cell: Callable[[Key, Key], Key],
    row_total: Callable[[Key], Key],
    column_total: Callable[[Key], Key],
    grand: Key,
) -> list[Equation]:
    """The equations of a grid with its margins: each row sums to its row total, each
    column to its column total, and both margins to the grand total. ``cell(r, c)``,
    ``row_total(r)`` and ``column_total(c)`` give the keys."""
    eqs = [Equation(row_total(r), tuple(cell(r, c) for c in columns)) for r in rows]
    eqs += [Equation(column_total(c), tuple(cell(r, c) for r in rows)) for c in columns]
    eqs.append(Equation(grand, tuple(row_total(r) for r in rows)))
    eqs.append(Equation(grand, tuple(column_total(c) for c in columns)))
    return eqs


def protect(
    values: Mapping[Key, int], equations: Iterable[Equation], threshold: int = THRESHOLD
) -> dict[Key, str]:
    """{key: SMALL | COMPLEMENT} for every count that must not be shown."""
    eqs = [e for e in equations if e.parts]
    hidden: dict[Key, str] = {k: SMALL for k, v in values.items() if v < threshold}
    order = {k: i for i, k in enumerate(values)}

    def smallest_visible(keys: Iterable[Key]) -> Key | None:
        shown = [k for k in keys if k not in hidden]
        return min(shown, key=lambda k: (values[k], order[k])) if shown else None

    def hide_partner(eq: Equation) -> bool:
        partner = smallest_visible(eq.parts)
        if partner is None and eq.total not in hidden:
            partner = eq.total
        if partner is None:
            return False
        hidden[partner] = COMPLEMENT
        return True

    while True:
        changed = True
        while changed:
            changed = False
            for eq in eqs:
                if _line_discloses(eq, values, hidden, threshold) and hide_partner(eq):
                    changed = True
        determined = _determined(values, eqs, hidden)
        if not determined:
            return hidden
        target = min(determined, key=lambda k: order[k])
        for eq in eqs:
            if (target == eq.total or target in eq.parts) and hide_partner(eq):
                break
        else:  # every number in its equations is hidden already: cannot happen
            raise AssertionError("a hidden count is determined but nothing is left to hide")


def _line_discloses(
    eq: Equation, values: Mapping[Key, int], hidden: Mapping[Key, str], threshold: int
) -> bool:
    """Whether this one line lets a reader pin a hidden number down."""
    line = [eq.total, *eq.parts]
    hidden_here = [k for k in line if k in hidden]
    if not hidden_here:
        return False
    if len(hidden_here) == 1:
        return True
    if eq.total in hidden:
        return False  # with the total hidden too, bounds alone pin nothing down here
    rest = values[eq.total] - sum(values[k] for k in eq.parts if k not in hidden)
    ranges = [_bounds(hidden[k], threshold, values[eq.total]) for k in eq.parts if k in hidden]
    low_sum = sum(lo for lo, _hi in ranges)
    high_sum = sum(hi for _lo, hi in ranges)
    for lo, hi in ranges:
        # this number's range given that the others stay within theirs
        can_low = max(lo, rest - (high_sum - hi))
        can_high = min(hi, rest - (low_sum - lo))
        if can_low >= can_high:
            return True
    return False


def _bounds(kind: str, threshold: int, total: int) -> tuple[int, int]:
    return (0, threshold - 1) if kind == SMALL else (threshold, max(total, threshold))


def _determined(
    values: Mapping[Key, int], eqs: list[Equation], hidden: Mapping[Key, str]
) -> list[Key]:
    """Hidden numbers that the equations fix exactly (linear algebra, no bounds)."""
    index = {k: i for i, k in enumerate(k for k in values if k in hidden)}
    if not index:
        return []
    rows: list[dict[int, int]] = []
    for eq in eqs:
        row: dict[int, int] = {}
        for key, sign in ((eq.total, -1), *((p, 1) for p in eq.parts)):
            if key in index:
                j = index[key]
                row[j] = (row.get(j, 0) + sign) % _PRIME
        row = {j: v for j, v in row.items() if v}
        if row:
            rows.append(row)
    pivots: dict[int, dict[int, int]] = {}  # pivot column -> its row (reduced)
    for row in rows:
        row = dict(row)
        for col in sorted(row):
            if col in pivots and col in row:
                _subtract(row, pivots[col], row[col])
        if not row:
            continue
        col = min(row)
        inv = pow(row[col], _PRIME - 2, _PRIME)
        row = {j: v * inv % _PRIME for j, v in row.items()}
        for other in pivots.values():
            if col in other:
                _subtract(other, row, other[col])
        pivots[col] = row
    keys = list(index)
    return [keys[col] for col, row in pivots.items() if len(row) == 1]


def _subtract(target: dict[int, int], source: dict[int, int], factor: int) -> None:
    for j, v in source.items():
        new = (target.get(j, 0) - factor * v) % _PRIME
        if new:
            target[j] = new
        else:
            target.pop(j, None)
