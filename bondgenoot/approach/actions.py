"""Changes to a family's approach. Each writes its audit entry."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from bondgenoot.audit.log import record
from bondgenoot.audit.models import AuditEntry
from bondgenoot.contacts.summary import bump_versions
from bondgenoot.people.actions import set_contact_person
from bondgenoot.people.models import Family, Situation, User

from .models import SituationChange


@transaction.atomic
def set_situation(
    actor: User,
    family: Family,
    situation: str,
    reason: str,
    decided_on: date,
    *,
    contact_person: User | None = None,
    from_suggestion: bool = False,
) -> SituationChange:
    """Record a new situation (the history keeps the old ones). A sensitive case needs a
    fixed contact person: the given one, or the one the family already has."""
    person = contact_person or family.contact_person
    if situation == Situation.SENSITIVE and person is None:
        raise ValidationError("A sensitive case needs a fixed contact person.")
    if contact_person is not None and contact_person.pk != family.contact_person_id:
        set_contact_person(actor, family, contact_person)
    previous = family.situation
    change = SituationChange.objects.create(
        family=family,
        situation=situation,
        reason=reason,
        decided_on=decided_on,
        from_suggestion=from_suggestion,
        set_by=actor,
    )
    family.situation = situation
    family.save(update_fields=["situation"])
    # The monitor lists sensitive cases: cached figures must not outlive this change.
    bump_versions({family.school_id})
    record(
        actor,
        AuditEntry.Action.CREATE,
        change,
        school_id=family.school_id,
        family_id=str(family.pk),
        detail={
            "field": "situation",
            "from": previous,
            "to": situation,
            "confirmed_suggestion": from_suggestion,
        },
    )
    return change
