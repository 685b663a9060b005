"""The care and safety network.

Any staff member records a signal about a pupil they may pick; only care coordinators
read the school's signals (and the interpretation field), its queue and its shares.
Everyone else reads back only their own signals, without the interpretation, while
they still work at that school. School leaders see counts. Administrators keep the
agreements with partners. A partner user (two-factor login) sees only what was shared
with their own organisation, and only the agreed fields. A care coordinator of another
school opens a pupil's chronology only with a typed reason (break-glass), audited.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from bondgenoot.people.models import Pupil

from .core import authored_by, can, get_or_404, is_active_user, schools_for

if TYPE_CHECKING:
    from bondgenoot.network.models import Share, Signal


def care_schools(user: Any) -> list[int]:
    """Schools whose signals, queue, shares and chronologies this user reads."""
    return schools_for(user, "signals.read_all")


def signals_visible_to(user: Any, queryset: QuerySet[Signal] | None = None) -> QuerySet[Signal]:
    from bondgenoot.network.models import Signal

    qs = Signal.objects.all() if queryset is None else queryset
    if not is_active_user(user):
        return qs.none()
    return qs.filter(Q(school_id__in=care_schools(user)) | authored_by(user))


def own_signals(user: Any) -> QuerySet[Signal]:
    """What this user recorded, at schools where they still record."""
    from bondgenoot.network.models import Signal

    if not is_active_user(user):
        return Signal.objects.none()
    return Signal.objects.filter(authored_by(user))


def queue_signals(user: Any) -> QuerySet[Signal]:
    """The care queue: every signal of the schools this user coordinates care for."""
    from bondgenoot.network.models import Signal

    return Signal.objects.filter(school_id__in=care_schools(user))


def queue_shares(user: Any) -> QuerySet[Share]:
    """Shares of the schools this user coordinates care for (feedback follow-up)."""
    from bondgenoot.network.models import Share

    return Share.objects.filter(signal__school_id__in=care_schools(user))


def get_share_for_care(user: Any, pk: Any) -> Share:
    """A share a care coordinator of its school may restrict; otherwise 404."""
    return get_or_404(queue_shares(user).select_related("signal__pupil"), pk)


def signal_count_schools(user: Any) -> list[int]:
    """Schools whose signal figures (counts per category, never contents) this user sees."""
    return schools_for(user, "signals.counts")


def get_signal(user: Any, pk: Any) -> Signal:
    return get_or_404(signals_visible_to(user).select_related("pupil__group", "author"), pk)


def sees_interpretation(user: Any, signal: Signal) -> bool:
    return signal.school_id in care_schools(user)


def can_record_signals(user: Any) -> bool:
    return can(user, "signals.record")


def agreement_schools(user: Any) -> list[int]:
    return schools_for(user, "agreements.manage")


def agreement_read_schools(user: Any) -> list[int]:
    """Schools whose agreements the user may read: who shares under them, and who
    manages them."""
    return schools_for(user, "agreements.read")


def partner_shares(user: Any) -> QuerySet[Share]:
    from bondgenoot.network.models import Share

    if not is_active_user(user) or not getattr(user, "organisation_id", None):
        return Share.objects.none()
    return Share.objects.filter(
        partner_id=user.organisation_id,
        signal__school_id__in=schools_for(user, "partner.inbox"),
    )


def get_share_for_partner(user: Any, pk: Any) -> Share:
    return get_or_404(partner_shares(user), pk)


def chronology_pupil(user: Any, pk: Any) -> Pupil:
    """A pupil whose chronology this user may open: care coordinator of the school, or
    of another school with an emergency access still running. Otherwise 404."""
    from bondgenoot.network.models import BreakGlass

    pupil = get_or_404(Pupil.objects.select_related("family", "group"), pk)
    if pupil.school_id in care_schools(user):
        return pupil
    if (
        care_schools(user)
        and BreakGlass.objects.filter(user=user, pupil=pupil, until__gt=timezone.now()).exists()
    ):
        return pupil
    raise Http404


def can_break_glass(user: Any) -> bool:
    """Care coordinators may ask for emergency access to a pupil of another school."""
    return can(user, "signals.read_all")
