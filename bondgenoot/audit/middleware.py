"""Makes the route being served available to ``audit.log.record``."""

from .log import Route, current_route


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
