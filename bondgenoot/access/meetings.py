"""Meetings.

Mentors, care coordinators and school leaders organise meetings; mentors only for
their own groups, the others for the whole school. Names of families (check-in at the
door, who came, who never came) are for those who work with families: mentors and
care coordinators. School leaders see the reach figures without names.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils import timezone

from bondgenoot.people.models import Family

from .core import can, get_or_404, schools_for
from .families import works_with_families

if TYPE_CHECKING:
    from bondgenoot.meetings.models import Meeting

# How long before and after a meeting the door list is open.
CHECK_IN_WINDOW = timedelta(hours=12)


def meeting_schools(user: Any) -> list[int]:
    return schools_for(user, "meetings.organise")


def can_organise_meetings(user: Any) -> bool:
    return can(user, "meetings.organise")


def whole_school_meeting_schools(user: Any) -> list[int]:
    return schools_for(user, "meetings.whole_school")


def meetings_visible_to(user: Any) -> QuerySet[Meeting]:
    from bondgenoot.meetings.models import Meeting

    return Meeting.objects.filter(school_id__in=meeting_schools(user))


def get_meeting(user: Any, pk: Any) -> Meeting:
    return get_or_404(meetings_visible_to(user).select_related("school", "created_by"), pk)


def can_manage_meeting(user: Any, meeting: Meeting) -> bool:
    """Invite in writing, send thanks: the organiser, or care coordinators and school
    leaders of the school."""
    if can(user, "meetings.whole_school", meeting.school_id):
        return True
    return meeting.created_by_id == user.pk and can(user, "meetings.organise", meeting.school_id)


def can_check_in(user: Any, meeting: Meeting) -> bool:
    """At the door families are found by name: mentors and care coordinators, on the
    day of the meeting."""
    if not can(user, "meetings.check_in", meeting.school_id):
        return False
    now = timezone.now()
    return meeting.starts_at - CHECK_IN_WINDOW <= now <= meeting.ends_at + CHECK_IN_WINDOW


def check_in_families(user: Any, meeting: Meeting) -> QuerySet[Family]:
    """Whom this user may find and mark present: care coordinators the whole school,
    mentors the families they work with."""
    return works_with_families(user).filter(school_id=meeting.school_id)
