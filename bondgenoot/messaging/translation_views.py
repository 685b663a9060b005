"""Translation by a person: the translator's pages (the text only) and the writer's page
from which the translation goes back into the composer."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from bondgenoot import access
from bondgenoot.audit.log import record
from bondgenoot.audit.models import AuditEntry
from bondgenoot.core.http import AuthedHttpRequest
from bondgenoot.people.languages import language_name

from . import actions
from .forms import TranslationForm


@login_required
def to_translate(request: AuthedHttpRequest) -> HttpResponse:
    """The texts this user is asked to translate (no families, no recipients)."""
    requests = [
        (asked, language_name(asked.language))
        for asked in access.translation_requests_to_do(request.user).select_related("asked_by")
    ]
    return render(request, "messaging/to_translate.html", {"requests": requests})


@login_required
def translate(request: AuthedHttpRequest, pk) -> HttpResponse:
    """The translator reads the text and writes the translation. 404 once they may no
    longer (a key figure whose consent was withdrawn, a colleague who left)."""
    asked = access.get_translation_request_to_do(request.user, pk)
    form = TranslationForm(request.POST or None, prefix="translation")
    if request.method == "POST" and form.is_valid():
        actions.submit_translation(
            request.user, asked, form.cleaned_data["subject"], form.cleaned_data["body"]
        )
        return render(
            request, "messaging/translate.html", {"asked": asked, "done": True, "form": None}
        )
    if request.method == "GET":
        record(
            request.user,
            AuditEntry.Action.VIEW,
            asked,
            school_id=asked.school_id,
            detail={"page": "translate"},
        )
    return render(
        request,
        "messaging/translate.html",
        {"asked": asked, "form": form, "language": language_name(asked.language)},
        status=400 if form.errors else 200,
    )


@login_required
def translation(request: AuthedHttpRequest, pk) -> HttpResponse:
    """The writer's request: waiting, or ready to take into the composer."""
    asked = access.get_own_translation_request(request.user, pk)
    if request.method == "POST" and asked.status == asked.Status.DONE:
        query = {**asked.audience, "vertaling": str(asked.pk)}
        return redirect(reverse("messaging:compose") + "?" + urlencode(query))
    return render(
        request,
        "messaging/translation.html",
        {
            "asked": asked,
            "language": language_name(asked.language),
            "by": _("a colleague") if asked.via == asked.Via.COLLEAGUE else _("a key figure"),
        },
    )
