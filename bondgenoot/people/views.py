from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bondgenoot import access
from bondgenoot.audit.log import record
from bondgenoot.audit.models import AuditEntry

from . import actions
from .forms import ContactPersonForm, FamilyFilterForm
from .models import Family, family_guardians, family_mentors

PAGE_SIZE = 25


@login_required
def home(request: HttpRequest) -> HttpResponse:
    if access.can_list_families(request.user):
        return redirect("people:families")
    return render(request, "people/home.html", {"roles": access.roles(request.user)})


@login_required
def family_list(request: HttpRequest) -> HttpResponse:
    """ "Mijn gezinnen": the families this user works with, searchable and sortable."""
    if not access.can_list_families(request.user):
        raise PermissionDenied
    groups = list(access.groups_for_filter(request.user))
    form = FamilyFilterForm(request.GET or None, groups=groups)
    families = Family.objects.visible_to(request.user)
    sort = "name"
    if form.is_valid():
        if form.cleaned_data["q"]:
            families = families.search(form.cleaned_data["q"])
        if form.cleaned_data["group"]:
            families = families.in_group(form.cleaned_data["group"])
        sort = form.cleaned_data["sort"] or "name"
    ordering = {
        "name": ["name", "id"],
        "-name": ["-name", "-id"],
        "group": ["first_group", "name", "id"],
    }[sort]
    families = families.with_sort_key().with_summary().order_by(*ordering)
    page = Paginator(families, PAGE_SIZE).get_page(request.GET.get("page"))
    families_on_page = list(page.object_list)
    for family in families_on_page:
        family.guardian_rows = family_guardians(family)
        family.mentor_list = family_mentors(family)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "families": families_on_page,
        "querystring": query.urlencode(),
        "show_all_groups": access.has_role(request.user, *access._WHOLE_SCHOOL_FAMILY_ROLES),
    }
    template = "people/family_list.html#results" if request.htmx else "people/family_list.html"
    return render(request, template, context)


@login_required
def family_detail(request: HttpRequest, pk) -> HttpResponse:
    family = access.get_family(request.user, pk)
    record(request.user, AuditEntry.Action.VIEW, family)
    can_edit = access.can_edit_family(request.user, family)
    return render(
        request,
        "people/family_detail.html",
        {
            "family": family,
            "guardian_rows": family_guardians(family),
            "mentors": family_mentors(family),
            "can_edit": can_edit,
            "contact_form": ContactPersonForm(
                family=family, initial={"contact_person": family.contact_person_id}
            )
            if can_edit
            else None,
            "can_audit": family.school_id in access.audit_schools(request.user),
        },
    )


@login_required
@require_POST
def family_contact_person(request: HttpRequest, pk) -> HttpResponse:
    family = access.get_family_for_edit(request.user, pk)
    form = ContactPersonForm(request.POST, family=family)
    if form.is_valid():
        actions.set_contact_person(request.user, family, form.cleaned_data["contact_person"])
        messages.success(request, _("The contact person has been saved."))
        return redirect("people:family", pk=family.pk)
    record(request.user, AuditEntry.Action.VIEW, family)
    return render(
        request,
        "people/family_detail.html",
        {
            "family": family,
            "guardian_rows": family_guardians(family),
            "mentors": family_mentors(family),
            "can_edit": True,
            "contact_form": form,
            "can_audit": family.school_id in access.audit_schools(request.user),
        },
        status=400,
    )
