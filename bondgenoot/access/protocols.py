"""Protocols written together.

- Care coordinators write a school's protocols, open a version for comment, reply to
  every comment and publish the final version (``protocols.manage``).
- The audience the care coordinator chose reads the protocol and comments while a
  version is open: staff of the school (``protocols.staff``) when it is for staff,
  partner accounts of the school (``protocols.partner``) when it is for partners,
  parents with parental authority over a child at the school when it is for parents.
  Nobody else: a school leader sees a partners-only protocol only as staff would, i.e.
  not at all; a network analyst or key figure never.
- Parents read the published versions of the protocols for parents of their child's
  school (``parent_protocols``), with the summary in their language.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from bondgenoot.people.models import Pupil

from .core import can, get_or_404, is_active_user, schools_for
from .families import is_parent_of

if TYPE_CHECKING:
    from bondgenoot.protocols.models import Protocol, ProtocolVersion


def protocol_schools(user: Any) -> list[int]:
    """Schools whose protocols this user writes."""
    return schools_for(user, "protocols.manage")


def can_write_protocols(user: Any) -> bool:
    return can(user, "protocols.manage")


def _audience(user: Any) -> Q:
    return Q(for_staff=True, school_id__in=schools_for(user, "protocols.staff")) | Q(
        for_partners=True, school_id__in=schools_for(user, "protocols.partner")
    )


def protocols_visible_to(user: Any) -> QuerySet[Protocol]:
    """The protocols this user writes, and those written for them as staff or partner."""
    from bondgenoot.protocols.models import Protocol

    if not is_active_user(user):
        return Protocol.objects.none()
    return Protocol.objects.filter(Q(school_id__in=protocol_schools(user)) | _audience(user))


def get_protocol(user: Any, pk: Any) -> Protocol:
    return get_or_404(protocols_visible_to(user).select_related("school"), pk)


def manages_protocol(user: Any, protocol: Protocol) -> bool:
    return protocol.school_id in protocol_schools(user)


def commenter_kind(user: Any, protocol: Protocol) -> str | None:
    """As whom this user comments on the protocol ("staff", "partner"), or None when it
    is not written for them (the care coordinator who writes it replies, as staff when
    it is for staff)."""
    if not is_active_user(user):
        return None
    if protocol.for_staff and can(user, "protocols.staff", protocol.school_id):
        return "staff"
    if protocol.for_partners and can(user, "protocols.partner", protocol.school_id):
        return "partner"
    return None


def parent_protocols(user: Any, pupil: Pupil) -> QuerySet[Protocol]:
    """Protocols for parents at the school of this parent's own child (else none)."""
    from bondgenoot.protocols.models import Protocol

    if not is_parent_of(user, pupil):
        return Protocol.objects.none()
    return Protocol.objects.filter(school_id=pupil.school_id, for_parents=True)


def get_parent_version(user: Any, pupil: Pupil, pk: Any) -> ProtocolVersion:
    """A published or open version of a protocol for parents at the child's school."""
    from bondgenoot.protocols.models import ProtocolVersion

    return get_or_404(
        ProtocolVersion.objects.filter(
            protocol__in=parent_protocols(user, pupil), state__in=["consultation", "final"]
        ).select_related("protocol"),
        pk,
    )
