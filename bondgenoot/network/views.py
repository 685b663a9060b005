"""Signals, the care coordinator's queue and chronology, sharing per agreement, the
partner's inbox with feedback, agreements and emergency access."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bondgenoot import access
from bondgenoot.audit.log import record
from bondgenoot.audit.models import AuditEntry
from bondgenoot.contacts.models import Contact
from bondgenoot.core.http import AuthedHttpRequest
from bondgenoot.lib.tonecoach import check
from bondgenoot.people import school_settings
from bondgenoot.people.models import Guardian, Pupil

from . import actions, hooks
from .forms import AgreementForm, BreakGlassForm, FeedbackForm, RestrictForm, ShareForm, SignalForm
from .models import SHAREABLE_FIELDS, Agreement, Category, ConsentFrom, Share, Signal
from .workdays import working_days_between

SEVERAL_AUTHORS_DAYS = 90


def _label_findings(text: str):
    return [f for f in check(text).findings if f.kind == "label"]


@login_required
def signal_new(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    if not access.can_record_signals(user):
        raise PermissionDenied
    pupil = access.get_pupil(user, request.GET.get("leerling") or request.POST.get("leerling"))
    form = SignalForm(request.POST or None, initial={"observed_on": timezone.localdate()})
    labels = []
    if request.method == "POST" and form.is_valid():
        labels = _label_findings(form.cleaned_data["observation"])
        if labels and not form.cleaned_data["labels_checked"]:
            # Ask once to describe what was seen instead of a label; then save anyway.
            data = request.POST.copy()
            data["labels_checked"] = "1"
            form = SignalForm(data)
            form.is_valid()
        else:
            actions.record_signal(user, pupil, form.values())
            messages.success(request, _("Thank you. The care coordinator will look at the signal."))
            return redirect("network:list")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "network/signal_form.html",
        {"form": form, "pupil": pupil, "labels": labels},
        status=status,
    )


@login_required
def signal_list(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    care = access.care_schools(user)
    if not care:
        if not access.can_record_signals(user):
            raise PermissionDenied
        own = access.own_signals(user).select_related("pupil").order_by("-created_at")[:50]
        return render(request, "network/my_signals.html", {"signals": own})
    signals = access.queue_signals(user)
    today = timezone.localdate()
    since = timezone.now() - timedelta(days=SEVERAL_AUTHORS_DAYS)
    several = (
        signals.filter(created_at__gte=since)
        .values("pupil_id", "pupil__first_name", "pupil__last_name")
        .annotate(authors=Count("author", distinct=True), n=Count("pk"))
        .filter(authors__gte=2)
        .order_by("-authors")[:20]
    )
    due = (
        access.queue_shares(user)
        .exclude(feedback__status="closed")
        .select_related("signal__pupil", "partner")
        .order_by("feedback_due")[:50]
    )
    due_rows = []
    for share in due:
        days = working_days_between(today, share.feedback_due)
        due_rows.append({"share": share, "days": days, "overdue": -days if days < 0 else 0})
    for school_id in care:  # the queue shows every school's signals: each log has the read
        record(user, AuditEntry.Action.VIEW, school_id=school_id, detail={"page": "signal queue"})
    sections = [s for s in (section(user) for section in hooks.queue_sections.values()) if s]
    return render(
        request,
        "network/queue.html",
        {
            "new": signals.filter(seen_at__isnull=True).select_related("pupil", "author")[:50],
            "review": signals.filter(review_on__lte=today).select_related("pupil")[:50],
            "several": several,
            "due": due_rows,
            "sections": sections,
        },
    )


@login_required
def signal_counts(request: AuthedHttpRequest) -> HttpResponse:
    """School leaders: how many signals per category this school year (figures only)."""
    schools = access.signal_count_schools(request.user)
    if not schools:
        raise PermissionDenied
    since = timezone.localdate() - timedelta(days=365)
    counts = dict(
        Signal.objects.filter(school_id__in=schools, observed_on__gte=since)
        .values_list("category")
        .annotate(n=Count("pk"))
        .values_list("category", "n")
    )
    threshold = school_settings.small_cell(schools)
    rows = [
        {
            "label": label,
            "count": counts.get(value, 0),
            "hidden": 0 < counts.get(value, 0) < threshold,
        }
        for value, label in Category.choices
    ]
    return render(request, "network/counts.html", {"rows": rows, "small_cell": threshold})


def _signal_page(request, signal, share_form=None, status=200):
    user = request.user
    care = signal.school_id in access.care_schools(user)
    record(user, AuditEntry.Action.VIEW, signal, family_id=str(signal.pupil.family_id))
    if care and signal.seen_at is None:
        Signal.objects.filter(pk=signal.pk).update(seen_at=timezone.now())
    versions = list(actions.current_versions(signal.school_id, signal.category)) if care else []
    guardians = Guardian.objects.filter(
        guardianships__pupil=signal.pupil, guardianships__parental_authority=True
    ).distinct()
    if care and share_form is None:
        share_form = ShareForm(versions=versions, guardians=guardians)
    shares = (
        list(
            signal.shares.select_related("partner", "version", "shared_by").prefetch_related(
                "feedback"
            )
        )
        if care
        else []
    )
    return render(
        request,
        "network/signal.html",
        {
            "signal": signal,
            "care": care,
            "interpretation": access.sees_interpretation(user, signal),
            "share_form": share_form,
            "versions": versions,
            # Consent fields only for agreements that ask for consent.
            "consent_versions": [v for v in versions if v.consent_from != ConsentFrom.NONE],
            "shares": shares,
            "field_names": SHAREABLE_FIELDS,
            "restrict_form": RestrictForm(),
        },
        status=status,
    )


@login_required
def signal_detail(request: AuthedHttpRequest, pk) -> HttpResponse:
    return _signal_page(request, access.get_signal(request.user, pk))


@login_required
@require_POST
def signal_share(request: AuthedHttpRequest, pk) -> HttpResponse:
    signal = access.get_signal(request.user, pk)
    if signal.school_id not in access.care_schools(request.user):
        raise PermissionDenied
    versions = list(actions.current_versions(signal.school_id, signal.category))
    guardians = Guardian.objects.filter(
        guardianships__pupil=signal.pupil, guardianships__parental_authority=True
    ).distinct()
    form = ShareForm(request.POST, versions=versions, guardians=guardians)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.share_signal(
                request.user,
                signal,
                form.versions[data["version"]],
                consent_guardian=data["consent_guardian"],
                consent_by_pupil=data["consent_by_pupil"],
                consent_on=data["consent_on"],
                parents_informed=data["parents_informed"],
            )
        except actions.ShareRefused as refused:
            form.add_error(None, _("Not shared: %(why)s") % {"why": _refusal(refused.code or "")})
        else:
            messages.success(request, _("Shared. Only the agreed fields left the school."))
            return redirect("network:signal", pk=signal.pk)
    return _signal_page(request, signal, share_form=form, status=400)


@dataclass
class ChronologyItem:
    """One line of a pupil's chronology: a contact, signal, share or feedback (``obj``)."""

    at: datetime
    kind: str
    obj: Any  # a Contact, Signal, Share or Feedback; or another app's record (template)
    share: Share | None = None  # feedback: the share it answers
    template: str = ""  # lines added by other apps through network.hooks
    views: list[Any] = field(default_factory=list)  # contact, signal: the parents' views


# What a chronology's line shows of a contact and of a signal (no author, no other fields).
CHRONOLOGY_CONTACT_FIELDS = ("at", "channel", "purpose", "tone", "note")
CHRONOLOGY_SIGNAL_FIELDS = ("created_at", "category", "observation")


def _parent_views(contacts: list[Contact], signals: list[Signal]) -> dict[tuple[str, Any], list]:
    """The parents' own views beside these contacts and signals (parentvoice's
    ``ParentView``, reached through the relation so that network does not import the app
    above it), in one query with the parent's name: ``{("contact", pk): [view, ...]}``."""
    if not contacts and not signals:
        return {}
    view_model = Contact._meta.get_field("parent_views").related_model
    found: dict[tuple[str, Any], list] = {}
    view: Any
    for view in (
        view_model._default_manager.filter(
            Q(contact_id__in=[c.pk for c in contacts]) | Q(signal_id__in=[s.pk for s in signals])
        )
        .select_related("guardian")
        .order_by("created_at")
    ):
        key = ("contact", view.contact_id) if view.contact_id else ("signal", view.signal_id)
        found.setdefault(key, []).append(view)
    return found


def _refusal(code: str) -> str:
    return {
        "consent": _("this agreement needs consent; record who gave it and when."),
        "old_version": _("this agreement has changed; choose again."),
        "no_agreement": _("no agreement covers this signal."),
    }.get(code, code)


@login_required
@require_POST
def share_restrict(request: AuthedHttpRequest, pk) -> HttpResponse:
    share = access.get_share_for_care(request.user, pk)
    form = RestrictForm(request.POST)
    if form.is_valid():
        actions.restrict_share(request.user, share, form.cleaned_data["reason"])
        messages.success(request, _("Restriction saved."))
    else:
        messages.error(request, _("Give a reason of at least 10 characters."))
    return redirect("network:signal", pk=share.signal_id)


@login_required
def chronology(request: AuthedHttpRequest, pk) -> HttpResponse:
    pupil = access.chronology_pupil(request.user, pk)
    record(
        request.user,
        AuditEntry.Action.VIEW,
        pupil,
        school_id=pupil.school_id,
        family_id=str(pupil.family_id),
        detail={"page": "chronology"},
    )
    items: list[ChronologyItem] = []
    care = pupil.school_id in access.care_schools(request.user)
    contacts: list[Contact] = []
    if care:
        # Contacts about this pupil, or about the whole family (no pupil named); never
        # contacts about a brother or sister. Emergency access from another school shows
        # signals, shares and feedback only.
        contacts = list(
            Contact.objects.filter(family_id=pupil.family_id)
            .filter(Q(pupils=pupil) | Q(pupils__isnull=True))
            .distinct()
            .only(*CHRONOLOGY_CONTACT_FIELDS)
            .order_by("-at")[:100]
        )
    signals = list(Signal.objects.filter(pupil=pupil).only(*CHRONOLOGY_SIGNAL_FIELDS))
    views = _parent_views(contacts, signals)
    for c in contacts:
        items.append(ChronologyItem(c.at, "contact", c, views=views.get(("contact", c.pk), [])))
    for s in signals:
        items.append(
            ChronologyItem(s.created_at, "signal", s, views=views.get(("signal", s.pk), []))
        )
    shares = Share.objects.filter(signal__pupil=pupil).select_related("partner")
    for sh in shares.prefetch_related(Prefetch("feedback", to_attr="feedback_list")):
        items.append(ChronologyItem(sh.shared_at, "share", sh))
        for fb in sh.feedback_list:
            items.append(ChronologyItem(fb.at, "feedback", fb, share=sh))
    if care:
        # Other apps add their lines (case discussions, Meldcode routes) through hooks.
        for source in hooks.chronology_sources.values():
            items.extend(
                ChronologyItem(i["at"], i["kind"], i["obj"], template=i.get("template", ""))
                for i in source(pupil)
            )
    items.sort(key=lambda i: i.at, reverse=True)
    return render(request, "network/chronology.html", {"pupil": pupil, "items": items})


@login_required
def break_glass(request: AuthedHttpRequest) -> HttpResponse:
    if not access.can_break_glass(request.user):
        raise PermissionDenied
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        pupil = Pupil.objects.filter(
            school=form.cleaned_data["school"], pupil_number=form.cleaned_data["pupil_number"]
        ).first()
        if pupil is None:
            # A failed look-up is logged too: it must not work as a free check.
            record(
                request.user,
                AuditEntry.Action.VIEW,
                school_id=form.cleaned_data["school"].pk,
                detail={"break_glass": True, "found": False, "reason": form.cleaned_data["reason"]},
            )
            form.add_error("pupil_number", _("No pupil with this number at this school."))
        else:
            actions.break_glass(request.user, pupil, form.cleaned_data["reason"])
            return redirect("network:chronology", pk=pupil.pk)
    return render(
        request, "network/break_glass.html", {"form": form}, status=400 if form.errors else 200
    )


# --- partners ------------------------------------------------------------------------------


@login_required
def partner_inbox(request: AuthedHttpRequest) -> HttpResponse:
    if not access.can(request.user, "partner.inbox"):
        raise PermissionDenied
    shares = (
        access.partner_shares(request.user)
        .prefetch_related("feedback")
        .order_by("-shared_at")[:100]
    )
    for school_id in access.schools_for(request.user, "partner.inbox"):
        record(
            request.user,
            AuditEntry.Action.VIEW,
            school_id=school_id,
            detail={"page": "partner inbox"},
        )
    return render(
        request, "network/partner_inbox.html", {"shares": shares, "today": timezone.localdate()}
    )


@login_required
def partner_share(request: AuthedHttpRequest, pk) -> HttpResponse:
    share = access.get_share_for_partner(request.user, pk)
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.give_feedback(
            request.user, share, form.cleaned_data["status"], form.cleaned_data["note"]
        )
        messages.success(request, _("Thank you for your feedback."))
        return redirect("network:partner_share", pk=share.pk)
    record(request.user, AuditEntry.Action.VIEW, share, school_id=share.version.agreement.school_id)
    return render(
        request,
        "network/partner_share.html",
        {
            "share": share,
            "form": form,
            "rows": _payload_rows(share.payload),
            "feedback": share.feedback.all(),
        },
        status=400 if form.errors else 200,
    )


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _payload_rows(payload: dict) -> list[tuple[str, str]]:
    """(label, value) per shared field, in the agreement's field order; dates (stored as
    ISO text in the payload) written the way the reader's language writes them."""
    rows = []
    for key, label in SHAREABLE_FIELDS.items():
        if key not in payload:
            continue
        value = payload[key]
        if isinstance(value, str) and ISO_DATE.fullmatch(value):
            value = formats.date_format(date.fromisoformat(value), "j F Y")
        rows.append((str(label), value))
    return rows


# --- agreements ----------------------------------------------------------------------------


@login_required
def agreements(request: AuthedHttpRequest) -> HttpResponse:
    # Care coordinators read the agreements they share under; administrators change them.
    schools = access.agreement_read_schools(request.user)
    if not schools:
        raise PermissionDenied
    manage = access.agreement_schools(request.user)
    if request.method == "POST" and not manage:
        raise PermissionDenied
    form = AgreementForm(request.POST or None, schools=manage) if manage else None
    if request.method == "POST" and form is not None and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("school", None)
        category, partner = data.pop("category"), data.pop("partner")
        school_id = form.chosen_school_id()
        actions.save_agreement(request.user, school_id, category, partner, data)
        messages.success(request, _("The agreement has been saved as a new version."))
        return redirect("network:agreements")
    rows = (
        Agreement.objects.filter(school_id__in=schools)
        .select_related("partner")
        .prefetch_related("versions")
        .order_by("category", "partner__name")
    )
    return render(
        request,
        "network/agreements.html",
        {"form": form, "agreements": rows, "field_names": SHAREABLE_FIELDS},
        status=400 if form is not None and form.errors else 200,
    )
