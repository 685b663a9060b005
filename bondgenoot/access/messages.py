"""Messages to families.

Writing to families is part of working with them: mentors write to the families of
their groups, care coordinators to any family of their school. The recipients of a
group message are always narrowed to the families whose contacts the writer may read.
Sent messages are read by the school's care coordinators and by the writer while they
still work with families at that school.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from bondgenoot.people.models import Group
from bondgenoot.people.schoolyear import current_school_year

from .core import can, get_or_404, is_active_user, schools_for

if TYPE_CHECKING:
    from bondgenoot.messaging.models import Message


def can_write_messages(user: Any) -> bool:
    return can(user, "messages.write")


def message_groups(user: Any) -> QuerySet[Group]:
    """Groups this user may write to as a whole (this school year)."""
    return Group.objects.filter(
        Q(school_id__in=schools_for(user, "messages.whole_school"))
        | Q(mentors=user, school_id__in=schools_for(user, "families.mentored")),
        school_year=current_school_year(),
    ).distinct()


def messages_visible_to(user: Any) -> QuerySet[Message]:
    """Sent messages with their recipients and answers. School leaders who organise a
    meeting follow its invitations in figures on the meeting page."""
    from bondgenoot.messaging.models import Message

    if not is_active_user(user):
        return Message.objects.none()
    own = Q(author=user, school_id__in=schools_for(user, "messages.write"))
    return Message.objects.filter(Q(school_id__in=schools_for(user, "messages.whole_school")) | own)


def get_message(user: Any, pk: Any) -> Message:
    return get_or_404(messages_visible_to(user).select_related("author"), pk)
