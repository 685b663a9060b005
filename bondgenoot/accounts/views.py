"""Login, two-factor authentication and logout.

Password reset uses Django's own views (see urls.py) with our templates.
"""

import hashlib
import hmac
import re
import secrets
import time
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.mail import send_mail
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from bondgenoot import access
from bondgenoot.audit.log import record
from bondgenoot.audit.models import AuditEntry
from bondgenoot.core.http import AuthedHttpRequest
from bondgenoot.lib import throttle
from bondgenoot.lib.client_ip import client_ip

from .forms import EnrolCodeForm, LoginForm, TokenForm
from .middleware import IDP_MFA, second_step_done
from .sso import BACKEND as SSO_BACKEND
from .sso import SignIn, SSOBackend, SSORefused, SSORequestView


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True
    form_class = LoginForm

    def get_context_data(self, **kwargs):
        # "Log in with your school account" only when single sign-on is configured.
        return {**super().get_context_data(**kwargs), "sso_enabled": settings.SSO_ENABLED}


class PasswordResetView(auth_views.PasswordResetView):
    """Password reset, throttled per email address and per client address: each post
    sends an email. Over the limit the same "we sent it" page follows, without an
    email, so the page tells nobody whether an address has an account."""

    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"

    def form_valid(self, form):
        limits = settings.THROTTLE
        email = form.cleaned_data["email"].strip().lower()
        if not throttle.allow_all(
            [
                ("password_reset", email, limits["password_reset_per_address"], 3600),
                (
                    "password_reset_ip",
                    client_ip(self.request),
                    limits["password_reset_per_ip"],
                    3600,
                ),
            ]
        ):
            return redirect(self.get_success_url())
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"

    def form_valid(self, form):
        response = super().form_valid(form)
        record(form.user, AuditEntry.Action.UPDATE, form.user, detail={"field": "password"})
        return response


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/"


def _qr_svg(uri: str) -> str:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    # Drop the XML declaration so the SVG can sit inline in the page, and the path's fixed
    # id, which would repeat on a page of several codes (the portal's invitation letters).
    return svg[svg.index("<svg") :].replace(' id="qr-path"', "")


# First enrolment of an authenticator needs a second proof besides the password: a
# one-time code sent to the account's email address (ASVS 6.4.x, finding 4). Without it,
# whoever has only the password could bind their own authenticator.
ENROL_CODE = "bondgenoot_enrol_code"
ENROL_OK = "bondgenoot_enrol_ok"
ENROL_CODE_MINUTES = 15
ENROL_CODE_TRIES = 5


def _code_hash(user, code: str) -> str:
    return hmac.new(
        settings.SECRET_KEY.encode(), f"enrol:{user.pk}:{code}".encode(), hashlib.sha256
    ).hexdigest()


def _send_enrol_code(request: AuthedHttpRequest) -> bool:
    """Email a fresh code (at most 3 an hour per account); False when throttled."""
    user = request.user
    if not throttle.allow("enrol_code", str(user.pk), limit=3, period=3600):
        return False
    code = f"{secrets.randbelow(10**6):06d}"
    request.session[ENROL_CODE] = {
        "hash": _code_hash(user, code),
        "until": time.time() + ENROL_CODE_MINUTES * 60,
        "tries": 0,
    }
    send_mail(
        _("Your code to set up two-step login"),
        render_to_string(
            "accounts/email/enrol_code.txt",
            {"user": user, "code": code, "minutes": ENROL_CODE_MINUTES},
        ),
        None,
        [user.email],
    )
    record(user, AuditEntry.Action.TWO_FACTOR, user, detail={"event": "enrol_code_sent"})
    return True


def _pending(request: HttpRequest) -> dict | None:
    """The emailed code that can still be used, if any."""
    pending = request.session.get(ENROL_CODE)
    if not pending or time.time() > pending["until"] or pending["tries"] >= ENROL_CODE_TRIES:
        return None
    return pending


def _check_enrol_code(request: HttpRequest, code: str) -> bool:
    pending = _pending(request)
    if pending is None:
        return False
    pending["tries"] += 1
    request.session[ENROL_CODE] = pending
    if hmac.compare_digest(pending["hash"], _code_hash(request.user, code.strip())):
        del request.session[ENROL_CODE]
        request.session[ENROL_OK] = request.user.pk
        return True
    return False


def _failed(request: HttpRequest, event: str) -> None:
    record(
        request.user,
        AuditEntry.Action.TWO_FACTOR_FAILED,
        request.user,
        detail={"event": event, "address": client_ip(request)},
    )


def _enrol_proof(request: AuthedHttpRequest) -> HttpResponse | None:
    """The email step before the first authenticator: a page, or None when passed."""
    user = request.user
    if request.session.get(ENROL_OK) == user.pk:
        return None
    context: dict = {"next": _safe_next(request), "email": _masked(user.email)}
    if not user.email:
        return render(request, "accounts/two_factor_enrol.html", {**context, "no_email": True})
    status = 200
    form = EnrolCodeForm(request.POST if "enrol_code" in request.POST else None)
    if request.method == "POST" and "resend" in request.POST:
        context["sent"] = _send_enrol_code(request)
        context["throttled"] = not context["sent"]
    elif form.is_bound:
        if form.is_valid() and _check_enrol_code(request, form.cleaned_data["enrol_code"]):
            return redirect(request.get_full_path())
        if form.is_valid():
            form.add_error(
                "enrol_code",
                _("This code is not right or has expired. Ask for a new code below."),
            )
        _failed(request, "enrol_code")
        status = 400
    elif not _pending(request):
        context["sent"] = _send_enrol_code(request)
        context["throttled"] = not context["sent"]
    return render(
        request, "accounts/two_factor_enrol.html", {**context, "form": form}, status=status
    )


def _masked(email: str) -> str:
    name, _sep, domain = email.partition("@")
    return f"{name[:1]}…@{domain}" if domain else ""


@never_cache
@sensitive_post_parameters("token", "enrol_code")
@login_required
def two_factor(request: AuthedHttpRequest) -> HttpResponse:
    """Verify a code, or set up the authenticator app first when there is none yet."""
    user = request.user
    if not access.requires_two_factor(user) or second_step_done(request):
        return redirect(_safe_next(request))
    confirmed = next(iter(devices_for_user(user, confirmed=True)), None)
    setting_up = confirmed is None
    if setting_up:
        proof = _enrol_proof(request)
        if proof is not None:
            return proof
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    else:
        device = confirmed
    form = TokenForm(request.POST if "token" in request.POST else None, device=device)
    if form.is_bound and form.is_valid():
        if setting_up:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            request.session.pop(ENROL_OK, None)
            record(user, AuditEntry.Action.TWO_FACTOR, device, detail={"event": "set_up"})
        otp_login(request, device)
        # A new session id at every change of privilege (ASVS 7.2.4), also this one.
        request.session.cycle_key()
        record(user, AuditEntry.Action.TWO_FACTOR, device, detail={"event": "verified"})
        return redirect(_safe_next(request))
    if form.is_bound:
        _failed(request, "token")
    context = {"form": form, "setting_up": setting_up, "next": _safe_next(request)}
    if setting_up:
        from base64 import b32encode

        secret = b32encode(device.bin_key).decode()
        context["secret"] = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
        context["qr_svg"] = mark_safe(_qr_svg(device.config_url))
    return render(
        request, "accounts/two_factor.html", context, status=400 if form.is_bound else 200
    )


@login_required
def account(request: AuthedHttpRequest) -> HttpResponse:
    """Who am I, with which roles at which schools. (Also the benchmarks' baseline page.)"""
    from bondgenoot.people.models import Membership

    memberships = Membership.objects.filter(user=request.user).select_related("school")
    return render(
        request,
        "accounts/account.html",
        {
            "memberships": memberships.order_by("school__name", "role"),
            "two_factor": access.requires_two_factor(request.user),
        },
    )


# Single sign-on (accounts/sso.py) ---------------------------------------------------------

SSO_STATES = "oidc_states"  # where mozilla-django-oidc keeps state -> nonce, PKCE verifier


def _sso_refused(request: HttpRequest, refused: SSORefused) -> HttpResponse:
    """Audit the refusal (a reason and the address; never a name or the claim's value)
    and send the browser back to the login page with a plain explanation."""
    record(
        refused.user,
        AuditEntry.Action.LOGIN_FAILED,
        detail={"method": "sso", "reason": refused.reason, "address": client_ip(request)},
    )
    if refused.no_account:
        text = _(
            "There is no Bondgenoot account for this school account, or it has no role "
            "at a school. Ask the administrator of your school."
        )
    else:
        text = _(
            "Logging in with your school account did not work. Please try again, or log "
            "in with your user name and password."
        )
    messages.error(request, text)
    return redirect(settings.LOGIN_URL)


@never_cache
def sso_start(request: HttpRequest) -> HttpResponse:
    """To the school's identity provider (a server redirect; nothing of theirs is loaded
    in our pages)."""
    if not settings.SSO_ENABLED:
        raise Http404
    try:
        return SSORequestView.as_view()(request)
    except SSORefused as refused:
        return _sso_refused(request, refused)


@never_cache
def sso_callback(request: HttpRequest) -> HttpResponse:
    """Back from the identity provider: check state, nonce and the ID token, match the
    account, log in. Two-step login follows for the roles that need it, unless the
    provider asserted multi-factor login (``middleware.second_step_done``)."""
    if not settings.SSO_ENABLED:
        raise Http404
    try:
        signed_in = _sso_sign_in(request)
    except SSORefused as refused:
        return _sso_refused(request, refused)
    user = signed_in.user
    user.backend = SSO_BACKEND
    request.login_method = "sso"  # type: ignore[attr-defined]  # read by the audit entry
    next_url = request.session.pop("oidc_login_next", None) or ""
    # A new session id (Django's login), the login time for the absolute lifetime
    # (the user_logged_in signal), an audit entry: the same as a password login.
    auth.login(request, user)
    if signed_in.mfa:
        request.session[IDP_MFA] = user.pk
    if next_url and url_has_allowed_host_and_scheme(
        next_url, {request.get_host()}, request.is_secure()
    ):
        return redirect(next_url)
    return redirect(settings.LOGIN_REDIRECT_URL)


def _sso_sign_in(request: HttpRequest) -> SignIn:
    if request.GET.get("error"):
        # The provider refused (the user cancelled, or it does not know the client).
        _take_state(request)
        # Its error code (RFC 6749 4.1.2.1, e.g. access_denied) goes to the audit log.
        error = request.GET["error"]
        raise SSORefused(
            "provider_error:" + (error if re.fullmatch(r"[a-z_]{1,40}", error) else "?")
        )
    if not request.GET.get("code") or not request.GET.get("state"):
        raise SSORefused("missing_code_or_state")
    flow = _take_state(request)
    if flow is None:
        # Not a state this browser asked for: forged, tampered with, or used before.
        raise SSORefused("unknown_state")
    return SSOBackend().sign_in(request, flow.get("nonce") or "", flow.get("code_verifier"))


def _take_state(request: HttpRequest) -> dict | None:
    """The flow this state belongs to, removed from the session so it works once."""
    states = request.session.get(SSO_STATES)
    state = request.GET.get("state", "")
    if not isinstance(states, dict) or state not in states:
        return None
    flow = states.pop(state)
    request.session[SSO_STATES] = states
    request.session.save()
    return flow
