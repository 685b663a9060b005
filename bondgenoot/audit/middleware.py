"""Makes the route being served available to ``audit.log.record``, and records every
refused request with the client's address (ASVS 16.3.2): a 403, and a 404 for a record
a signed-in user asked for by its id. The policy answers 404 for a record the user may
not see (they cannot tell it from one that does not exist), so that 404 is where a
refusal of a hidden record shows; the entry keeps the ids from the address so the
record can be traced, never a token or a name."""

import uuid

from django.core.exceptions import PermissionDenied
from django.http import Http404

from bondgenoot.lib.client_ip import client_ip

from .log import Route, current_route, record
from .models import AuditEntry


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_route.set(Route(request.path_info[:120], request.method))
        try:
            return self.get_response(request)
        finally:
            current_route.reset(token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is not None and match.view_name:
            current_route.set(Route(match.view_name, request.method))

    def process_exception(self, request, exception):
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if isinstance(exception, PermissionDenied):
            record(
                user if signed_in else None,
                AuditEntry.Action.ACCESS_DENIED,
                detail={"address": client_ip(request)},
            )
        elif isinstance(exception, Http404) and signed_in:
            ids = record_ids(request)
            if ids:
                record(
                    user,
                    AuditEntry.Action.ACCESS_DENIED,
                    detail={"address": client_ip(request), "status": 404, "ids": ids},
                )
        return None


def record_ids(request) -> dict[str, str]:
    """The record ids in the resolved address: UUIDs and numbers only. Tokens (private
    links) are strings and never reach the log."""
    match = request.resolver_match
    if match is None:
        return {}
    return {
        name: str(value)
        for name, value in match.kwargs.items()
        if isinstance(value, uuid.UUID | int) and not isinstance(value, bool)
    }
