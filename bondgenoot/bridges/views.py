"""Key figure registry, matching, introductions with consent, and the key figure's view."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from bondgenoot import access
from bondgenoot.audit.log import record
from bondgenoot.audit.models import AuditEntry
from bondgenoot.contacts.models import Contact
from bondgenoot.core.http import AuthedHttpRequest
from bondgenoot.people.channels import Channel
from bondgenoot.people.languages import LANGUAGE_CHOICES
from bondgenoot.people.models import family_guardians, family_mentors
from bondgenoot.people.querysets import attach_people

from . import actions
from .forms import ConsentForm, KeyFigureContactForm, KeyFigureForm, WithdrawForm
from .matching import matches_for, open_bridges
from .models import Consent, KeyFigure

# --- the registry -------------------------------------------------------------------------------


@login_required
def registry(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    if not access.can_view_registry(user):
        raise PermissionDenied
    key_figures = (
        access.key_figures_visible_to(user)
        .annotate(load=Count("bridges", filter=Q(bridges__ended_at__isnull=True)))
        .prefetch_related("languages")
        .order_by("-active", "name")
    )
    language = request.GET.get("language", "")
    area = request.GET.get("area", "").strip()[:4]
    if language:
        key_figures = key_figures.filter(languages=language)
    if area.isdigit():
        # JSON list membership, portable between SQLite and PostgreSQL.
        key_figures = key_figures.filter(postcode_areas__icontains=f'"{area}"')
    return render(
        request,
        "bridges/registry.html",
        {
            "key_figures": key_figures,
            "can_manage": bool(access.registry_schools(user)),
            "language_choices": LANGUAGE_CHOICES,
            "language": language,
            "area": area,
        },
    )


def _key_figure_form(request, form, key_figure, status=200):
    return render(
        request,
        "bridges/key_figure_form.html",
        {"form": form, "key_figure": key_figure},
        status=status,
    )


def _save_registry_form(request, form) -> HttpResponse | None:
    if not form.is_valid():
        return None
    try:
        with transaction.atomic():
            key_figure = actions.save_key_figure(
                request.user, form.save(commit=False), form.language_codes()
            )
            if form.cleaned_data.get("create_login"):
                actions.invite_key_figure(request.user, key_figure, request)
    except actions.InvitationRefused:
        # Checked by the form already; a simultaneous new account can still take the address.
        form.add_error("email", _("This email address already belongs to an account."))
        return None
    if form.cleaned_data.get("create_login"):
        messages.success(request, _("Saved. An invitation to log in was sent by email."))
    else:
        messages.success(request, _("The key figure has been saved."))
    return redirect("bridges:registry")


@login_required
def key_figure_new(request: AuthedHttpRequest) -> HttpResponse:
    schools = access.registry_schools(request.user)
    if not schools:
        raise PermissionDenied
    # The school is the one chosen in the form (a choice only with several schools).
    form = KeyFigureForm(request.POST or None, instance=KeyFigure(), schools=schools)
    if request.method == "POST":
        saved = _save_registry_form(request, form)
        if saved:
            return saved
        return _key_figure_form(request, form, None, status=400)
    return _key_figure_form(request, form, None)


@login_required
def key_figure_edit(request: AuthedHttpRequest, pk) -> HttpResponse:
    key_figure = access.get_key_figure_for_edit(request.user, pk)
    form = KeyFigureForm(request.POST or None, instance=key_figure)
    if request.method == "POST":
        saved = _save_registry_form(request, form)
        if saved:
            return saved
        return _key_figure_form(request, form, key_figure, status=400)
    return _key_figure_form(request, form, key_figure)


# --- matching and introducing ---------------------------------------------------------------


@login_required
def family_matches(request: AuthedHttpRequest, pk) -> HttpResponse:
    # The family row; the guardians with their languages are all the matching reads.
    family = access.get_or_404(access.families_visible_to(request.user), pk)
    if not access.can_view_contacts(request.user, family):
        raise PermissionDenied
    record(request.user, AuditEntry.Action.VIEW, family, detail={"page": "key figure matches"})
    return render(
        request,
        "bridges/family_matches.html",
        {
            "family": family,
            "matches": matches_for(family),
            "bridges": list(open_bridges(family)),
            "can_edit": access.can_edit_family(request.user, family),
        },
    )


@login_required
@require_POST
def introduce(request: AuthedHttpRequest, pk, key_figure_pk) -> HttpResponse:
    family = access.get_family_for_edit(request.user, pk)
    try:
        key_figure = KeyFigure.objects.get(pk=key_figure_pk, school_id=family.school_id)
    except (KeyFigure.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None
    match = next(
        (m for m in matches_for(family) if m.key_figure.pk == key_figure.pk),
        None,
    )
    try:
        bridge = actions.introduce(
            request.user,
            family,
            key_figure,
            reason=" ".join(match.reasons) if match else "",
        )
    except actions.IntroductionRefused as refused:
        messages.error(request, REFUSALS.get(refused.code or "", REFUSALS["inactive"]))
        return redirect("bridges:matches", pk=family.pk)
    messages.success(
        request,
        _(
            "%(name)s is linked to this family. Now ask a parent for consent: until then "
            "%(name)s sees nothing of the family."
        )
        % {"name": key_figure.name},
    )
    return redirect("bridges:bridge", pk=bridge.pk)


REFUSALS = {
    "inactive": gettext_lazy("This key figure is no longer active."),
    "no_agreement": gettext_lazy(
        "This key figure cannot be introduced yet: record the agreement and the "
        "confidentiality statement first."
    ),
    "full": gettext_lazy("This key figure already helps as many families as agreed."),
}


def _bridge_page(request, bridge, consent_form=None, status=200):
    family = bridge.family
    record(request.user, AuditEntry.Action.VIEW, bridge, family_id=str(family.pk))
    consents = list(bridge.consents.select_related("guardian", "recorded_by").all())
    in_force = set(Consent.objects.in_force().filter(bridge=bridge).values_list("pk", flat=True))
    return render(
        request,
        "bridges/bridge.html",
        {
            "bridge": bridge,
            "family": family,
            "consents": consents,
            "in_force": [c for c in consents if c.pk in in_force],
            "scope": access.consent_scope(bridge),
            "consent_form": consent_form or ConsentForm(family=family),
            "withdraw_form": WithdrawForm(),
        },
        status=status,
    )


@login_required
def bridge_detail(request: AuthedHttpRequest, pk) -> HttpResponse:
    return _bridge_page(request, access.get_bridge_for_edit(request.user, pk))


@login_required
@require_POST
def bridge_consent(request: AuthedHttpRequest, pk) -> HttpResponse:
    bridge = access.get_bridge_for_edit(request.user, pk)
    if bridge.ended_at:
        raise Http404
    if bridge.consents.filter(withdrawn_at__isnull=True).exists():
        # A second click, or a second tab: the consent is there already.
        messages.info(request, _("Consent for this link was already recorded."))
        return redirect("bridges:bridge", pk=bridge.pk)
    form = ConsentForm(request.POST, family=bridge.family)
    if not form.is_valid():
        return _bridge_page(request, bridge, consent_form=form, status=400)
    actions.record_consent(request.user, bridge, form.values())
    messages.success(
        request,
        _("Consent saved. %(name)s can now see this family's names and languages.")
        % {"name": bridge.key_figure.name},
    )
    return redirect("bridges:bridge", pk=bridge.pk)


@login_required
@require_POST
def bridge_withdraw(request: AuthedHttpRequest, pk) -> HttpResponse:
    bridge = access.get_bridge_for_edit(request.user, pk)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        return _bridge_page(request, bridge, status=400)
    note = form.cleaned_data["note"]
    if request.POST.get("end"):
        if not bridge.ended_at:
            actions.end_bridge(request.user, bridge, note)
            messages.success(request, _("The link with this key figure has ended."))
        return redirect("people:family", pk=bridge.family_id)
    if actions.withdraw_consent(request.user, bridge, note):
        messages.success(
            request,
            _("Consent withdrawn. %(name)s no longer sees this family.")
            % {"name": bridge.key_figure.name},
        )
    else:
        messages.info(request, _("There was no consent in force."))
    return redirect("bridges:bridge", pk=bridge.pk)


# --- the key figure's own pages ---------------------------------------------------------------


@login_required
def mine(request: AuthedHttpRequest) -> HttpResponse:
    """The families a key figure bridges with consent."""
    if not access.can(request.user, "bridges.key_figure"):
        raise PermissionDenied
    bridges = list(
        access.consented_bridges(request.user)
        .select_related("family", "key_figure")
        .order_by("family__name")
    )
    for school_id in sorted({b.family.school_id for b in bridges}):
        record(
            request.user,
            AuditEntry.Action.VIEW,
            school_id=school_id,
            detail={"page": "key figure families"},
        )
    return render(request, "bridges/mine.html", {"bridges": bridges})


def _key_figure_page(request, bridge, form=None, status=200):
    # The family came with the bridge (access.get_bridge_for_key_figure): its people now.
    family = bridge.family
    attach_people([family])
    record(
        request.user,
        AuditEntry.Action.VIEW,
        family,
        detail={"page": "key figure", "bridge": str(bridge.pk)},
    )
    scope = access.consent_scope(bridge)
    return render(
        request,
        "bridges/key_figure_family.html",
        {
            "bridge": bridge,
            "family": family,
            # Only parents with parental authority: not, say, a parent kept at a distance.
            "guardian_rows": [
                row
                for row in family_guardians(family)
                if any(link.parental_authority for link in row.links)
            ],
            "mentors": family_mentors(family) if scope.contact_person else [],
            "scope": scope,
            "form": form or KeyFigureContactForm(bridge=bridge),
            "own_contacts": list(
                Contact.objects.filter(family=family, author=request.user).order_by("-at")[:20]
            ),
            # Only when the parents agreed that the key figure may know about meetings.
            "meetings": _upcoming_meetings(family) if scope.meetings else [],
        },
        status=status,
    )


@login_required
def key_figure_family(request: AuthedHttpRequest, pk) -> HttpResponse:
    bridge = access.get_bridge_for_key_figure(request.user, pk)
    if request.method == "POST":
        form = KeyFigureContactForm(request.POST, bridge=bridge)
        if not form.is_valid():
            return _key_figure_page(request, bridge, form, status=400)
        actions.log_key_figure_contact(request.user, bridge, form.cleaned_data)
        messages.success(request, _("The contact has been saved. Thank you!"))
        return redirect("bridges:family", pk=bridge.pk)
    return _key_figure_page(request, bridge)


def _upcoming_meetings(family):
    from bondgenoot.meetings.models import Invitation, Meeting

    # Whether the family is invited comes with each meeting (EXISTS): one query, with the
    # columns the page shows.
    invited = Invitation.objects.filter(meeting=OuterRef("pk"), family=family)
    meetings = Meeting.objects.upcoming_for(family).only("title", "starts_at", "place")
    return list(meetings.annotate(family_invited=Exists(invited))[:10])


@login_required
@require_POST
def key_figure_invite(request: AuthedHttpRequest, pk, meeting_pk) -> HttpResponse:
    """The key figure invited the family to a meeting themselves (consent scope: meetings)."""
    from bondgenoot.meetings.actions import invite_personally
    from bondgenoot.meetings.models import Meeting

    bridge = access.get_bridge_for_key_figure(request.user, pk)
    if not access.consent_scope(bridge).meetings:
        raise Http404
    meeting = Meeting.objects.upcoming_for(bridge.family).filter(pk=meeting_pk).first()
    if meeting is None:
        raise Http404
    invite_personally(request.user, meeting, bridge.family, Channel.KEY_FIGURE)
    messages.success(request, _("Saved: you invited the family. Thank you!"))
    return redirect("bridges:family", pk=bridge.pk)
