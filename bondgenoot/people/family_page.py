"""The family page: one fetch of the family, then every registered panel in order.

The page's own sections (contact person, pupils, guardians) belong to ``people``;
everything else comes from the panels other apps register (``people.panels``).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from bondgenoot import access
from bondgenoot.audit.log import record
from bondgenoot.audit.models import AuditEntry

from .forms import ContactPersonForm
from .models import Family
from .panels import SLOTS, FamilyPage, collect, registered


def load_family(user, pk) -> Family:
    """The family with everything the page and its panels show, in one fetch (404 when
    the user may not see it, as ``access.get_family``)."""
    families = access.families_visible_to(user).with_summary()
    for panel in registered():
        families = panel.prepare(families, user)
    return access.get_or_404(families, pk)


def page_context(page: FamilyPage) -> dict:
    family = page.family
    person_form = page.forms.get("person_form")
    if page.can_edit and person_form is None:
        person_form = ContactPersonForm(
            family=family,
            initial={"contact_person": family.contact_person_id},
            staff=page.staff,
        )
    context = {
        "family": family,
        "guardian_rows": page.guardian_rows,
        "mentors": page.mentors,
        "can_edit": page.can_edit,
        "person_form": person_form,
        "can_audit": family.school_id in access.audit_schools(page.user),
        "ledger": page.ledger,
        "care": page.care,
    }
    return collect(page, SLOTS, context)


def render_family_page(request: HttpRequest, pk, *, status: int = 200, **forms) -> HttpResponse:
    """The family page; ``forms`` are bound forms of a failed POST to show again
    (``person_form``, ``situation_form``, ...)."""
    family = load_family(request.user, pk)
    record(request.user, AuditEntry.Action.VIEW, family)
    page = FamilyPage(request, family, forms)
    return render(request, "people/family_detail.html", page_context(page), status=status)
