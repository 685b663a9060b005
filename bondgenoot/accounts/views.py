"""Login, two-factor authentication and logout.

Password reset uses Django's own views (see urls.py) with our templates.
"""

from io import BytesIO

import qrcode
import qrcode.image.svg
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from bondgenoot import access
from bondgenoot.audit.log import record
from bondgenoot.audit.models import AuditEntry
from bondgenoot.core.http import AuthedHttpRequest

from .forms import TokenForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


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
    # Drop the XML declaration so the SVG can sit inline in the page.
    return svg[svg.index("<svg") :]


@never_cache
@sensitive_post_parameters("token")
@login_required
def two_factor(request: AuthedHttpRequest) -> HttpResponse:
    """Verify a code, or set up the authenticator app first when there is none yet."""
    user = request.user
    if not access.requires_two_factor(user) or user.is_verified():
        return redirect(_safe_next(request))
    confirmed = next(iter(devices_for_user(user, confirmed=True)), None)
    setting_up = confirmed is None
    if setting_up:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    else:
        device = confirmed
    form = TokenForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        if setting_up:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            record(user, AuditEntry.Action.TWO_FACTOR, device, detail={"event": "set_up"})
        otp_login(request, device)
        record(user, AuditEntry.Action.TWO_FACTOR, device, detail={"event": "verified"})
        return redirect(_safe_next(request))
    context = {"form": form, "setting_up": setting_up, "next": _safe_next(request)}
    if setting_up:
        from base64 import b32encode

        secret = b32encode(device.bin_key).decode()
        context["secret"] = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
        context["qr_svg"] = mark_safe(_qr_svg(device.config_url))
    return render(request, "accounts/two_factor.html", context)


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
