"""Relationship indicators per family and the trust monitor's figures, computed in SQL.

Every figure here is an annotation or an aggregate: the database does the counting,
never a Python loop over families. ``DEFINITIONS`` holds the text shown next to each
figure, so that the screen says exactly what is counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import PERSONAL_CHANNELS, WRITTEN_CHANNELS, Contact, NextStep, Purpose, Tone

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


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


# --- building blocks --------------------------------------------------------------------------


def _contacts_of_outer_family() -> QuerySet:
    return Contact.objects.filter(family=OuterRef("pk")).order_by()


def _count(queryset: QuerySet) -> Coalesce:
    counted = queryset.values("family").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def positive_personal_filter() -> Q:
    return Q(tone=Tone.POSITIVE, reached=True, bulk=False, channel__in=PERSONAL_CHANNELS)


def worry_filter() -> Q:
    return Q(purpose=Purpose.WORRY) | Q(tone=Tone.CONCERN)


def annotate_indicators(families: QuerySet, today: date | None = None) -> QuerySet:
    """Add the relationship indicators to each family of ``families``."""
    today = today or timezone.localdate()
    now = timezone.now()
    contacts = _contacts_of_outer_family()
    one_way_since = now - timedelta(weeks=one_way_weeks())
    steps = NextStep.objects.filter(family=OuterRef("pk"), done_at__isnull=True).order_by()
    return families.annotate(
        last_positive_personal_at=Subquery(
            contacts.filter(positive_personal_filter()).order_by("-at").values("at")[:1]
        ),
        first_contact_at=Subquery(contacts.order_by("at").values("at")[:1]),
        first_worry_at=Subquery(contacts.filter(worry_filter()).order_by("at").values("at")[:1]),
        last_reached_at=Subquery(
            contacts.filter(reached=True, bulk=False).order_by("-at").values("at")[:1]
        ),
    ).annotate(
        positive_before_worry=_count(
            contacts.filter(positive_personal_filter(), at__lt=OuterRef("first_worry_at"))
        ),
        positive_personal_total=_count(contacts.filter(positive_personal_filter())),
        unreached_streak=_count(
            contacts.filter(reached=False, bulk=False).filter(
                at__gt=Coalesce(
                    OuterRef("last_reached_at"), Value(EPOCH), output_field=DateTimeField()
                )
            )
        ),
        one_way_recent=_count(
            contacts.filter(channel__in=WRITTEN_CHANNELS, dialogue=False, at__gte=one_way_since)
        ),
        dialogue_recent=_count(contacts.filter(dialogue=True, reached=True, at__gte=one_way_since)),
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
    one_way_recent: int
    open_steps: int
    overdue_steps: int

    @property
    def unreached_alarm(self) -> bool:
        return self.unreached_streak >= unreached_threshold()


def indicators_for(family, today: date | None = None) -> FamilyIndicators:
    """The indicators of one family annotated by ``annotate_indicators``."""
    today = today or timezone.localdate()
    last = family.last_positive_personal_at
    first_worry = family.first_worry_at
    return FamilyIndicators(
        days_since_positive=(today - timezone.localdate(last)).days if last else None,
        first_was_worry=bool(first_worry and first_worry == family.first_contact_at),
        positive_before_worry=family.positive_before_worry if first_worry else None,
        unreached_streak=family.unreached_streak,
        unreached_channels=[],
        one_way_only=family.one_way_recent > 0 and family.dialogue_recent == 0,
        one_way_recent=family.one_way_recent,
        open_steps=family.open_steps,
        overdue_steps=family.overdue_steps,
    )


def unreached_channels(family) -> list[str]:
    """The channels tried during the current unreached streak (one query, one family)."""
    from .models import Channel

    since = family.last_reached_at or EPOCH
    codes = (
        Contact.objects.filter(family=family, reached=False, bulk=False, at__gt=since)
        .order_by()
        .values_list("channel", flat=True)
        .distinct()
    )
    labels = dict(Channel.choices)
    return sorted(str(labels[c]) for c in codes)


# --- the monitor ------------------------------------------------------------------------------


def positive_personal_exists(since: datetime, until: datetime | None = None) -> Exists:
    contacts = Contact.objects.filter(
        positive_personal_filter(), family=OuterRef("pk"), at__gte=since
    )
    if until is not None:
        contacts = contacts.filter(at__lt=until)
    return Exists(contacts)


def dialogue_exists(since: datetime) -> Exists:
    return Exists(
        Contact.objects.filter(family=OuterRef("pk"), dialogue=True, reached=True, at__gte=since)
    )


def with_unreached_streak(families: QuerySet) -> QuerySet:
    contacts = _contacts_of_outer_family()
    return families.annotate(
        last_reached_at=Subquery(
            contacts.filter(reached=True, bulk=False).order_by("-at").values("at")[:1]
        )
    ).annotate(
        unreached_streak=_count(
            contacts.filter(reached=False, bulk=False).filter(
                at__gt=Coalesce(
                    OuterRef("last_reached_at"), Value(EPOCH), output_field=DateTimeField()
                )
            )
        )
    )


def unreached_families(families: QuerySet) -> QuerySet:
    return with_unreached_streak(families).filter(unreached_streak__gte=unreached_threshold())
