"""The start page: it sends each user where their work is (it sits above the apps, as
``urls.py`` does)."""

from __future__ import annotations

import sys

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template import loader

from bondgenoot import access
from bondgenoot.core.http import AuthedHttpRequest


@login_required
def home(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    if access.can_list_families(user):
        return redirect("people:families")
    if access.can(user, "bridges.key_figure") and not access.can(user, "pupils.taught"):
        return redirect("bridges:mine")
    if not access.roles(user) and access.is_parent(user):
        # A parent who signed in on the staff login page: their place is the portal.
        return redirect("portal:home")
    if access.can(user, "partner.inbox"):
        # What schools shared with the partner's organisation is their work.
        return redirect("network:partner")
    if access.can(user, "monitor.whole_school") and not access.can(user, "pupils.taught"):
        return redirect("contacts:monitor")
    context: dict[str, object] = {"roles": access.roles(user)}
    if access.can(user, "pupils.taught"):
        # A teacher records about pupils they teach and reads back only their own records.
        pupils = access.pupils_visible_to(user).current().select_related("group", "family")
        context["pupils"] = Paginator(
            pupils.order_by("group__name", "last_name", "pk"), 40
        ).get_page(request.GET.get("page"))
        context["my_contacts"] = list(
            access.own_contacts(user).select_related("family").order_by("-at")[:10]
        )
    return render(request, "core/home.html", context)


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 handler. When the database cannot be reached (a restart, a failover) the
    answer is a calm 503 page with Retry-After instead of "something went wrong": the
    request wrote nothing, and trying again in a minute works. Neither page touches the
    database or the session."""
    exc = sys.exception()
    unavailable = isinstance(exc, OperationalError | InterfaceError) or (
        isinstance(exc, DatabaseError) and _looks_like_lost_connection(exc)
    )
    name, status = ("503.html", 503) if unavailable else ("500.html", 500)
    response = HttpResponse(loader.get_template(name).render(), status=status)
    if unavailable:
        response["Retry-After"] = "30"
    return response


def _looks_like_lost_connection(exc: BaseException) -> bool:
    text = str(exc).lower()
    return any(w in text for w in ("connection", "terminat", "shutdown", "server closed"))
