"""Approach and bridge builders.

The situation, the advice and a family's bridges are part of working with the family:
its mentors and the care coordinators (the same people who read its ledger). The key
figure registry is kept by care coordinators and administrators; mentors read it to
find a bridge. A key figure sees a family only through a bridge with a parent's consent
in force, and then only what the consents in force allow (never contacts or signals).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from bondgenoot.people.models import Family

from .core import can, get_or_404, is_active_user, schools_for
from .families import can_edit_family, works_with_family

if TYPE_CHECKING:
    from bondgenoot.bridges.models import Bridge, KeyFigure


def registry_schools(user: Any) -> list[int]:
    """Schools whose key figure registry this user may change."""
    return schools_for(user, "registry.edit")


def key_figures_visible_to(user: Any) -> QuerySet[KeyFigure]:
    from bondgenoot.bridges.models import KeyFigure

    return KeyFigure.objects.filter(school_id__in=schools_for(user, "registry.view"))


def can_view_registry(user: Any) -> bool:
    return can(user, "registry.view")


def get_key_figure_for_edit(user: Any, pk: Any) -> KeyFigure:
    from bondgenoot.bridges.models import KeyFigure

    key_figure = get_or_404(KeyFigure.objects.all(), pk)
    if key_figure.school_id in registry_schools(user):
        return key_figure
    if key_figures_visible_to(user).filter(pk=key_figure.pk).exists():
        raise PermissionDenied
    raise Http404


def consented_bridges(user: Any) -> QuerySet[Bridge]:
    """Bridges through which this (key figure) user may see a family now.

    All of these must hold, on every request: the bridge is open; its registry entry is
    active, linked to this user, at a school where they hold the key figure role, and
    has an agreement (``KeyFigureQuerySet.with_agreement``); a consent is in force
    (``ConsentQuerySet.in_force``: a guardian who still has parental authority over a
    pupil of the family who is still at school).
    """
    from bondgenoot.bridges.models import Bridge, Consent
    from bondgenoot.bridges.querysets import agreement_rule

    if not is_active_user(user):
        return Bridge.objects.none()
    return Bridge.objects.filter(
        agreement_rule("key_figure__"),
        Exists(Consent.objects.in_force().filter(bridge_id=OuterRef("pk"))),
        ended_at__isnull=True,
        key_figure__user=user,
        key_figure__active=True,
        key_figure__school_id__in=schools_for(user, "bridges.key_figure"),
    )


def bridged_families(user: Any) -> QuerySet[Family]:
    return Family.objects.filter(pk__in=consented_bridges(user).values("family_id"))


def get_bridge_for_key_figure(user: Any, pk: Any) -> Bridge:
    """A bridge the key figure may open now; 404 otherwise (also once consent is withdrawn)."""
    bridges = consented_bridges(user).select_related("family__contact_person", "key_figure")
    return get_or_404(bridges, pk)


def get_bridge_for_edit(user: Any, pk: Any) -> Bridge:
    """A bridge the user may manage (introduce, record or withdraw consent, end): the
    family's mentors and care coordinators. 404 when they may not see the family."""
    from bondgenoot.bridges.models import Bridge

    bridge = get_or_404(Bridge.objects.select_related("family", "key_figure"), pk)
    if not works_with_family(user, bridge.family):
        raise Http404
    if not can_edit_family(user, bridge.family):
        raise PermissionDenied
    return bridge


@dataclass(frozen=True)
class ConsentScope:
    """What a key figure sees beyond names and languages."""

    contact_person: bool
    meetings: bool


def consent_scope(bridge: Bridge) -> ConsentScope:
    """What the consents in force allow. When several are in force (two parents), the
    key figure sees what any of them allowed; a consent whose giver lost parental
    authority no longer counts (one query)."""
    from bondgenoot.bridges.models import Consent

    rows = list(
        Consent.objects.in_force()
        .filter(bridge=bridge)
        .values_list("share_contact_person", "share_meetings")
    )
    return ConsentScope(
        contact_person=any(row[0] for row in rows), meetings=any(row[1] for row in rows)
    )
