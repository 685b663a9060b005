"""The parent's pages (``/ouders/kind/<pupil>/...``) and the care coordinator's queue of
requests about the record (``/ouders/verzoeken/``).

The parent's pages live in the portal's frame (``portal.views.frame.parent_page``): signed
in, the second step when switched on, the parent's language (one of eight, right to left
for Arabic), the privacy headers, and 404 in the parent's frame. Their texts are the
portal's (``portal_texts.toml``, table ``voice``). Every page starts with
``access.get_parent_pupil``: a child over whom the user has parental authority and who is
still at school, else 404 (another family's ids, a child who left, a parent without
authority).
"""

from __future__ import annotations

from functools import wraps
from io import BytesIO
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from bondgenoot import access
from bondgenoot.audit.log import record
from bondgenoot.audit.models import AuditEntry
from bondgenoot.core.http import AuthedHttpRequest
from bondgenoot.lib.texts import fill
from bondgenoot.portal import texts
from bondgenoot.portal.views.frame import ParentHttpRequest, child_nav, flash, show
from bondgenoot.portal.views.frame import parent_page as portal_page

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
    """A page of the portal's frame about one child: ``view(request, pupil, guardian,
    **kwargs)`` with the child through the parent rule and the parent's guardian record."""

    @portal_page
    @wraps(view)
    def wrapper(request: ParentHttpRequest, pupil: str, **kwargs) -> HttpResponse:
        child = access.get_parent_pupil(request.user, pupil)
        guardian = access.parent_guardian(request.user, child)
        return view(request, child, guardian, **kwargs)

    return wrapper


def _status(form) -> int:
    return 400 if form.is_bound and form.errors else 200


def _t(request: ParentHttpRequest) -> dict:
    return texts.texts(request.parent_language)


def _page(request: ParentHttpRequest, template: str, pupil, context: dict, *, form=None):
    """Render in the parent's frame, with the child's tabs and the page's own texts."""
    status = _status(form) if form is not None else 200
    t = _t(request)
    return show(
        request,
        template,
        {**child_nav(pupil), "v": t["voice"], "form": form, **context},
        lang=request.parent_language,
        status=status,
    )


@parent_page
def index(request, pupil, guardian):
    """What a parent can do for this child, and what became of their requests."""
    return _page(
        request,
        "parentvoice/index.html",
        pupil,
        {
            "record_requests": RecordRequest.objects.filter(pupil=pupil, guardian=guardian),
            "conversations": ConversationRequest.objects.filter(
                pupil=pupil, guardian=guardian
            ).select_related("next_step")[:10],
        },
    )


@parent_page
def conversation(request, pupil, guardian):
    form = ConversationForm(request.POST or None, t=_t(request), language=request.parent_language)
    if request.method == "POST" and form.is_valid():
        actions.request_conversation(
            request.user,
            pupil,
            guardian,
            form.values(),
            form.cleaned_data["form_key"],
            owner=access.conversation_owner(pupil),
        )
        flash(request, "voice.conversation_sent")
        return redirect("parentvoice:index", pupil=pupil.pk)
    return _page(request, "parentvoice/conversation.html", pupil, {}, form=form)


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
    return _page(
        request,
        "parentvoice/records.html",
        pupil,
        {"guardian": guardian, "contacts": contacts, "signals": signals},
    )


def _view_page(request, pupil, guardian, *, contact=None, signal=None):
    form = ViewForm(request.POST or None, t=_t(request))
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
        flash(request, "voice.view_saved")
        return redirect("parentvoice:records", pupil=pupil.pk)
    earlier = ParentView.objects.filter(
        guardian=guardian, **({"contact": contact} if contact else {"signal": signal})
    )
    return _page(
        request,
        "parentvoice/view_form.html",
        pupil,
        {"contact": contact, "signal": signal, "earlier": earlier},
        form=form,
    )


@parent_page
def contact_view(request, pupil, guardian, pk):
    contact = access.get_contact_for_parent(request.user, pupil, pk)
    return _view_page(request, pupil, guardian, contact=contact)


@parent_page
def signal_view(request, pupil, guardian, pk):
    signal = access.get_signal_for_parent(request.user, pupil, pk)
    return _view_page(request, pupil, guardian, signal=signal)


def _record_choices(user, pupil, t: dict, language: str) -> tuple[list, dict]:
    contacts = access.visible_contacts_for_parent(user, pupil).order_by("-at")[:50]
    signals = access.visible_signals_for_parent(user, pupil).order_by("-created_at")[:50]
    v = t["voice"]
    choices: list[tuple[str, str]] = []
    lookup: dict[str, dict[str, Any]] = {}
    for c in contacts:
        key = f"c:{c.pk}"
        label = fill(
            v["contact_of"],
            {"date": texts.day(c.at, language), "purpose": texts.label(t, "purposes", c.purpose)},
        )
        choices.append((key, label))
        lookup[key] = {"contact": c}
    for s in signals:
        key = f"s:{s.pk}"
        label = fill(
            v["signal_of"],
            {
                "date": texts.day(s.observed_on, language),
                "category": texts.label(t, "categories", s.category),
            },
        )
        choices.append((key, label))
        lookup[key] = {"signal": s}
    return choices, lookup


@parent_page
def record_request(request, pupil, guardian):
    t = _t(request)
    choices, lookup = _record_choices(request.user, pupil, t, request.parent_language)
    initial = {"kind": request.GET.get("soort", "")}
    if request.GET.get("over") in lookup:
        initial["record"] = request.GET["over"]
    form = RecordRequestForm(request.POST or None, records=choices, initial=initial, t=t)
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
        flash(request, "voice.request_sent")
        return redirect("parentvoice:request", pupil=pupil.pk, pk=made.pk)
    return _page(request, "parentvoice/request_form.html", pupil, {}, form=form)


@parent_page
def request_detail(request, pupil, guardian, pk):
    made = access.get_record_request_for_parent(request.user, pupil, pk)
    return _page(request, "parentvoice/request_detail.html", pupil, {"made": made})


@parent_page
def home_story(request, pupil, guardian):
    story = HomeStory.objects.filter(guardian=guardian, pupil=pupil).first()
    form = HomeStoryForm(request.POST or None, instance=story, t=_t(request))
    if request.method == "POST" and form.is_valid():
        values = {f: form.cleaned_data[f] for f in HomeStory.FIELDS}
        actions.save_home_story(request.user, pupil, guardian, values)
        flash(request, "voice.home_saved")
        return redirect("parentvoice:index", pupil=pupil.pk)
    return _page(request, "parentvoice/home_story.html", pupil, {}, form=form)


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
        request.POST or None,
        initial=initial,
        current=guardian.preferred_channels,
        t=_t(request),
        language=request.parent_language,
    )
    if request.method == "POST" and form.is_valid():
        changed = actions.update_contact_details(
            request.user, pupil, guardian, form.values(), owner=access.conversation_owner(pupil)
        )
        flash(request, "voice.details_saved" if changed else "voice.nothing_changed")
        return redirect("parentvoice:index", pupil=pupil.pk)
    return _page(request, "parentvoice/contact_details.html", pupil, {}, form=form)


@parent_page
def export(request, pupil, guardian):
    """Ask for the download (POST) and follow how far it is (GET; htmx polls
    ``?part=status``)."""
    if request.method == "POST":
        # The parent's own portal language (one of eight), not the interface's: the
        # export is written wholly in it (``export.pdf_html``).
        actions.request_export(request.user, pupil, guardian, request.parent_language)
        return redirect("parentvoice:export", pupil=pupil.pk)
    jobs = list(ExportJob.objects.filter(pupil=pupil, user=request.user).defer("pdf", "data")[:5])
    job = jobs[0] if jobs else None
    template = "parentvoice/export.html"
    if request.htmx and request.GET.get("part") == "status":
        template += "#status"
    return _page(request, template, pupil, {"job": job, "jobs": jobs})


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
