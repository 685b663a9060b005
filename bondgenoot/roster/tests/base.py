"""Made-up fixture files (tests/fixtures) and helpers to vary them per test."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

from django.db import connection
from django.test.utils import CaptureQueriesContext

FIXTURES = Path(__file__).parent / "fixtures"
ONEROSTER = FIXTURES / "oneroster"


def oneroster_zip(**edits: Callable[[str], str] | None) -> bytes:
    """The OneRoster fixture as a zip; ``users_csv=lambda t: ...`` edits a file,
    ``roles_csv=None`` leaves it out."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(ONEROSTER.glob("*.csv")):
            key = path.name.replace(".", "_")
            text = path.read_text(encoding="utf-8")
            if key in edits:
                edit = edits[key]
                if edit is None:
                    continue
                text = edit(text)
            archive.writestr(path.name, text)
    return buffer.getvalue()


def without_line(starting: str) -> Callable[[str], str]:
    return lambda text: "".join(
        line for line in text.splitlines(True) if not line.startswith(starting)
    )


def replace(old: str, new: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        assert old in text, old
        return text.replace(old, new)

    return edit


def writes_during(fn: Callable[[], object]) -> list[str]:
    """The INSERT, UPDATE and DELETE statements ``fn`` runs (on PostgreSQL an audit entry
    is one ``WITH moved AS (UPDATE ...) INSERT ...``: ``audit.log``)."""
    with CaptureQueriesContext(connection) as queries:
        fn()
    return [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE", "WITH MOVED AS"))
    ]
