"""Everything the school holds about a child and about the parent who asks (AVG art. 15
and 20), as a readable PDF and a machine-readable JSON file.

What goes in is read through the access policy's parent rules (``access.parentvoice``),
the same ones the portal's pages use: only this child (never a step-sibling, nor a
contact that also names one), only this parent's own contact details (never the other
parent's address, phone or email), no signal interpretation, no restricted records and
no share the parents may not know of.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from bondgenoot import access
from bondgenoot.audit.log import record
from bondgenoot.audit.models import AuditEntry
from bondgenoot.bridges.models import Consent
from bondgenoot.lib.private_links import page_language
from bondgenoot.meetings.models import Invitation
from bondgenoot.messaging.models import Delivery
from bondgenoot.people.languages import LANGUAGES, is_rtl
from bondgenoot.people.models import Guardianship
from bondgenoot.portal import texts as parent_texts

from .models import ConversationRequest, ExportJob, HomeStory, ParentView, RecordRequest

log = logging.getLogger(__name__)
FORMAT = "bondgenoot-parent-export"
VERSION = 1


def _name(user) -> str:
    return (user.get_full_name() or user.username) if user else ""


def _when(value) -> str | None:
    return value.isoformat() if value else None


def _language(code: str) -> str:
    """A language by its own name ("العربية", "Türkçe"): what a reader of any language
    recognises, without a Dutch or English word in a Tigrinya export."""
    entry = LANGUAGES.get(code)
    return entry[1] if entry else code


def _views(views) -> list[dict]:
    return [{"written_at": _when(v.created_at), "text": v.text} for v in views]


def collect(job: ExportJob) -> dict[str, Any]:
    """The export's contents as plain data (the JSON file; the PDF shows the same).

    The keys are stable English (machine-readable, art. 20); the names of stored values
    (channels, purposes, statuses, relations…) are in the language the parent chose in
    the portal when they asked (``job.language``), from the portal's own texts."""
    user, pupil, guardian = job.user, job.pupil, job.guardian
    language = parent_texts.supported(job.language)
    t = parent_texts.texts(language)
    voice, own = t["voice"], t["export"]

    def name_of(table: str, value: str) -> str:
        return parent_texts.label(t, table, value)

    how_to_talk = {"phone": voice["by_phone"], "talk": voice["at_school"]}
    how_to_talk["home_visit"] = voice["at_home"]
    link = Guardianship.objects.get(pupil=pupil, guardian=guardian)
    mentors = list(pupil.group.mentors.all()) if pupil.group is not None else []
    contacts = list(
        access.visible_contacts_for_parent(user, pupil)
        .select_related("author")
        .prefetch_related("guardians")
        .order_by("at")
    )
    signals = list(access.visible_signals_for_parent(user, pupil).order_by("created_at"))
    shares = list(
        access.visible_shares_for_parent(user, pupil)
        .select_related("partner", "version")
        .prefetch_related("feedback")
        .order_by("shared_at")
    )
    views = list(ParentView.objects.filter(guardian=guardian, pupil=pupil))
    views_by_contact: dict = {}
    views_by_signal: dict = {}
    for view in views:
        if view.contact_id:
            views_by_contact.setdefault(view.contact_id, []).append(view)
        else:
            views_by_signal.setdefault(view.signal_id, []).append(view)
    shares_by_signal: dict = {}
    for share in shares:
        shares_by_signal.setdefault(share.signal_id, []).append(share)
    deliveries = list(
        Delivery.objects.filter(guardian=guardian, family_id=pupil.family_id)
        .select_related("message")
        .prefetch_related("replies")
        .order_by("sent_at")
    )
    invitations = list(
        Invitation.objects.filter(guardian=guardian, family_id=pupil.family_id)
        .select_related("meeting")
        .order_by("meeting__starts_at")
    )
    consents = list(
        Consent.objects.filter(guardian=guardian, bridge__family_id=pupil.family_id)
        .select_related("bridge__key_figure")
        .order_by("given_on")
    )
    story = HomeStory.objects.filter(guardian=guardian, pupil=pupil).first()
    contact_person = pupil.family.contact_person
    return {
        "format": FORMAT,
        "version": VERSION,
        "language": language,
        "made_at": _when(timezone.now()),
        "school": pupil.school.name,
        "child": {
            "name": pupil.full_name,
            "date_of_birth": _when(pupil.date_of_birth),
            "pupil_number": pupil.pupil_number,
            "group": pupil.group.name if pupil.group is not None else None,
            "school_year": pupil.group.school_year_label if pupil.group is not None else None,
            "mentors": [_name(m) for m in mentors],
            "contact_person": _name(contact_person) if contact_person else None,
        },
        "you": {
            "name": guardian.full_name,
            "relation": own["relations"].get(link.relation, link.relation),
            "parental_authority": link.parental_authority,
            "lives_with_child": link.lives_with,
            "receives_post": link.receives_post,
            "phone": guardian.phone,
            "email": guardian.email,
            "street": guardian.street,
            "postcode": guardian.postcode,
            "city": guardian.city,
            "home_languages": [_language(lang.code) for lang in guardian.home_languages.all()],
            "written_language": (
                _language(guardian.written_language_id) if guardian.written_language_id else None
            ),
            "needs_interpreter": guardian.needs_interpreter,
            "preferred_channels": [name_of("channels", c) for c in guardian.preferred_channels],
            "reachable_times": guardian.reachable_times,
        },
        "contacts": [
            {
                "id": str(c.pk),
                "at": _when(c.at),
                "channel": name_of("channels", c.channel),
                "purpose": name_of("purposes", c.purpose),
                "tone": own["tones"].get(c.tone, c.tone),
                "started_by": own["started_by"].get(c.initiator, c.initiator),
                "reached": c.reached,
                "dialogue": c.dialogue,
                "with_you": any(g.pk == guardian.pk for g in c.guardians.all()),
                "note": c.note,
                "recorded_by": _name(c.author),
                "your_views": _views(views_by_contact.get(c.pk, [])),
            }
            for c in contacts
        ],
        "signals": [
            {
                "id": str(s.pk),
                "category": name_of("categories", s.category),
                "observed_on": _when(s.observed_on),
                "observed_where": s.observed_where,
                "observed_by": s.observed_by,
                "observation": s.observation,
                "pupil_words": s.pupil_words,
                "parents_informed": s.parents_informed,
                "recorded_at": _when(s.created_at),
                "shared": [
                    {
                        "with": sh.partner.name,
                        "at": _when(sh.shared_at),
                        "legal_basis": name_of("bases", sh.legal_basis),
                        "agreement_version": sh.version.number,
                        "fields": sorted(sh.payload),
                        "field_names": [name_of("shared_fields", f) for f in sorted(sh.payload)],
                        "feedback": [
                            {"status": name_of("feedback_status", fb.status), "at": _when(fb.at)}
                            for fb in sh.feedback.all()
                        ],
                    }
                    for sh in shares_by_signal.get(s.pk, [])
                ],
                "your_views": _views(views_by_signal.get(s.pk, [])),
            }
            for s in signals
        ],
        "messages_to_you": [
            {
                "sent_at": _when(d.sent_at),
                "channel": name_of("channels", d.channel),
                "subject": d.subject,
                "body": d.body,
                "your_answers": [
                    {"at": _when(r.received_at), "text": r.body} for r in d.replies.all()
                ],
            }
            for d in deliveries
        ],
        "meeting_invitations": [
            {
                "meeting": i.meeting.title,
                "starts_at": _when(i.meeting.starts_at),
                "place": i.meeting.place,
                "your_answer": t.get(f"answer_{i.answer}", i.answer) if i.answer else None,
            }
            for i in invitations
        ],
        "consents_you_gave": [
            {
                "key_figure": c.bridge.key_figure.name,
                "given_on": _when(c.given_on),
                "how": name_of("consent_how", c.how),
                "contact_person_shared": c.share_contact_person,
                "meetings_shared": c.share_meetings,
                "withdrawn_at": _when(c.withdrawn_at),
            }
            for c in consents
        ],
        "your_requests_for_a_conversation": [
            {
                "at": _when(r.created_at),
                "topic": r.topic,
                "preferred_times": r.preferred_times,
                "how": how_to_talk.get(r.channel, r.channel),
                "with_whom": voice["with_whom"].get(r.with_whom, r.with_whom),
                "interpreter": _language(r.interpreter_id) if r.interpreter_id else None,
            }
            for r in ConversationRequest.objects.filter(guardian=guardian, pupil=pupil)
        ],
        "your_requests_about_the_record": [
            {
                "at": _when(r.created_at),
                "kind": voice["request_kinds"].get(r.kind, r.kind),
                "text": r.text,
                "answer_due": _when(r.due),
                "status": voice["request_states"].get(r.status, r.status),
                "answer": r.answer,
            }
            for r in RecordRequest.objects.filter(guardian=guardian, pupil=pupil)
        ],
        "what_works_at_home": (
            {f: getattr(story, f) for f in HomeStory.FIELDS} if story is not None else None
        ),
    }


def pdf_html(data: dict) -> str:
    """The PDF's HTML, wholly in the export's language (right to left for Arabic): its
    headings from the portal's texts (``[xx.export]``), its dates written per language."""
    language = parent_texts.supported(data.get("language"))
    t = parent_texts.texts(language)
    context = {"data": data, "t": t, "e": t["export"], "lang": language, "rtl": is_rtl(language)}
    return render_to_string("parentvoice/export_pdf.html", context)


def render_pdf(data: dict) -> bytes:
    from weasyprint import HTML  # imported here: it loads Pango

    return HTML(string=pdf_html(data)).write_pdf()


def _progress(job: ExportJob, percent: int, **fields) -> None:
    ExportJob.objects.filter(pk=job.pk).update(progress=percent, **fields)


def build(job_id: str) -> None:
    """Claim the job, collect, write the JSON and the PDF, mark it done (or failed)."""
    with transaction.atomic():
        claimed = ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.QUEUED).update(
            status=ExportJob.Status.RUNNING, progress=5
        )
    if not claimed:
        return
    job = ExportJob.objects.select_related(
        "user", "guardian", "pupil__family__contact_person", "pupil__group", "pupil__school"
    ).get(pk=job_id)
    try:
        if not access.parent_pupils(job.user).filter(pk=job.pupil_id).exists():
            raise PermissionError("no parental authority (any more)")
        with translation.override(page_language(job.language)):
            data = collect(job)
            _progress(job, 40)
            payload = json.dumps(data, ensure_ascii=False, indent=2).encode()
            _progress(job, 60, data=payload)
            pdf = render_pdf(data)
        _progress(
            job,
            100,
            pdf=pdf,
            status=ExportJob.Status.DONE,
            finished_at=timezone.now(),
        )
        record(
            job.user,
            AuditEntry.Action.EXPORT,
            job,
            family_id=str(job.pupil.family_id),
            detail={
                "contacts": len(data["contacts"]),
                "signals": len(data["signals"]),
            },
        )
    except Exception:
        log.exception("Export %s failed", job_id)
        _progress(job, 0, status=ExportJob.Status.FAILED, finished_at=timezone.now())
