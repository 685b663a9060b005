"""Who a meeting is for: the whole school, years, groups and hand-picked families."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from bondgenoot.people.models import Family
from bondgenoot.people.schoolyear import current_school_year

from .models import Meeting


def audience_families(meeting: Meeting) -> QuerySet:
    """The families with a pupil at school in the meeting's audience."""
    current = Q(pupils__left_on__isnull=True)
    rule = Q(pk__in=[])
    if meeting.whole_school:
        rule |= current
    if meeting.year_levels:
        rule |= current & Q(
            pupils__group__year_level__in=meeting.year_levels,
            pupils__group__school_year=current_school_year(),
        )
    group_ids = list(meeting.groups.values_list("pk", flat=True))
    if group_ids:
        rule |= current & Q(pupils__group_id__in=group_ids)
    picked = list(meeting.families.values_list("pk", flat=True))
    if picked:
        rule |= Q(pk__in=picked)
    return Family.objects.filter(rule, school_id=meeting.school_id).distinct()
