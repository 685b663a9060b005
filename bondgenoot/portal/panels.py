"""The parent portal's panel on the family page: invite the family's guardians (who has
a login, open invitations), and for care coordinators a link to what is held back from
parents ("not shown to parents"). Registered in ``apps.py``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from bondgenoot import access
from bondgenoot.people.panels import FamilyPage, Panel, register

from . import texts
from .forms import InviteForm
from .models import Activation


def applies(page: FamilyPage) -> bool:
    # The page loaded the family through ``families_visible_to`` already, so only the
    # capability is left to ask (no query); the invite POST asks the whole rule again.
    return access.can_invite_on_family_page(page.user, page.family)


def portal_context(page: FamilyPage) -> dict:
    """One query: the open invitations of the family's guardians (the guardians and
    whether they have a login come with the page). What is held back from parents has
    its own page (``portal:restrict``), reached by a plain link."""
    guardians = page.guardians
    open_ids = set(
        Activation.objects.usable()
        .filter(guardian_id__in=[g.pk for g in guardians])
        .values_list("guardian_id", flat=True)
    )
    rows = [
        {"guardian": g, "active": g.user_id is not None, "invited": g.pk in open_ids}
        for g in guardians
    ]
    return {
        "portal_rows": rows,
        "portal_invite_form": page.forms.get("portal_invite_form")
        or InviteForm(guardians=[g for g in guardians if g.user_id is None]),
        "portal_languages": texts.review_status(),
        "portal_restrict": access.can_restrict(page.user, page.family.school_id),
    }


register(
    Panel(
        name="portal.family",
        slot="bottom",
        order=40,
        template="portal/_family_portal.html",
        applies=applies,
        context=portal_context,
        lazy=_("Show the parent portal"),
    )
)
