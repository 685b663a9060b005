"""The family page: one fetch of the family, then every registered panel in order.

The page's own sections (contact person, pupils, guardians) belong to ``people``;
everything else comes from the panels other apps register (``people.panels``).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from bondgenoot import access
from bondgenoot.audit.log import record
from bondgenoot.audit.models import AuditEntry

from .cards import guardian_cards_html
from .forms import ContactPersonForm
from .models import Family
from .panels import (
    SLOTS,
    FamilyPage,
    Panel,
    add_context,
    collect,
    lazy_panel,
    register,
    registered,
)


def load_family(user, pk, *, people: bool = True) -> Family:
    """The family with everything the page and its panels show, in one fetch (404 when
    the user may not see it, as ``access.get_family``). Without ``people``: the family
    row alone, for a panel that shows none of its people (``Panel.light``)."""
    families = access.families_visible_to(user)
    if not people:
        return access.get_or_404(families, pk)
    families = families.with_summary()
    for panel in registered():
        families = panel.prepare(families, user)
    return access.get_or_404(families, pk)


def base_context(page: FamilyPage) -> dict:
    """What the page and every panel's template may read, besides the panels' own."""
    return {
        "family": page.family,
        "can_edit": page.can_edit,
        "ledger": page.ledger,
        "care": page.care,
    }


def page_context(page: FamilyPage) -> dict:
    family = page.family
    context = {
        **base_context(page),
        "guardian_rows": page.guardian_rows,
        "guardian_cards": guardian_cards_html(page.guardian_rows),
        "mentors": page.mentors,
        "can_audit": family.school_id in access.audit_schools(page.user),
    }
    return collect(page, SLOTS, context)


def contact_person_form(page: FamilyPage) -> dict:
    """The form to choose the family's contact person: on demand (a school's whole team
    is its choices), or shown again with its errors after a failed save."""
    form = page.forms.get("person_form")
    if form is None:
        form = ContactPersonForm(
            family=page.family,
            initial={"contact_person": page.family.contact_person_id},
            staff=page.staff,
        )
        # Loaded by a click: the choice takes focus (static/js/a11y.js).
        form.fields["contact_person"].widget.attrs["data-focus"] = ""
    return {"person_form": form}


register(
    Panel(
        name="people.contact_person",
        slot="person",
        order=10,
        template="people/_contact_person_form.html",
        applies=lambda page: page.can_edit,
        context=contact_person_form,
        lazy=_("Change the contact person"),
        trigger="click",
    )
)


def render_family_page(request: HttpRequest, pk, *, status: int = 200, **forms) -> HttpResponse:
    """The family page; ``forms`` are bound forms of a failed POST to show again
    (``person_form``, ``situation_form``, ...)."""
    family = load_family(request.user, pk)
    record(request.user, AuditEntry.Action.VIEW, family)
    page = FamilyPage(request, family, forms)
    return render(request, "people/family_detail.html", page_context(page), status=status)


def render_family_panel(request: HttpRequest, pk, name: str) -> HttpResponse:
    """One panel that loads on demand (``Panel.lazy``): the same access questions as the
    page (the family through ``families_visible_to``, then the panel's ``applies``), and
    the same audit entry, naming the panel. htmx gets the panel alone; a plain link
    (JavaScript off) gets a page around it."""
    panel = lazy_panel(name)
    if panel is None:
        raise Http404
    family = load_family(request.user, pk, people=not panel.light)
    page = FamilyPage(request, family)
    if not panel.applies(page):
        raise PermissionDenied
    record(request.user, AuditEntry.Action.VIEW, family, detail={"panel": panel.name})
    context = base_context(page)
    add_context(panel, page, context)
    context["panel"] = panel
    template = panel.template if getattr(request, "htmx", False) else "people/family_panel.html"
    return render(request, template, context)
