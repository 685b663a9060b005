"""The capability table and the few primitives every domain module builds on.

A capability is a thing a role may do at a school. ``CAPABILITIES`` says, for each
capability, which roles hold it; ``schools_for(user, capability)`` answers "at which
schools may this user do that". Rules that depend on the record (a mentor's own
families, an author's own records, a key figure's consented bridges, a partner's
shares) live in the domain modules next door and are built from these primitives.

To add a capability: add a row here, use ``schools_for``/``can`` in the domain module
(or the view), and add the row to the expected matrix in
``bondgenoot/access/tests/test_it_holds_the_capability_matrix.py``.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from bondgenoot.people.models import TWO_FACTOR_ROLES, Membership, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from bondgenoot.people.models import User

    AnyUser = User | AnonymousUser

MENTOR = Role.MENTOR
TEACHER = Role.TEACHER
CARE = Role.CARE_COORDINATOR
LEADER = Role.SCHOOL_LEADER
ADMIN = Role.ADMINISTRATOR
KEY_FIGURE = Role.KEY_FIGURE
PARTNER = Role.PARTNER
ANALYST = Role.NETWORK_ANALYST

# capability -> the roles that hold it at a school. A user holds a capability at every
# school where they have one of these roles; several roles give the union.
CAPABILITIES: dict[str, frozenset[str]] = {
    # families and the people register
    "families.whole_school": frozenset({CARE, ADMIN}),  # every family page of the school
    "families.mentored": frozenset({MENTOR}),  # the families of one's own groups
    "families.edit_whole_school": frozenset({CARE}),  # contact person, situation, bridges
    "pupils.taught": frozenset({TEACHER}),  # record about pupils one teaches
    # the contact ledger
    "ledger.whole_school": frozenset({CARE}),  # read every family's contacts
    "ledger.record": frozenset({TEACHER, MENTOR, CARE}),  # authors read back their own
    "ledger.follow_up": frozenset({MENTOR, CARE}),  # next steps, indicators, campaign
    # figures
    "monitor.whole_school": frozenset({LEADER, CARE}),  # whole-school figures
    "audit": frozenset({CARE, ADMIN}),
    "audit.ledger_entries": frozenset({CARE}),  # which families were contacted
    # bridge builders
    "registry.view": frozenset({MENTOR, CARE, ADMIN}),
    "registry.edit": frozenset({CARE, ADMIN}),
    "bridges.key_figure": frozenset({KEY_FIGURE}),  # consented families only
    # messages
    "messages.write": frozenset({MENTOR, CARE}),  # own families; care the whole school
    "messages.whole_school": frozenset({CARE}),
    "templates.read": frozenset({MENTOR, TEACHER, CARE, LEADER, ADMIN}),  # the library
    "translations.ask": frozenset({MENTOR, CARE}),  # ask someone to translate own text
    # translate when asked, as a colleague (key figures: through consented bridges only)
    "translations.colleague": frozenset({MENTOR, TEACHER, CARE, LEADER, ADMIN}),
    # meetings
    "meetings.organise": frozenset({MENTOR, CARE, LEADER}),
    "meetings.whole_school": frozenset({CARE, LEADER}),
    "meetings.check_in": frozenset({MENTOR, CARE}),
    # the care and safety network
    "signals.record": frozenset({TEACHER, MENTOR, CARE, ADMIN}),
    "signals.read_all": frozenset({CARE}),  # the queue, interpretation, chronology, shares
    "signals.counts": frozenset({LEADER, CARE}),
    "agreements.manage": frozenset({ADMIN}),
    "agreements.read": frozenset({CARE, ADMIN}),  # care shares signals under them
    "partner.inbox": frozenset({PARTNER}),
    # the parent's voice: requests about the record (correction, restriction, objection)
    "parentvoice.requests": frozenset({CARE}),
    # case discussions and the Meldcode route
    "cases.manage": frozenset({CARE}),  # plan, consent, invite, minutes; Meldcode routes
    "cases.participate": frozenset({MENTOR, TEACHER, CARE, PARTNER}),  # when invited
    "cases.staff_name": frozenset({MENTOR, TEACHER, CARE}),  # names with school-only consent
    # protocols written together (the audience is the protocol's choice)
    "protocols.manage": frozenset({CARE}),  # write, open for comment, reply, publish
    "protocols.staff": frozenset({MENTOR, TEACHER, CARE, LEADER, ADMIN}),  # as staff
    "protocols.partner": frozenset({PARTNER}),  # as a partner of the school
    # patterns across schools
    "patterns.view": frozenset({ANALYST}),  # suppressed figures of the named schools
    "patterns.grant": frozenset({ADMIN}),  # name a network analyst for the school
    # the register and its administration (administration app, /beheer/)
    "admin.register": frozenset({ADMIN, LEADER}),  # read accounts, pupils, groups, settings
    "admin.accounts": frozenset({ADMIN}),  # accounts, roles, offboarding, two-step resets
    "admin.people": frozenset({ADMIN}),  # pupils, guardians, guardianships, merges
    "admin.school_year": frozenset({ADMIN}),  # plan and start a new school year
    "admin.settings": frozenset({ADMIN}),  # a school's settings
    "roster.import": frozenset({ADMIN}),  # import pupils, guardians, staff (roster app)
    # the parent portal (parents themselves hold no role: see access/parents.py)
    "portal.invite": frozenset({MENTOR, CARE, ADMIN}),  # families they may open
    "records.restrict": frozenset({CARE}),  # "not shown to parents", release interpretation
    # login
    "login.two_factor": frozenset(TWO_FACTOR_ROLES),
}

_CACHE_ATTR = "_bondgenoot_roles"
MENTORED_CACHE_ATTR = "_bondgenoot_mentored_families"
PARENT_CACHE_ATTR = "_bondgenoot_parent_pupils"


def is_active_user(user: Any) -> bool:
    """Logged in with an account that is still active: the first rule of every rule."""
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def roles_by_school(user: Any) -> dict[int, set[str]]:
    """{school_id: {role, ...}} for this user, read once per user object (per request)."""
    if not is_active_user(user):
        return {}
    cached: dict[int, set[str]] | None = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        collected: defaultdict[int, set[str]] = defaultdict(set)
        for school_id, role in Membership.objects.filter(user=user).values_list(
            "school_id", "role"
        ):
            collected[school_id].add(role)
        cached = dict(collected)
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_roles(user: Any) -> None:
    """Drop the cached roles, mentored pupils and a parent's children (after
    memberships, groups or guardianships change in the same request or test)."""
    for attr in (_CACHE_ATTR, MENTORED_CACHE_ATTR, PARENT_CACHE_ATTR):
        if hasattr(user, attr):
            delattr(user, attr)


def roles(user: Any) -> set[str]:
    return set().union(*roles_by_school(user).values())


def schools_with_role(user: Any, *wanted: str) -> list[int]:
    return sorted(s for s, rs in roles_by_school(user).items() if rs & set(wanted))


def has_role(user: Any, *wanted: str) -> bool:
    return bool(schools_with_role(user, *wanted))


def schools_for(user: Any, capability: str) -> list[int]:
    """The schools where this user holds ``capability`` (sorted ids; [] for none)."""
    return schools_with_role(user, *CAPABILITIES[capability])


def can(user: Any, capability: str, school_id: int | None = None) -> bool:
    """Whether the user holds ``capability`` at ``school_id`` (or at any school)."""
    schools = schools_for(user, capability)
    return bool(schools) if school_id is None else school_id in schools


def requires_two_factor(user: Any) -> bool:
    return can(user, "login.two_factor")


def get_or_404[M: Model](queryset: QuerySet[M], pk: Any) -> M:
    """The one row with this primary key, or 404 (also for a malformed key: a user
    cannot tell a record they may not see from one that does not exist)."""
    try:
        return queryset.get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError, ValidationError):
        raise Http404 from None


def authored_by(user: Any, field: str = "author") -> Q:
    """The one "author who still works at that school" clause: records a user wrote,
    at a school where they still hold a recording role. An author who moved to another
    school no longer reads back what they wrote here."""
    return Q(**{field: user, "school_id__in": schools_for(user, "ledger.record")})
