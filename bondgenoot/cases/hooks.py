"""What this app adds to the network's pages (registered in ``apps.py``): the pupil's
chronology shows the case discussions about them and their Meldcode routes; the care
coordinator's queue shows the open Meldcode routes and their age."""

from __future__ import annotations

from bondgenoot import access
from bondgenoot.network import hooks

from .models import AgendaItem, MeldcodeRoute


def chronology(pupil) -> list[dict]:
    items = [
        {
            "at": item.discussion.starts_at,
            "kind": "discussion",
            "template": "cases/_chronology_item.html",
            "obj": item,
        }
        for item in AgendaItem.objects.filter(pupil=pupil).select_related("discussion")
    ]
    items += [
        {
            "at": route.started_at,
            "kind": "meldcode",
            "template": "cases/_chronology_route.html",
            "obj": route,
        }
        for route in MeldcodeRoute.objects.filter(signal__pupil=pupil)
    ]
    return items


def queue(user) -> dict | None:
    from .views import route_rows

    routes = (
        access.routes_visible_to(user)
        .filter(closed_at__isnull=True)
        .select_related("signal__pupil")
        .prefetch_related("steps")
        .order_by("started_at")[:50]
    )
    return {"template": "cases/_queue_section.html", "rows": route_rows(routes)}


hooks.add_chronology_source("cases", chronology)
hooks.add_queue_section("cases.meldcode", queue)
