"""Changes to the contact ledger. Each writes its audit entry."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field as default
from datetime import date, datetime, timedelta
from typing import Any, TypedDict

from django.db import IntegrityError, transaction
from django.utils import timezone

from bondgenoot.audit.log import entry_for, record, record_many
from bondgenoot.audit.models import AuditEntry
from bondgenoot.people.models import Family, User

from . import summary
from .models import Contact, ContactRevision, NextStep

# Fields whose changes are kept in a contact's history.
TRACKED = [
    "channel",
    "purpose",
    "tone",
    "reached",
    "dialogue",
    "at",
    "key_figure_id",
    "language_id",
    "interpreter",
    "note",
]


class NextStepValues(TypedDict):
    """A next step planned with a contact (``ContactForm.next_step_values``)."""

    what: str
    owner: User
    due: date


# A one-tap record (the campaign's "called: positive", a check-in at the door) can be
# undone by whoever tapped, for a few minutes; after that it is changed like any contact.
UNDO_MINUTES = 5


class TooLateToUndo(Exception):
    pass


def undoable(
    actor: User, author_id: int | None, created_at: datetime, now: datetime | None = None
) -> bool:
    now = now or timezone.now()
    return bool(author_id == actor.pk and created_at >= now - timedelta(minutes=UNDO_MINUTES))


@transaction.atomic
def undo_contact(actor: User, contact: Contact) -> None:
    """Take back a contact just recorded by mistake: deleted, with an audit entry."""
    if not undoable(actor, contact.author_id, contact.created_at):
        raise TooLateToUndo
    family_id = contact.family_id
    record(
        actor,
        AuditEntry.Action.DELETE,
        contact,
        family_id=str(family_id),
        detail={"undo": True, "channel": contact.channel, "purpose": contact.purpose},
    )
    contact.delete()
    summary.refresh([family_id])


@transaction.atomic
def log_contact(
    actor: User,
    family: Family,
    values: dict[str, Any],
    next_step: NextStepValues | None = None,
    *,
    key: uuid.UUID | None = None,
) -> Contact:
    """Record a contact. With the form's ``key``, a second post of the same form (a
    retry after a timeout or an outage) returns the contact the first one made."""
    values = dict(values)
    guardian_ids = values.pop("guardian_ids", [])
    pupil_ids = values.pop("pupil_ids", [])
    if key is not None:
        earlier = Contact.objects.filter(idempotency_key=key).first()
        if earlier is not None:
            if earlier.author_id == actor.pk and earlier.family_id == family.pk:
                return earlier
            key = None  # someone else's key: not ours to answer with
    try:
        with transaction.atomic():  # a concurrent twin with the same key loses here
            contact = Contact.objects.create(
                school_id=family.school_id,
                family=family,
                author=actor,
                idempotency_key=key,
                **values,
            )
    except IntegrityError:
        twin = Contact.objects.filter(idempotency_key=key).first() if key else None
        if twin is None:
            raise  # not the key: a real error
        return twin
    if guardian_ids:
        contact.guardians.set(guardian_ids)
    if pupil_ids:
        contact.pupils.set(pupil_ids)
    summary.refresh([family.pk])
    record(actor, AuditEntry.Action.CREATE, contact, family_id=str(family.pk))
    if next_step:
        create_next_step(actor, family, contact=contact, **next_step)
    return contact


@dataclass
class NewContact:
    """One contact of a batch (``log_contacts``): the family, its school, the values of
    ``log_contact`` and the guardians involved."""

    family_id: uuid.UUID
    school_id: int
    values: dict[str, Any]
    guardian_ids: list[uuid.UUID] = default(default_factory=list)


@transaction.atomic
def log_contacts(actor: User, new: Sequence[NewContact]) -> list[Contact]:
    """Record many contacts at once, e.g. a bulk message's one contact per family: the
    same rows and audit entries as ``log_contact`` for each, written in bulk (one insert
    per table, one summary refresh, the audit entries appended under one lock)."""
    if not new:
        return []
    contacts = [
        Contact(school_id=n.school_id, family_id=n.family_id, author=actor, **n.values) for n in new
    ]
    Contact.objects.bulk_create(contacts, batch_size=500)
    add_guardians({c.pk: n.guardian_ids for c, n in zip(contacts, new, strict=True)})
    summary.refresh({n.family_id for n in new})
    record_many(
        [
            entry_for(actor, AuditEntry.Action.CREATE, c, family_id=str(c.family_id))
            for c in contacts
        ]
    )
    return contacts


def add_guardians(guardians_by_contact: dict[uuid.UUID, list[uuid.UUID]]) -> None:
    """Add guardians to contacts (a message reached another parent of the family); one
    insert for all, a guardian already on the contact is left as it is."""
    through = Contact.guardians.through
    through.objects.bulk_create(
        [
            through(contact_id=contact_id, guardian_id=guardian_id)
            for contact_id, guardian_ids in guardians_by_contact.items()
            for guardian_id in guardian_ids
        ],
        batch_size=1000,
        ignore_conflicts=True,
    )


def _comparable(value: object) -> object:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


@transaction.atomic
def update_contact(actor: User, contact: Contact, values: dict[str, Any]) -> ContactRevision | None:
    values = dict(values)
    # A key that is missing means "leave as it is", not "clear": callers that edit only
    # a few fields must not drop the guardians and pupils involved.
    guardian_ids = values.pop("guardian_ids", None)
    pupil_ids = values.pop("pupil_ids", None)
    if "key_figure" in values:
        key_figure = values.pop("key_figure")
        values["key_figure_id"] = key_figure.pk if key_figure else None
    changes: dict[str, list[object]] = {}
    for field in TRACKED:
        if field in values and getattr(contact, field) != values[field]:
            changes[field] = [_comparable(getattr(contact, field)), _comparable(values[field])]
            setattr(contact, field, values[field])
    if guardian_ids is not None:
        new_guardians = sorted(str(g) for g in guardian_ids)
        old_guardians = sorted(str(pk) for pk in contact.guardians.values_list("pk", flat=True))
        if old_guardians != new_guardians:
            changes["guardians"] = [old_guardians, new_guardians]
            contact.guardians.set(new_guardians)  # type: ignore[arg-type]  # set() takes primary keys of any type; the stubs say int
    if pupil_ids is not None:
        new_pupils = sorted(str(p) for p in pupil_ids)
        old_pupils = sorted(str(pk) for pk in contact.pupils.values_list("pk", flat=True))
        if old_pupils != new_pupils:
            changes["pupils"] = [old_pupils, new_pupils]
            contact.pupils.set(new_pupils)  # type: ignore[arg-type]  # set() takes primary keys of any type; the stubs say int
    if not changes:
        return None
    contact.save()
    summary.refresh([contact.family_id])
    revision = ContactRevision.objects.create(contact=contact, changed_by=actor, changes=changes)
    record(
        actor,
        AuditEntry.Action.UPDATE,
        contact,
        family_id=str(contact.family_id),
        detail={"fields": sorted(changes)},
    )
    return revision


@transaction.atomic
def create_next_step(
    actor: User,
    family: Family,
    *,
    what: str,
    owner: User,
    due: date,
    contact: Contact | None = None,
) -> NextStep:
    step = NextStep.objects.create(
        family=family, contact=contact, what=what, owner=owner, due=due, created_by=actor
    )
    record(
        actor,
        AuditEntry.Action.CREATE,
        step,
        school_id=family.school_id,
        detail={"owner": owner.pk, "due": due.isoformat()},
    )
    return step


@transaction.atomic
def complete_next_step(actor: User, step: NextStep) -> NextStep:
    if step.done_at is None:
        step.done_at = timezone.now()
        step.done_by = actor
        step.save(update_fields=["done_at", "done_by"])
        record(
            actor,
            AuditEntry.Action.UPDATE,
            step,
            school_id=step.family.school_id,
            detail={"done": True},
        )
    return step


@transaction.atomic
def move_next_step(actor: User, step: NextStep, due: date) -> NextStep:
    old = step.due
    step.due = due
    step.save(update_fields=["due"])
    record(
        actor,
        AuditEntry.Action.UPDATE,
        step,
        school_id=step.family.school_id,
        detail={"due": [old.isoformat(), due.isoformat()]},
    )
    return step
