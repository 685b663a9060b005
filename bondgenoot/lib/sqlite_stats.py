"""Statistics for new indexes, for migrations that add them (SQLite only).

SQLite chooses between a table's indexes by ``sqlite_stat1``: with rows for the other
indexes and none for a new one, it took the new one where an old one was better (the
month summaries' school index for a mentor's few families: a school's months instead of
theirs). So a migration that adds an index analyzes its table, where SQLite keeps
statistics for the table already. PostgreSQL keeps statistics per column, not per
index; a database never analyzed keeps none (ANALYZE of an empty table would record it
as empty).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def analyze_if_analyzed(*tables: str) -> Callable[[Any, Any], None]:
    """A ``RunPython`` function that analyzes these tables where SQLite has statistics
    for them."""

    def run(apps: Any, schema_editor: Any) -> None:
        connection = schema_editor.connection
        if connection.vendor != "sqlite":
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'"
            )
            if cursor.fetchone() is None:
                return
            for table in tables:
                cursor.execute("SELECT 1 FROM sqlite_stat1 WHERE tbl = %s LIMIT 1", [table])
                if cursor.fetchone() is not None:
                    cursor.execute(f"ANALYZE {table}")

    return run
