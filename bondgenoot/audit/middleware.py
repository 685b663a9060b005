"""Makes the route being served available to ``audit.log.record``, and records every
refused request (403) with the client's address (ASVS 16.3.2)."""

from django.core.exceptions import PermissionDenied

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
        if isinstance(exception, PermissionDenied):
            user = getattr(request, "user", None)
            record(
                user if user is not None and user.is_authenticated else None,
                AuditEntry.Action.ACCESS_DENIED,
                detail={"address": client_ip(request)},
            )
        return None
