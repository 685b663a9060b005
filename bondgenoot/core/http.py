"""Request types for views, so that ``request.user`` and ``request.htmx`` are typed.

Django's ``HttpRequest`` knows neither: ``request.user`` is ``User | AnonymousUser``
until ``@login_required`` has run, and ``request.htmx`` is set by django-htmx's
middleware. Annotating a view's request with one of these classes tells the type
checker what the middleware and the decorators guarantee; at run time the request is
the usual ``HttpRequest`` (these classes are never instantiated).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

if TYPE_CHECKING:
    from bondgenoot.people.models import User


class HtmxHttpRequest(HttpRequest):
    """Any request: ``HtmxMiddleware`` sets ``request.htmx`` on every one (the pattern
    from django-htmx's documentation)."""

    htmx: HtmxDetails


class AuthedHttpRequest(HtmxHttpRequest):
    """A request in a ``@login_required`` view: the user is logged in."""

    user: User
