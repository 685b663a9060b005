"""Relationship indicators per family and the trust monitor's figures, computed in SQL.

Every figure here is an annotation or an aggregate: the database does the counting,
never a Python loop over families. ``DEFINITIONS`` holds the text shown next to each
figure, so that the screen says exactly what is counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import PERSONAL_CHANNELS, NextStep, Tone


def one_way_weeks() -> int:
    return settings.TRUST_ONE_WAY_WEEKS


def no_dialogue_weeks() -> int:
    return settings.TRUST_NO_DIALOGUE_WEEKS


def unreached_threshold() -> int:
    return settings.TRUST_UNREACHED_STREAK


PERSONAL_DEFINITION = _(
    "“Personal” means a phone call, home visit, talk at school, informal moment or contact "
    "via a key figure. Messages to many families at once never count as personal."
)


def definitions() -> dict[str, str]:
    return {
        "days_since_positive": _(
            "Days since the last personal contact with a positive tone in which the family "
            "was reached."
        ),
        "first_was_worry": _(
            "The very first contact we recorded with this family had the purpose “worry” "
            "or a concerned tone."
        ),
        "positive_before_worry": _(
            "Positive personal contacts (reached) before the first contact about a worry."
        ),
        "unreached_streak": _(
            "Attempts in a row in which we did not reach the family, counted back from the "
            "last time we did reach them."
        ),
        "one_way_only": _(
            "In the last %(weeks)s weeks the family received messages or letters, but there "
            "was no conversation in both directions."
        )
        % {"weeks": one_way_weeks()},
        "next_steps": _("Next steps that are not done yet; overdue means the due date has passed."),
    }


# --- per family ------------------------------------------------------------------------------


def _count(queryset: QuerySet) -> Coalesce:
    counted = queryset.values("family").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def positive_personal_filter() -> Q:
    return Q(tone=Tone.POSITIVE, reached=True, bulk=False, channel__in=PERSONAL_CHANNELS)


def annotate_indicators(families: QuerySet, today: date | None = None) -> QuerySet:
    """Join each family's ledger summary and count its open and overdue next steps."""
    today = today or timezone.localdate()
    steps = NextStep.objects.filter(family=OuterRef("pk"), done_at__isnull=True).order_by()
    return families.select_related("summary").annotate(
        open_steps=_count(steps),
        overdue_steps=_count(steps.filter(due__lt=today)),
    )


@dataclass
class FamilyIndicators:
    days_since_positive: int | None
    first_was_worry: bool
    positive_before_worry: int | None
    unreached_streak: int
    unreached_channels: list[str]
    one_way_only: bool
    last_one_way_at: datetime | None
    open_steps: int
    overdue_steps: int

    @property
    def unreached_alarm(self) -> bool:
        return self.unreached_streak >= unreached_threshold()


def indicators_for(family, today: date | None = None) -> FamilyIndicators:
    """The indicators of one family annotated by ``annotate_indicators``."""
    from .models import Channel, FamilySummary

    today = today or timezone.localdate()
    try:
        s = family.summary
    except FamilySummary.DoesNotExist:
        s = FamilySummary(family=family)
    cutoff = timezone.now() - timedelta(weeks=one_way_weeks())
    labels = dict(Channel.choices)
    last = s.last_positive_personal_at
    return FamilyIndicators(
        days_since_positive=(today - timezone.localdate(last)).days if last else None,
        first_was_worry=bool(s.first_worry_at and s.first_worry_at == s.first_contact_at),
        positive_before_worry=s.positive_before_worry if s.first_worry_at else None,
        unreached_streak=s.unreached_streak,
        unreached_channels=sorted(str(labels.get(c, c)) for c in s.unreached_channels),
        one_way_only=bool(
            s.last_one_way_at
            and s.last_one_way_at >= cutoff
            and (s.last_dialogue_at is None or s.last_dialogue_at < cutoff)
        ),
        last_one_way_at=s.last_one_way_at,
        open_steps=getattr(family, "open_steps", 0),
        overdue_steps=getattr(family, "overdue_steps", 0),
    )


# --- the monitor ------------------------------------------------------------------------------


def no_dialogue_q(since: datetime, current: bool) -> Q:
    """Families without a conversation since ``since``. For the current school year we
    look at the whole ledger; for an earlier year at that year's conversations."""
    field = "summary__last_dialogue_at" if current else "ys__last_dialogue_at"
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__lt": since})


def unreached_q() -> Q:
    return Q(summary__unreached_streak__gte=unreached_threshold())
