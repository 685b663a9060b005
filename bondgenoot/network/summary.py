"""Signal counts per school, month, category and postcode area (``SignalMonthCount``).

Every write path of signals calls ``count``; ``rebuild`` recomputes the table from the
signals (after an import, or if in doubt: ``manage.py refresh_signal_counts``). The
postcode area is the first four digits of the postcode of the guardian the pupil lives
with, taken when the signal is recorded.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from bondgenoot.people.models import Guardianship, Pupil

from .models import Signal, SignalMonthCount


def month_of(moment) -> date:
    return timezone.localdate(moment).replace(day=1)


def area_of(pupil: Pupil) -> str:
    postcodes = (
        Guardianship.objects.filter(pupil=pupil)
        .order_by("-lives_with", "guardian_id")
        .values_list("guardian__postcode", flat=True)
    )
    return _area(next(iter(postcodes), ""))


def _area(postcode: str) -> str:
    digits = (postcode or "").replace(" ", "")[:4]
    return digits if len(digits) == 4 and digits.isdigit() else ""


def count(signal: Signal, delta: int = 1) -> None:
    key = {
        "school_id": signal.school_id,
        "month": month_of(signal.created_at),
        "category": signal.category,
        "area": area_of(signal.pupil),
    }
    with transaction.atomic():
        updated = SignalMonthCount.objects.filter(**key).update(count=F("count") + delta)
        if not updated and delta > 0:
            SignalMonthCount.objects.create(**key, count=delta)


@transaction.atomic
def rebuild(school_ids=None) -> int:
    signals = Signal.objects.all()
    if school_ids is not None:
        signals = signals.filter(school_id__in=school_ids)
    areas: dict = {}
    for pupil_id, postcode in (
        Guardianship.objects.filter(pupil__in=signals.values("pupil_id"))
        .order_by("pupil_id", "-lives_with", "guardian_id")
        .values_list("pupil_id", "guardian__postcode")
    ):
        areas.setdefault(pupil_id, _area(postcode))
    cells: Counter = Counter()
    for school_id, pupil_id, category, created_at in signals.values_list(
        "school_id", "pupil_id", "category", "created_at"
    ).iterator():
        cells[school_id, month_of(created_at), category, areas.get(pupil_id, "")] += 1
    old = SignalMonthCount.objects.all()
    if school_ids is not None:
        old = old.filter(school_id__in=school_ids)
    old.delete()
    SignalMonthCount.objects.bulk_create(
        SignalMonthCount(school_id=s, month=m, category=c, area=a, count=n)
        for (s, m, c, a), n in cells.items()
    )
    return len(cells)
