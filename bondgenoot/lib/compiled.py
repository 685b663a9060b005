"""Queries compiled once per database connection, then run again with new values.

Building a queryset and compiling it to SQL costs Django about 0.3 ms a query, on every
request, although the SQL of a page's fixed queries is the same every time but for its
values: on the family page that was about a third of its Python calls
(docs/performance.md). ``CompiledQuery`` builds and compiles its queryset once per
connection and per number of values, then runs the same SQL with the new values through
Django's own iteration (model instances, ``select_related``, converters as usual).

The one rule: ``build`` is a pure function of its values. It must not read the time,
a setting, the language, the user or anything else that can change while the process
runs: the SQL compiled first is kept. The first compile checks what it can by compiling
a second time with made-up values of the same type: the SQL must be the same and the
parameters must differ exactly where the values go (a time read inside ``build`` fails
here). Under tests (``settings.CHECK_COMPILED_QUERIES``) every run also builds and
compiles afresh and compares, so a query whose shape depends on other state fails the
suite when a test runs it in another state. Never for a query that carries an access
rule: its SQL depends on the user's roles.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connections, models

# Value lists longer than this are built and compiled as usual (a compiled query is kept
# per list length; the family page's are one to a few dozen long).
MAX_VALUES = 64


@dataclass(frozen=True)
class _Compiled:
    queryset: Any  # the QuerySet as first built
    compiler: Any
    sql: str
    params: tuple[Any, ...]
    slots: list[int]  # where the values go among ``params``, in order


class CompiledQuery:
    """``build(values)`` as a list, compiled once per connection and number of values.

    ``field`` is the field the values are compared with (``Pupil.family`` for
    ``family_id__in``): it turns them into query parameters as Django would."""

    def __init__(self, build: Callable[[list[Any]], Any], field: Any) -> None:
        self.build = build
        self.field = field.target_field if isinstance(field, models.ForeignKey) else field
        self.db: str | None = None  # the database alias the queryset reads from

    def __call__(self, values: Iterable[Any]) -> list[Any]:
        values = list(dict.fromkeys(values))  # as the ``in`` lookup: each value once
        if not values:
            return []
        if len(values) > MAX_VALUES:
            queryset = self.build(values)
            self.db = self.db or queryset.db
            return list(queryset)
        compiled = self._compiled(values)
        connection = compiled.compiler.connection
        params = list(compiled.params)
        for slot, value in zip(compiled.slots, values, strict=True):
            params[slot] = self.field.get_db_prep_value(value, connection)
        sql, bound = compiled.sql, tuple(params)
        if settings.CHECK_COMPILED_QUERIES:
            fresh = self.build(values)
            if fresh.query.get_compiler(fresh.db).as_sql() != (sql, bound):
                raise AssertionError("a compiled query depends on more than its values")
        # Django's iteration, with a compiler that gives this SQL instead of compiling.
        frozen = copy.copy(compiled.compiler)
        frozen.as_sql = lambda *args, **kwargs: (sql, bound)
        query = copy.copy(compiled.queryset.query)
        query.get_compiler = lambda *args, **kwargs: frozen
        run = compiled.queryset._chain()
        iterable = run._iterable_class  # the ``query`` setter would make it ValuesIterable
        run.query = query
        run._iterable_class = iterable
        return list(run)

    def _compiled(self, values: list[Any]) -> _Compiled:
        probe = None
        if self.db is None:
            probe = self.build(values)
            self.db = probe.db
        connection = connections[self.db]
        # Kept on the connection object: one per thread, as Django's connections are.
        kept: dict[tuple[CompiledQuery, int], _Compiled] = connection.__dict__.setdefault(
            "_compiled_queries", {}
        )
        key = (self, len(values))
        if key not in kept:
            probe = probe if probe is not None else self.build(values)
            compiled = _compile(probe, self.build(_made_up(self.field, values)))
            expected = [self.field.get_db_prep_value(v, connection) for v in values]
            if [compiled.params[slot] for slot in compiled.slots] != expected:
                raise ValueError("a compiled query depends on more than its values (or field)")
            kept[key] = compiled
        return kept[key]


def _compile(queryset: Any, other: Any) -> _Compiled:
    """``queryset`` compiled; ``other`` is the same query built with other values: the
    values go where their parameters differ."""
    compiler = queryset.query.get_compiler(queryset.db)
    sql, params = compiler.as_sql()
    other_sql, other_params = other.query.get_compiler(other.db).as_sql()
    if other_sql != sql or len(other_params) != len(params):
        raise ValueError("a compiled query depends on more than its values")
    slots = [i for i, (a, b) in enumerate(zip(params, other_params, strict=True)) if a != b]
    return _Compiled(queryset, compiler, sql, tuple(params), slots)


def _made_up(field: Any, values: list[Any]) -> list[Any]:
    """As many values as ``values``, of the field's type, that are none of them."""
    if isinstance(field, models.UUIDField):
        return [uuid.uuid4() for _ in values]
    if isinstance(field, models.IntegerField):
        top = max(values)
        return [top + 1 + i for i in range(len(values))]
    if isinstance(field, models.CharField):
        return [f"{v}\x00made-up" for v in values]
    raise TypeError(f"no made-up values for {type(field).__name__}")
