"""Project-wide response rules: personal pages are never cached.

Every response that passes through Django is about someone (a family, a parent's
answer, the audit log, a calendar file, a PDF) or a form for it, so none may be kept by
a browser or a shared cache (ASVS 14.3.2). Static files are served by WhiteNoise before
this middleware and keep their long cache lifetimes.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "no-store" not in response.get("Cache-Control", ""):
            response["Cache-Control"] = "no-store, private"
        return response
