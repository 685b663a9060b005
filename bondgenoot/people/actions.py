"""Changes of state for people and families. Each writes its audit entry."""

from django.core.exceptions import ValidationError
from django.db import transaction

from bondgenoot.audit.log import record
from bondgenoot.audit.models import AuditEntry

from .models import Family, Situation, User


@transaction.atomic
def set_contact_person(actor: User, family: Family, person: User | None) -> Family:
    if person is None and family.situation == Situation.SENSITIVE:
        raise ValidationError("A sensitive case needs a fixed contact person.")
    old = family.contact_person_id
    family.contact_person = person
    family.save(update_fields=["contact_person"])
    record(
        actor,
        AuditEntry.Action.UPDATE,
        family,
        detail={
            "field": "contact_person",
            "from": old,
            "to": person.pk if person else None,
        },
    )
    return family
