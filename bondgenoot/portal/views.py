"""The parent portal (``/ouders/``): pages a parent sees after signing in, the ways in
(activation, sign-in by password or one-time link, two-step login), and the staff pages
that invite parents and hold records back.

Every parent page goes through ``parent_page``: signed in, the second step passed when
the parent switched it on, the parent's language, and the privacy headers of
``lib/private_links`` (no-store, same-origin referrer, noindex). Which records a parent
sees is decided in ``access/parents.py``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django.views.defaults import page_not_found
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from bondgenoot import access
from bondgenoot.accounts.views import _qr_svg
from bondgenoot.audit.log import record
from bondgenoot.audit.models import AuditEntry
from bondgenoot.bridges.models import Consent
from bondgenoot.contacts.models import Contact, NextStep
from bondgenoot.lib import private_links
from bondgenoot.lib.texts import fill
from bondgenoot.meetings import actions as meeting_actions
from bondgenoot.network.actions import pupil_age
from bondgenoot.network.models import ConsentFrom, Feedback, Share
from bondgenoot.people.family_page import render_family_page
from bondgenoot.people.languages import is_rtl
from bondgenoot.people.models import Family, User

from . import actions, texts
from .forms import (
    ActivationForm,
    AnswerForm,
    CodeForm,
    ConsentForm,
    GroupInviteForm,
    InviteForm,
    LinkForm,
    RestrictForm,
    SignInForm,
    TokenForm,
)
from .models import (
    Activation,
    InterpretationRelease,
    InvitationBatch,
    ParentPreference,
    PortalSettings,
    Restriction,
    SignInLink,
)

NOTICE = "portal_notice"
LOOKED_LIMIT = 200
RECORD_LIMIT = 300


# --- the frame of every parent page ------------------------------------------------------------


def language_of(request: HttpRequest) -> str:
    """The parent's language: picked on this device (cookie), else their saved choice,
    else Dutch."""
    picked = private_links.chosen_language(request, "", texts.PARENT_LANGUAGES)
    if picked:
        return picked
    if request.user.is_authenticated:
        saved = ParentPreference.objects.filter(user=request.user).values_list(
            "language", flat=True
        )
        return texts.supported(saved.first())
    return texts.DEFAULT


def show(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    lang: str,
    status: int = 200,
) -> HttpResponse:
    t = texts.texts(lang)
    notice = request.session.pop(NOTICE, "") if hasattr(request, "session") else ""
    return private_links.render_page(
        request,
        template,
        {"t": t, "notice": t.get(notice, "") if notice else "", **context},
        language=lang,
        rtl=is_rtl(lang),
        status=status,
    )


def gone_or_missing(request: HttpRequest, exc: Exception) -> HttpResponse:
    return private_links.protect(page_not_found(request, exc))


def has_second_step(user: User) -> bool:
    return any(True for _ in devices_for_user(user, confirmed=True))


def parent_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page for a signed-in parent (any login; what they see follows from their
    guardian records): second step when switched on, language, privacy headers, 404."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not access.is_active_user(request.user):
            return private_links.protect(
                redirect(reverse("portal:sign_in") + "?next=" + request.path)
            )
        if has_second_step(request.user) and not request.user.is_verified():
            return private_links.protect(redirect("portal:two_step"))
        request.parent_language = language_of(request)
        try:
            return private_links.protect(view(request, *args, **kwargs))
        except Http404 as exc:
            return gone_or_missing(request, exc)

    return wrapper


def flash(request: HttpRequest, key: str) -> None:
    request.session[NOTICE] = key


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


# --- language ------------------------------------------------------------


@require_POST
def language(request: HttpRequest) -> HttpResponse:
    """The parent picks a language: it sticks on this device (cookie) and, when signed
    in, for their login (saved, and applied again at every sign-in)."""
    code = request.POST.get("language", "")
    response = redirect(_safe_next(request, reverse("portal:home")))
    if code in texts.PARENT_LANGUAGES:
        response.set_cookie(
            private_links.LANGUAGE_COOKIE,
            code,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
        )
        if access.is_active_user(request.user):
            actions.set_language(request.user, code)
    return private_links.protect(response)


def _remember_language(response: HttpResponse, user: User) -> HttpResponse:
    saved = ParentPreference.objects.filter(user=user).values_list("language", flat=True).first()
    if saved:
        response.set_cookie(
            private_links.LANGUAGE_COOKIE,
            saved,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
        )
    return response


def _signed_in(request: HttpRequest, user: User) -> HttpResponse:
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    target = reverse("portal:two_step") if has_second_step(user) else reverse("portal:home")
    return private_links.protect(_remember_language(redirect(target), user))


# --- getting in ------------------------------------------------------------


@sensitive_post_parameters("password")
def sign_in(request: HttpRequest) -> HttpResponse:
    lang = language_of(request)
    t = texts.texts(lang)
    form = SignInForm(t=t)
    link_form = LinkForm(t=t)
    status, error = 200, ""
    minutes = settings.PORTAL_THROTTLE_MINUTES
    if request.method == "POST" and request.POST.get("action") == "link":
        link_form = LinkForm(request.POST, t=t)
        if link_form.is_valid():
            identifier = link_form.cleaned_data["identifier"]
            ip = request.META.get("REMOTE_ADDR", "")
            if actions.throttled("link", identifier, ip):
                status = 429
                error = fill(t["throttled"], {"minutes": minutes})
            else:
                user = actions.find_parent(identifier)
                if user is not None:
                    actions.make_sign_in_link(user, lang)
                # The same answer whether or not we know the address.
                error = ""
                flash(request, "link_sent")
                return private_links.protect(redirect("portal:sign_in"))
        else:
            status = 400
    elif request.method == "POST":
        form = SignInForm(request.POST, t=t)
        if form.is_valid():
            identifier = form.cleaned_data["identifier"]
            user = actions.find_parent(identifier)
            # Axes counts failures per user name and address; an unknown identifier is
            # counted under what was typed, so guessing is throttled too.
            authenticated = authenticate(
                request,
                username=user.username if user else identifier,
                password=form.cleaned_data["password"],
            )
            if getattr(request, "axes_locked_out", False):
                # Our own page in the parent's language instead of axes' staff page.
                request.axes_locked_out = False
                status = 429
                error = fill(t["throttled"], {"minutes": minutes})
            elif authenticated is None or user is None or authenticated.pk != user.pk:
                status, error = 400, t["wrong"]
            else:
                return _signed_in(request, authenticated)
        else:
            status = 400
    notice_key = request.session.pop(NOTICE, "")
    return private_links.render_page(
        request,
        "portal/sign_in.html",
        {
            "t": t,
            "form": form,
            "link_form": link_form,
            "error": error,
            "notice": fill(t[notice_key], {"minutes": settings.PORTAL_SIGN_IN_LINK_MINUTES})
            if notice_key
            else "",
        },
        language=lang,
        rtl=is_rtl(lang),
        status=status,
    )


@private_links.private_page
def sign_in_link(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button (mail scanners that open links must not use it up); POST
    signs in, once."""
    lang = language_of(request)
    link = private_links.find(SignInLink.objects.all(), token)
    gone = link.used_at is not None or private_links.is_expired(link.expires_at)
    if request.method == "POST" and not gone:
        try:
            user = actions.use_sign_in_link(link)
        except actions.Refused:
            gone = True
        else:
            return _signed_in(request, user)
    return show(
        request,
        "portal/sign_in_link.html",
        {"gone": gone},
        lang=lang,
        status=410 if gone else 200,
    )


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    return private_links.protect(redirect("portal:sign_in"))


@sensitive_post_parameters("token")
@login_required(login_url="portal:sign_in")
def two_step(request: HttpRequest) -> HttpResponse:
    """Verify the code of a parent who switched on two-step login, or switch it on."""
    user = request.user
    lang = language_of(request)
    t = texts.texts(lang)
    confirmed = next(iter(devices_for_user(user, confirmed=True)), None)
    if confirmed is not None and user.is_verified():
        return private_links.protect(redirect("portal:home"))
    setting_up = confirmed is None
    if setting_up:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first() or (
            TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
        )
    else:
        device = confirmed
    form = TokenForm(request.POST or None, t=t)
    status = 200
    if request.method == "POST":
        if form.is_valid() and device.verify_token(form.cleaned_data["token"]):
            if setting_up:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                record(user, AuditEntry.Action.TWO_FACTOR, device, detail={"event": "set_up"})
            otp_login(request, device)
            return private_links.protect(redirect("portal:home"))
        form.add_error("token", t["twostep_wrong"])
        status = 400
    return show(
        request,
        "portal/two_step.html",
        {
            "form": form,
            "setting_up": setting_up,
            "qr": _qr_svg(device.config_url) if setting_up else "",
        },
        lang=lang,
        status=status,
    )


def _activation_gone(activation: Activation) -> bool:
    return activation.used_at is not None or private_links.is_expired(activation.expires_at)


@sensitive_post_parameters("password", "password_again")
@private_links.private_page
def activate(request: HttpRequest, token: str) -> HttpResponse:
    """A guardian's invitation: choose a password (or, signed in already, link this
    guardian to the login). Used or expired: a clear page, 410."""
    activation = private_links.find(Activation.objects.select_related("school", "guardian"), token)
    lang = private_links.chosen_language(request, activation.language, texts.PARENT_LANGUAGES)
    t = texts.texts(lang)
    if _activation_gone(activation):
        return show(request, "portal/activation_gone.html", {}, lang=lang, status=410)
    signed_in = access.is_active_user(request.user)
    existing = activation.guardian.user
    form = ActivationForm(
        request.POST or None,
        t=t,
        initial={"email": activation.guardian.email},
        needs_email=not activation.guardian.phone,
    )
    if signed_in:
        form.fields["password"].required = False
        form.fields["password_again"].required = False
    status = 200
    if request.method == "POST":
        if signed_in or form.is_valid():
            data = form.cleaned_data if not signed_in else {}
            try:
                user = actions.activate(
                    activation,
                    request.user if signed_in else existing,
                    data.get("email", ""),
                    data.get("password", ""),
                )
            except actions.Refused as refusal:
                if refusal.code == "gone":
                    return show(request, "portal/activation_gone.html", {}, lang=lang, status=410)
                form.add_error("email", t["signin_first"])
                status = 400
            else:
                if signed_in:
                    flash(request, "consent_given")
                    return private_links.protect(redirect("portal:home"))
                return _signed_in(request, user)
        else:
            status = 400
    return show(
        request,
        "portal/activate.html",
        {
            "form": form,
            "activation": activation,
            "signed_in": signed_in,
            "intro": fill(t["activate_intro"], {"school": activation.school.name}),
        },
        lang=lang,
        status=status,
    )


def code(request: HttpRequest) -> HttpResponse:
    """The short code from a printed letter leads to the same activation page."""
    lang = language_of(request)
    t = texts.texts(lang)
    form = CodeForm(request.POST or None, t=t)
    status = 200
    if request.method == "POST":
        if actions.throttled("code", request.META.get("REMOTE_ADDR", "")):
            form = CodeForm(request.POST, t=t)
            form.is_valid()
            form.add_error(
                "code", fill(t["throttled"], {"minutes": settings.PORTAL_THROTTLE_MINUTES})
            )
            status = 429
        elif form.is_valid():
            found = Activation.objects.filter(
                code=actions.normalise_code(form.cleaned_data["code"])
            ).first()
            if found is not None:
                return private_links.protect(redirect("portal:activate", token=found.token))
            form.add_error("code", t["code_wrong"])
            status = 400
        else:
            status = 400
    return show(request, "portal/code.html", {"form": form}, lang=lang, status=status)


# --- what a parent sees ------------------------------------------------------------


@parent_page
def home(request: HttpRequest) -> HttpResponse:
    """One child: straight to their page. Several (families, schools): pick one. None
    with authority: the meetings and messages addressed to this parent only."""
    children = list(access.parent_children(request.user))
    if len(children) == 1 and not request.GET.get("kies"):
        return redirect("portal:child", pk=children[0].pk)
    context: dict[str, Any] = {"children": children}
    if not children:
        context.update(_addressed(request.user, None))
    return show(request, "portal/home.html", context, lang=request.parent_language)


def _addressed(user: User, family: Family | None) -> dict:
    """Upcoming meetings and messages addressed to this parent (for one family, or all)."""
    invitations = access.parent_invitations(user).filter(meeting__ends_at__gte=timezone.now())
    deliveries = access.parent_deliveries(user)
    if family is not None:
        invitations = invitations.filter(family=family)
        deliveries = deliveries.filter(family=family)
    return {
        "invitations": list(invitations.select_related("meeting").order_by("meeting__starts_at")),
        "deliveries": list(
            deliveries.select_related("message")
            .prefetch_related("replies")
            .order_by("-message__created_at")[:20]
        ),
    }


def _nav(pupil) -> dict:
    return {"pupil": pupil, "family": pupil.family, "school": pupil.school}


def _child_page(
    request: HttpRequest, pk: Any, *, answer_form=None, answered=None, status: int = 200
) -> HttpResponse:
    user = request.user
    pupil = access.get_parent_pupil(user, pk)
    guardian = access.guardian_for(user, pupil)
    steps = (
        NextStep.objects.filter(
            family_id=pupil.family_id,
            done_at__isnull=True,
            contact__in=access.parent_contacts(user, pupil, guardian).filter(guardians=guardian),
        )
        .select_related("owner")
        .order_by("due")
    )
    mentors = list(pupil.group.mentors.all()) if pupil.group else []
    return show(
        request,
        "portal/child.html",
        {
            **_nav(pupil),
            "mentors": mentors,
            "contact_person": pupil.family.contact_person,
            "settings": PortalSettings.for_school(pupil.school_id),
            "steps": list(steps),
            "answer_form": answer_form,
            "answered": answered,
            **_addressed(user, pupil.family),
        },
        lang=request.parent_language,
        status=status,
    )


@parent_page
def child(request: HttpRequest, pk) -> HttpResponse:
    return _child_page(request, pk)


@parent_page
@require_POST
def answer(request: HttpRequest, pk, invitation) -> HttpResponse:
    """Answer an invitation right on the child's page (the same action as the answer
    link). Invalid or too long: the page again, 400, with what was typed."""
    pupil = access.get_parent_pupil(request.user, pk)
    found = access.get_parent_invitation(request.user, invitation)
    if found.family_id != pupil.family_id or private_links.is_expired(found.meeting.ends_at):
        raise Http404
    form = AnswerForm(request.POST, t=texts.texts(request.parent_language))
    if not form.is_valid():
        return _child_page(request, pk, answer_form=form, answered=found.pk, status=400)
    data = form.cleaned_data
    try:
        meeting_actions.record_answer(
            found, data["answer"], data["people"] or 1, found.wants_interpreter, data["question"]
        )
    except meeting_actions.MeetingFull:
        return _child_page(request, pk, answer_form=form, answered=found.pk, status=409)
    flash(request, "answer_saved")
    return redirect("portal:child", pk=pupil.pk)


def _audit_read(user: User, pupil, page: str) -> None:
    record(
        user,
        AuditEntry.Action.VIEW,
        pupil,
        school_id=pupil.school_id,
        family_id=str(pupil.family_id),
        detail={"page": page, "by": "parent"},
    )


@parent_page
def recorded(request: HttpRequest, pk) -> HttpResponse:
    user = request.user
    pupil = access.get_parent_pupil(user, pk)
    guardian = access.guardian_for(user, pupil)
    contacts = (
        access.parent_contacts(user, pupil, guardian)
        .select_related("author")
        .order_by("-at")[:RECORD_LIMIT]
    )
    _audit_read(user, pupil, "portal record")
    return show(
        request,
        "portal/recorded.html",
        {**_nav(pupil), "contacts": list(contacts)},
        lang=request.parent_language,
    )


@parent_page
def signals(request: HttpRequest, pk) -> HttpResponse:
    user = request.user
    pupil = access.get_parent_pupil(user, pk)
    shares = Share.objects.filter(restricted=False).select_related("version", "partner")
    rows = list(
        access.parent_signals(user, pupil)
        .prefetch_related(
            Prefetch("shares", queryset=shares.order_by("shared_at"), to_attr="visible_shares"),
            Prefetch(
                "shares__feedback",
                queryset=Feedback.objects.order_by("-at"),
            ),
        )
        .order_by("-observed_on")
    )
    released = set(
        InterpretationRelease.objects.filter(signal__in=[s.pk for s in rows]).values_list(
            "signal_id", flat=True
        )
    )
    for signal in rows:
        signal.released = signal.pk in released
    _audit_read(user, pupil, "portal signals")
    return show(
        request,
        "portal/signals.html",
        {**_nav(pupil), "signals": rows},
        lang=request.parent_language,
    )


@parent_page
def consents(request: HttpRequest, pk) -> HttpResponse:
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
    for bridge in bridges:
        bridge.open_for_consent = bridge.ended_at is None and not any(
            c.withdrawn_at is None for c in bridge.mine
        )
    return show(
        request,
        "portal/consents.html",
        {
            **_nav(pupil),
            "bridges": bridges,
            "guardian": guardian,
            "pupil_decides": pupil_age(pupil, timezone.localdate()) >= 16,
            "consent_form": ConsentForm(t=texts.texts(request.parent_language)),
            "pupil_consent": ConsentFrom.PUPIL,
        },
        lang=request.parent_language,
    )


@parent_page
@require_POST
def withdraw(request: HttpRequest, pk, consent) -> HttpResponse:
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
def give(request: HttpRequest, pk, bridge) -> HttpResponse:
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
def looked(request: HttpRequest, pk) -> HttpResponse:
    """Reads of the family's record from the audit log: role, organisation, date (and
    the name when the school's setting says so). The parent's own reads are left out."""
    user = request.user
    pupil = access.get_parent_pupil(user, pk)
    entries = list(
        AuditEntry.objects.filter(family_id=str(pupil.family_id), action=AuditEntry.Action.VIEW)
        .exclude(actor_id=user.pk)
        .exclude(actor_id__isnull=True)
        .order_by("-at")
        .values("actor_id", "at", "school_id")[:LOOKED_LIMIT]
    )
    readers = {
        u.pk: u
        for u in User.objects.filter(pk__in={e["actor_id"] for e in entries})
        .select_related("organisation")
        .prefetch_related("memberships")
    }
    rows = []
    for entry in entries:
        reader = readers.get(entry["actor_id"])
        if reader is None:
            continue
        roles = sorted(m.role for m in reader.memberships.all() if m.school_id == pupil.school_id)
        rows.append(
            {
                "at": entry["at"],
                "roles": roles,
                "organisation": reader.organisation.name if reader.organisation else "",
                "name": reader.get_full_name() or reader.username,
            }
        )
    return show(
        request,
        "portal/looked.html",
        {
            **_nav(pupil),
            "rows": rows,
            "show_names": PortalSettings.for_school(pupil.school_id).show_staff_names,
        },
        lang=request.parent_language,
    )


@parent_page
def account(request: HttpRequest) -> HttpResponse:
    return show(
        request,
        "portal/account.html",
        {"second_step": has_second_step(request.user)},
        lang=request.parent_language,
    )


# --- staff: invitations ------------------------------------------------------------


@login_required
@require_POST
def invite_family(request: HttpRequest, pk) -> HttpResponse:

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


def _letters(request: HttpRequest, activations: list[Activation]) -> HttpResponse:
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
def family_letters(request: HttpRequest, pk) -> HttpResponse:
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
def invite_group(request: HttpRequest) -> HttpResponse:
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


def _batch(request: HttpRequest, pk) -> InvitationBatch:
    groups = access.invitation_groups(request.user)
    return access.get_or_404(
        InvitationBatch.objects.filter(created_by=request.user, group__in=groups).select_related(
            "group"
        ),
        pk,
    )


@login_required
def batch(request: HttpRequest, pk) -> HttpResponse:
    found = _batch(request, pk)
    context = {"batch": found, "progress": actions.batch_progress(found)}
    if request.headers.get("HX-Request"):
        return render(request, "portal/batch.html#progress", context)
    return render(request, "portal/batch.html", context)


@login_required
def batch_letters(request: HttpRequest, pk) -> HttpResponse:
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


def _restrictions_page(request: HttpRequest, family: Family, form: RestrictForm, status: int):
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
def restrict(request: HttpRequest, pk) -> HttpResponse:
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
def lift(request: HttpRequest, pk) -> HttpResponse:
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
def release(request: HttpRequest, pk) -> HttpResponse:
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
