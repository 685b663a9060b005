"""Relationship indicators per family and the trust monitor's figures, computed in SQL.

Every figure here is an annotation or an aggregate: the database does the counting,
never a Python loop over families. ``DEFINITIONS`` holds the text shown next to each
figure, so that the screen says exactly what is counted.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def one_way_weeks() -> int:
    return settings.TRUST_ONE_WAY_WEEKS


def unreached_threshold() -> int:
    return settings.TRUST_UNREACHED_STREAK


PERSONAL_DEFINITION = _(
    "“Personal” means a phone call, home visit, talk at school, informal moment or contact "
    "via a key figure. Messages to many families at once never count as personal."
)


def definitions() -> dict[str, StrOrPromise]:
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
            "last conversation with them. A message or letter that went one way does not "
            "count as reaching them. The advisor uses the same count."
        ),
        "one_way_only": ngettext(
            "In the last %(weeks)s week the family received messages or letters, but there "
            "was no conversation in both directions.",
            "In the last %(weeks)s weeks the family received messages or letters, but there "
            "was no conversation in both directions.",
            one_way_weeks(),
        )
        % {"weeks": one_way_weeks()},
        "next_steps": _("Next steps that are not done yet; overdue means the due date has passed."),
    }


# --- per family ------------------------------------------------------------------------------


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


@functools.cache
def _channel_labels() -> dict[str, Any]:
    """Channel -> its (lazy, so always in the language of the moment) label."""
    from bondgenoot.people.channels import Channel

    return dict(Channel.choices)


def indicators_for(
    family, steps: tuple[int, int] = (0, 0), today: date | None = None
) -> FamilyIndicators:
    """The indicators of one family (its ``summary`` selected with it), given its
    (open, overdue) next steps from ``NextStep.objects.counts_by_family``."""
    from .models import FamilySummary

    today = today or timezone.localdate()
    try:
        s = family.summary
    except FamilySummary.DoesNotExist:
        s = FamilySummary(family=family)
    cutoff = timezone.now() - timedelta(weeks=one_way_weeks())
    labels = _channel_labels()
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
        open_steps=steps[0],
        overdue_steps=steps[1],
    )


# --- the monitor ------------------------------------------------------------------------------


def no_dialogue_q(since: datetime, current: bool) -> Q:
    """Families without a conversation since ``since``. For the current school year we
    look at the whole ledger; for an earlier year at that year's conversations. (Over
    ``monitor.with_year``'s joins: ``fs`` and ``ys``.)"""
    field = "fs__last_dialogue_at" if current else "ys__last_dialogue_at"
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__lt": since})


def unreached_q() -> Q:
    return Q(fs__unreached_streak__gte=unreached_threshold())
