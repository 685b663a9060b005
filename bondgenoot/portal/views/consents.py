"""Bridges and consents: what the parent consented to, withdrawing (at once, once),
giving consent online for a proposed bridge, and answering a proposed share (consent or
no)."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from bondgenoot import access
from bondgenoot.bridges.models import Consent
from bondgenoot.network.actions import pupil_age
from bondgenoot.network.models import ConsentFrom

from .. import actions, texts
from ..forms import (
    ConsentForm,
)
from .frame import (
    ParentHttpRequest,
    child_nav,
    flash,
    parent_page,
    show,
)


@parent_page
def consents(request: ParentHttpRequest, pk) -> HttpResponse:
    user = request.user
    pupil = access.get_parent_pupil(user, pk)
    guardian = access.guardian_for(user, pupil)
    bridges = list(
        access.parent_bridges(user, pupil)
        .select_related("key_figure")
        .prefetch_related(
            Prefetch(
                "consents",
                queryset=Consent.objects.filter(guardian__user=user).order_by("-recorded_at"),
                to_attr="mine",
            )
        )
        .order_by("-introduced_at")
    )
    share_asks = list(
        access.parent_share_consents(user, pupil)
        .select_related("version__agreement__partner", "signal")
        .order_by("asked_at")
    )
    for bridge in bridges:
        # read by the template (an attribute of this page's rows, not of the model)
        bridge.open_for_consent = bridge.ended_at is None and not any(  # type: ignore[attr-defined]
            c.withdrawn_at is None for c in bridge.mine
        )
    return show(
        request,
        "portal/consents.html",
        {
            **child_nav(pupil),
            "bridges": bridges,
            "share_asks": share_asks,
            "guardian": guardian,
            "pupil_decides": pupil_age(pupil, timezone.localdate()) >= 16,
            "consent_form": ConsentForm(t=texts.texts(request.parent_language)),
            "pupil_consent": ConsentFrom.PUPIL,
        },
        lang=request.parent_language,
    )


@parent_page
@require_POST
def withdraw(request: ParentHttpRequest, pk, consent) -> HttpResponse:
    pupil = access.get_parent_pupil(request.user, pk)
    found = access.get_parent_consent(request.user, consent)
    if found.bridge.family_id != pupil.family_id:
        raise Http404
    try:
        actions.withdraw(request.user, found)
        flash(request, "withdrawn_done")
    except actions.Refused:
        flash(request, "already_withdrawn")
    return redirect("portal:consents", pk=pupil.pk)


@parent_page
@require_POST
def give(request: ParentHttpRequest, pk, bridge) -> HttpResponse:
    pupil = access.get_parent_pupil(request.user, pk)
    found = access.get_parent_bridge(request.user, bridge)
    if found.family_id != pupil.family_id:
        raise Http404
    guardian = access.guardian_for(request.user, pupil)
    form = ConsentForm(request.POST, t=texts.texts(request.parent_language))
    form.is_valid()
    try:
        actions.give_consent(
            request.user,
            guardian,
            found,
            contact_person=form.cleaned_data.get("contact_person", False),
            meetings=form.cleaned_data.get("meetings", False),
        )
        flash(request, "consent_given")
    except actions.Refused as refusal:
        if refusal.code != "already":
            raise Http404 from None
        flash(request, "consent_given")  # a replay: the consent in force stays as it was
    return redirect("portal:consents", pk=pupil.pk)


@parent_page
@require_POST
def give_share(request: ParentHttpRequest, pk, ask) -> HttpResponse:
    """A parent consents online to a share the school proposed (once; a replay changes
    nothing)."""
    return _answer_share(request, pk, ask, consent=True)


@parent_page
@require_POST
def decline_share(request: ParentHttpRequest, pk, ask) -> HttpResponse:
    """A parent says no to a share the school proposed: it does not happen (once; a
    replay changes nothing)."""
    return _answer_share(request, pk, ask, consent=False)


def _answer_share(request: ParentHttpRequest, pk, ask, *, consent: bool) -> HttpResponse:
    pupil = access.get_parent_pupil(request.user, pk)
    found = access.get_parent_share_answer(request.user, pupil, ask)
    guardian = access.guardian_for(request.user, pupil)
    answer = actions.give_share_consent if consent else actions.decline_share_consent
    try:
        answer(request.user, guardian, found)
    except actions.Refused as refusal:
        if refusal.code != "already":
            raise Http404 from None
        # a replay, or the other parent answered first: the first answer stands
        found.refresh_from_db()
        consent = found.given_at is not None
    flash(request, "consent_given" if consent else "share_declined")
    return redirect("portal:consents", pk=pupil.pk)
