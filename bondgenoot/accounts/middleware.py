"""Two-factor authentication is mandatory for roles that see sensitive records."""

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from bondgenoot import access

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
            and not user.is_verified()
        ):
            target = reverse("accounts:two_factor")
            if request.method == "GET":
                target += "?" + urlencode({"next": request.get_full_path()})
            response = redirect(target)
            if request.headers.get("HX-Request"):
                response["HX-Redirect"] = target
            return response
        return self.get_response(request)
