"""Families, pupils and the people register.

==================  ==================================================================
mentor              families with a pupil in a group they mentor (current school year)
teacher             pupils of groups they teach, to record about; no family pages
care coordinator    every family of their school
school leader       aggregates only; no family pages
administrator       the people register of their school (no contact or signal contents)
key figure          families linked to them with the parent's consent (see bridges)
network partner     only what was shared with their organisation (see network)
parent              their own children, when they have parental authority
==================  ==================================================================
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet

from bondgenoot.people.models import Family, Group, Guardianship, Pupil
from bondgenoot.people.querysets import FamilyQuerySet, PupilQuerySet
from bondgenoot.people.schoolyear import current_school_year

from .core import (
    MENTORED_CACHE_ATTR,
    PARENT_CACHE_ATTR,
    can,
    get_or_404,
    is_active_user,
    schools_for,
)


def mentored_pupils(user: Any) -> QuerySet[Pupil]:
    """Pupils still at school in a group this user mentors this school year, at a
    school where they hold the mentor role."""
    return Pupil.objects.filter(
        group__mentors=user,
        group__school_year=current_school_year(),
        left_on__isnull=True,
        group__school_id__in=schools_for(user, "families.mentored"),
    )


def taught_pupils(user: Any) -> QuerySet[Pupil]:
    """Pupils still at school in groups this user teaches this school year (as a teacher
    at that school)."""
    return Pupil.objects.filter(
        group__teachers=user,
        group__school_year=current_school_year(),
        school_id__in=schools_for(user, "pupils.taught"),
        left_on__isnull=True,
    )


def parent_pupils(user: Any) -> QuerySet[Pupil]:
    """The pupils still at school over whom this user has parental authority."""
    if not is_active_user(user):
        return Pupil.objects.none()
    return Pupil.objects.filter(
        pk__in=Guardianship.objects.filter(guardian__user=user, parental_authority=True).values(
            "pupil_id"
        ),
        left_on__isnull=True,
    )


def is_parent_of(user: Any, pupil: Pupil) -> bool:
    """Whether ``pupil`` is one of ``parent_pupils(user)``; the ids are read once per
    user object (per request; ``forget_roles`` drops them), as a parent's page asks it
    for each part it shows."""
    if not is_active_user(user):
        return False
    cached: frozenset[Any] | None = getattr(user, PARENT_CACHE_ATTR, None)
    if cached is None:
        cached = frozenset(parent_pupils(user).values_list("pk", flat=True))
        setattr(user, PARENT_CACHE_ATTR, cached)
    return pupil.pk in cached


def remember_children(user: Any, pupils: list[Pupil]) -> None:
    """``parent_children(user)`` read in full (the portal's start page): their ids answer
    ``is_parent_of`` for the rest of the request, without reading them again."""
    if is_active_user(user):
        setattr(user, PARENT_CACHE_ATTR, frozenset(p.pk for p in pupils))


def works_with_families(user: Any) -> QuerySet[Family]:
    """Families this user works with: the mentor of one of its pupils, or a care
    coordinator of its school. They read its contacts, advice and bridges."""
    if not is_active_user(user):
        return Family.objects.none()
    rule = Q(school_id__in=schools_for(user, "ledger.whole_school"))
    if can(user, "families.mentored"):
        rule |= Q(pk__in=mentored_pupils(user).values("family_id"))
    return Family.objects.filter(rule)


def mentored_family_ids(user: Any) -> frozenset[Any]:
    """Ids of the families this user mentors a pupil of (``mentored_pupils``), read once
    per user object (per request, like the roles; ``forget_roles`` drops both)."""
    if not can(user, "families.mentored"):
        return frozenset()
    cached: frozenset[Any] | None = getattr(user, MENTORED_CACHE_ATTR, None)
    if cached is None:
        cached = frozenset(mentored_pupils(user).values_list("family_id", flat=True))
        setattr(user, MENTORED_CACHE_ATTR, cached)
    return cached


def _mentors_pupil(user: Any, pupil: Pupil) -> bool:
    """``mentored_pupils``'s rule for one pupil read with its group and the group's
    mentors (``FamilyQuerySet.with_summary``): no query."""
    group = pupil.group
    return (
        pupil.left_on is None
        and group is not None
        and group.school_year == current_school_year()
        and can(user, "families.mentored", group.school_id)
        and any(mentor.pk == user.pk for mentor in group.mentors.all())
    )


def mentors_family(user: Any, family: Family) -> bool:
    """Whether this user mentors one of the family's pupils (``mentored_pupils``): from
    the family's people when they were read with it (``with_summary``: the family page
    and its panels), or from the answer read with it (``with_mentored``: "Mijn
    gezinnen"), else from the ids read once per request. A test holds the answers equal
    for every user and family (access/tests/test_visible_among.py)."""
    cache = getattr(family, "_prefetched_objects_cache", {})
    if "pupils" in cache:
        return any(_mentors_pupil(user, pupil) for pupil in cache["pupils"])
    read: bool | None = getattr(family, f"{MENTORED_PREFIX}{user.pk}", None)
    if read is not None:
        return read
    return family.pk in mentored_family_ids(user)


# ``with_mentored``'s answer on each family, named for the user it is for.
MENTORED_PREFIX = "_bondgenoot_mentored_by_"


def with_mentored(user: Any, families: FamilyQuerySet) -> FamilyQuerySet:
    """These families, each read with whether this user mentors it (an EXISTS over
    ``mentored_pupils``), so that ``mentors_family`` (and so ``works_with_which``) needs
    no query for the mentored families: for a mentor's own list, where the families are
    few (an EXISTS per row would cost a whole school's list more than the one query)."""
    if not can(user, "families.mentored"):
        return families
    mentored = mentored_pupils(user).filter(family_id=OuterRef("pk"))
    return families.annotate(**{f"{MENTORED_PREFIX}{user.pk}": Exists(mentored)})


def works_with_family(user: Any, family: Family) -> bool:
    """The one predicate behind "those who work with the family"."""
    return family.pk in works_with_which(user, [family])


def works_with_which(user: Any, families: list[Family]) -> set[Any]:
    """The ids of those of ``families`` this user works with (``works_with_family`` for
    each, with the schools and mentored families looked up once for a list)."""
    if not is_active_user(user):
        return set()
    schools = set(schools_for(user, "ledger.whole_school"))
    ids = {f.pk for f in families if f.school_id in schools}
    others = [f for f in families if f.pk not in ids]
    # The mentored families are read only when the school does not answer (and not at
    # all for a family read with its people: mentors_family).
    ids.update(f.pk for f in others if mentors_family(user, f))
    return ids


def families_visible_to(user: Any, queryset: FamilyQuerySet | None = None) -> FamilyQuerySet:
    """The families whose (staff) page this user may open."""
    qs = Family.objects.all() if queryset is None else queryset
    if not is_active_user(user):
        return qs.none()
    rule = Q(school_id__in=schools_for(user, "families.whole_school"))
    if can(user, "families.mentored"):
        rule |= Q(pk__in=mentored_pupils(user).values("family_id"))
    # Parents do not get this staff page: it shows the whole family, which can include
    # a step-sibling and the address of another parent (they have the parent portal).
    return qs.filter(rule)


def pupils_visible_to(user: Any, queryset: PupilQuerySet | None = None) -> PupilQuerySet:
    """Pupils this user may pick, e.g. to record a contact or an observation about."""
    qs = Pupil.objects.all() if queryset is None else queryset
    if not is_active_user(user):
        return qs.none()
    rule = Q(school_id__in=schools_for(user, "families.whole_school"))
    if can(user, "families.mentored"):
        rule |= Q(pk__in=mentored_pupils(user).values("pk"))
    if can(user, "pupils.taught"):
        rule |= Q(pk__in=taught_pupils(user).values("pk"))
    return qs.filter(rule)


def visible_among(user: Any, pupils: Iterable[Pupil]) -> set[Any]:
    """The ids of those of these pupils that ``pupils_visible_to`` lets this user pick:
    the same rule, over pupils read with their group and its mentors (``with_summary``),
    without a query for mentors and whole-school roles (the family page asks it for every
    pupil card). A test holds the two equal for every user and family of the demo
    (access/tests/test_visible_among.py)."""
    pupils = [p for p in pupils if p.left_on is None]  # as pupils_visible_to's callers ask
    if not is_active_user(user):
        return set()
    whole_school = set(schools_for(user, "families.whole_school"))
    taught: set[Any] = set()
    if can(user, "pupils.taught"):
        taught = set(
            taught_pupils(user).filter(pk__in=[p.pk for p in pupils]).values_list("pk", flat=True)
        )
    return {
        p.pk
        for p in pupils
        if p.school_id in whole_school or p.pk in taught or _mentors_pupil(user, p)
    }


def get_family(user: Any, pk: Any) -> Family:
    """The family with this id if the user may see it; otherwise 404."""
    families: QuerySet[Family] = families_visible_to(user).with_summary()
    return get_or_404(families, pk)


def get_pupil(user: Any, pk: Any, queryset: PupilQuerySet | None = None) -> Pupil:
    """A pupil still at school whom this user may pick; otherwise 404."""
    qs = pupils_visible_to(user, queryset).filter(left_on__isnull=True)
    return get_or_404(qs.select_related("group", "family"), pk)


def can_list_families(user: Any) -> bool:
    """Whether "Mijn gezinnen" makes sense for this user."""
    return can(user, "families.whole_school") or can(user, "families.mentored")


def groups_for_filter(user: Any) -> QuerySet[Group]:
    """The groups offered as a filter in "Mijn gezinnen": the whole school's for those
    who see every family, one's own groups for a mentor."""
    return (
        Group.objects.filter(
            Q(school_id__in=schools_for(user, "families.whole_school"))
            | Q(mentors=user, school_id__in=schools_for(user, "families.mentored")),
            school_year=current_school_year(),
        )
        .distinct()
        .order_by("name")
    )


def can_edit_family(user: Any, family: Family) -> bool:
    """Mentors of the family's pupils and the school's care coordinators (not parents,
    not administrators: they keep the register, not the relationship)."""
    if not is_active_user(user):
        return False
    if can(user, "families.edit_whole_school", family.school_id):
        return True
    return mentors_family(user, family)


def get_family_for_edit(user: Any, pk: Any) -> Family:
    """The family if the user may change it; 404 when they may not even see it,
    403 when they may see but not change it."""
    family = get_family(user, pk)
    if not can_edit_family(user, family):
        raise PermissionDenied
    return family
