"""Logins, logouts and failed logins go into the audit log."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .log import record
from .models import AuditEntry


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    # How: "sso" for a single sign-on (accounts.views.sso_callback); a password otherwise.
    method = getattr(request, "login_method", None)
    record(
        user,
        AuditEntry.Action.LOGIN,
        detail={**_address(request), **({"method": method} if method else {})},
    )


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        record(user, AuditEntry.Action.LOGOUT)


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    # Record which account was tried (by id, when it exists), never the password.
    username = credentials.get("username", "")
    user = get_user_model().objects.filter(username=username).only("pk").first()
    record(
        user,
        AuditEntry.Action.LOGIN_FAILED,
        detail={"known_account": user is not None, **_address(request)},
    )


def _address(request) -> dict:
    """The client's address (through the trusted proxy, see lib/client_ip.py)."""
    if request is None:
        return {}
    from bondgenoot.lib.client_ip import client_ip

    return {"address": client_ip(request)}
