"""Querysets that own their joins. Views call these; templates never trigger queries."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Min, Prefetch, Q

if TYPE_CHECKING:
    pass


class FamilyQuerySet(models.QuerySet["Family"]):
    def search(self, text: str) -> FamilyQuerySet:
        """Families whose name, pupils or guardians match every word of ``text``."""
        from .models import Guardianship, Pupil

        for word in text.split()[:5]:
            pupils = Pupil.objects.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(pupil_number__iexact=word)
            ).values("family_id")
            guardians = Guardianship.objects.filter(
                Q(guardian__first_name__icontains=word) | Q(guardian__last_name__icontains=word)
            ).values("pupil__family_id")
            self = self.filter(Q(name__icontains=word) | Q(id__in=pupils) | Q(id__in=guardians))
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


class GuardianQuerySet(models.QuerySet["Guardian"]):
    def of_family(self, family) -> GuardianQuerySet:
        return self.filter(guardianships__pupil__family=family).distinct()
