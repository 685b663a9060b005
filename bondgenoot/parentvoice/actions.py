"""Changes of state for the parent's voice. Each writes its audit entry (ids only).

Rows a form creates carry the form's one-time ``form_key``: posting the same form
again (a double click, the back button, a replayed request) returns the row the first
post made, and nothing is written twice.
"""

from __future__ import annotations

import calendar
import secrets
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from bondgenoot.audit.log import record
from bondgenoot.audit.models import AuditEntry
from bondgenoot.contacts import actions as contact_actions
from bondgenoot.contacts.models import Contact, Initiator, Purpose, Tone
from bondgenoot.network.models import Signal
from bondgenoot.people.channels import Channel
from bondgenoot.people.models import Guardian, Language, Pupil, User

from .models import ConversationRequest, ExportJob, HomeStory, ParentView, RecordRequest

ReplayableModel = ConversationRequest | ParentView | RecordRequest

# Days the contact person gets to plan a conversation a parent asked for.
CONVERSATION_DUE_DAYS = 3
# The contact details a parent changes themselves (the staff family page shows them).
CONTACT_FIELDS = (
    "phone",
    "email",
    "street",
    "postcode",
    "city",
    "preferred_channels",
    "written_language_id",
    "reachable_times",
)


def new_form_key() -> str:
    """A one-time key for one showing of a form (see the module)."""
    return secrets.token_urlsafe(24)


def one_month_later(day: date) -> date:
    """The same day next month (the last day of that month when it is shorter): the
    AVG's "within one month" (art. 12(3))."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _replayed(model: type[ReplayableModel], form_key: str, guardian: Guardian) -> Any:
    """The row an earlier post of the same form made (only the same parent's)."""
    return model._default_manager.filter(form_key=form_key, guardian=guardian).first()


def _in_staff_language(text_function: Callable[[], str]) -> str:
    """Texts staff read (next steps) are in the school's language, not the parent's."""
    with translation.override(settings.LANGUAGE_CODE):
        return text_function()


@transaction.atomic
def request_conversation(
    user: User,
    pupil: Pupil,
    guardian: Guardian,
    values: dict[str, Any],
    form_key: str,
    owner: User | None,
) -> ConversationRequest:
    """The parent asks for a conversation: a request, a ledger contact started by the
    parent (a dialogue) and a next step for the contact person."""
    earlier: ConversationRequest | None = _replayed(ConversationRequest, form_key, guardian)
    if earlier is not None:
        return earlier
    family = pupil.family
    contact = contact_actions.log_contact(
        user,
        family,
        {
            "at": timezone.now(),
            "channel": Channel.PORTAL,
            "purpose": Purpose.PARENT_REQUEST,
            "tone": Tone.NEUTRAL,
            "initiator": Initiator.PARENT,
            "reached": True,
            "dialogue": True,
            "note": values["topic"][:500],
            "guardian_ids": [guardian.pk],
            "pupil_ids": [pupil.pk],
        },
    )
    step = None
    if owner is not None:
        channel = Channel(values["channel"])
        step = contact_actions.create_next_step(
            user,
            family,
            contact=contact,
            what=_in_staff_language(
                lambda: (
                    _("%(name)s asks for a conversation (%(channel)s)")
                    % {"name": guardian.full_name, "channel": channel.label}
                )
            )[:200],
            owner=owner,
            due=timezone.localdate() + timedelta(days=CONVERSATION_DUE_DAYS),
        )
    conversation = ConversationRequest.objects.create(
        school_id=pupil.school_id,
        family=family,
        pupil=pupil,
        guardian=guardian,
        contact=contact,
        next_step=step,
        form_key=form_key,
        **values,
    )
    record(user, AuditEntry.Action.CREATE, conversation)
    return conversation


@transaction.atomic
def add_view(
    user: User,
    pupil: Pupil,
    guardian: Guardian,
    *,
    text: str,
    form_key: str,
    contact: Contact | None = None,
    signal: Signal | None = None,
) -> ParentView:
    """The parent's own view beside a contact or a signal. The record itself is not
    touched."""
    earlier: ParentView | None = _replayed(ParentView, form_key, guardian)
    if earlier is not None:
        return earlier
    view = ParentView.objects.create(
        school_id=pupil.school_id,
        family_id=pupil.family_id,
        pupil=pupil,
        guardian=guardian,
        contact=contact,
        signal=signal,
        text=text,
        form_key=form_key,
    )
    record(
        user,
        AuditEntry.Action.CREATE,
        view,
        detail={"contact": str(view.contact_id)} if contact else {"signal": str(view.signal_id)},
    )
    return view


@transaction.atomic
def ask_about_record(
    user: User,
    pupil: Pupil,
    guardian: Guardian,
    *,
    kind: str,
    text: str,
    form_key: str,
    contact: Contact | None = None,
    signal: Signal | None = None,
) -> RecordRequest:
    """A request to correct, restrict or object: to the care coordinators' queue, to be
    answered within one month."""
    earlier: RecordRequest | None = _replayed(RecordRequest, form_key, guardian)
    if earlier is not None:
        return earlier
    request = RecordRequest.objects.create(
        school_id=pupil.school_id,
        family_id=pupil.family_id,
        pupil=pupil,
        guardian=guardian,
        kind=kind,
        text=text,
        contact=contact,
        signal=signal,
        due=one_month_later(timezone.localdate()),
        form_key=form_key,
    )
    record(user, AuditEntry.Action.CREATE, request, detail={"kind": kind})
    return request


@transaction.atomic
def answer_record_request(
    actor: User, request: RecordRequest, *, status: str, answer: str
) -> RecordRequest:
    """The care coordinator's outcome, which the parent reads in the portal."""
    old = request.status
    request.status = status
    request.answer = answer
    request.handled_by = actor
    request.handled_at = timezone.now()
    request.save(update_fields=["status", "answer", "handled_by", "handled_at"])
    record(actor, AuditEntry.Action.UPDATE, request, detail={"status": [old, status]})
    return request


@transaction.atomic
def save_home_story(
    user: User, pupil: Pupil, guardian: Guardian, values: dict[str, Any]
) -> HomeStory:
    """What works at home, in this parent's words (only they change it)."""
    story, created = HomeStory.objects.get_or_create(
        guardian=guardian,
        pupil=pupil,
        defaults={"school_id": pupil.school_id, "family_id": pupil.family_id, **values},
    )
    if created:
        record(user, AuditEntry.Action.CREATE, story, detail={"fields": sorted(values)})
        return story
    changed = sorted(f for f in HomeStory.FIELDS if getattr(story, f) != values.get(f, ""))
    if changed:
        for field in changed:
            setattr(story, field, values.get(field, ""))
        story.save()
        record(user, AuditEntry.Action.UPDATE, story, detail={"fields": changed})
    return story


@transaction.atomic
def update_contact_details(
    user: User, pupil: Pupil, guardian: Guardian, values: dict[str, Any], owner: User | None
) -> list[str]:
    """The parent changes their own contact details. Audited (which fields, never the
    values); the family's contact person gets a next step to look at them. Returns the
    fields that changed."""
    guardian = Guardian.objects.select_for_update().get(pk=guardian.pk)
    if values.get("written_language_id"):
        Language.ensure([values["written_language_id"]])
    changed = [f for f in CONTACT_FIELDS if f in values and getattr(guardian, f) != values[f]]
    if not changed:
        return []
    for field in changed:
        setattr(guardian, field, values[field])
    guardian.save(update_fields=[f.removesuffix("_id") for f in changed])
    record(
        user,
        AuditEntry.Action.UPDATE,
        guardian,
        family_id=str(pupil.family_id),
        detail={"fields": [f.removesuffix("_id") for f in changed], "by": "parent"},
    )
    if owner is not None:
        contact_actions.create_next_step(
            user,
            pupil.family,
            what=_in_staff_language(
                lambda: (
                    _("%(name)s changed their contact details in the parent portal")
                    % {"name": guardian.full_name}
                )
            )[:200],
            owner=owner,
            due=timezone.localdate(),
        )
    return changed


def purge_old_exports() -> int:
    """Finished exports are kept ``EXPORT_KEEP_DAYS`` days, then deleted."""
    keep = getattr(settings, "EXPORT_KEEP_DAYS", 7)
    old = ExportJob.objects.exclude(status__in=ExportJob.OPEN).filter(
        created_at__lt=timezone.now() - timedelta(days=keep)
    )
    deleted, _counts = old.delete()
    return deleted


def request_export(user: User, pupil: Pupil, guardian: Guardian, language: str) -> ExportJob:
    """One job per parent and child at a time: asking again while it is being made
    returns the same job. The worker builds it (``tasks.build_export``)."""
    from .tasks import build_export

    open_jobs = ExportJob.objects.filter(guardian=guardian, pupil=pupil, status__in=ExportJob.OPEN)
    job = open_jobs.first()
    if job is not None:
        return job
    purge_old_exports()
    try:
        with transaction.atomic():
            job = ExportJob.objects.create(
                school_id=pupil.school_id,
                pupil=pupil,
                guardian=guardian,
                user=user,
                language=language,
            )
            record(user, AuditEntry.Action.CREATE, job, family_id=str(pupil.family_id))
    except IntegrityError:
        # Another request made it a moment ago (the constraint keeps one open job).
        return open_jobs.get()
    transaction.on_commit(lambda: build_export.enqueue(str(job.pk)))
    return job
