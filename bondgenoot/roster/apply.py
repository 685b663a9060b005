"""Write a plan in bulk, in the caller's transaction: all of it or nothing.

The large tables (families, pupils, guardians, guardianships, placements, source ids)
are written as plain rows (``lib.bulk.bulk_insert``: ``executemany`` on SQLite, ``COPY``
on PostgreSQL): ``bulk_create`` spends most of its time in the field machinery. Groups,
accounts and memberships, whose new ids other rows need, go through ``bulk_create``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any

from django.db import models

from bondgenoot.administration.models import Placement
from bondgenoot.lib.bulk import bulk_insert
from bondgenoot.people.models import Family, Group, Guardian, Guardianship, Membership, Pupil, User

from .models import SourceLink
from .plan import Plan

BATCH = 500

MODELS: dict[str, Any] = {
    "group": Group,
    "staff": User,
    "membership": Membership,
    "family": Family,
    "pupil": Pupil,
    "guardian": Guardian,
    "guardianship": Guardianship,
}
ORDER = ("group", "staff", "membership", "family", "pupil", "guardian", "guardianship")
AS_ROWS = {"family", "pupil", "guardian", "guardianship"}


def chunks[T](items: Iterable[T], size: int = BATCH) -> Iterator[list[T]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


def write(plan: Plan, progress: Callable[[int], None] | None = None) -> None:
    """Everything the plan says, in dependency order (groups and staff before the pupils
    and memberships that point at them)."""
    for school in plan.new_schools:
        school.save()
    steps = len(ORDER) + 3
    for n, kind in enumerate(ORDER):
        model = MODELS[kind]
        if plan.create.get(kind):
            if kind in AS_ROWS:
                insert_rows(model, plan.create[kind])
            else:
                model.objects.bulk_create(plan.create[kind], batch_size=BATCH)
        if kind in plan.update:
            objs, fields = plan.update[kind]
            names = sorted({f.removesuffix("_id") for f in fields})
            model.objects.bulk_update(objs, names, batch_size=BATCH)
        if progress:
            progress(int(100 * (n + 1) / steps))
    for relation, (add, remove) in plan.group_people.items():
        through = getattr(Group, relation).through
        through.objects.bulk_create(
            [through(group_id=g.pk, user_id=u.pk) for g, u in add],
            batch_size=BATCH,
            ignore_conflicts=True,
        )
        for batch in chunks(remove):
            through.objects.filter(pk__in=batch).delete()
    _placements(plan)
    if progress:
        progress(int(100 * (len(ORDER) + 2) / steps))
    insert_rows(SourceLink, plan.links)


def insert_rows(model: Any, objs: list[Any]) -> None:
    """New records as plain rows. Their own ids are set already (UUIDs) or left to the
    database (auto ids, which nothing here needs back); a foreign key to a record saved
    earlier in this import takes that record's new id."""
    fields = [
        f
        for f in model._meta.concrete_fields
        if not (f.primary_key and isinstance(f, models.AutoField | models.BigAutoField))
    ]
    relations = [f for f in fields if f.is_relation]
    rows = []
    for obj in objs:
        for f in relations:
            if getattr(obj, f.attname) is None and f.is_cached(obj):
                related = f.get_cached_value(obj)
                setattr(obj, f.attname, related.pk if related is not None else None)
        values = [f.pre_save(obj, True) for f in fields]  # auto_now_add and the like
        rows.append(
            tuple(
                json.dumps(v) if isinstance(f, models.JSONField) else v
                for f, v in zip(fields, values, strict=True)
            )
        )
    bulk_insert(model, [f.column for f in fields], rows)


def _placements(plan: Plan) -> None:
    """A pupil's group history (administration.Placement): new pupils start in their
    group today; a move ends the open placement and starts one; a leaver's ends."""
    ended = plan.moved + plan.left
    for batch in chunks(ended):
        Placement.objects.filter(pupil_id__in=batch, ended_on__isnull=True).update(
            ended_on=plan.today
        )
    for batch in chunks(plan.left):
        Placement.objects.filter(pupil_id__in=batch, ended_on=plan.today).update(
            why=Placement.Why.LEFT
        )
    moved = set(plan.moved)
    new = [
        Placement(pupil=p, group_id=p.group_id, started_on=plan.today, why=Placement.Why.ADDED)
        for p in plan.create.get("pupil", [])
        if p.group_id
    ]
    new += [
        Placement(pupil=p, group_id=p.group_id, started_on=plan.today, why=Placement.Why.MOVED)
        for objs, _fields in [plan.update.get("pupil", ([], set()))]
        for p in objs
        if str(p.pk) in moved and p.group_id
    ]
    insert_rows(Placement, new)
