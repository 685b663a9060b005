"""What a parent sees in the parent portal, and who may restrict it.

==========================  =============================================================
parent with authority       their children still at school (``parent_pupils``): per child
                            the contacts that name that child or involved this parent, the
                            child's signals and their shares, next steps agreed with this
                            parent, bridges of the child's family and the consents this
                            parent gave, who read the family's record; never what a care
                            coordinator restricted, never the interpretation unless
                            released, never another guardian's address or contact details;
                            answers a proposed share of the child's signal (consent or no)
                            on that child's pages only
parent without authority    only meetings and messages addressed to their own guardian
                            record(s)
care coordinator            restricts contacts and signals of their school ("not shown to
                            parents", ``records.restrict``), releases an interpretation
mentor, care, administrator invite the guardians of families they may open to the portal
                            (``portal.invite``)
==========================  =============================================================

Everything here is read on every request (no caches): a withdrawn consent, a restriction
or a pupil who left counts at once. Another family's ids give 404, like every record
helper of the policy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery, UUIDField
from django.http import Http404

from bondgenoot.people.models import Family, Guardian, Guardianship, Pupil

if TYPE_CHECKING:
    from bondgenoot.bridges.models import Bridge, Consent
    from bondgenoot.contacts.models import Contact
    from bondgenoot.meetings.models import Invitation
    from bondgenoot.messaging.models import Delivery
    from bondgenoot.network.models import Signal
    from bondgenoot.people.models import Group
    from bondgenoot.portal.models import ShareConsent

from .core import can, get_or_404, is_active_user, schools_for
from .families import families_visible_to, parent_pupils, remember_children


def parent_guardians(user: Any) -> QuerySet[Guardian]:
    """The guardian records linked to this login (one per school, or more)."""
    if not is_active_user(user):
        return Guardian.objects.none()
    return Guardian.objects.filter(user=user)


def is_parent(user: Any) -> bool:
    return is_active_user(user) and Guardian.objects.filter(user=user).exists()


def parent_children(user: Any) -> QuerySet[Pupil]:
    """The children a parent may see in the portal, with school, family and group, and
    ``parent_guardian_id``: this login's guardian record with authority over the child
    (``guardian_for``'s, read with the child: ``guardian_id_for``)."""
    own = Guardianship.objects.filter(
        pupil=OuterRef("pk"), guardian__user=user, parental_authority=True
    ).order_by("guardian_id")
    return (
        parent_pupils(user)
        .annotate(
            parent_guardian_id=Subquery(own.values("guardian_id")[:1], output_field=UUIDField())
        )
        .select_related("school", "family", "family__contact_person", "group")
        .prefetch_related("group__mentors")
        .order_by("school__name", "date_of_birth", "pk")
    )


def get_parent_pupil(user: Any, pk: Any) -> Pupil:
    """One child over whom this user has parental authority and who is at school; else 404."""
    return get_or_404(parent_children(user), pk)


def get_parent_pupil_among(user: Any, pk: Any) -> Pupil:
    """As ``get_parent_pupil``, from all of ``parent_children(user)`` read in one go: their
    ids then answer ``is_parent_of`` for the rest of the request (the child's page asks it
    again for its case discussions) without another query."""
    children = list(parent_children(user))
    remember_children(user, children)
    for child in children:
        if str(child.pk) == str(pk):
            return child
    raise Http404


def guardian_for(user: Any, pupil: Pupil) -> Guardian:
    """This parent's own guardian record with authority over this child; else 404."""
    guardian = (
        Guardian.objects.filter(
            user=user, guardianships__pupil=pupil, guardianships__parental_authority=True
        )
        .order_by("pk")
        .first()
    )
    if guardian is None or not is_active_user(user):
        raise Http404
    return guardian


def guardian_id_for(user: Any, pupil: Pupil) -> Any:
    """The id of ``guardian_for(user, pupil)``: for a child read through
    ``parent_children(user)`` (of this user: an inactive login has no children there)
    from what was read with it, without a query; else asked. A test holds the two equal
    for every login and child (access/tests/test_guardian_id_for.py)."""
    known = getattr(pupil, "parent_guardian_id", None)
    if known is not None:
        return known
    return guardian_for(user, pupil).pk


def _not_restricted(field: str) -> Q:
    from bondgenoot.portal.models import Restriction

    restricted = Restriction.objects.in_force().filter(**{field: OuterRef("pk")})
    return ~Q(Exists(restricted))


def parent_contacts(user: Any, pupil: Pupil, guardian: Guardian | Any) -> QuerySet[Contact]:
    """Contacts about this child a parent sees: of the child's family, naming this child,
    or naming no child but involving this parent; never restricted ones. A contact that
    names only a step-sibling (a child this parent has no authority over) is not theirs."""
    from bondgenoot.contacts.models import Contact

    if not is_active_user(user):
        return Contact.objects.none()
    return Contact.objects.filter(
        Q(pupils=pupil) | Q(pupils__isnull=True, guardians=guardian),
        _not_restricted("contact"),
        family_id=pupil.family_id,
    ).distinct()


def parent_signals(user: Any, pupil: Pupil) -> QuerySet[Signal]:
    """The child's signals a parent sees: all but restricted ones."""
    from bondgenoot.network.models import Signal

    if not is_active_user(user):
        return Signal.objects.none()
    return Signal.objects.filter(_not_restricted("signal"), pupil=pupil)


def parent_bridges(user: Any, pupil: Pupil) -> QuerySet[Bridge]:
    """The bridges of the child's family (open ones, and ended ones this parent consented
    to), so a parent sees every consent they gave and every proposal waiting for one."""
    from bondgenoot.bridges.models import Bridge, Consent

    if not is_active_user(user):
        return Bridge.objects.none()
    given = Consent.objects.filter(bridge_id=OuterRef("pk"), guardian__user=user)
    return Bridge.objects.filter(
        Q(ended_at__isnull=True) | Q(Exists(given)), family_id=pupil.family_id
    )


def get_parent_bridge(user: Any, pk: Any) -> Bridge:
    """An open bridge of a family where this user has authority over a child at school."""
    from bondgenoot.bridges.models import Bridge

    families = parent_pupils(user).values("family_id")
    return get_or_404(
        Bridge.objects.select_related("family", "key_figure").filter(
            family_id__in=families, ended_at__isnull=True
        ),
        pk,
    )


def get_parent_consent(user: Any, pk: Any) -> Consent:
    """A consent this user gave (as one of their guardian records) for a family where
    they still have authority over a child at school; else 404."""
    from bondgenoot.bridges.models import Consent

    families = parent_pupils(user).values("family_id")
    return get_or_404(
        Consent.objects.select_related("bridge__family").filter(
            guardian__user=user, bridge__family_id__in=families
        ),
        pk,
    )


def parent_share_consents(user: Any, pupil: Pupil) -> QuerySet[ShareConsent]:
    """Shares of this child's signals the school proposed to the parents (consent asked
    online), given or not; never about a restricted signal."""
    from bondgenoot.portal.models import ShareConsent

    if not is_active_user(user):
        return ShareConsent.objects.none()
    return ShareConsent.objects.filter(signal__in=parent_signals(user, pupil).values("pk"))


def get_parent_share_consent(user: Any, pk: Any) -> ShareConsent:
    """A proposed share about a child over whom this user has authority and who is at
    school (and whose signal is not restricted); else 404."""
    from bondgenoot.portal.models import Restriction, ShareConsent

    if not is_active_user(user):
        raise Http404
    restricted = Restriction.objects.in_force().filter(signal=OuterRef("signal_id"))
    return get_or_404(
        ShareConsent.objects.select_related("signal__pupil", "version").filter(
            ~Q(Exists(restricted)), signal__pupil__in=parent_pupils(user).values("pk")
        ),
        pk,
    )


def get_parent_share_answer(user: Any, pupil: Pupil, pk: Any) -> ShareConsent:
    """A proposed share this parent may answer (consent or no) on ``pupil``'s pages: one
    of ``get_parent_share_consent`` and about that very child; else 404. The action checks
    the rest (authority over the child, once, the pupil decides from 16)."""
    ask = get_parent_share_consent(user, pk)
    if ask.signal.pupil_id != pupil.pk:
        raise Http404
    return ask


def get_care_signal(user: Any, pk: Any) -> Signal:
    """A signal of a school where this user is care coordinator (who shares, and asks the
    parents for consent online); else 404."""
    from .network import care_schools, get_signal

    signal = get_signal(user, pk)
    if signal.school_id not in care_schools(user):
        raise Http404
    return signal


def parent_invitations(user: Any) -> QuerySet[Invitation]:
    """Meeting invitations addressed to this parent's own guardian records (also for a
    guardian without authority: they were invited themselves)."""
    from bondgenoot.meetings.models import Invitation

    if not is_active_user(user):
        return Invitation.objects.none()
    return Invitation.objects.filter(guardian__user=user)


def get_parent_invitation(user: Any, pk: Any) -> Invitation:
    return get_or_404(parent_invitations(user).select_related("meeting"), pk)


def parent_deliveries(user: Any) -> QuerySet[Delivery]:
    """Messages sent to this parent's own guardian records."""
    from bondgenoot.messaging.models import Delivery

    if not is_active_user(user):
        return Delivery.objects.none()
    return Delivery.objects.filter(guardian__user=user)


def parent_family_ids(user: Any) -> list[Any]:
    return list(parent_pupils(user).values_list("family_id", flat=True).distinct())


# --- staff ------------------------------------------------------------------------------------


def can_restrict(user: Any, school_id: int | None = None) -> bool:
    """Care coordinators mark contacts and signals "not shown to parents"."""
    return can(user, "records.restrict", school_id)


def can_invite_parents(user: Any, family: Family) -> bool:
    """Those who may open the family page and invite: mentors (own families), care
    coordinators and administrators (the school's register)."""
    return (
        can(user, "portal.invite", family.school_id)
        and families_visible_to(user).filter(pk=family.pk).exists()
    )


def can_invite_on_family_page(user: Any, family: Family) -> bool:
    """``can_invite_parents`` for a family the family page already fetched through
    ``families_visible_to``: only the capability is left to ask (no query)."""
    return can(user, "portal.invite", family.school_id)


def invitable_guardians(user: Any, family: Family) -> QuerySet[Guardian]:
    """The family's guardians this user may invite (each once)."""
    if not can_invite_parents(user, family):
        return Guardian.objects.none()
    return Guardian.objects.filter(
        pk__in=Guardianship.objects.filter(pupil__family=family).values("guardian_id")
    )


def invitation_groups(user: Any) -> QuerySet[Group]:
    """Groups whose guardians this user may invite in bulk: a mentor their own groups,
    care coordinators and administrators every group of their school."""
    from bondgenoot.people.models import Group
    from bondgenoot.people.schoolyear import current_school_year

    if not is_active_user(user):
        return Group.objects.none()
    schools = schools_for(user, "portal.invite")
    whole = set(schools) & set(schools_for(user, "families.whole_school"))
    rule = Q(school_id__in=whole)
    if can(user, "families.mentored"):
        rule |= Q(mentors=user, school_id__in=schools_for(user, "families.mentored"))
    return Group.objects.filter(rule, school_year=current_school_year()).distinct()


def get_invitation_group(user: Any, pk: Any) -> Group:
    return get_or_404(invitation_groups(user), pk)


def restrictable_family(user: Any, pk: Any) -> Family:
    """A family whose records this care coordinator may restrict; else 404."""
    return get_or_404(
        Family.objects.filter(school_id__in=schools_for(user, "records.restrict")), pk
    )
