"""The meetings panel on the family page: record a personal invitation (for those who
may change the family, when a meeting is coming). Registered in ``apps.py``."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from bondgenoot.people.panels import FamilyPage, Panel, register

from .forms import PersonalInvitationForm
from .models import Meeting


def _applies(page: FamilyPage) -> bool:
    # Asked on the page without a query: the panel loads on demand, and shows nothing
    # there when no meeting is coming.
    return page.ledger and page.can_edit


def _upcoming(page: FamilyPage) -> list:
    # One read: the form's choices come from this list, and an empty list hides the panel.
    return page.memo("meetings.upcoming", lambda: list(Meeting.objects.upcoming_for(page.family)))


def invite(page: FamilyPage) -> dict:
    if not _upcoming(page):
        return {"invite_form": None}
    form = PersonalInvitationForm(meetings=Meeting.objects.upcoming_for(page.family))
    field = cast(forms.ModelChoiceField, form.fields["meeting"])
    field.widget.choices = [("", field.empty_label)] + [
        (m.pk, field.label_from_instance(m)) for m in _upcoming(page)
    ]
    return {"invite_form": form}


register(
    Panel(
        name="meetings.invite",
        slot="bottom",
        order=20,
        template="meetings/_family_invite.html",
        applies=_applies,
        context=invite,
        lazy=_("Invite to a meeting"),
    )
)
