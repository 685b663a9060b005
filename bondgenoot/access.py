"""The one access policy: who may see and do what.

Every view and every query that touches pupils, families or records goes through
this module. It answers in two forms:

* querysets: ``families_visible_to(user)``, ``pupils_visible_to(user)``, ... which
  views filter on, so that a list can never show more than the user may see;
* helpers that return one object or raise ``Http404`` (never 403 for records, so
  that a user cannot learn that a record exists): ``get_family(user, pk)``.

The rules follow the roles table in DESIGN.md:

==================  ==================================================================
mentor              families with a pupil in a group they mentor (current school year)
teacher             pupils of groups they teach, to record about; no family pages
care coordinator    every family of their school
school leader       aggregates only; no family pages
administrator       the people register of their school (no contact or signal contents)
key figure          families linked to them with the parent's consent (bridges issue)
network partner     only what was shared with their organisation (network issue)
parent              their own family, when they have parental authority
==================  ==================================================================

A user can hold several roles (at one or more schools): they get the union.
Memberships are read once per request and cached on the user object.
"""

from __future__ import annotations

from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404

from bondgenoot.people.models import (
    TWO_FACTOR_ROLES,
    Family,
    Guardianship,
    Membership,
    Pupil,
    Role,
)
from bondgenoot.people.schoolyear import current_school_year

_CACHE_ATTR = "_bondgenoot_roles"


def roles_by_school(user) -> dict[int, set[str]]:
    """{school_id: {role, ...}} for this user, read once per user object."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return {}
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = defaultdict(set)
        for school_id, role in Membership.objects.filter(user=user).values_list(
            "school_id", "role"
        ):
            cached[school_id].add(role)
        cached = dict(cached)
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_roles(user) -> None:
    """Drop the cached roles (after memberships change in the same request or test)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def roles(user) -> set[str]:
    return set().union(*roles_by_school(user).values()) if roles_by_school(user) else set()


def schools_with_role(user, *wanted: str) -> list[int]:
    return sorted(s for s, rs in roles_by_school(user).items() if rs & set(wanted))


def has_role(user, *wanted: str) -> bool:
    return bool(schools_with_role(user, *wanted))


def requires_two_factor(user) -> bool:
    return has_role(user, *TWO_FACTOR_ROLES)


# --- families and pupils -------------------------------------------------------------

# Roles that see every family of their school.
_WHOLE_SCHOOL_FAMILY_ROLES = (Role.CARE_COORDINATOR, Role.ADMINISTRATOR)


def _mentored_pupils(user) -> QuerySet:
    return Pupil.objects.filter(
        group__mentors=user,
        group__school_year=current_school_year(),
        left_on__isnull=True,
        group__school_id__in=schools_with_role(user, Role.MENTOR),
    )


def parent_pupils(user) -> QuerySet:
    """The pupils this user has parental authority over (for the parent portal)."""
    return Pupil.objects.filter(pk__in=_parent_pupils(user))


def _parent_pupils(user) -> QuerySet:
    return Guardianship.objects.filter(guardian__user=user, parental_authority=True).values(
        "pupil_id"
    )


def families_visible_to(user, queryset: QuerySet | None = None) -> QuerySet:
    """The families whose page this user may open."""
    qs = Family.objects.all() if queryset is None else queryset
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    rule = Q(pk__in=[])
    whole_school = schools_with_role(user, *_WHOLE_SCHOOL_FAMILY_ROLES)
    if whole_school:
        rule |= Q(school_id__in=whole_school)
    if has_role(user, Role.MENTOR):
        rule |= Q(pk__in=_mentored_pupils(user).values("family_id"))
    # Parents do not get this (staff) family page: it shows the whole family, which can
    # include a step-sibling and the address of another parent. The parent portal will
    # show a parent their own children and their own record (see parent_pupils).
    return qs.filter(rule)


def pupils_visible_to(user, queryset: QuerySet | None = None) -> QuerySet:
    """Pupils this user may pick, e.g. to record a contact or an observation about."""
    qs = Pupil.objects.all() if queryset is None else queryset
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    rule = Q(pk__in=[])
    whole_school = schools_with_role(user, *_WHOLE_SCHOOL_FAMILY_ROLES)
    if whole_school:
        rule |= Q(school_id__in=whole_school)
    if has_role(user, Role.MENTOR):
        rule |= Q(pk__in=_mentored_pupils(user).values("pk"))
    if has_role(user, Role.TEACHER):
        rule |= Q(pk__in=taught_pupils(user).values("pk"))
    return qs.filter(rule)


def taught_pupils(user) -> QuerySet:
    """Pupils in groups this user teaches this school year (as a teacher at that school)."""
    return Pupil.objects.filter(
        group__teachers=user,
        group__school_year=current_school_year(),
        school_id__in=schools_with_role(user, Role.TEACHER),
        left_on__isnull=True,
    )


def get_family(user, pk) -> Family:
    """The family with this id if the user may see it; otherwise 404."""
    try:
        return families_visible_to(user).with_summary().get(pk=pk)
    except (Family.DoesNotExist, ValueError, TypeError, ValidationError):
        raise Http404 from None


def can_list_families(user) -> bool:
    """Whether "Mijn gezinnen" makes sense for this user."""
    return has_role(user, Role.MENTOR, *_WHOLE_SCHOOL_FAMILY_ROLES)


def groups_for_filter(user) -> QuerySet:
    """The groups offered as a filter in "Mijn gezinnen"."""
    from bondgenoot.people.models import Group

    year = current_school_year()
    whole_school = schools_with_role(user, *_WHOLE_SCHOOL_FAMILY_ROLES)
    return (
        Group.objects.filter(
            Q(school_id__in=whole_school)
            | Q(mentors=user, school_id__in=schools_with_role(user, Role.MENTOR)),
            school_year=year,
        )
        .distinct()
        .order_by("name")
    )


# --- audit log ---------------------------------------------------------------------------


def audit_schools(user) -> list[int]:
    """Schools whose audit log this user may browse."""
    return schools_with_role(user, Role.CARE_COORDINATOR, Role.ADMINISTRATOR)


def can_browse_audit(user) -> bool:
    return bool(audit_schools(user))


# --- changing families ---------------------------------------------------------------------


def can_edit_family(user, family: Family) -> bool:
    """Mentors of the family's pupils and the school's care coordinators (not parents,
    not administrators: they keep the register, not the relationship)."""
    if family.school_id in schools_with_role(user, Role.CARE_COORDINATOR):
        return True
    return (
        has_role(user, Role.MENTOR) and _mentored_pupils(user).filter(family_id=family.pk).exists()
    )


def get_family_for_edit(user, pk) -> Family:
    """The family if the user may change it; 404 when they may not even see it,
    403 when they may see but not change it."""
    family = get_family(user, pk)
    if not can_edit_family(user, family):
        raise PermissionDenied
    return family


# --- contact ledger ------------------------------------------------------------------------
#
# Contact contents are for the people who work with the family: its mentors and the care
# coordinators. Administrators keep the register but never read contacts; school leaders
# see aggregates only (the monitor); a teacher reads back only what they recorded.


def contact_families(user) -> QuerySet:
    """Families whose contacts this user may read (mentor of, or care coordinator)."""
    rule = Q(pk__in=[])
    care = schools_with_role(user, Role.CARE_COORDINATOR)
    if care:
        rule |= Q(school_id__in=care)
    if has_role(user, Role.MENTOR):
        rule |= Q(pk__in=_mentored_pupils(user).values("family_id"))
    return Family.objects.filter(rule)


def can_view_contacts(user, family: Family) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if family.school_id in schools_with_role(user, Role.CARE_COORDINATOR):
        return True
    return (
        has_role(user, Role.MENTOR) and _mentored_pupils(user).filter(family_id=family.pk).exists()
    )


_RECORDING_ROLES = (Role.TEACHER, Role.MENTOR, Role.CARE_COORDINATOR)


def works_with_contacts(user) -> bool:
    """Mentors and care coordinators: they follow families up (next steps, "Mijn
    acties", the first-contact campaign, indicators in "Mijn gezinnen")."""
    return has_role(user, Role.MENTOR, Role.CARE_COORDINATOR)


def contacts_visible_to(user, queryset: QuerySet | None = None) -> QuerySet:
    from bondgenoot.contacts.models import Contact

    qs = Contact.objects.all() if queryset is None else queryset
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    # Authors read back their own records, but only while they still work at that school.
    own = Q(author=user, school_id__in=schools_with_role(user, *_RECORDING_ROLES))
    return qs.filter(Q(family__in=contact_families(user)) | own)


def loggable_pupils(user, family: Family) -> QuerySet:
    """The family's pupils this user may record a contact about."""
    pupils = family.pupils.filter(left_on__isnull=True)
    if can_view_contacts(user, family):
        return pupils
    return pupils.filter(pk__in=taught_pupils(user).values("pk"))


def get_family_for_logging(user, pk) -> Family:
    """A family the user may record a contact for: as mentor or care coordinator, or as
    the teacher of one of its pupils. Otherwise 404."""
    try:
        family = Family.objects.get(pk=pk)
    except (Family.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None
    if can_view_contacts(user, family) or loggable_pupils(user, family).exists():
        return family
    raise Http404


def get_contact_for_edit(user, pk):
    """A contact the user may change: their own, or any of the school for care."""
    from bondgenoot.contacts.models import Contact

    try:
        contact = Contact.objects.select_related("family").get(pk=pk)
    except (Contact.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None
    if (
        contact.author_id == user.pk
        and user.is_active
        and contact.school_id in schools_with_role(user, *_RECORDING_ROLES)
    ):
        return contact
    if contact.school_id in schools_with_role(user, Role.CARE_COORDINATOR):
        return contact
    if contacts_visible_to(user).filter(pk=contact.pk).exists():
        raise PermissionDenied
    raise Http404


def next_step_owner_choices(family: Family) -> QuerySet:
    """Who can own a next step for this family: people who may read its contacts."""
    from bondgenoot.people.models import User

    return (
        User.objects.filter(
            Q(memberships__school_id=family.school_id, memberships__role=Role.CARE_COORDINATOR)
            | Q(
                memberships__school_id=family.school_id,
                memberships__role=Role.MENTOR,
                mentor_groups__school_year=current_school_year(),
                mentor_groups__pupils__family=family,
                mentor_groups__pupils__left_on__isnull=True,
            ),
            is_active=True,
        )
        .distinct()
        .order_by("first_name", "last_name")
    )


def next_steps_visible_to(user, queryset: QuerySet | None = None) -> QuerySet:
    from bondgenoot.contacts.models import NextStep

    qs = NextStep.objects.all() if queryset is None else queryset
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    return qs.filter(Q(owner=user) | Q(family__in=contact_families(user)))


def get_next_step_for_edit(user, pk):
    """The owner, the family's mentors and care coordinators may complete or move a step."""
    from bondgenoot.contacts.models import NextStep

    try:
        return next_steps_visible_to(user).select_related("family").get(pk=pk)
    except (NextStep.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


# --- trust monitor ---------------------------------------------------------------------------


def monitor_schools(user) -> list[int]:
    """Schools whose whole-school figures this user may see."""
    return schools_with_role(user, Role.SCHOOL_LEADER, Role.CARE_COORDINATOR)


def can_view_monitor(user) -> bool:
    return bool(monitor_schools(user)) or has_role(user, Role.MENTOR)


def monitor_families(user) -> QuerySet:
    """The families counted in this user's monitor (figures only, never contents)."""
    rule = Q(pk__in=[])
    schools = monitor_schools(user)
    if schools:
        rule |= Q(school_id__in=schools)
    if has_role(user, Role.MENTOR):
        rule |= Q(pk__in=_mentored_pupils(user).values("family_id"))
    return Family.objects.filter(rule)


def monitor_groups(user) -> QuerySet:
    from bondgenoot.people.models import Group

    schools = monitor_schools(user)
    return (
        Group.objects.filter(
            Q(school_id__in=schools)
            | Q(mentors=user, school_id__in=schools_with_role(user, Role.MENTOR)),
            school_year=current_school_year(),
        )
        .distinct()
        .order_by("name")
    )


def can_list_monitor_names(user) -> bool:
    """School leaders see aggregates only; mentors and care coordinators see which
    families need attention."""
    return works_with_contacts(user)


# --- approach and bridge builders ------------------------------------------------------------
#
# The situation, the advice and a family's bridges are part of working with the family:
# its mentors and the care coordinators (the same people who read its ledger). The key
# figure registry is kept by care coordinators and administrators; mentors read it to
# find a bridge. A key figure sees a family only through a bridge with a parent's consent
# in force, and then only what the consent's scope allows (never contacts or signals).


def registry_schools(user) -> list[int]:
    """Schools whose key figure registry this user may change."""
    return schools_with_role(user, Role.CARE_COORDINATOR, Role.ADMINISTRATOR)


def key_figures_visible_to(user) -> QuerySet:
    from bondgenoot.bridges.models import KeyFigure

    schools = schools_with_role(user, Role.MENTOR, Role.CARE_COORDINATOR, Role.ADMINISTRATOR)
    return KeyFigure.objects.filter(school_id__in=schools)


def can_view_registry(user) -> bool:
    return has_role(user, Role.MENTOR, Role.CARE_COORDINATOR, Role.ADMINISTRATOR)


def get_key_figure_for_edit(user, pk):
    from bondgenoot.bridges.models import KeyFigure

    try:
        key_figure = KeyFigure.objects.get(pk=pk)
    except (KeyFigure.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None
    if key_figure.school_id in registry_schools(user):
        return key_figure
    if key_figures_visible_to(user).filter(pk=key_figure.pk).exists():
        raise PermissionDenied
    raise Http404


def consented_bridges(user) -> QuerySet:
    """Bridges through which this (key figure) user may see a family now.

    All of these must hold, on every request: the bridge is open; its registry entry is
    active, linked to this user, at a school where they hold the key figure role, and
    (for external key figures) the agreement and confidentiality statement are recorded;
    a consent is in force, given by a guardian who still has parental authority over a
    pupil of the family who is still at school.
    """
    from django.db.models import Exists, OuterRef

    from bondgenoot.bridges.models import Bridge, Consent, KeyFigure

    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Bridge.objects.none()
    valid_consent = Consent.objects.filter(
        bridge_id=OuterRef("pk"),
        withdrawn_at__isnull=True,
        guardian__guardianships__parental_authority=True,
        guardian__guardianships__pupil__family_id=OuterRef("family_id"),
        guardian__guardianships__pupil__left_on__isnull=True,
    )
    return Bridge.objects.filter(
        Q(key_figure__kind__in=KeyFigure.INTERNAL_KINDS)
        | Q(key_figure__agreement_on__isnull=False, key_figure__confidentiality_signed=True),
        Exists(valid_consent),
        ended_at__isnull=True,
        key_figure__user=user,
        key_figure__active=True,
        key_figure__school_id__in=schools_with_role(user, Role.KEY_FIGURE),
    )


def bridged_families(user) -> QuerySet:
    return Family.objects.filter(pk__in=consented_bridges(user).values("family_id"))


def get_bridge_for_key_figure(user, pk):
    """A bridge the key figure may open now; 404 otherwise (also once consent is withdrawn)."""
    from bondgenoot.bridges.models import Bridge

    try:
        return consented_bridges(user).select_related("family", "key_figure").get(pk=pk)
    except (Bridge.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


def get_bridge_for_edit(user, pk):
    """A bridge the user may manage (introduce, record or withdraw consent, end): the
    family's mentors and care coordinators. 404 when they may not see the family."""
    from bondgenoot.bridges.models import Bridge

    try:
        bridge = Bridge.objects.select_related("family", "key_figure").get(pk=pk)
    except (Bridge.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None
    if not can_view_contacts(user, bridge.family):
        raise Http404
    if not can_edit_family(user, bridge.family):
        raise PermissionDenied
    return bridge


# --- messages ---------------------------------------------------------------------------------
#
# Writing to families is part of working with them: mentors write to the families of
# their groups, care coordinators to any family of their school. The recipients of a
# group message are always narrowed to the families whose contacts the writer may read.


def message_groups(user) -> QuerySet:
    """Groups this user may write to as a whole (this school year)."""
    from bondgenoot.people.models import Group

    return Group.objects.filter(
        Q(school_id__in=schools_with_role(user, Role.CARE_COORDINATOR))
        | Q(mentors=user, school_id__in=schools_with_role(user, Role.MENTOR)),
        school_year=current_school_year(),
    ).distinct()


# --- meetings ------------------------------------------------------------------------------------
#
# Mentors, care coordinators and school leaders organise meetings; mentors only for
# their own groups, the others for the whole school. Names of families (check-in at the
# door, who came, who never came) are for those who work with families: mentors and
# care coordinators. School leaders see the reach figures without names.


def meeting_schools(user) -> list[int]:
    return schools_with_role(user, Role.MENTOR, Role.CARE_COORDINATOR, Role.SCHOOL_LEADER)


def can_organise_meetings(user) -> bool:
    return bool(meeting_schools(user))


def whole_school_meeting_schools(user) -> list[int]:
    return schools_with_role(user, Role.CARE_COORDINATOR, Role.SCHOOL_LEADER)


def meetings_visible_to(user) -> QuerySet:
    from bondgenoot.meetings.models import Meeting

    return Meeting.objects.filter(school_id__in=meeting_schools(user))


def get_meeting(user, pk):
    from bondgenoot.meetings.models import Meeting

    try:
        return meetings_visible_to(user).select_related("school", "created_by").get(pk=pk)
    except (Meeting.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


def can_manage_meeting(user, meeting) -> bool:
    """Invite in writing, send thanks: the organiser, or care coordinators and school
    leaders of the school."""
    if meeting.school_id in whole_school_meeting_schools(user):
        return True
    return meeting.created_by_id == user.pk and meeting.school_id in meeting_schools(user)


def can_check_in(user, meeting) -> bool:
    """At the door families are found by name: mentors and care coordinators, on the
    day of the meeting."""
    from datetime import timedelta

    from django.utils import timezone

    if meeting.school_id not in schools_with_role(user, Role.MENTOR, Role.CARE_COORDINATOR):
        return False
    now = timezone.now()
    return meeting.starts_at - timedelta(hours=12) <= now <= meeting.ends_at + timedelta(hours=12)


def check_in_families(user, meeting) -> QuerySet:
    """Whom this user may find and mark present: care coordinators the whole school,
    mentors the families they work with."""
    if meeting.school_id in care_schools(user):
        return Family.objects.filter(school_id=meeting.school_id)
    return contact_families(user).filter(school_id=meeting.school_id)


# --- care and safety network ----------------------------------------------------------------------
#
# Any staff member records a signal about a pupil they may pick; only care coordinators
# read the school's signals (and the interpretation field). Everyone else reads back
# only their own signals, without the interpretation. School leaders see counts.
# Administrators keep the agreements with partners. A partner user (two-factor login)
# sees only what was shared with their own organisation, and only the agreed fields.
# A care coordinator of another school opens a pupil's chronology only with a typed
# reason (break-glass), which is audited.


def care_schools(user) -> list[int]:
    return schools_with_role(user, Role.CARE_COORDINATOR)


def signals_visible_to(user, queryset: QuerySet | None = None) -> QuerySet:
    from bondgenoot.network.models import Signal

    qs = Signal.objects.all() if queryset is None else queryset
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    own = Q(author=user, school_id__in=schools_with_role(user, *_RECORDING_ROLES))
    return qs.filter(Q(school_id__in=care_schools(user)) | own)


def get_signal(user, pk):
    from bondgenoot.network.models import Signal

    try:
        return signals_visible_to(user).select_related("pupil__group", "author").get(pk=pk)
    except (Signal.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


def sees_interpretation(user, signal) -> bool:
    return signal.school_id in care_schools(user)


def can_record_signals(user) -> bool:
    return has_role(user, *_RECORDING_ROLES, Role.ADMINISTRATOR)


def agreement_schools(user) -> list[int]:
    return schools_with_role(user, Role.ADMINISTRATOR)


def partner_shares(user) -> QuerySet:
    from bondgenoot.network.models import Share

    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Share.objects.none()
    if not user.organisation_id:
        return Share.objects.none()
    return Share.objects.filter(
        partner_id=user.organisation_id,
        signal__school_id__in=schools_with_role(user, Role.PARTNER),
    )


def get_share_for_partner(user, pk):
    from bondgenoot.network.models import Share

    try:
        return partner_shares(user).get(pk=pk)
    except (Share.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


def chronology_pupil(user, pk):
    """A pupil whose chronology this user may open: care coordinator of the school, or
    of another school with an emergency access still running. Otherwise 404."""
    from django.utils import timezone

    from bondgenoot.network.models import BreakGlass

    try:
        pupil = Pupil.objects.select_related("family", "group").get(pk=pk)
    except (Pupil.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None
    if pupil.school_id in care_schools(user):
        return pupil
    if (
        care_schools(user)
        and BreakGlass.objects.filter(user=user, pupil=pupil, until__gt=timezone.now()).exists()
    ):
        return pupil
    raise Http404


def messages_visible_to(user) -> QuerySet:
    """Sent messages with their recipients and answers: the school's care coordinators,
    and the writer while they still work with families at that school. School leaders
    who organise a meeting follow its invitations in figures on the meeting page."""
    from bondgenoot.messaging.models import Message

    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Message.objects.none()
    own = Q(
        author=user,
        school_id__in=schools_with_role(user, Role.MENTOR, Role.CARE_COORDINATOR),
    )
    return Message.objects.filter(Q(school_id__in=care_schools(user)) | own)
