from __future__ import annotations

import functools
from datetime import date

from django.db import models

from bondgenoot.lib.compiled import CompiledQuery


class ContactQuerySet(models.QuerySet):
    def personal(self) -> ContactQuerySet:
        from bondgenoot.people.channels import PERSONAL_CHANNELS

        return self.filter(channel__in=PERSONAL_CHANNELS, bulk=False)

    def for_timeline(self) -> ContactQuerySet:
        from bondgenoot.people.models import Guardian, Pupil

        from .models import ContactRevision, NextStep

        return (
            self.select_related("author", "key_figure", "language")
            .annotate(
                has_revisions=models.Exists(
                    ContactRevision.objects.filter(contact=models.OuterRef("pk"))
                )
            )
            # Only the columns a timeline entry shows of the people it names, as plain
            # lists (``to_attr``): the template reads each twice, and every
            # ``contact.guardians.all`` makes a related manager anew (about 130 Python
            # calls; half of the timeline's rendering for ten contacts).
            .prefetch_related(
                models.Prefetch(
                    "guardians",
                    queryset=Guardian.objects.only("first_name", "last_name_prefix", "last_name"),
                    to_attr="timeline_guardians",
                ),
                models.Prefetch(
                    "pupils",
                    queryset=Pupil.objects.only("first_name"),
                    to_attr="timeline_pupils",
                ),
                models.Prefetch(
                    "next_steps",
                    to_attr="timeline_steps",
                    queryset=NextStep.objects.select_related("owner").only(
                        "contact_id",
                        "what",
                        "due",
                        "done_at",
                        "owner__username",
                        "owner__first_name",
                        "owner__last_name",
                    ),
                ),
            )
        )


class NextStepQuerySet(models.QuerySet):
    def open(self) -> NextStepQuerySet:
        return self.filter(done_at__isnull=True)

    def overdue(self, today: date) -> NextStepQuerySet:
        return self.open().filter(due__lt=today)

    def counts_by_family(self, family_ids, today: date) -> dict:
        """{family id: (open, overdue)} for these families, in one query: the open steps'
        due dates, counted here (a compiled query)."""
        if self.query.where:
            raise TypeError("counts_by_family counts all of the families' steps: not filtered")
        counts: dict = {}
        for family_id, due in _open_due_dates()(family_ids):
            open_, overdue = counts.get(family_id, (0, 0))
            counts[family_id] = (open_ + 1, overdue + (due < today))
        return counts

    def for_worklist(self) -> NextStepQuerySet:
        return self.select_related("family", "owner", "contact")


@functools.cache
def _open_due_dates() -> CompiledQuery:
    """The (family id, due date) of these families' open next steps, compiled once."""
    from .models import NextStep

    return CompiledQuery(
        lambda ids: (
            NextStep.objects.filter(family_id__in=ids, done_at__isnull=True)
            .order_by()
            .values_list("family_id", "due")
        ),
        NextStep._meta.get_field("family"),
    )
