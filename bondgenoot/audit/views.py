import re

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from bondgenoot import access
from bondgenoot.core.http import AuthedHttpRequest
from bondgenoot.people.models import Family, User

from .log import record
from .models import AuditEntry

PAGE_SIZE = 50
OPAQUE_ID = re.compile(r"[0-9a-fA-F-]{1,36}")


@login_required
def audit_log(request: AuthedHttpRequest) -> HttpResponse:
    schools = access.audit_schools(request.user)
    if not schools:
        raise PermissionDenied
    entries = access.audit_entries_visible_to(request.user)
    actor = request.GET.get("actor", "").strip()
    record_id = request.GET.get("record", "").strip()
    actor_user = None
    if actor:
        actor_user = User.objects.filter(username=actor, memberships__school_id__in=schools).first()
        entries = entries.filter(actor_id=actor_user.pk if actor_user else -1)
    if record_id:
        entries = entries.filter(family_id=record_id) | entries.filter(object_id=record_id)
    page = Paginator(entries.order_by("-seq"), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    users = User.objects.in_bulk({e.actor_id for e in rows if e.actor_id})
    families = {
        str(pk): family
        for pk, family in Family.objects.filter(school_id__in=schools)
        .in_bulk({e.family_id for e in rows if e.family_id})
        .items()
    }
    for entry in rows:
        entry.actor = users.get(entry.actor_id)
        entry.family = families.get(entry.family_id) if entry.family_id else None
    # The page searches the logs of all the user's schools: each school's log gets the read.
    for school_id in schools:
        record(
            request.user,
            AuditEntry.Action.VIEW,
            school_id=school_id,
            # Ids only, never what was typed (the log is permanent).
            detail={
                "page": "audit_log",
                "actor_id": actor_user.pk if actor_user else None,
                "record": record_id if OPAQUE_ID.fullmatch(record_id) else "",
            },
        )
    template = "audit/log.html#results" if request.htmx else "audit/log.html"
    return render(
        request,
        template,
        {
            "page": page,
            "rows": rows,
            "actor": actor,
            "record": record_id,
            "actor_user": actor_user,
        },
    )
