"""Two-factor authentication is mandatory for roles that see sensitive records; idle
sessions end, and a session has an absolute lifetime."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import SimpleLazyObject, empty
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from bondgenoot import access

# Set in the session at a single sign-on whose ID token asserted multi-factor login (a
# configured amr or acr value, accounts/sso.py): the user's id, so it holds for them only.
IDP_MFA = "bondgenoot_idp_mfa"


def second_step_done(request) -> bool:
    """The second step of login is done: a TOTP code in this session, or a single
    sign-on at which the school's identity provider asserted multi-factor login."""
    user = request.user
    return bool(user.is_verified() or request.session.get(IDP_MFA) == user.pk)


class ResolveUserMiddleware:
    """From here on ``request.user`` is the user itself, not Django's lazy stand-in:
    the access policy reads the user a few hundred times on a family page, and each read
    through ``SimpleLazyObject`` costs about a microsecond. (After ``OTPMiddleware``,
    which wraps the user again to add ``is_verified``; the next middleware reads the user
    on every request anyway.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if isinstance(user, SimpleLazyObject):
            if user._wrapped is empty:
                user._setup()
            request.user = user._wrapped
        return self.get_response(request)


# Paths a user who still has to pass two-factor authentication may reach.
OPEN_PREFIXES = ("/static/", "/i18n/", "/account/")


class RequireTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.path_info.startswith(OPEN_PREFIXES)
            and access.requires_two_factor(user)
            and not second_step_done(request)
        ):
            target = reverse("accounts:two_factor")
            if request.method == "GET":
                target += "?" + urlencode({"next": request.get_full_path()})
            response = redirect(target)
            if request.headers.get("HX-Request"):
                response["HX-Redirect"] = target
            return response
        return self.get_response(request)


# How often an active session's expiry is pushed forward. The idle timeout
# (SESSION_COOKIE_AGE) is kept to within this much, without a session write per request.
SESSION_REFRESH_SECONDS = 60
_SEEN = "_seen"


class SlidingSessionMiddleware:
    """Ends sessions after SESSION_COOKIE_AGE of inactivity: an active session is saved
    (and so its expiry moved) at most once a minute instead of on every request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and session.session_key:
            now = int(time.time())
            if now - int(session.get(_SEEN, 0)) >= SESSION_REFRESH_SECONDS:
                session[_SEEN] = now
        return self.get_response(request)


LOGIN_AT = "bondgenoot_login_at"


class SessionLifetimeMiddleware:
    """A session ends ``SESSION_ABSOLUTE_HOURS`` after the login, however active it is
    (ASVS 7.3.2); the idle timeout (``SESSION_COOKIE_AGE``) ends it sooner when unused.
    The login time is stored in the session at login (``mark_login``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            started = request.session.get(LOGIN_AT)
            limit = settings.SESSION_ABSOLUTE_HOURS * 3600
            if started is None:
                request.session[LOGIN_AT] = time.time()
            elif time.time() - started > limit:
                logout(request)
                messages.info(
                    request, _("You were signed out after a long session. Please log in again.")
                )
                target = reverse(settings.LOGIN_URL)
                if request.method == "GET":
                    target += "?" + urlencode({"next": request.get_full_path()})
                response = redirect(target)
                if request.headers.get("HX-Request"):
                    response["HX-Redirect"] = target
                return response
        return self.get_response(request)


def mark_login(request) -> None:
    request.session[LOGIN_AT] = time.time()
