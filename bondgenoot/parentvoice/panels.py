"""The parent's voice on the family page: what works at home and the parents' own
views beside records, for those who work with the family (its mentors and the care
coordinators); open requests about the record for care coordinators. Registered in
``apps.py``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from bondgenoot.people.panels import Panel, register

from .models import HomeStory, ParentView, RecordRequest


def _context(page) -> dict:
    family = page.family
    stories = [
        s
        for s in HomeStory.objects.filter(family=family)
        .select_related("guardian", "pupil")
        .order_by("pupil__first_name", "guardian__last_name")
        if not s.is_empty
    ]
    views = list(
        ParentView.objects.filter(family=family)
        .select_related("guardian", "contact", "signal")
        .order_by("-created_at")[:20]
    )
    requests = (
        list(
            RecordRequest.objects.filter(family=family, status=RecordRequest.Status.OPEN)
            .select_related("pupil")
            .order_by("due")
        )
        if page.care
        else []
    )
    return {"voice_stories": stories, "voice_views": views, "voice_requests": requests}


register(
    Panel(
        name="parentvoice.family",
        slot="bottom",
        order=5,
        template="parentvoice/_family_voice.html",
        applies=lambda page: page.ledger,
        context=_context,
        lazy=_("Show the parents' own words"),
    )
)
