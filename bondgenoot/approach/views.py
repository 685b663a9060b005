"""Setting a family's situation (the approach advisor's form on the family page)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bondgenoot import access
from bondgenoot.core.http import AuthedHttpRequest
from bondgenoot.people.family_page import render_family_page

from .actions import set_situation
from .forms import SituationForm


@login_required
@require_POST
def family_situation(request: AuthedHttpRequest, pk) -> HttpResponse:
    """Set the family's situation (a suggestion is confirmed the same way)."""
    family = access.get_family_for_edit(request.user, pk)
    form = SituationForm(request.POST, family=family)
    if form.is_valid():
        data = form.cleaned_data
        set_situation(
            request.user,
            family,
            data["situation"],
            data["reason"],
            data["decided_on"],
            contact_person=data["contact_person"],
            from_suggestion=data["from_suggestion"],
        )
        messages.success(request, _("The situation has been saved."))
        return redirect(reverse("people:family", args=[family.pk]) + "#approach-heading")
    return render_family_page(request, family.pk, situation_form=form, status=400)
