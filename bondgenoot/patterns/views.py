"""The network analyst's page: suppressed figures for their schools, as charts with data
tables, and a CSV of exactly what the page shows."""

from __future__ import annotations

import csv
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bondgenoot import access
from bondgenoot.audit.log import record
from bondgenoot.audit.models import AuditEntry
from bondgenoot.core.http import AuthedHttpRequest
from bondgenoot.people.models import Membership, Role, School, User

from . import figures


def _chosen(request) -> date | None:
    try:
        year, month = request.GET.get("maand", "").split("-")
        return date(int(year), int(month), 1)
    except ValueError:
        return None


@login_required
def patterns(request: AuthedHttpRequest) -> HttpResponse:
    schools = access.pattern_schools(request.user)
    if not schools:
        raise PermissionDenied
    data = figures.cached(schools, _chosen(request))
    if request.GET.get("formaat") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="patronen.csv"'
        writer = csv.writer(response)
        for table in data["tables"]:
            t = table.as_dict()
            writer.writerow([t["title"]])
            writer.writerow(t["columns"])
            writer.writerows(t["rows"])
            writer.writerow([])
        return response
    return render(
        request,
        "patterns/page.html",
        {
            **data,
            "tables": [{**t.as_dict(), "chart": t.chart()} for t in data["tables"]],
            "schools": School.objects.filter(pk__in=schools).order_by("name"),
            "month_options": [f"{m:%Y-%m}" for m in data["months"]],
            "chosen_label": f"{data['chosen']:%Y-%m}",
        },
    )


@login_required
def analysts(request: AuthedHttpRequest) -> HttpResponse:
    """Administrators name a network analyst for their school (or remove them)."""
    schools = access.analyst_grant_schools(request.user)
    if not schools:
        raise PermissionDenied
    rows = (
        Membership.objects.filter(school_id__in=schools, role=Role.NETWORK_ANALYST)
        .select_related("user", "school")
        .order_by("school__name", "user__username")
    )
    return render(
        request,
        "patterns/analysts.html",
        {"rows": rows, "schools": School.objects.filter(pk__in=schools).order_by("name")},
    )


@login_required
@require_POST
def analyst_change(request: AuthedHttpRequest) -> HttpResponse:
    schools = access.analyst_grant_schools(request.user)
    try:
        school_id = int(request.POST.get("school", ""))
    except ValueError:
        school_id = 0
    if school_id not in schools:
        raise PermissionDenied
    user = User.objects.filter(username=request.POST.get("username", "").strip()).first()
    if user is None or user.memberships.exclude(role=Role.NETWORK_ANALYST).exists():
        # An analyst account holds no other role: figures only, never a record.
        messages.error(request, _("No analyst account with this user name."))
        return redirect("patterns:analysts")
    if request.POST.get("remove"):
        Membership.objects.filter(
            user=user, school_id=school_id, role=Role.NETWORK_ANALYST
        ).delete()
        change = "removed"
    else:
        Membership.objects.get_or_create(user=user, school_id=school_id, role=Role.NETWORK_ANALYST)
        change = "added"
    record(
        request.user,
        AuditEntry.Action.UPDATE,
        user,
        school_id=school_id,
        detail={"network_analyst": change},
    )
    messages.success(request, _("Saved."))
    return redirect("patterns:analysts")
