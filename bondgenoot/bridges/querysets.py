"""The definitions of "has an agreement" and "consent in force", written once.

The access policy (``bondgenoot.access.bridges``) builds a key figure's view of a
family from these same filters, so a page that says "consent given" and the policy
that opens the family can never disagree.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from bondgenoot.people.querysets import authority_rule


def agreement_rule(prefix: str = "") -> Q:
    """Internal staff work under their employment contract; external key figures need
    a recorded agreement and a signed confidentiality statement. ``prefix`` roots the
    rule elsewhere, e.g. ``"key_figure__"`` from a bridge."""
    from .models import KeyFigure

    return Q(**{f"{prefix}kind__in": KeyFigure.INTERNAL_KINDS}) | Q(
        **{f"{prefix}agreement_on__isnull": False, f"{prefix}confidentiality_signed": True}
    )


class KeyFigureQuerySet(models.QuerySet):
    def with_agreement(self) -> KeyFigureQuerySet:
        return self.filter(agreement_rule())


class ConsentQuerySet(models.QuerySet):
    def in_force(self) -> ConsentQuerySet:
        """Not withdrawn, and given by a guardian who still has parental authority over
        a pupil of the bridge's family who is still at school. A parent who loses
        authority takes their consent (and its scope) with them."""
        return self.filter(
            authority_rule("guardian__guardianships__", family=F("bridge__family_id")),
            withdrawn_at__isnull=True,
        ).distinct()
