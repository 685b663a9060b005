from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bondgenoot import access
from bondgenoot.approach.actions import set_situation
from bondgenoot.approach.forms import SituationForm
from bondgenoot.approach.views import approach_sections
from bondgenoot.audit.log import record
from bondgenoot.audit.models import AuditEntry
from bondgenoot.bridges.matching import matches_for, open_bridges
from bondgenoot.bridges.views import bridge_sections
from bondgenoot.contacts.indicators import indicators_for
from bondgenoot.contacts.models import NextStep
from bondgenoot.contacts.views import family_sections
from bondgenoot.meetings.forms import PersonalInvitationForm
from bondgenoot.meetings.views import upcoming_for

from . import actions
from .forms import ContactPersonForm, FamilyFilterForm
from .models import Family, family_guardians, family_mentors

PAGE_SIZE = 25


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if access.can_list_families(user):
        return redirect("people:families")
    if access.can(user, "bridges.key_figure") and not access.can(user, "pupils.taught"):
        return redirect("bridges:mine")
    context = {"roles": access.roles(user)}
    if access.can(user, "pupils.taught"):
        # A teacher records about pupils they teach and reads back only their own records.
        pupils = access.pupils_visible_to(user).current().select_related("group", "family")
        context["pupils"] = Paginator(
            pupils.order_by("group__name", "last_name", "pk"), 40
        ).get_page(request.GET.get("page"))
        context["my_contacts"] = list(
            access.own_contacts(user).select_related("family").order_by("-at")[:10]
        )
    return render(request, "people/home.html", context)


@login_required
def family_list(request: HttpRequest) -> HttpResponse:
    """ "Mijn gezinnen": the families this user works with, searchable and sortable."""
    user = request.user
    if not access.can_list_families(user):
        raise PermissionDenied
    groups = list(access.groups_for_filter(user))
    ledger = access.works_with_contacts(user)
    form = FamilyFilterForm(request.GET or None, groups=groups, situations=ledger)
    families = access.families_visible_to(user)
    sort = "name"
    if form.is_valid():
        if form.cleaned_data["q"]:
            families = families.search(form.cleaned_data["q"])
        if form.cleaned_data["group"]:
            families = families.in_group(form.cleaned_data["group"])
        sort = form.cleaned_data["sort"] or "name"
        if form.cleaned_data.get("situation"):
            families = families.filter(
                situation=form.cleaned_data["situation"],
                pk__in=access.contact_families(user).values("pk"),
            )
    ordering = {
        "name": ["name", "id"],
        "-name": ["-name", "-id"],
        "group": ["first_group", "name", "id"],
    }[sort]
    if sort == "group":
        families = families.with_sort_key()
    families = families.with_summary().order_by(*ordering)
    if ledger:
        families = families.select_related("summary")
    page = Paginator(families, PAGE_SIZE).get_page(request.GET.get("page"))
    families_on_page = list(page.object_list)
    # Indicators only for families whose ledger this user may read (not the register).
    readable = set()
    if ledger:
        readable = set(
            access.contact_families(user)
            .filter(pk__in=[f.pk for f in families_on_page])
            .values_list("pk", flat=True)
        )
        step_counts = NextStep.objects.counts_by_family(readable, timezone.localdate())
    for family in families_on_page:
        family.guardian_rows = family_guardians(family)
        family.mentor_list = family_mentors(family)
        family.ledger = family.pk in readable
        if family.ledger:
            family.indicators = indicators_for(family, step_counts.get(family.pk, (0, 0)))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "families": families_on_page,
        "querystring": query.urlencode(),
        "overdue": overdue_summary(user) if ledger and not request.htmx else None,
        "message_group": (
            form.cleaned_data["group"]
            if ledger and form.is_valid() and form.cleaned_data["group"]
            else None
        ),
    }
    template = "people/family_list.html#results" if request.htmx else "people/family_list.html"
    return render(request, template, context)


def overdue_summary(user) -> dict:
    """The user's overdue next steps, for the top of their start page."""
    overdue = NextStep.objects.filter(owner=user).overdue(timezone.localdate())
    return {
        "count": overdue.count(),
        "steps": list(overdue.select_related("family").order_by("due")[:5]),
    }


def _family_page(request: HttpRequest, family: Family, *, status=200, **forms):
    record(request.user, AuditEntry.Action.VIEW, family)
    user = request.user
    can_edit = access.can_edit_family(user, family)
    person_form = forms.get("person_form")
    if can_edit and person_form is None:
        person_form = ContactPersonForm(
            family=family, initial={"contact_person": family.contact_person_id}
        )
    guardian_rows = family_guardians(family)
    mentors = family_mentors(family)
    context = {
        "family": family,
        "guardian_rows": guardian_rows,
        "mentors": mentors,
        "can_edit": can_edit,
        "person_form": person_form,
        "can_audit": family.school_id in access.audit_schools(user),
        "ledger": access.can_view_contacts(user, family),
        "care": family.school_id in access.care_schools(user),
    }
    if context["ledger"]:
        # Those who work with the family: its ledger, the approach advisor, its bridges.
        context.update(family_sections(request, family))
        guardians = [row["guardian"] for row in guardian_rows]
        matches = matches_for(family, guardians)
        bridges = list(open_bridges(family))
        context.update(
            approach_sections(
                family,
                guardians,
                mentors,
                matches,
                bridges,
                situation_form=forms.get("situation_form"),
            )
        )
        context.update(bridge_sections(family, mentors, bridges, matches))
        if can_edit:
            meetings = upcoming_for(family)
            context["invite_form"] = PersonalInvitationForm(meetings=meetings)
            context["has_meetings"] = meetings.exists()
    return render(request, "people/family_detail.html", context, status=status)


@login_required
def family_detail(request: HttpRequest, pk) -> HttpResponse:
    return _family_page(request, access.get_family(request.user, pk))


@login_required
@require_POST
def family_contact_person(request: HttpRequest, pk) -> HttpResponse:
    family = access.get_family_for_edit(request.user, pk)
    form = ContactPersonForm(request.POST, family=family)
    if form.is_valid():
        actions.set_contact_person(request.user, family, form.cleaned_data["contact_person"])
        messages.success(request, _("The contact person has been saved."))
        return redirect("people:family", pk=family.pk)
    return _family_page(request, family, person_form=form, status=400)


@login_required
@require_POST
def family_situation(request: HttpRequest, pk) -> HttpResponse:
    """Set the family's situation (a suggestion is confirmed the same way)."""
    family = access.get_family_for_edit(request.user, pk)
    form = SituationForm(request.POST, family=family)
    if form.is_valid():
        data = form.cleaned_data
        set_situation(
            request.user,
            family,
            data["situation"],
            data["reason"],
            data["decided_on"],
            contact_person=data["contact_person"],
            from_suggestion=data["from_suggestion"],
        )
        messages.success(request, _("The situation has been saved."))
        return redirect(reverse("people:family", args=[family.pk]) + "#approach-heading")
    return _family_page(request, family, situation_form=form, status=400)
