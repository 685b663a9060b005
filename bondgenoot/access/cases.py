"""Case discussions, the Meldcode route, protocols, and the network analyst's patterns.

- Care coordinators plan a school's case discussions, record consent, invitations and
  minutes, and follow the Meldcode route on a signal (``cases.manage``).
- A discussion and its minutes are read by its participants (staff and partner
  accounts chosen for it, who still hold a participating role at the school) and by the
  school's care coordinators; nobody else, not even a school leader or administrator.
- Names: the school's care coordinators always see who is on the agenda (they record
  the consent). Other participants see a pupil's name only with consent in force:
  staff with any consent, partners only when its scope includes them. Otherwise: the
  case code and the year group.
- Parents read the published summary about their own child, when a parent's or the
  pupil's consent is in force (``summaries_for_parent``, for the parent portal).
- Network analysts see suppressed figures about the schools an administrator named
  for them (one membership per school), and no record at all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet

from bondgenoot.people.models import Pupil

from .core import can, get_or_404, is_active_user, schools_for
from .families import is_parent_of

if TYPE_CHECKING:
    from bondgenoot.cases.models import AgendaItem, Discussion, MeldcodeRoute, ParentInvitation


def case_schools(user: Any) -> list[int]:
    """Schools whose case discussions and Meldcode routes this user manages."""
    return schools_for(user, "cases.manage")


def can_manage_cases(user: Any) -> bool:
    return can(user, "cases.manage")


def discussions_visible_to(user: Any) -> QuerySet[Discussion]:
    from bondgenoot.cases.models import Discussion

    if not is_active_user(user):
        return Discussion.objects.none()
    return Discussion.objects.filter(
        Q(school_id__in=case_schools(user))
        | Q(participants=user, school_id__in=schools_for(user, "cases.participate"))
    ).distinct()


def get_discussion(user: Any, pk: Any) -> Discussion:
    """A discussion this user takes part in or manages (404 otherwise)."""
    return get_or_404(discussions_visible_to(user).select_related("school", "created_by"), pk)


def get_discussion_for_edit(user: Any, pk: Any) -> Discussion:
    """404 for what the user may not see, 403 for what they may see but not change."""
    discussion = get_discussion(user, pk)
    if discussion.school_id not in case_schools(user):
        raise PermissionDenied
    return discussion


def get_item_for_edit(user: Any, discussion: Discussion, pk: Any) -> AgendaItem:
    return get_or_404(discussion.items.select_related("pupil__group"), pk)


def manages_discussion(user: Any, discussion: Discussion) -> bool:
    return discussion.school_id in case_schools(user)


def sees_name(user: Any, discussion: Discussion, consent_scope: str | None) -> bool:
    """Whether this user sees the pupil's name on an item whose consent in force has
    ``consent_scope`` (None: no consent in force)."""
    if manages_discussion(user, discussion):
        return True
    if consent_scope is None:
        return False
    if consent_scope == "table":
        return True
    return can(user, "cases.staff_name", discussion.school_id)


def summaries_for_parent(user: Any, pupil: Pupil) -> QuerySet[AgendaItem]:
    """Published summaries about this parent's own child, with consent in force (for the
    parent portal: ``cases/_parent_summaries.html`` with ``pupil``)."""
    from bondgenoot.cases.models import AgendaItem, ItemConsent

    if not is_parent_of(user, pupil):
        return AgendaItem.objects.none()
    in_force = ItemConsent.objects.filter(item=OuterRef("pk"), withdrawn_at__isnull=True)
    return (
        AgendaItem.objects.filter(pupil=pupil, summary_published_at__isnull=False)
        .filter(Exists(in_force))
        .select_related("discussion")
        .prefetch_related("translations")
        .order_by("-discussion__starts_at")
    )


def case_invitations_for_parent(user: Any, pupil: Pupil) -> QuerySet[ParentInvitation]:
    """This parent's own open invitations to a case discussion about their own child (for
    the parent portal: answered on the invitation's page)."""
    from django.utils import timezone

    from bondgenoot.cases.models import ParentInvitation

    if not is_parent_of(user, pupil):
        return ParentInvitation.objects.none()
    return ParentInvitation.objects.filter(
        item__pupil=pupil,
        guardian__user=user,
        item__discussion__starts_at__gte=timezone.now(),
    ).select_related("item__discussion")


def routes_visible_to(user: Any) -> QuerySet[MeldcodeRoute]:
    from bondgenoot.cases.models import MeldcodeRoute

    return MeldcodeRoute.objects.filter(school_id__in=case_schools(user))


def get_route(user: Any, pk: Any) -> MeldcodeRoute:
    return get_or_404(routes_visible_to(user).select_related("signal__pupil__group"), pk)


# --- patterns ------------------------------------------------------------------------------


def pattern_schools(user: Any) -> list[int]:
    """The schools an administrator named for this network analyst."""
    return schools_for(user, "patterns.view")


def can_view_patterns(user: Any) -> bool:
    return can(user, "patterns.view")


def analyst_grant_schools(user: Any) -> list[int]:
    """Schools where this user may name (or remove) a network analyst."""
    return schools_for(user, "patterns.grant")
