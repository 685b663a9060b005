"""One URL pattern reversed for a whole page of objects."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

_STAND_IN = "00000000-0000-0000-0000-000000000000"


def reverser(name: str) -> Callable[[object], str]:
    """``lambda pk: reverse(name, args=[pk])`` for a URL with one ``<uuid:...>``
    argument, at the cost of one ``reverse``: the pattern is reversed once with a
    stand-in id, and each id is put in its place. A list reversing two URLs per card
    spent about 2 ms of 25 cards in ``reverse``."""
    head, tail = reverse(name, args=[_STAND_IN]).split(_STAND_IN)
    return lambda pk: f"{head}{pk}{tail}"
