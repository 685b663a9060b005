"""The staff side: inviting a family's or a group's guardians (with the printed
letters and the progress of a group), and what is held back from parents."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bondgenoot import access
from bondgenoot.accounts.views import _qr_svg
from bondgenoot.audit.log import record
from bondgenoot.audit.models import AuditEntry
from bondgenoot.contacts.models import Contact
from bondgenoot.core.http import AuthedHttpRequest
from bondgenoot.lib import private_links
from bondgenoot.people.family_page import render_family_page
from bondgenoot.people.languages import is_rtl
from bondgenoot.people.models import Family

from .. import actions, texts
from ..forms import (
    GroupInviteForm,
    InviteForm,
    RestrictForm,
)
from ..models import (
    Activation,
    InvitationBatch,
    Restriction,
    ShareConsent,
)

# --- staff: invitations ------------------------------------------------------------


@login_required
@require_POST
def invite_family(request: AuthedHttpRequest, pk) -> HttpResponse:

    family = access.get_family(request.user, pk)
    if not access.can_invite_parents(request.user, family):
        raise Http404
    guardians = list(access.invitable_guardians(request.user, family))
    form = InviteForm(request.POST, guardians=guardians)
    if not form.is_valid():
        return render_family_page(request, pk, status=400, portal_invite_form=form)
    chosen = [g for g in guardians if str(g.pk) in form.cleaned_data["guardians"]]
    made = [actions.invite(request.user, g, form.cleaned_data["channel"]) for g in chosen]
    from .tasks import send_activations

    queued = [str(a.pk) for a in made if a.status == Activation.Status.QUEUED]
    if queued:
        send_activations.enqueue(queued)
    messages.success(request, _invited_message(len(made)))
    if any(a.status == Activation.Status.PRINT for a in made):
        return redirect("portal:family_letters", pk=family.pk)
    return redirect("people:family", pk=family.pk)


def _invited_message(count: int) -> str:
    from django.utils.translation import ngettext

    return ngettext(
        "%(count)d parent invited to the parent portal.",
        "%(count)d parents invited to the parent portal.",
        count,
    ) % {"count": count}


def _letters(request: AuthedHttpRequest, activations: list[Activation]) -> HttpResponse:
    letters = []
    for activation in activations:
        t = texts.texts(activation.language)
        letters.append(
            {
                "activation": activation,
                "t": t,
                "lang": activation.language,
                "rtl": is_rtl(activation.language),
                "text": actions.invitation_text(activation, activation.school.name),
                "qr": _qr_svg(actions.activation_url(activation)),
            }
        )
    for school_id in {a.school_id for a in activations}:
        record(
            request.user,
            AuditEntry.Action.EXPORT,
            school_id=school_id,
            detail={"page": "portal letters", "count": len(activations)},
        )
    response = render(request, "portal/letters.html", {"letters": letters})
    return private_links.protect(response)


@login_required
def family_letters(request: AuthedHttpRequest, pk) -> HttpResponse:
    family = access.get_family(request.user, pk)
    if not access.can_invite_parents(request.user, family):
        raise Http404
    activations = list(
        Activation.objects.usable()
        .filter(
            guardian__in=access.invitable_guardians(request.user, family),
            status=Activation.Status.PRINT,
            batch__isnull=True,
        )
        .select_related("school", "guardian")
    )
    return _letters(request, activations)


@login_required
def invite_group(request: AuthedHttpRequest) -> HttpResponse:
    groups = list(access.invitation_groups(request.user).order_by("name"))
    if not groups:
        raise Http404
    form = GroupInviteForm(request.POST or None, groups=groups)
    if request.method == "POST" and form.is_valid():
        group = access.get_invitation_group(request.user, form.cleaned_data["group"])
        batch = actions.invite_group(request.user, group, form.cleaned_data["channel"])
        return redirect("portal:batch", pk=batch.pk)
    batches = InvitationBatch.objects.filter(
        created_by=request.user, group__in=groups
    ).select_related("group")[:10]
    return render(
        request,
        "portal/invite_group.html",
        {"form": form, "batches": batches, "languages": texts.review_status()},
        status=400 if request.method == "POST" else 200,
    )


def _batch(request: AuthedHttpRequest, pk) -> InvitationBatch:
    groups = access.invitation_groups(request.user)
    return access.get_or_404(
        InvitationBatch.objects.filter(created_by=request.user, group__in=groups).select_related(
            "group"
        ),
        pk,
    )


@login_required
def batch(request: AuthedHttpRequest, pk) -> HttpResponse:
    found = _batch(request, pk)
    context = {"batch": found, "progress": actions.batch_progress(found)}
    if request.headers.get("HX-Request"):
        return render(request, "portal/batch.html#progress", context)
    return render(request, "portal/batch.html", context)


@login_required
def batch_letters(request: AuthedHttpRequest, pk) -> HttpResponse:
    found = _batch(request, pk)
    activations = list(
        found.activations.usable()
        .filter(status=Activation.Status.PRINT)
        .select_related("school", "guardian")
        .order_by("guardian__last_name")
    )
    return _letters(request, activations)


# --- staff: restriction ------------------------------------------------------------


def restrict_choices(family: Family) -> list[tuple[str, str]]:
    from django.utils import formats

    contacts = Contact.objects.filter(family=family).exclude(
        pk__in=Restriction.objects.in_force().filter(contact__isnull=False).values("contact_id")
    )
    from bondgenoot.network.models import Signal

    signals_ = Signal.objects.filter(pupil__family=family).exclude(
        pk__in=Restriction.objects.in_force().filter(signal__isnull=False).values("signal_id")
    )
    choices = [
        (
            f"contact:{c.pk}",
            f"{formats.date_format(c.at, 'SHORT_DATE_FORMAT')} · {c.get_channel_display()} · "
            f"{c.get_purpose_display()}",
        )
        for c in contacts.order_by("-at")[:50]
    ]
    choices += [
        (
            f"signal:{s.pk}",
            f"{formats.date_format(s.observed_on, 'SHORT_DATE_FORMAT')} · "
            f"{s.get_category_display()}",
        )
        for s in signals_.order_by("-observed_on")[:50]
    ]
    return choices


def _restrictions_page(request: AuthedHttpRequest, family: Family, form: RestrictForm, status: int):
    restrictions = list(
        Restriction.objects.in_force()
        .filter(family_id=family.pk)
        .select_related("contact", "signal")
    )
    response = render(
        request,
        "portal/restrictions.html",
        {
            "family": family,
            "restrictions": restrictions,
            "today": timezone.localdate(),
            "form": form,
        },
        status=status,
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
def restrict(request: AuthedHttpRequest, pk) -> HttpResponse:
    """What is held back from this family's parents, and holding back one more record
    (care coordinators only)."""
    from bondgenoot.network.models import Signal

    family = access.restrictable_family(request.user, pk)
    if request.method != "POST":
        record(request.user, AuditEntry.Action.VIEW, family, detail={"page": "not shown"})
        form = RestrictForm(records=restrict_choices(family))
        return _restrictions_page(request, family, form, 200)
    form = RestrictForm(request.POST, records=restrict_choices(family))
    if not form.is_valid():
        return _restrictions_page(request, family, form, 400)
    kind, _sep, record_id = form.cleaned_data["record"].partition(":")
    target: dict[str, Any] = {}
    if kind == "contact":
        target["contact"] = access.get_or_404(Contact.objects.filter(family=family), record_id)
    else:
        target["signal"] = access.get_or_404(
            Signal.objects.filter(pupil__family=family).select_related("pupil"), record_id
        )
    try:
        actions.restrict(request.user, reason=form.cleaned_data["reason"], **target)
    except actions.Refused as refusal:
        form.add_error("reason", refusal.messages[0])
        return _restrictions_page(request, family, form, 400)
    messages.success(request, _("The record is no longer shown to the parents."))
    return redirect("portal:restrict", pk=family.pk)


@login_required
@require_POST
def lift(request: AuthedHttpRequest, pk) -> HttpResponse:
    found = access.get_or_404(
        Restriction.objects.filter(
            school_id__in=access.schools_for(request.user, "records.restrict")
        ),
        pk,
    )
    actions.lift(request.user, found)
    messages.success(request, _("The parents see this record again."))
    return redirect("portal:restrict", pk=found.family_id)


@login_required
@require_POST
def release(request: AuthedHttpRequest, pk) -> HttpResponse:
    from bondgenoot.network.models import Signal

    found = access.get_or_404(
        Signal.objects.filter(
            school_id__in=access.schools_for(request.user, "records.restrict")
        ).select_related("pupil"),
        pk,
    )
    actions.release_interpretation(request.user, found)
    messages.success(request, _("The parents can now read the school's explanation."))
    return redirect("people:family", pk=found.pupil.family_id)


# --- staff: consent for a share, asked online ------------------------------------------------


@login_required
def share_consent(request: AuthedHttpRequest, pk) -> HttpResponse:
    """For one signal: the agreements in force that need consent, whether the parents
    were asked online and whether a parent gave it; asking, and sharing once given."""
    from bondgenoot.network.actions import ShareRefused, current_versions
    from bondgenoot.network.models import ConsentFrom

    signal = access.get_care_signal(request.user, pk)
    versions = [
        v
        for v in current_versions(signal.school_id, signal.category).select_related(
            "agreement__partner"
        )
        if v.consent_from != ConsentFrom.NONE
    ]
    asks = {
        a.version_id: a
        for a in ShareConsent.objects.filter(signal=signal).select_related("guardian")
    }
    status = 200
    if request.method == "POST":
        chosen = next((v for v in versions if str(v.pk) == request.POST.get("version")), None)
        if chosen is None:
            raise Http404
        try:
            if request.POST.get("action") == "share":
                if chosen.pk not in asks:
                    raise Http404
                actions.share_with_online_consent(
                    request.user, asks[chosen.pk], parents_informed=True
                )
                messages.success(request, _("Shared. Only the agreed fields left the school."))
                return redirect("network:signal", pk=signal.pk)
            actions.ask_share_consent(request.user, signal, chosen)
            messages.success(request, _("The parents see the proposal in the parent portal."))
            return redirect("portal:share_consent", pk=signal.pk)
        except (actions.Refused, ShareRefused) as refusal:
            why = {
                "waiting": _("the parents have not given consent yet."),
                "declined": _("a parent said no to this share."),
                "old_version": _("this agreement has changed; choose again."),
                "no_consent": _("this agreement needs no consent."),
            }.get(getattr(refusal, "code", ""), refusal.messages[0])
            messages.error(request, _("Not shared: %(why)s") % {"why": why})
            status = 400
    rows = [{"version": v, "ask": asks.get(v.pk)} for v in versions]
    response = render(
        request, "portal/share_consent.html", {"signal": signal, "rows": rows}, status=status
    )
    response["Cache-Control"] = "no-store"
    return response
