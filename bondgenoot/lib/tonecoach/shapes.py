"""Shapes shared by the tone coach's modules."""

from __future__ import annotations

from collections.abc import Callable

Token = tuple[int, int, str]  # start, end, word
Span = tuple[int, int]  # start, end of a sentence
SameClause = Callable[[int, int], bool]
Add = Callable[[int, int], None]
