"""The client's address, for the audit log and for throttling.

Without a reverse proxy the address is ``REMOTE_ADDR``. Behind ``TRUSTED_PROXY_COUNT``
proxies (nginx, a load balancer) ``REMOTE_ADDR`` is the nearest proxy, and each proxy
appends the address it saw to ``CLIENT_IP_HEADER`` (``X-Forwarded-For``). The client
may put anything in that header itself, so we read it from the right: the entry the
outermost trusted proxy appended is the first one nobody but a proxy wrote. With no
trusted proxy the header is never read. Django's axes reads the same settings.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(value: str) -> str:
    value = value.strip()
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return ""


def client_ip(request: HttpRequest) -> str:
    """The address of the client as the outermost trusted proxy saw it ("" if unknown)."""
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    remote = _valid(request.META.get("REMOTE_ADDR", ""))
    if proxies <= 0:
        return remote
    header = "HTTP_" + settings.CLIENT_IP_HEADER.upper().replace("-", "_")
    hops = [h for h in request.META.get(header, "").split(",") if h.strip()]
    if len(hops) < proxies:
        return remote
    return _valid(hops[-proxies])
