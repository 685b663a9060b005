"""The parent portal's panel on the family page: invite the family's guardians (who has
a login, open invitations), and for care coordinators what is held back from parents
("not shown to parents") with its review date. Registered in ``apps.py``."""

from __future__ import annotations

from django.utils import timezone

from bondgenoot import access
from bondgenoot.people.panels import FamilyPage, Panel, register

from . import texts
from .forms import InviteForm, RestrictForm
from .models import Activation, Restriction


def applies(page: FamilyPage) -> bool:
    return page.memo("portal.invite", lambda: access.can_invite_parents(page.user, page.family))


def portal_context(page: FamilyPage) -> dict:
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
    context = {
        "portal_rows": rows,
        "portal_invite_form": page.forms.get("portal_invite_form")
        or InviteForm(guardians=[g for g in guardians if g.user_id is None]),
        "portal_languages": texts.review_status(),
        "portal_restrict": False,
    }
    if access.can_restrict(page.user, page.family.school_id):
        from .views import restrict_choices

        restrictions = list(
            Restriction.objects.in_force()
            .filter(family_id=page.family.pk)
            .select_related("contact", "signal")
        )
        context.update(
            {
                "portal_restrict": True,
                "portal_restrictions": restrictions,
                "portal_today": timezone.localdate(),
                "portal_restrict_form": page.forms.get("portal_restrict_form")
                or RestrictForm(records=restrict_choices(page.family)),
            }
        )
    return context


register(
    Panel(
        name="portal.family",
        slot="bottom",
        order=40,
        template="portal/_family_portal.html",
        applies=applies,
        context=portal_context,
    )
)
