"""Figures and logs: the trust monitor and the audit log.

School leaders and care coordinators see whole-school figures; mentors see their own
groups. Names in the monitor's lists are for those who work with families; a leader
sees figures only. The audit log is browsed by care coordinators and administrators.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from bondgenoot.people.models import Family, Group
from bondgenoot.people.schoolyear import current_school_year

from .core import can, schools_for
from .families import mentored_pupils

if TYPE_CHECKING:
    from bondgenoot.audit.models import AuditEntry


def monitor_schools(user: Any) -> list[int]:
    """Schools whose whole-school figures this user may see."""
    return schools_for(user, "monitor.whole_school")


def can_view_monitor(user: Any) -> bool:
    return can(user, "monitor.whole_school") or can(user, "families.mentored")


def monitor_families(user: Any) -> QuerySet[Family]:
    """The families counted in this user's monitor (figures only, never contents)."""
    rule = Q(school_id__in=monitor_schools(user))
    if can(user, "families.mentored"):
        rule |= Q(pk__in=mentored_pupils(user).values("family_id"))
    return Family.objects.filter(rule)


def monitor_groups(user: Any) -> QuerySet[Group]:
    return (
        Group.objects.filter(
            Q(school_id__in=monitor_schools(user))
            | Q(mentors=user, school_id__in=schools_for(user, "families.mentored")),
            school_year=current_school_year(),
        )
        .distinct()
        .order_by("name")
    )


def can_list_monitor_names(user: Any) -> bool:
    """School leaders see aggregates only; mentors and care coordinators see which
    families need attention."""
    return can(user, "ledger.follow_up")


def audit_schools(user: Any) -> list[int]:
    """Schools whose audit log this user may browse."""
    return schools_for(user, "audit")


def can_browse_audit(user: Any) -> bool:
    return can(user, "audit")


def audit_entries_visible_to(user: Any) -> QuerySet[AuditEntry]:
    """The audit log of the user's schools. Administrators keep the register, not the
    relationship: they do not see which families are being contacted; care
    coordinators see their school's ledger entries too."""
    from bondgenoot.audit.models import AuditEntry

    ledger = schools_for(user, "audit.ledger_entries")
    return AuditEntry.objects.filter(school_id__in=audit_schools(user)).filter(
        Q(school_id__in=ledger) | ~Q(object_type__startswith="contacts.")
    )
