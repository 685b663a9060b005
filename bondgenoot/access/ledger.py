"""The contact ledger.

Contact contents are for the people who work with the family: its mentors and the care
coordinators. Administrators keep the register but never read contacts; school leaders
see aggregates only (the monitor); a teacher reads back only what they recorded, while
they still work at that school.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from bondgenoot.people.models import Family, Pupil, User
from bondgenoot.people.schoolyear import current_school_year

from .core import CAPABILITIES, authored_by, can, get_or_404, is_active_user
from .families import taught_pupils, works_with_families, works_with_family, works_with_which

if TYPE_CHECKING:
    from bondgenoot.contacts.models import Contact, NextStep

# The families whose contacts a user may read, the predicate for one family, and the
# ids of those of a list of families (one predicate: ``works_with_family``).
contact_families = works_with_families
can_view_contacts = works_with_family
contacts_readable_of = works_with_which


def works_with_contacts(user: Any) -> bool:
    """Mentors and care coordinators: they follow families up (next steps, "Mijn
    acties", the first-contact campaign, indicators in "Mijn gezinnen")."""
    return can(user, "ledger.follow_up")


def contacts_visible_to(user: Any, queryset: QuerySet[Contact] | None = None) -> QuerySet[Contact]:
    from bondgenoot.contacts.models import Contact

    qs = Contact.objects.all() if queryset is None else queryset
    if not is_active_user(user):
        return qs.none()
    return qs.filter(Q(family__in=contact_families(user)) | authored_by(user))


def own_contacts(user: Any) -> QuerySet[Contact]:
    """What this user recorded, at schools where they still record (a teacher's page)."""
    from bondgenoot.contacts.models import Contact

    if not is_active_user(user):
        return Contact.objects.none()
    return Contact.objects.filter(authored_by(user))


def loggable_pupils(user: Any, family: Family) -> QuerySet[Pupil]:
    """The family's pupils still at school this user may record a contact about."""
    pupils = family.pupils.filter(left_on__isnull=True)
    if can_view_contacts(user, family):
        return pupils
    return pupils.filter(pk__in=taught_pupils(user).values("pk"))


def get_family_for_logging(user: Any, pk: Any) -> Family:
    """A family the user may record a contact for: as mentor or care coordinator, or as
    the teacher of one of its pupils. Otherwise 404."""
    family = get_or_404(Family.objects.all(), pk)
    if can_view_contacts(user, family) or loggable_pupils(user, family).exists():
        return family
    raise Http404


def get_contact_for_edit(user: Any, pk: Any) -> Contact:
    """A contact the user may change: their own (while at that school), or any of the
    school for its care coordinators. 403 when they may read but not change it."""
    from bondgenoot.contacts.models import Contact

    contact = get_or_404(Contact.objects.select_related("family"), pk)
    mine = Contact.objects.filter(authored_by(user), pk=contact.pk)
    if is_active_user(user) and mine.exists():
        return contact
    if can(user, "ledger.whole_school", contact.school_id):
        return contact
    if contacts_visible_to(user).filter(pk=contact.pk).exists():
        raise PermissionDenied
    raise Http404


def next_step_owner_choices(family: Family) -> QuerySet[User]:
    """Who can own a next step for this family: people who may read its contacts."""
    return (
        User.objects.filter(
            Q(
                memberships__school_id=family.school_id,
                memberships__role__in=_roles("ledger.whole_school"),
            )
            | Q(
                memberships__school_id=family.school_id,
                memberships__role__in=_roles("families.mentored"),
                mentor_groups__school_year=current_school_year(),
                mentor_groups__pupils__family=family,
                mentor_groups__pupils__left_on__isnull=True,
            ),
            is_active=True,
        )
        .distinct()
        .order_by("first_name", "last_name")
    )


def next_steps_visible_to(
    user: Any, queryset: QuerySet[NextStep] | None = None
) -> QuerySet[NextStep]:
    from bondgenoot.contacts.models import NextStep

    qs = NextStep.objects.all() if queryset is None else queryset
    if not is_active_user(user):
        return qs.none()
    return qs.filter(Q(owner=user) | Q(family__in=contact_families(user)))


def get_next_step_for_edit(user: Any, pk: Any) -> NextStep:
    """The owner, the family's mentors and care coordinators may complete or move a step."""
    return get_or_404(next_steps_visible_to(user).select_related("family"), pk)


def _roles(capability: str) -> list[str]:
    return sorted(CAPABILITIES[capability])
