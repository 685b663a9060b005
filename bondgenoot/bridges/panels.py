"""The bridge builders' panel on the family page: who is connected to the family, its
key figures and the best matches. Registered in ``apps.py``.

``open_bridges_of`` and ``matches_of`` are read once per page: the approach advisor's
panel uses them too."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from bondgenoot.people.panels import FamilyPage, Panel, register

from .matching import matches_for, open_bridges
from .network import network

TOP_MATCHES = 3


def open_bridges_of(page: FamilyPage) -> list:
    return page.memo("bridges.open", lambda: list(open_bridges(page.family)))


def matches_of(page: FamilyPage) -> list:
    return page.memo(
        "bridges.matches",
        lambda: matches_for(page.family, page.guardians),
    )


def bridge_sections(page: FamilyPage) -> dict:
    bridges = open_bridges_of(page)
    matches = matches_of(page)
    return {
        "network": network(page.family, page.mentors, bridges),
        "bridges": bridges,
        "top_matches": [m for m in matches if m.available][:TOP_MATCHES],
        "match_count": len(matches),
    }


register(
    Panel(
        name="bridges.family",
        slot="bottom",
        order=10,
        template="bridges/_family_bridges.html",
        applies=lambda page: page.ledger,
        context=bridge_sections,
        lazy=_("Show who is connected to this family"),
    )
)
