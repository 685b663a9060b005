"""Project-wide response rules: personal pages are never cached.

Every response that passes through Django is about someone (a family, a parent's
answer, the audit log, a calendar file, a PDF) or a form for it, so none may be kept by
a browser or a shared cache (ASVS 14.3.2). Static files are served by WhiteNoise before
this middleware and keep their long cache lifetimes.
"""

from __future__ import annotations

import logging

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.views.defaults import bad_request

log = logging.getLogger("bondgenoot.security")


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "no-store" not in response.get("Cache-Control", ""):
            response["Cache-Control"] = "no-store, private"
        return response


class RefuseNulMiddleware:
    """A NUL byte in the path or in a parameter is never meaningful here, and PostgreSQL
    refuses it in a query ("A string literal cannot contain NUL"), which would surface
    as a 500. Refuse such a request up front with a 400 (finding 6)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            "\x00" in request.path
            or _has_nul(request.GET)
            or (request.method == "POST" and _has_nul(request.POST))
        ):
            log.warning("Refused a NUL byte in a request")

            return bad_request(request, BadRequest("NUL byte in the request"))
        return self.get_response(request)


def _has_nul(params) -> bool:
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in params.lists())
