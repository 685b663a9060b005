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

``compiled_sql`` is the same idea for a query of several values (moments, numbers,
lists of them) whose SQL also depends on other things the caller names in a key: for
example the SQL of the families in view, access rule included. It gives the SQL and
parameters, for a query the caller runs itself.
"""

from __future__ import annotations

import copy
import uuid
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
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


# Kept per connection: the last this many keys (a key names, e.g., the SQL of one user's
# families in view, so there are as many as users of a page).
MAX_KEYS = 256


@dataclass(frozen=True)
class _Template:
    sql: str
    params: tuple[Any, ...]
    # Per value of ``values``: where its parameters go (a list value: one per element).
    slots: list[list[int]]


def compiled_sql(
    key: Hashable, build: Callable[..., Any], values: Sequence[Any], using: str
) -> tuple[str, tuple[Any, ...]]:
    """The SQL and parameters of ``build(*values)`` (a queryset of database ``using``),
    built and compiled once per connection and ``key``, then given new values. ``key``
    names the query and everything else its SQL depends on (the length of a list value
    included); each value is a moment, a date, a whole number, a UUID or a list of
    them, compared as itself in the query.

    The first compile builds the query once more per value, with that value made up,
    and refuses a query whose SQL changes with a value or whose parameters do not
    change where that value goes (``ValueError``). Under tests every call also builds
    and compiles afresh and compares (``CHECK_COMPILED_QUERIES``): a key that leaves
    something out fails there. Raises ``EmptyResultSet`` as compiling does, for a query
    that can have no rows."""
    connection = connections[using]
    kept: OrderedDict[Hashable, _Template] = connection.__dict__.setdefault(
        "_compiled_templates", OrderedDict()
    )
    template = kept.get(key)
    if template is None:
        template = kept[key] = _template(build, values, using)
        while len(kept) > MAX_KEYS:
            kept.popitem(last=False)
    else:
        kept.move_to_end(key)
    params = list(template.params)
    for value, slots in zip(values, template.slots, strict=True):
        for slot, prepared in zip(slots, _prepared(value, connection), strict=True):
            params[slot] = prepared
    sql, bound = template.sql, tuple(params)
    if settings.CHECK_COMPILED_QUERIES:
        fresh = build(*values)
        if fresh.query.get_compiler(using).as_sql() != (sql, bound):
            raise AssertionError("a compiled query depends on more than its values and key")
    return sql, bound


def _template(build: Callable[..., Any], values: Sequence[Any], using: str) -> _Template:
    connection = connections[using]
    sql, params = build(*values).query.get_compiler(using).as_sql()
    slots = []
    for i, value in enumerate(values):
        other = list(values)
        other[i] = _made_up_value(value, values)
        other_sql, other_params = build(*other).query.get_compiler(using).as_sql()
        if other_sql != sql or len(other_params) != len(params):
            raise ValueError("a compiled query depends on more than its values and key")
        changed = [j for j, (a, b) in enumerate(zip(params, other_params, strict=True)) if a != b]
        expected = _prepared(value, connection)
        if [params[j] for j in changed] != expected or [
            other_params[j] for j in changed
        ] != _prepared(other[i], connection):
            raise ValueError("a compiled query's parameters are not its values")
        slots.append(changed)
    return _Template(sql, tuple(params), slots)


def _prepared(value: Any, connection: Any) -> list[Any]:
    """The query parameters of a value, as Django's lookups give them."""
    if isinstance(value, list | tuple):
        return [p for element in value for p in _prepared(element, connection)]
    if isinstance(value, uuid.UUID):
        return [models.UUIDField().get_db_prep_value(value, connection)]
    if isinstance(value, datetime):
        return [connection.ops.adapt_datetimefield_value(value)]
    if isinstance(value, date):
        return [connection.ops.adapt_datefield_value(value)]
    if isinstance(value, int) and not isinstance(value, bool):
        return [value]
    raise TypeError(f"no compiled parameters for {type(value).__name__}")


def _made_up_value(value: Any, values: Sequence[Any]) -> Any:
    """A value of the same type (a list: of the same length) that is none of ``values``
    nor any of their elements."""
    taken = {v for v in values if not isinstance(v, list | tuple)}
    taken |= {e for v in values if isinstance(v, list | tuple) for e in v}
    if isinstance(value, list | tuple):
        made_up: list[Any] = []
        for element in value:
            made_up.append(_made_up_value(element, [*taken, *made_up]))
        return made_up
    if isinstance(value, uuid.UUID):
        return uuid.uuid4()
    step: Any = timedelta(microseconds=7) if isinstance(value, datetime) else None
    step = timedelta(days=7) if step is None and isinstance(value, date) else step
    step = 7919 if step is None and isinstance(value, int) else step
    if step is None:
        raise TypeError(f"no made-up values for {type(value).__name__}")
    made = value + step
    while made in taken:
        made += step
    return made
