"""Querysets that own their joins. Views call these; templates never trigger queries."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Exists, Min, OuterRef, Prefetch, Q

from bondgenoot.lib.compiled import CompiledQuery

if TYPE_CHECKING:
    # Named in the QuerySet["..."] bases below, which ruff does not see as uses.
    from .models import Family, Guardian, Guardianship, Pupil  # noqa: F401


class FamilyQuerySet(models.QuerySet["Family"]):
    def with_children(self) -> FamilyQuerySet:
        """Each family's pupils at school, oldest first, with their group, as
        ``family.children`` (one query): to tell families with one surname apart."""
        from .models import Pupil

        return self.prefetch_related(
            Prefetch(
                "pupils",
                queryset=Pupil.objects.filter(left_on__isnull=True)
                .select_related("group")
                .order_by("date_of_birth"),
                to_attr="children",
            )
        )

    def search(self, text: str) -> FamilyQuerySet:
        """Families whose name, pupils or guardians match every word of ``text``."""
        from .models import Guardianship, Pupil

        # EXISTS per family (through the family's index), not "id IN (every matching
        # pupil)": the latter reads every pupil and guardian of the installation for each
        # search, about a second at district scale on SQLite.
        for word in text.split()[:5]:
            pupils = Pupil.objects.filter(family=OuterRef("pk")).filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(pupil_number__iexact=word)
            )
            guardians = Guardianship.objects.filter(pupil__family=OuterRef("pk")).filter(
                Q(guardian__first_name__icontains=word) | Q(guardian__last_name__icontains=word)
            )
            self = self.filter(Q(name__icontains=word) | Exists(pupils) | Exists(guardians))
        return self

    def in_group(self, group_id: int) -> FamilyQuerySet:
        from .models import Pupil

        return self.filter(id__in=Pupil.objects.filter(group_id=group_id).values("family_id"))

    def with_summary(self) -> FamilyQuerySet:
        """Everything the family list and family page show, in a fixed number of queries:
        the contact person joined, then ``attach_people`` when the families are read."""
        clone = self.select_related("contact_person")
        clone._iterable_class = _WithPeople
        return clone

    def with_sort_key(self) -> FamilyQuerySet:
        return self.annotate(first_group=Min("pupils__group__name"))


# What the family page and its panels show of a mentor: the name (``get_full_name``,
# else the username). The rest of the user row stays unread.
MENTOR_FIELDS = ("group_id", "user__username", "user__first_name", "user__last_name")


class _WithPeople(models.query.ModelIterable):
    """Families as ``ModelIterable`` reads them, then ``attach_people`` over all of them
    (``FamilyQuerySet.with_summary``; ``get()`` and ``values()`` work as usual)."""

    def __iter__(self) -> Iterator[Any]:
        families = list(super().__iter__())
        attach_people(families)
        return iter(families)


def _prefetched(obj: Any, relation: str, items: list) -> None:
    """Give ``obj.<relation>.all()`` these items without a query, as Django's own
    ``prefetch_related`` does (``prefetch_one_level``): a queryset of the relation whose
    result is already known."""
    queryset = getattr(obj, relation).get_queryset()
    queryset._result_cache = items
    queryset._prefetch_done = True
    obj.__dict__.setdefault("_prefetched_objects_cache", {})[relation] = queryset


@functools.cache
def _people_queries() -> SimpleNamespace:
    """``attach_people``'s four queries, each given the ids it reads by."""
    from .models import Group, Guardian, Guardianship, Pupil

    mentor_links = Group.mentors.through
    languages = Guardian.home_languages.through
    return SimpleNamespace(
        pupils=CompiledQuery(
            lambda ids: (
                Pupil.objects.current()
                .filter(family_id__in=ids)
                .select_related("group")
                .order_by("date_of_birth", "id")
            ),
            Pupil._meta.get_field("family"),
        ),
        mentors=CompiledQuery(
            lambda ids: (
                mentor_links.objects.filter(group_id__in=ids)
                .select_related("user")
                .only(*MENTOR_FIELDS)
                .order_by("id")
            ),
            mentor_links._meta.get_field("group"),
        ),
        guardianships=CompiledQuery(
            lambda ids: (
                Guardianship.objects.filter(pupil_id__in=ids)
                .select_related("guardian", "guardian__written_language")
                .order_by("guardian__last_name", "id")
            ),
            Guardianship._meta.get_field("pupil"),
        ),
        home_languages=CompiledQuery(
            lambda ids: (
                languages.objects.filter(guardian_id__in=ids)
                .order_by("language_id")
                .values_list("guardian_id", "language_id")
            ),
            languages._meta.get_field("guardian"),
        ),
    )


def attach_people(families: list[Any]) -> None:
    """The families' pupils at school (oldest first, with their group and its mentors)
    and each pupil's guardianships (with the guardian, their written and home languages),
    in four flat queries, as ``family.pupils.all()``, ``pupil.group.mentors.all()``,
    ``pupil.guardianships.all()`` and ``guardian.home_languages.all()``.

    The same result as ``prefetch_related`` with nested ``Prefetch`` objects, at about
    half its cost: Django's prefetching walks every level generically, which took about
    2 ms of the family page's 13 (docs/performance.md). The queries are compiled once
    (``lib/compiled.py``)."""
    from .models import Language

    queries = _people_queries()
    by_family: dict = {family.pk: [] for family in families}
    pupils = queries.pupils(by_family)
    groups: dict = {}
    for pupil in pupils:
        if pupil.group_id:
            # One object per group, as for the guardians below.
            pupil.group = groups.setdefault(pupil.group_id, pupil.group)
    mentors: dict = {group_id: [] for group_id in groups}
    for mentor in queries.mentors(groups):
        mentors[mentor.group_id].append(mentor.user)
    for group_id, group in groups.items():
        _prefetched(group, "mentors", mentors[group_id])
    by_pupil: dict = {pupil.pk: [] for pupil in pupils}
    guardians: dict = {}
    for link in queries.guardianships(by_pupil):
        # One object per guardian, as on the family page's rows.
        link.guardian = guardians.setdefault(link.guardian_id, link.guardian)
        by_pupil[link.pupil_id].append(link)
    spoken: dict = {guardian_id: [] for guardian_id in guardians}
    for guardian_id, code in queries.home_languages(guardians):
        spoken[guardian_id].append(Language(code=code))
    for guardian_id, guardian in guardians.items():
        _prefetched(guardian, "home_languages", spoken[guardian_id])
    families_by_id = {family.pk: family for family in families}
    for pupil in pupils:
        # The way back, as prefetching sets it: ``link.pupil``, ``pupil.family``.
        for link in by_pupil[pupil.pk]:
            link.pupil = pupil
        pupil.family = families_by_id[pupil.family_id]
        _prefetched(pupil, "guardianships", by_pupil[pupil.pk])
        by_family[pupil.family_id].append(pupil)
    for family in families:
        _prefetched(family, "pupils", by_family[family.pk])


class PupilQuerySet(models.QuerySet["Pupil"]):
    def current(self) -> PupilQuerySet:
        return self.filter(left_on__isnull=True)


def authority_rule(prefix: str = "", *, family=None, families=None) -> Q:
    """A guardianship with parental authority over a pupil who is still at school (and,
    if given, in this family or these families). ``prefix`` leads from the queried model
    to the guardianship. One definition for both querysets below."""
    q = Q(**{f"{prefix}parental_authority": True, f"{prefix}pupil__left_on__isnull": True})
    if family is not None:
        q &= Q(**{f"{prefix}pupil__family": family})
    if families is not None:
        q &= Q(**{f"{prefix}pupil__family__in": families})
    return q


class GuardianshipQuerySet(models.QuerySet["Guardianship"]):
    def with_authority(self, *, family=None, families=None) -> GuardianshipQuerySet:
        """Links of guardians with parental authority to pupils who are at school."""
        return self.filter(authority_rule(family=family, families=families))


class GuardianQuerySet(models.QuerySet["Guardian"]):
    def with_authority(self, *, family=None, families=None) -> GuardianQuerySet:
        """Guardians with parental authority over a pupil who is still at school: the
        parents who have a right to information, get messages and may give consent. A
        guardian only of pupils who left is not among them. Each guardian once."""
        return self.filter(
            authority_rule("guardianships__", family=family, families=families)
        ).distinct()

    def of_family(self, family) -> GuardianQuerySet:
        return self.filter(guardianships__pupil__family=family).distinct()
