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


def _columns(model: Any, prefix: str = "") -> list[str]:
    return [f"{prefix}{field.attname}" for field in model._meta.concrete_fields]


@functools.cache
def _people_queries() -> SimpleNamespace:
    """``attach_people``'s two queries: the pupils with their group, guardianships,
    guardians and home languages (a row per pupil, guardianship and home language), and
    the groups' mentors. Compiled once (``lib/compiled.py``)."""
    from .models import Group, Guardian, Guardianship, Pupil

    mentor_links = Group.mentors.through
    columns = SimpleNamespace(
        pupil=_columns(Pupil),
        group=_columns(Group, "group__"),
        link=_columns(Guardianship, "guardianships__"),
        guardian=_columns(Guardian, "guardianships__guardian__"),
        language=["guardianships__guardian__home_languages__code"],
    )
    every = [*columns.pupil, *columns.group, *columns.link, *columns.guardian, *columns.language]
    return SimpleNamespace(
        columns=columns,
        people=CompiledQuery(
            lambda ids: Pupil.objects.people_rows(ids).values_list(*every),
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
    )


def _split(row: tuple, widths: list[int]) -> list[tuple]:
    parts, start = [], 0
    for width in widths:
        parts.append(row[start : start + width])
        start += width
    return parts


def attach_people(families: list[Any]) -> None:
    """The families' pupils at school (oldest first, with their group and its mentors)
    and each pupil's guardianships (with the guardian, their written and home languages),
    in two flat queries, as ``family.pupils.all()``, ``pupil.group.mentors.all()``,
    ``pupil.guardianships.all()`` and ``guardian.home_languages.all()``.

    The same result as ``prefetch_related`` with nested ``Prefetch`` objects (each guardian
    and group one object, ``link.pupil`` and ``pupil.family`` set), at a fraction of its
    cost: Django's prefetching walks every level generically and runs a query per level,
    which took about 2 ms of the family page's 13 (docs/performance.md)."""
    from .models import Group, Guardian, Guardianship, Language, Pupil

    queries = _people_queries()
    columns = queries.columns
    widths = [len(columns.pupil), len(columns.group), len(columns.link), len(columns.guardian)]
    names = [
        [c.rsplit("__", 1)[-1] for c in part]
        for part in (columns.pupil, columns.group, columns.link, columns.guardian)
    ]
    families_by_id = {family.pk: family for family in families}
    by_family: dict = {family.pk: [] for family in families}
    pupils: dict = {}
    groups: dict = {}
    links: dict = {}
    links_of: dict = {}  # pupil id → its guardianships
    guardians: dict = {}
    spoken: dict = {}
    rows = queries.people(by_family)
    db = queries.people.db
    for row in rows:
        pupil_row, group_row, link_row, guardian_row = _split(row, widths)
        code = row[-1]
        pupil = pupils.get(pupil_row[0])
        if pupil is None:
            pupil = pupils[pupil_row[0]] = Pupil.from_db(db, names[0], pupil_row)
            if group_row[0] is None:
                pupil.group = None
            else:
                group = groups.get(group_row[0])
                if group is None:
                    group = groups[group_row[0]] = Group.from_db(db, names[1], group_row)
                pupil.group = group
            pupil.family = families_by_id[pupil.family_id]
            links_of[pupil.pk] = []
        if link_row[0] is None:
            continue
        guardian = guardians.get(guardian_row[0])
        if guardian is None:
            guardian = guardians[guardian_row[0]] = Guardian.from_db(db, names[3], guardian_row)
            code_written = guardian.written_language_id
            guardian.written_language = (
                None if code_written is None else Language.from_db(db, ["code"], [code_written])
            )
            spoken[guardian.pk] = {}
        if code is not None:
            spoken[guardian.pk][code] = None
        if link_row[0] not in links:
            link = links[link_row[0]] = Guardianship.from_db(db, names[2], link_row)
            link.guardian = guardian
            link.pupil = pupil
            links_of[pupil.pk].append(link)
    mentors: dict = {group_id: [] for group_id in groups}
    for mentor in queries.mentors(groups):
        mentors[mentor.group_id].append(mentor.user)
    for group_id, group in groups.items():
        _prefetched(group, "mentors", mentors[group_id])
    for guardian_id, guardian in guardians.items():
        codes = sorted(spoken[guardian_id])
        _prefetched(guardian, "home_languages", [Language(code=c) for c in codes])
    for pupil in pupils.values():
        _prefetched(pupil, "guardianships", links_of[pupil.pk])
        by_family[pupil.family_id].append(pupil)
    for family in families:
        _prefetched(family, "pupils", by_family[family.pk])


class PupilQuerySet(models.QuerySet["Pupil"]):
    def current(self) -> PupilQuerySet:
        return self.filter(left_on__isnull=True)

    def people_rows(self, family_ids) -> PupilQuerySet:
        """These families' pupils at school joined with their guardianships, guardians and
        home languages, for ``values_list`` rows (a row per pupil, guardianship and
        language): pupils oldest first, each pupil's guardians by last name, each
        guardian's languages by code. The family page (``attach_people``) and the cards
        of "Mijn gezinnen" (``people.cards``) read a family's people this way."""
        return (
            self.current()
            .filter(family_id__in=family_ids)
            .order_by(
                "date_of_birth",
                "id",
                "guardianships__guardian__last_name",
                "guardianships__id",
                "guardianships__guardian__home_languages__code",
            )
        )


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
