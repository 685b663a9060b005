"""Querysets that own their joins. Views call these; templates never trigger queries."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Exists, Min, OuterRef, Prefetch, Q

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
        """Everything the family list and family page show, in a fixed number of queries."""
        from .models import Guardianship, Pupil

        return self.select_related("contact_person").prefetch_related(
            Prefetch(
                "pupils",
                queryset=Pupil.objects.current()
                .select_related("group")
                .prefetch_related("group__mentors")
                .order_by("date_of_birth"),
            ),
            Prefetch(
                "pupils__guardianships",
                queryset=Guardianship.objects.select_related(
                    "guardian", "guardian__written_language"
                )
                .prefetch_related("guardian__home_languages")
                .order_by("guardian__last_name", "id"),
            ),
        )

    def with_sort_key(self) -> FamilyQuerySet:
        return self.annotate(first_group=Min("pupils__group__name"))


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
