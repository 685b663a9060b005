"""The parent's pages (``/ouders/kind/<pupil>/...``) and the care coordinator's queue of
requests about the record (``/ouders/verzoeken/``).

Every parent page starts with ``access.get_parent_pupil``: a child over whom the user
has parental authority and who is still at school, else 404 (another family's ids, a
child who left, a parent without authority). Pages are never cached.
"""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from bondgenoot import access
from bondgenoot.audit.log import record
from bondgenoot.audit.models import AuditEntry
from bondgenoot.core.http import AuthedHttpRequest

from . import actions
from .forms import (
    AnswerForm,
    ContactDetailsForm,
    ConversationForm,
    HomeStoryForm,
    RecordRequestForm,
    ViewForm,
)
from .models import ConversationRequest, ExportJob, HomeStory, ParentView, RecordRequest


def parent_page(view):
    """Logged in, the child through the parent rule, the parent's guardian record, and
    ``Cache-Control: no-store``: ``view(request, pupil, guardian, **kwargs)``."""

    @login_required
    @never_cache
    @wraps(view)
    def wrapper(request: HttpRequest, pupil: str, **kwargs) -> HttpResponse:
        child = access.get_parent_pupil(request.user, pupil)
        guardian = access.parent_guardian(request.user, child)
        response = view(request, child, guardian, **kwargs)
        response["Cache-Control"] = "no-store"
        return response

    return wrapper


def _status(form) -> int:
    return 400 if form.is_bound and form.errors else 200


@parent_page
def index(request, pupil, guardian):
    """What a parent can do for this child, and what became of their requests."""
    return render(
        request,
        "parentvoice/index.html",
        {
            "pupil": pupil,
            "record_requests": RecordRequest.objects.filter(pupil=pupil, guardian=guardian),
            "conversations": ConversationRequest.objects.filter(
                pupil=pupil, guardian=guardian
            ).select_related("next_step")[:10],
        },
    )


@parent_page
def conversation(request, pupil, guardian):
    form = ConversationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.request_conversation(
            request.user,
            pupil,
            guardian,
            form.values(),
            form.cleaned_data["form_key"],
            owner=access.conversation_owner(pupil),
        )
        messages.success(
            request, _("Thank you. We will contact you soon to plan the conversation.")
        )
        return redirect("parentvoice:index", pupil=pupil.pk)
    return render(
        request,
        "parentvoice/conversation.html",
        {"pupil": pupil, "form": form},
        status=_status(form),
    )


@parent_page
def records(request, pupil, guardian):
    """The contacts and signals a parent may add their own view to."""
    contacts = (
        access.visible_contacts_for_parent(request.user, pupil)
        .prefetch_related("parent_views")
        .order_by("-at")
    )
    signals = (
        access.visible_signals_for_parent(request.user, pupil)
        .prefetch_related("parent_views")
        .order_by("-created_at")
    )
    record(
        request.user,
        AuditEntry.Action.VIEW,
        pupil,
        school_id=pupil.school_id,
        family_id=str(pupil.family_id),
        detail={"page": "parent records"},
    )
    return render(
        request,
        "parentvoice/records.html",
        {"pupil": pupil, "guardian": guardian, "contacts": contacts, "signals": signals},
    )


def _view_page(request, pupil, guardian, *, contact=None, signal=None):
    form = ViewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.add_view(
            request.user,
            pupil,
            guardian,
            text=form.cleaned_data["text"],
            form_key=form.cleaned_data["form_key"],
            contact=contact,
            signal=signal,
        )
        messages.success(request, _("Thank you. Your side of the story is kept with the record."))
        return redirect("parentvoice:records", pupil=pupil.pk)
    target = contact or signal
    earlier = ParentView.objects.filter(
        guardian=guardian, **({"contact": contact} if contact else {"signal": signal})
    )
    return render(
        request,
        "parentvoice/view_form.html",
        {
            "pupil": pupil,
            "form": form,
            "contact": contact,
            "signal": signal,
            "target": target,
            "earlier": earlier,
        },
        status=_status(form),
    )


@parent_page
def contact_view(request, pupil, guardian, pk):
    contact = access.get_contact_for_parent(request.user, pupil, pk)
    return _view_page(request, pupil, guardian, contact=contact)


@parent_page
def signal_view(request, pupil, guardian, pk):
    signal = access.get_signal_for_parent(request.user, pupil, pk)
    return _view_page(request, pupil, guardian, signal=signal)


def _record_choices(user, pupil) -> tuple[list, dict]:
    contacts = access.visible_contacts_for_parent(user, pupil).order_by("-at")[:50]
    signals = access.visible_signals_for_parent(user, pupil).order_by("-created_at")[:50]
    choices: list[tuple[str, str]] = []
    lookup: dict[str, dict[str, Any]] = {}
    for c in contacts:
        key = f"c:{c.pk}"
        label = _("Contact of %(date)s: %(purpose)s") % {
            "date": timezone.localtime(c.at).strftime("%d-%m-%Y"),
            "purpose": c.get_purpose_display(),
        }
        choices.append((key, label))
        lookup[key] = {"contact": c}
    for s in signals:
        key = f"s:{s.pk}"
        label = _("Signal of %(date)s: %(category)s") % {
            "date": s.observed_on.strftime("%d-%m-%Y"),
            "category": s.get_category_display(),
        }
        choices.append((key, label))
        lookup[key] = {"signal": s}
    return choices, lookup


@parent_page
def record_request(request, pupil, guardian):
    choices, lookup = _record_choices(request.user, pupil)
    initial = {"kind": request.GET.get("soort", "")}
    if request.GET.get("over") in lookup:
        initial["record"] = request.GET["over"]
    form = RecordRequestForm(request.POST or None, records=choices, initial=initial)
    if request.method == "POST" and form.is_valid():
        target = lookup.get(form.cleaned_data["record"], {})
        made = actions.ask_about_record(
            request.user,
            pupil,
            guardian,
            kind=form.cleaned_data["kind"],
            text=form.cleaned_data["text"],
            form_key=form.cleaned_data["form_key"],
            **target,
        )
        messages.success(
            request,
            _("Thank you. The school answers your request before %(date)s.")
            % {"date": made.due.strftime("%d-%m-%Y")},
        )
        return redirect("parentvoice:request", pupil=pupil.pk, pk=made.pk)
    return render(
        request,
        "parentvoice/request_form.html",
        {"pupil": pupil, "form": form},
        status=_status(form),
    )


@parent_page
def request_detail(request, pupil, guardian, pk):
    made = access.get_record_request_for_parent(request.user, pupil, pk)
    return render(request, "parentvoice/request_detail.html", {"pupil": pupil, "made": made})


@parent_page
def home_story(request, pupil, guardian):
    story = HomeStory.objects.filter(guardian=guardian, pupil=pupil).first()
    form = HomeStoryForm(request.POST or None, instance=story)
    if request.method == "POST" and form.is_valid():
        values = {f: form.cleaned_data[f] for f in HomeStory.FIELDS}
        actions.save_home_story(request.user, pupil, guardian, values)
        messages.success(request, _("Thank you. The mentor can read this now."))
        return redirect("parentvoice:index", pupil=pupil.pk)
    return render(
        request, "parentvoice/home_story.html", {"pupil": pupil, "form": form}, status=_status(form)
    )


@parent_page
def contact_details(request, pupil, guardian):
    initial = {
        "phone": guardian.phone,
        "email": guardian.email,
        "street": guardian.street,
        "postcode": guardian.postcode,
        "city": guardian.city,
        "preferred_channels": guardian.preferred_channels,
        "written_language": guardian.written_language_id or "",
        "reachable_times": guardian.reachable_times,
    }
    form = ContactDetailsForm(
        request.POST or None, initial=initial, current=guardian.preferred_channels
    )
    if request.method == "POST" and form.is_valid():
        changed = actions.update_contact_details(
            request.user, pupil, guardian, form.values(), owner=access.conversation_owner(pupil)
        )
        if changed:
            messages.success(request, _("Saved. We have told the school about the change."))
        else:
            messages.info(request, _("Nothing was changed."))
        return redirect("parentvoice:index", pupil=pupil.pk)
    return render(
        request,
        "parentvoice/contact_details.html",
        {"pupil": pupil, "form": form},
        status=_status(form),
    )


@parent_page
def export(request, pupil, guardian):
    """Ask for the download (POST) and follow how far it is (GET; htmx polls
    ``?part=status``)."""
    if request.method == "POST":
        job = actions.request_export(request.user, pupil, guardian, get_language() or "nl")
        return redirect("parentvoice:export", pupil=pupil.pk)
    jobs = list(ExportJob.objects.filter(pupil=pupil, user=request.user).defer("pdf", "data")[:5])
    job = jobs[0] if jobs else None
    template = "parentvoice/export.html"
    if request.htmx and request.GET.get("part") == "status":
        template += "#status"
    return render(request, template, {"pupil": pupil, "job": job, "jobs": jobs})


@parent_page
def export_file(request, pupil, guardian, pk, kind):
    job = access.get_export_for_parent(request.user, pupil, pk)
    if job.status != ExportJob.Status.DONE:
        return redirect("parentvoice:export", pupil=pupil.pk)
    record(
        request.user,
        AuditEntry.Action.EXPORT,
        job,
        family_id=str(pupil.family_id),
        detail={"download": kind},
    )
    day = timezone.localtime(job.created_at).strftime("%Y-%m-%d")
    if kind == "pdf":
        content, name, mime = bytes(job.pdf), f"bondgenoot-{day}.pdf", "application/pdf"
    else:
        content, name, mime = bytes(job.data), f"bondgenoot-{day}.json", "application/json"
    from io import BytesIO

    return FileResponse(BytesIO(content), as_attachment=True, filename=name, content_type=mime)


# --- the care coordinator's queue ----------------------------------------------------------


@login_required
def request_queue(request: HttpRequest) -> HttpResponse:
    schools = access.record_request_schools(request.user)
    if not schools:
        raise PermissionDenied
    requests = access.record_requests_for_care(request.user).select_related("pupil")
    for school_id in schools:
        record(
            request.user,
            AuditEntry.Action.VIEW,
            school_id=school_id,
            detail={"page": "parents' requests"},
        )
    return render(
        request,
        "parentvoice/queue.html",
        {
            "open": requests.filter(status=RecordRequest.Status.OPEN).order_by("due")[:100],
            "answered": requests.exclude(status=RecordRequest.Status.OPEN).order_by("-handled_at")[
                :20
            ],
            "today": timezone.localdate(),
        },
    )


@login_required
def request_handle(request: AuthedHttpRequest, pk: str) -> HttpResponse:
    made = access.get_record_request_for_care(request.user, pk)
    form = AnswerForm(
        request.POST or None,
        initial={"status": made.status if not made.is_open else "", "answer": made.answer},
    )
    if request.method == "POST" and form.is_valid():
        actions.answer_record_request(
            request.user,
            made,
            status=form.cleaned_data["status"],
            answer=form.cleaned_data["answer"],
        )
        messages.success(request, _("Answer saved. The parent sees it in the portal."))
        return redirect("parentvoice:queue")
    record(request.user, AuditEntry.Action.VIEW, made)
    return render(
        request,
        "parentvoice/handle.html",
        {"made": made, "form": form, "today": timezone.localdate()},
        status=_status(form),
    )
