"""Writing to and verifying the audit log.

``record()`` is called by actions (every write) and by views (every read of a
family page or other sensitive record). The route and method come from the
request being served (see ``middleware.AuditContextMiddleware``), or name the
management command that is running.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from .models import AuditEntry, AuditHead

GENESIS = "0" * 64


@dataclass(frozen=True)
class Route:
    name: str
    method: str = ""


current_route: ContextVar[Route | None] = ContextVar("bondgenoot_audit_route", default=None)


def entry_hash(entry: AuditEntry, prev_hash: str) -> str:
    at = entry.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    payload = json.dumps(
        [
            entry.seq,
            at,
            entry.actor_id,
            entry.school_id,
            entry.action,
            entry.object_type,
            entry.object_id,
            entry.family_id,
            entry.route,
            entry.method,
            entry.detail,
            prev_hash,
        ],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=True,
    )
    return hmac.new(settings.AUDIT_HMAC_KEY.encode(), payload.encode(), hashlib.sha256).hexdigest()


def _infer_family_id(obj) -> str:
    from bondgenoot.people.models import Family

    if isinstance(obj, Family):
        return str(obj.pk)
    family_id = getattr(obj, "family_id", None)
    return str(family_id) if family_id else ""


def entry_for(
    actor,
    action: str,
    obj=None,
    *,
    school_id: int | None = None,
    family_id: str | None = None,
    detail: dict | None = None,
) -> AuditEntry:
    """An unsaved entry (no place in the chain yet): ``record`` or ``record_many`` adds it."""
    route = current_route.get() or Route("")
    return AuditEntry(
        at=timezone.now(),
        actor_id=actor.pk if actor is not None and getattr(actor, "pk", None) else None,
        school_id=school_id if school_id is not None else getattr(obj, "school_id", None),
        action=str(action),
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        family_id=family_id if family_id is not None else _infer_family_id(obj),
        route=route.name[:120],
        method=route.method[:10],  # any token a client sends as its method
        detail=detail or {},
    )


# The head row is read (locked) and moved on with two plain statements: every audited
# page writes an entry, and the ORM's query building for these two fixed statements cost
# about a third of a millisecond per page (docs/performance.md).


def _lock_head() -> tuple[int, str]:
    """The newest entry's number and hash, with the head row locked until the
    transaction ends (``SELECT ... FOR UPDATE``; SQLite locks the whole database for the
    writing transaction anyway). Made on the first entry ever."""
    table = connection.ops.quote_name(AuditHead._meta.db_table)
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT seq, hash FROM {table} WHERE id = 1{lock}")
        row = cursor.fetchone()
    if row is None:
        head, _created = AuditHead.objects.select_for_update().get_or_create(pk=1)
        return head.seq, head.hash
    return int(row[0]), str(row[1])


def _move_head(seq: int, hash_: str) -> None:
    table = connection.ops.quote_name(AuditHead._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET seq = %s, hash = %s WHERE id = 1", [seq, hash_])


def record(
    actor,
    action: str,
    obj=None,
    *,
    school_id: int | None = None,
    family_id: str | None = None,
    detail: dict | None = None,
) -> AuditEntry:
    """Append one entry. Safe to call inside or outside a transaction."""
    entry = entry_for(actor, action, obj, school_id=school_id, family_id=family_id, detail=detail)
    if connection.vendor == "postgresql":
        for _attempt in range(OPTIMISTIC_ATTEMPTS):
            if _append_if_head_is(entry, *_read_head()):
                return entry
    # No savepoint of its own inside a caller's transaction: if the entry cannot be
    # written, the caller's change must not be kept either.
    with transaction.atomic(savepoint=False):
        seq, prev = _lock_head()
        entry.seq = seq + 1
        entry.prev_hash = prev
        entry.hash = entry_hash(entry, prev)
        entry.save()
        _move_head(entry.seq, entry.hash)
    return entry


# On PostgreSQL an entry is appended in one statement, without a transaction of its own:
# the head moves on only if it is still where it was read, and the entry is inserted only
# if it did (a data-modifying WITH; one statement is atomic). Another writer in between
# makes it write nothing, and it reads the head again. Two round trips to the database
# instead of five (begin, lock, insert, move, commit): about 1.5 ms of every audited page
# there (docs/performance.md). After a few lost races it takes the lock as above.
OPTIMISTIC_ATTEMPTS = 5


def _read_head() -> tuple[int, str]:
    """The head as it is now, unlocked (made on the first entry ever)."""
    table = connection.ops.quote_name(AuditHead._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT seq, hash FROM {table} WHERE id = 1")
        row = cursor.fetchone()
    if row is None:
        head, _created = AuditHead.objects.get_or_create(pk=1)
        return head.seq, head.hash
    return int(row[0]), str(row[1])


def _append_if_head_is(entry: AuditEntry, seq: int, prev: str) -> bool:
    entry.seq = seq + 1
    entry.prev_hash = prev
    entry.hash = entry_hash(entry, prev)
    fields = [f for f in AuditEntry._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(f.column)) for f in fields)
    # Typed: the values of an INSERT ... SELECT are not typed by their columns. Text as
    # text, not varchar(n): a cast to varchar(n) cuts a longer value silently (the hash
    # would no longer match the row), where the insert itself refuses it as ``save`` does.
    values = ", ".join(
        f"CAST(%s AS {'text' if isinstance(f, models.CharField) else f.db_type(connection)})"
        for f in fields
    )
    head, entries = quote(AuditHead._meta.db_table), quote(AuditEntry._meta.db_table)
    sql = (
        f"WITH moved AS (UPDATE {head} SET seq = %s, hash = %s WHERE id = 1 AND seq = %s "
        f"RETURNING 1) INSERT INTO {entries} ({columns}) SELECT {values} FROM moved "
        f"RETURNING {quote(str(AuditEntry._meta.pk.column))}"
    )
    params: list[Any] = [entry.seq, entry.hash, seq] + [
        f.get_db_prep_save(getattr(entry, f.attname), connection) for f in fields
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return False
    entry.pk = row[0]
    entry._state.adding = False
    entry._state.db = connection.alias
    return True


def record_many(entries: list[AuditEntry], batch_size: int = 1000) -> list[AuditEntry]:
    """Append many entries (made with ``entry_for``) under one lock of the head: they get
    consecutive numbers, each chained to the one before, and are inserted in bulk. The
    chain is the same as if ``record`` had been called for each in turn, so
    ``verify_audit`` checks them like any other; a concurrent writer waits for the lock
    and continues after the last of them."""
    if not entries:
        return entries
    with transaction.atomic(savepoint=False):
        seq, prev = _lock_head()
        for entry in entries:
            seq += 1
            entry.seq = seq
            entry.prev_hash = prev
            entry.hash = prev = entry_hash(entry, prev)
        AuditEntry.objects.bulk_create(entries, batch_size=batch_size)
        _move_head(seq, prev)
    return entries


@dataclass
class Problem:
    seq: int
    message: str


def verify() -> tuple[int, list[Problem]]:
    """Walk the whole chain; return (entries checked, problems found)."""
    problems: list[Problem] = []
    expected_seq = 1
    prev_hash = GENESIS
    count = 0
    for entry in _in_order():
        count += 1
        if entry.seq != expected_seq:
            if entry.seq > expected_seq:
                problems.append(
                    Problem(
                        entry.seq, f"entries {expected_seq}–{entry.seq - 1} are missing (deleted)"
                    )
                )
            else:
                problems.append(Problem(entry.seq, "sequence number out of order"))
        if entry.prev_hash != prev_hash:
            problems.append(
                Problem(
                    entry.seq,
                    "does not link to the entry before it (an entry was inserted or deleted)",
                )
            )
        if entry.hash != entry_hash(entry, entry.prev_hash):
            problems.append(Problem(entry.seq, "contents do not match their hash (edited)"))
        expected_seq = entry.seq + 1
        prev_hash = entry.hash
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and (head.seq != expected_seq - 1 or head.hash != prev_hash):
        problems.append(
            Problem(
                head.seq,
                "the newest entries are missing or the head was "
                "changed (entries deleted at the end)",
            )
        )
    return count, problems


def _in_order() -> Iterator[AuditEntry]:
    return AuditEntry.objects.order_by("seq").iterator(chunk_size=2000)
