"""Getting in: the parent's language, sign-in by password or one-time link, two-step
login, activation from an invitation (link or the letter's code), the account page."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from bondgenoot import access
from bondgenoot.accounts.views import _qr_svg
from bondgenoot.audit.log import record
from bondgenoot.audit.models import AuditEntry
from bondgenoot.core.http import AuthedHttpRequest
from bondgenoot.lib import private_links
from bondgenoot.lib.texts import fill
from bondgenoot.people.languages import is_rtl
from bondgenoot.people.models import User

from .. import actions, texts
from ..forms import (
    ActivationForm,
    CodeForm,
    LinkForm,
    SignInForm,
    TokenForm,
)
from ..models import (
    Activation,
    ParentPreference,
    SignInLink,
)
from .frame import (
    NOTICE,
    ParentHttpRequest,
    _safe_next,
    flash,
    has_second_step,
    language_of,
    offered_languages,
    parent_page,
    show,
)

# --- language ------------------------------------------------------------


@require_POST
def language(request: HttpRequest) -> HttpResponse:
    """The parent picks a language: it sticks on this device (cookie) and, when signed
    in, for their login (saved, and applied again at every sign-in)."""
    code = request.POST.get("language", "")
    response = redirect(_safe_next(request, reverse("portal:home")))
    if code in offered_languages(request):
        response.set_cookie(
            private_links.LANGUAGE_COOKIE,
            code,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
        )
        if isinstance(request.user, User) and access.is_active_user(request.user):
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
    # Its own prefix: two forms on one page, no duplicate ids.
    link_form = LinkForm(t=t, prefix="link")
    status, error = 200, ""
    minutes = settings.PORTAL_THROTTLE_MINUTES
    if request.method == "POST" and request.POST.get("action") == "link":
        link_form = LinkForm(request.POST, t=t, prefix="link")
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
                request.axes_locked_out = False  # type: ignore[attr-defined]
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
def two_step(request: AuthedHttpRequest) -> HttpResponse:
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
                    request.user if signed_in and isinstance(request.user, User) else existing,
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


@parent_page
def account(request: ParentHttpRequest) -> HttpResponse:
    return show(
        request,
        "portal/account.html",
        {"second_step": has_second_step(request.user)},
        lang=request.parent_language,
    )
