"""Fast inserts of many rows, for seeding scale data.

``Model.objects.bulk_create`` spends most of its time building model instances and
converting every value through the field machinery. For hundreds of thousands of rows
we write plain tuples instead: ``COPY`` on PostgreSQL and ``executemany`` on SQLite.
Values must already be in Python form (UUID, aware datetime, str, bool, int, None).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from django.db import connection
from django.db.models import Model


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return value.hex
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def bulk_insert(
    model: type[Model], columns: Sequence[str], rows: list[tuple[Any, ...]], batch: int = 5000
) -> None:
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        placeholders = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({names}) VALUES ({placeholders})"
        for start in range(0, len(rows), batch):
            cursor.executemany(
                sql, [tuple(_sqlite_value(v) for v in row) for row in rows[start : start + batch]]
            )
