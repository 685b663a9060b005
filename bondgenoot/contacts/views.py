from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bondgenoot import access
from bondgenoot.audit.log import record
from bondgenoot.audit.models import AuditEntry
from bondgenoot.core.http import AuthedHttpRequest
from bondgenoot.people.models import Family

from . import actions
from .forms import ContactForm, MoveStepForm
from .models import NextStep
from .panels import timeline_context

WORKLIST_LIMIT = 50


def _next_url(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, request.is_secure()
    ):
        return target
    return default


@login_required
def family_timeline(request: AuthedHttpRequest, pk) -> HttpResponse:
    # The family's name and id are all this page shows of it: not the family page's
    # fetch of pupils, guardians and mentors (about a third of this page's time).
    family = access.get_or_404(access.families_visible_to(request.user), pk)
    if not access.can_view_contacts(request.user, family):
        raise PermissionDenied
    record(request.user, AuditEntry.Action.VIEW, family, detail={"page": "timeline"})
    # htmx swaps the fragment in; a link opened directly gets a whole page around it.
    template = "contacts/timeline.html#timeline" if request.htmx else "contacts/timeline_page.html"
    return render(request, template, timeline_context(request, family))


# --- logging and editing contacts ----------------------------------------------------------


def _after_logging(request: HttpRequest, family: Family) -> str:
    if access.can_view_contacts(request.user, family):
        default = reverse("people:family", args=[family.pk])
    else:
        default = reverse("home")
    return _next_url(request, default)


@login_required
def contact_new(request: AuthedHttpRequest, pk) -> HttpResponse:
    family = access.get_family_for_logging(request.user, pk)
    form = ContactForm(request.POST or None, family=family, user=request.user)
    if request.method == "POST" and form.is_valid():
        actions.log_contact(
            request.user,
            family,
            form.contact_values(),
            form.next_step_values(),
            key=form.cleaned_data.get("idempotency_key"),
        )
        if request.htmx:
            response = render(request, "contacts/contact_form.html#saved", {"family": family})
            response["HX-Trigger"] = "contactLogged"
            return response
        messages.success(request, _("The contact has been saved."))
        return redirect(_after_logging(request, family))
    context = {"form": form, "family": family, "next": _next_url(request, "")}
    if request.htmx:
        return render(request, "contacts/contact_form.html#form", context)
    status = 400 if request.method == "POST" else 200
    return render(request, "contacts/contact_form.html", context, status=status)


@login_required
def contact_edit(request: AuthedHttpRequest, pk) -> HttpResponse:
    contact = access.get_contact_for_edit(request.user, pk)
    family = contact.family
    form = ContactForm(
        request.POST or None,
        family=family,
        user=request.user,
        initial=ContactForm.initial_for(contact),
    )
    if request.method == "POST" and form.is_valid():
        values = form.contact_values()
        if not form.cleaned_data.get("at"):
            values["at"] = contact.at
        actions.update_contact(request.user, contact, values)
        messages.success(
            request, _("The change has been saved. The history keeps the old version.")
        )
        return redirect(_after_logging(request, family))
    revisions = contact.revisions.select_related("changed_by")
    record(request.user, AuditEntry.Action.VIEW, contact, family_id=str(family.pk))
    return render(
        request,
        "contacts/contact_edit.html",
        {
            "form": form,
            "contact": contact,
            "family": family,
            "revisions": revisions,
            "labels": field_labels(),
        },
        status=400 if request.method == "POST" else 200,
    )


def field_labels() -> dict:
    return {
        "channel": _("channel"),
        "purpose": _("purpose"),
        "tone": _("tone"),
        "reached": _("reached"),
        "dialogue": _("dialogue"),
        "at": _("when"),
        "key_figure_id": _("key figure"),
        "language_id": _("language"),
        "interpreter": _("interpreter"),
        "note": _("note"),
        "guardians": _("guardians"),
        "pupils": _("pupils"),
    }


# --- Mijn acties -------------------------------------------------------------------------------


@login_required
def worklist(request: AuthedHttpRequest) -> HttpResponse:
    return _worklist_page(request)


def _worklist_page(
    request: AuthedHttpRequest, failed: MoveStepForm | None = None, status: int = 200
) -> HttpResponse:
    today = timezone.localdate()
    end_of_week = today + timedelta(days=6 - today.weekday())
    mine = NextStep.objects.filter(owner=request.user).open().for_worklist()
    sections = [
        ("overdue", _("Overdue"), mine.filter(due__lt=today)),
        ("today", _("Today"), mine.filter(due=today)),
        ("week", _("This week"), mine.filter(due__gt=today, due__lte=end_of_week)),
        ("later", _("Later"), mine.filter(due__gt=end_of_week)),
    ]
    rows = [
        {
            "key": key,
            "title": title,
            "steps": list(qs.order_by("due", "created_at")[:WORKLIST_LIMIT]),
            "count": qs.count(),
        }
        for key, title, qs in sections
    ]
    return render(
        request,
        "contacts/worklist.html",
        {
            "sections": rows,
            "today": today,
            "failed": failed,
        },
        status=status,
    )


def _step_response(
    request: AuthedHttpRequest, step: NextStep, failed: MoveStepForm | None = None
) -> HttpResponse:
    """After done/move: the step's row for htmx, else back to the list. A refused move
    shows the row (or the whole list) again with the error and the date that was typed."""
    if failed is not None:
        failed.step_pk = step.pk
    if request.htmx:
        return render(
            request,
            "contacts/worklist.html#step",
            {
                "step": step,
                "today": timezone.localdate(),
                "failed": failed,
            },
        )
    if failed is not None:
        return _worklist_page(request, failed, status=400)
    return redirect(_next_url(request, reverse("contacts:worklist")))


@login_required
@require_POST
def step_done(request: AuthedHttpRequest, pk) -> HttpResponse:
    step = access.get_next_step_for_edit(request.user, pk)
    actions.complete_next_step(request.user, step)
    if not request.htmx:
        messages.success(
            request, _("Well done: “%(what)s” is marked as done.") % {"what": step.what}
        )
    return _step_response(request, step)


@login_required
@require_POST
def step_move(request: AuthedHttpRequest, pk) -> HttpResponse:
    step = access.get_next_step_for_edit(request.user, pk)
    form = MoveStepForm(request.POST)
    if form.is_valid():
        actions.move_next_step(request.user, step, form.cleaned_data["due"])
        if not request.htmx:
            messages.success(
                request,
                _("The step has been moved to %(date)s.")
                % {"date": form.cleaned_data["due"].strftime("%d-%m-%Y")},
            )
        return _step_response(request, step)
    return _step_response(request, step, form)
