"""Changes to meetings, invitations and attendance. Each writes its audit entry."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bondgenoot.audit.log import record
from bondgenoot.audit.models import AuditEntry
from bondgenoot.contacts import actions as contact_actions
from bondgenoot.contacts.models import Purpose, Tone
from bondgenoot.messaging.models import Delivery, Message
from bondgenoot.messaging.planning import Recipient, letter_for, plan
from bondgenoot.people.channels import Channel
from bondgenoot.people.models import Family, Group, Guardianship, User

from . import texts
from .audience import audience_families
from .ics import calendars_for
from .models import Attendance, Invitation, Meeting


def invitation_url(invitation: Invitation) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("meetings:answer", args=[invitation.token])


def purpose_of(meeting: Meeting) -> str:
    return Purpose.THEME_MEETING if meeting.kind == Meeting.Kind.THEME else Purpose.INFORMAL


# --- personal invitations -----------------------------------------------------------------------


@transaction.atomic
def invite_personally(actor: User, meeting: Meeting, family: Family, channel: str) -> int:
    """A staff member or key figure invited the family themselves: an invitation for each
    parent with authority (so they can answer through their link too), and a contact."""
    guardians = {
        link.guardian_id: link.guardian
        for link in Guardianship.objects.with_authority(family=family).select_related("guardian")
    }
    created = 0
    for guardian in guardians.values():
        _, new = Invitation.objects.get_or_create(
            meeting=meeting,
            guardian=guardian,
            defaults={
                "family": family,
                "how": Channel.PERSONAL,
                "invited_by": actor,
                "language": guardian.written_language_id or "nl",
            },
        )
        created += new
    contact_actions.log_contact(
        actor,
        family,
        {
            "channel": channel,
            "purpose": purpose_of(meeting),
            "tone": Tone.POSITIVE,
            "reached": True,
            "dialogue": True,
            "at": timezone.now(),
            "note": meeting.title[:500],
            "guardian_ids": list(guardians),
            **({"key_figure_id": actor.pk} if channel == Channel.KEY_FIGURE else {}),
        },
    )
    record(
        actor,
        AuditEntry.Action.CREATE,
        meeting,
        family_id=str(family.pk),
        detail={"personal_invitation": True, "channel": channel},
    )
    return created


# --- written invitations, reminders and follow-up (through messaging) -----------------------


def _message(actor: User, meeting: Meeting, subject: str, audience: str) -> Message:
    return Message.objects.create(
        school_id=meeting.school_id,
        author=actor,
        subject=subject[:200],
        body="",
        purpose=purpose_of(meeting),
        audience=audience[:200],
        status=Message.Status.QUEUED,
    )


# Rendered texts per (text, language): {link} is the only value that differs per parent,
# so each text is filled once per language, with this mark where the link goes.
_Rendered = dict[tuple[str, str], tuple[str, str]]
_LINK_MARK = "\ue000link\ue000"  # a private-use character: never in a text or a value


def _delivery(
    message: Message,
    invitation: Invitation,
    recipient: Recipient,
    key: str,
    values: dict[str, str],
    calendar: str = "",
    rendered: _Rendered | None = None,
) -> Delivery:
    """The delivery of one text to one parent. ``rendered`` (shared by the calls for one
    meeting, with the same ``values`` apart from ``link``) keeps each text filled once per
    language: it is filled with a mark where the link goes, and each parent's link is put
    in its place (inside the same isolates as any value in a right-to-left language)."""
    language = invitation.language if texts.has_language(invitation.language) else "nl"
    cache: _Rendered = {} if rendered is None else rendered
    if (key, language) not in cache:
        filled = {**values, "link": _LINK_MARK, "when": texts.when(invitation.meeting, language)}
        cache[key, language] = texts.message(language, key, filled)
    subject, body = cache[key, language]
    link = values.get("link", "")
    return Delivery(
        message=message,
        family=recipient.family,
        guardian=recipient.guardian,
        channel=recipient.delivery_channel,
        address=recipient.address,
        language=language,
        subject=subject.replace(_LINK_MARK, link)[:200],
        body=body.replace(_LINK_MARK, link),
        link=link,
        calendar=calendar if recipient.channel == Channel.EMAIL else "",
    )


@transaction.atomic
def queue_invitations(actor: User, meeting: Meeting) -> Message | None:
    """Invite the meeting's audience in writing: runs in the background (a whole school
    is thousands of parents); the meeting page shows the progress. Once per meeting."""
    from .tasks import invite_audience

    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if locked.invitation_message_id or locked.cancelled_at:
        return None  # a second click, or a cancelled meeting
    message = _message(
        actor, meeting, meeting.title, _("the invitees of %(title)s") % {"title": meeting.title}
    )
    locked.invitation_message = message
    locked.save(update_fields=["invitation_message"])
    meeting.invitation_message = message
    record(actor, AuditEntry.Action.CREATE, meeting, detail={"written_invitations": True})
    transaction.on_commit(lambda: invite_audience.enqueue(str(meeting.pk), str(message.pk)))
    return message


@transaction.atomic
def prepare_invitations(meeting: Meeting, message: Message) -> int:
    """Invitations and deliveries for every parent in the audience who is not invited yet
    (bulk inserts). Idempotent: a second run adds nothing. The meeting is locked and read
    again, so a change of audience meanwhile is never half applied."""
    meeting = Meeting.objects.select_for_update().select_related("school").get(pk=meeting.pk)
    if meeting.ends_at < timezone.now() or meeting.cancelled_at:
        return 0  # never invite to a meeting that is over or cancelled
    already = set(meeting.invitations.values_list("guardian_id", flat=True))
    reachable, unreachable = plan(audience_families(meeting))
    recipients = list(reachable) + [r for r in unreachable if letter_for(r)]
    recipients = [r for r in recipients if r.guardian.pk not in already]
    if not recipients:
        return 0
    invitations = [
        Invitation(
            meeting=meeting,
            family=r.family,
            guardian=r.guardian,
            language=r.language,
            how=r.delivery_channel,
            invited_by=message.author,
        )
        for r in recipients
    ]
    values = {
        "title": meeting.title,
        "where": meeting.place,
        "inviter": str(message.author),
        "school": meeting.school.name,
    }
    calendar = calendars_for(meeting)
    rendered: _Rendered = {}
    deliveries = []
    for invitation, recipient in zip(invitations, recipients, strict=True):
        link = invitation_url(invitation)
        deliveries.append(
            _delivery(
                message,
                invitation,
                recipient,
                "invite",
                {**values, "link": link},
                calendar(link) if recipient.channel == Channel.EMAIL else "",
                rendered,
            )
        )
    with transaction.atomic():
        Delivery.objects.bulk_create(deliveries, batch_size=1000)
        for invitation, delivery in zip(invitations, deliveries, strict=True):
            invitation.delivery = delivery
        Invitation.objects.bulk_create(invitations, batch_size=1000)
    return len(invitations)


def send_reminders(now: datetime | None = None) -> int:
    """A reminder the day before, to parents who said yes or maybe or did not answer.
    Run daily (``manage.py send_meeting_reminders``); sends each reminder once."""
    from bondgenoot.messaging.tasks import deliver_message

    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + timedelta(days=1)
    sent = 0
    for meeting in Meeting.objects.filter(
        starts_at__date=tomorrow, cancelled_at__isnull=True
    ).select_related("school", "created_by"):
        with transaction.atomic():
            # Locked: two overlapping runs never remind the same parent twice.
            due = list(
                meeting.invitations.select_for_update()
                .filter(reminded_at__isnull=True)
                .exclude(answer=Invitation.Answer.NO)
                .select_related("family", "guardian")
            )
            if not due:
                continue
            message = _message(
                meeting.created_by,
                meeting,
                meeting.title,
                _("the invitees of %(title)s (a reminder)") % {"title": meeting.title},
            )
            recipients = {r.guardian.pk: r for r in _recipients(due)}
            rendered: _Rendered = {}
            deliveries = [
                _delivery(
                    message,
                    inv,
                    recipients[inv.guardian_id],
                    "reminder",
                    {
                        "title": meeting.title,
                        "where": meeting.place,
                        "link": invitation_url(inv),
                        "school": meeting.school.name,
                    },
                    rendered=rendered,
                )
                for inv in due
                if inv.guardian_id in recipients
            ]
            Delivery.objects.bulk_create(deliveries)
            Invitation.objects.filter(pk__in=[i.pk for i in due]).update(reminded_at=now)
            record(None, AuditEntry.Action.CREATE, meeting, detail={"reminders": len(deliveries)})
            transaction.on_commit(partial(deliver_message.enqueue, str(message.pk)))
        sent += len(deliveries)
    return sent


# --- changing and cancelling -----------------------------------------------------------------

# A change of these tells the invitees (in their language, with their answer link).
TOLD_FIELDS = ("starts_at", "ends_at", "place")


def _same(old: object, new: object) -> bool:
    # The form knows times to the minute: seconds are not a change.
    if isinstance(old, datetime) and isinstance(new, datetime):
        return old.replace(second=0, microsecond=0) == new.replace(second=0, microsecond=0)
    return old == new


@transaction.atomic
def change_meeting(actor: User, meeting: Meeting, values: dict[str, object]) -> int:
    """Save changes; when the time or place changed, tell every invitee. Returns how
    many were told."""
    changed = [name for name, value in values.items() if not _same(getattr(meeting, name), value)]
    if not changed:
        return 0
    for name in changed:
        setattr(meeting, name, values[name])
    told = [name for name in changed if name in TOLD_FIELDS]
    if told:
        meeting.changed_at = timezone.now()
    meeting.save()
    record(actor, AuditEntry.Action.UPDATE, meeting, detail={"changed": changed})
    if not told:
        return 0
    return _tell_invitees(
        actor,
        meeting,
        "changed",
        _("the invitees of %(title)s (a change)") % {"title": meeting.title},
    )


@transaction.atomic
def cancel_meeting(actor: User, meeting: Meeting) -> int:
    """Cancel: every invitee is told; the answer page says it does not take place."""
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if locked.cancelled_at:
        return 0
    meeting.cancelled_at = timezone.now()
    meeting.save(update_fields=["cancelled_at"])
    record(actor, AuditEntry.Action.UPDATE, meeting, detail={"cancelled": True})
    return _tell_invitees(
        actor,
        meeting,
        "cancelled",
        _("the invitees of %(title)s (cancelled)") % {"title": meeting.title},
    )


@dataclass(frozen=True)
class AudienceChange:
    """How many families a change of audience added and removed, and how many parents
    were told (invited, or told their invitation no longer applies)."""

    added: int = 0
    removed: int = 0
    invited_later: bool = False
    told_removed: int = 0


@transaction.atomic
def change_audience(
    actor: User,
    meeting: Meeting,
    *,
    whole_school: bool,
    year_levels: list[int],
    groups: Iterable[Group],
    families: Iterable[Family],
) -> AudienceChange:
    """Change who the meeting is for. When the written invitations went out already, the
    families that come in are invited in their language (in the background, as the first
    time), and the parents of families that drop out are told in their language that their
    invitation no longer applies; their invitation goes. A personal invitation (a staff
    member or key figure invited them themselves) stands. The same audience again changes
    nothing and tells nobody."""
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    families = list(families)
    group_ids = {g.pk for g in groups}
    family_ids = {f.pk for f in families}
    old = (
        locked.whole_school,
        sorted(locked.year_levels),
        set(locked.groups.values_list("pk", flat=True)),
        set(locked.families.values_list("pk", flat=True)),
    )
    new = (whole_school, sorted(year_levels), group_ids, family_ids)
    if old == new:
        return AudienceChange()
    before = set(audience_families(locked).values_list("pk", flat=True))
    locked.whole_school = whole_school
    locked.year_levels = sorted(year_levels)
    locked.save(update_fields=["whole_school", "year_levels"])
    locked.groups.set(group_ids)
    locked.families.set(families)
    after = set(audience_families(locked).values_list("pk", flat=True))
    for name in ("whole_school", "year_levels", "invitation_message_id"):
        setattr(meeting, name, getattr(locked, name))
    added, removed = after - before, before - after
    told = 0
    written = bool(locked.invitation_message_id) and not locked.cancelled_at
    if removed and written:
        dropped = list(
            locked.invitations.filter(family_id__in=removed)
            .exclude(how=Channel.PERSONAL)
            .select_related("family", "guardian", "meeting__school", "delivery")
        )
        # An invitation still waiting to be sent is simply not sent; who received one is
        # told it no longer applies (without a link: the invitation goes).
        unsent = [i for i in dropped if i.delivery and i.delivery.status == Delivery.Status.QUEUED]
        received = [i for i in dropped if i not in unsent]
        told = _tell(
            actor,
            locked,
            received,
            "withdrawn",
            _("the invitees of %(title)s (no longer invited)") % {"title": locked.title},
            link=False,
        )
        Invitation.objects.filter(pk__in=[i.pk for i in dropped]).delete()
        Delivery.objects.filter(
            pk__in=[i.delivery_id for i in unsent], status=Delivery.Status.QUEUED
        ).delete()
    invited_later = bool(added) and written and locked.ends_at > timezone.now()
    if invited_later:
        from .tasks import invite_audience

        # A message of their own (one delivery per parent per message), sent in the
        # background as the first invitations were.
        later = _message(
            actor,
            locked,
            locked.title,
            _("the invitees of %(title)s (added later)") % {"title": locked.title},
        )
        transaction.on_commit(lambda: invite_audience.enqueue(str(locked.pk), str(later.pk)))
    record(
        actor,
        AuditEntry.Action.UPDATE,
        locked,
        detail={
            "audience": {
                "whole_school": whole_school,
                "year_levels": sorted(year_levels),
                "groups": sorted(str(pk) for pk in group_ids),
                "families": len(family_ids),
            },
            "added": len(added),
            "removed": len(removed),
            "told_removed": told,
        },
    )
    return AudienceChange(len(added), len(removed), invited_later, told)


def _tell_invitees(actor: User, meeting: Meeting, key: str, audience: str) -> int:
    invitations = list(meeting.invitations.select_related("family", "guardian", "meeting"))
    return _tell(actor, meeting, invitations, key, audience)


def _tell(
    actor: User,
    meeting: Meeting,
    invitations: list[Invitation],
    key: str,
    audience: str,
    *,
    link: bool = True,
) -> int:
    from bondgenoot.messaging.tasks import deliver_message

    if not invitations:
        return 0
    message = _message(actor, meeting, meeting.title, audience)
    recipients = {r.guardian.pk: r for r in _recipients(invitations)}
    values = {"title": meeting.title, "where": meeting.place, "school": meeting.school.name}
    rendered: _Rendered = {}
    deliveries = [
        _delivery(
            message,
            inv,
            recipients[inv.guardian_id],
            key,
            {**values, "link": invitation_url(inv) if link else ""},
            rendered=rendered,
        )
        for inv in invitations
        if inv.guardian_id in recipients
    ]
    Delivery.objects.bulk_create(deliveries)
    transaction.on_commit(lambda: deliver_message.enqueue(str(message.pk)))
    return len(deliveries)


def _recipients(invitations: Iterable[Invitation]) -> list[Recipient]:
    """Channels for these invitations' guardians (as for any message)."""
    families = Family.objects.filter(pk__in={i.family_id for i in invitations})
    reachable, unreachable = plan(families)
    wanted = {i.guardian_id for i in invitations}
    return [
        r
        for r in [*reachable, *[u for u in unreachable if letter_for(u)]]
        if r.guardian.pk in wanted
    ]


# --- answers and check-in -------------------------------------------------------------------------


class MeetingFull(ValidationError):
    pass


@transaction.atomic
def record_answer(
    invitation: Invitation, answer: str, people: int, interpreter: bool, question: str
) -> Invitation:
    meeting = Meeting.objects.select_for_update().get(pk=invitation.meeting_id)
    if answer == Invitation.Answer.YES and meeting.capacity is not None:
        taken = sum(
            meeting.invitations.filter(answer=Invitation.Answer.YES)
            .exclude(pk=invitation.pk)
            .values_list("people", flat=True)
        )
        if taken + people > meeting.capacity:
            raise MeetingFull("full")
    invitation.answer = answer
    invitation.people = people
    invitation.wants_interpreter = interpreter
    invitation.question = question[:500]
    invitation.answered_at = timezone.now()
    invitation.save(
        update_fields=["answer", "people", "wants_interpreter", "question", "answered_at"]
    )
    record(
        None,
        AuditEntry.Action.UPDATE,
        invitation,
        school_id=meeting.school_id,
        family_id=str(invitation.family_id),
        detail={"answer": answer, "people": people, "interpreter": interpreter},
    )
    return invitation


@transaction.atomic
def check_in(actor: User, meeting: Meeting, family: Family) -> Attendance:
    """Mark a family present (invited or walk-in). Counts in the ledger as a positive
    informal contact with dialogue. A second tap changes nothing."""
    existing = Attendance.objects.filter(meeting=meeting, family=family).first()
    if existing:
        return existing
    invited = meeting.invitations.filter(family=family).exists()
    try:
        with transaction.atomic():
            attendance = Attendance.objects.create(
                meeting=meeting, family=family, walk_in=not invited, checked_in_by=actor
            )
    except IntegrityError:  # two doors, one family
        return Attendance.objects.get(meeting=meeting, family=family)
    contact = contact_actions.log_contact(
        actor,
        family,
        {
            "channel": Channel.MEETING,
            "purpose": purpose_of(meeting),
            "tone": Tone.POSITIVE,
            "reached": True,
            "dialogue": True,
            "at": timezone.now(),
            "note": meeting.title[:500],
        },
    )
    attendance.contact = contact
    attendance.save(update_fields=["contact"])
    record(
        actor,
        AuditEntry.Action.CREATE,
        attendance,
        school_id=meeting.school_id,
        family_id=str(family.pk),
    )
    return attendance


@transaction.atomic
def undo_check_in(actor: User, attendance: Attendance) -> None:
    """Take back a check-in tapped by mistake, for a few minutes, by who tapped it: the
    attendance and its ledger contact go, each with an audit entry."""
    if not contact_actions.undoable(actor, attendance.checked_in_by_id, attendance.at):
        raise contact_actions.TooLateToUndo
    contact = attendance.contact
    record(
        actor,
        AuditEntry.Action.DELETE,
        attendance,
        school_id=attendance.meeting.school_id,
        family_id=str(attendance.family_id),
        detail={"undo": True},
    )
    attendance.delete()
    if contact is not None:
        contact_actions.undo_contact(actor, contact)


# --- after a meeting ------------------------------------------------------------------------------


@transaction.atomic
def send_follow_up(actor: User, meeting: Meeting, next_meeting: Meeting | None) -> tuple[int, int]:
    """Thank those who came, in their language; invite those who did not come to the
    next meeting. Once per meeting."""
    from bondgenoot.messaging.tasks import deliver_message

    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if locked.thanks_sent_at:
        return 0, 0
    came = set(meeting.attendances.values_list("family_id", flat=True))
    values = {"title": meeting.title, "where": meeting.place, "school": meeting.school.name}
    thanks_message = _message(
        actor,
        meeting,
        meeting.title,
        _("the parents who came to %(title)s (thanks)") % {"title": meeting.title},
    )
    reachable, unreachable = plan(Family.objects.filter(pk__in=came))
    recipients = list(reachable) + [r for r in unreachable if letter_for(r)]
    rendered: _Rendered = {}
    thanks = [
        _delivery(
            thanks_message,
            Invitation(meeting=meeting, language=r.language),
            r,
            "thanks",
            {**values, "link": ""},
            rendered=rendered,
        )
        for r in recipients
    ]
    Delivery.objects.bulk_create(thanks)
    transaction.on_commit(lambda: deliver_message.enqueue(str(thanks_message.pk)))
    invited = 0
    if next_meeting is not None and next_meeting.school_id == meeting.school_id:
        missed = Family.objects.filter(
            pk__in=meeting.invitations.exclude(family_id__in=came).values("family_id")
        )
        already = set(next_meeting.invitations.values_list("guardian_id", flat=True))
        reachable, unreachable = plan(missed)
        recipients = [
            r
            for r in [*reachable, *[u for u in unreachable if letter_for(u)]]
            if r.guardian.pk not in already
        ]
        message = _message(
            actor,
            next_meeting,
            next_meeting.title,
            _("the parents who missed %(title)s") % {"title": meeting.title},
        )
        next_values = {
            "title": next_meeting.title,
            "where": next_meeting.place,
            "school": next_meeting.school.name,
        }
        invitations, deliveries = [], []
        calendar = calendars_for(next_meeting)
        rendered_next: _Rendered = {}
        for r in recipients:
            invitation = Invitation(
                meeting=next_meeting,
                family=r.family,
                guardian=r.guardian,
                language=r.language,
                how=r.delivery_channel,
                invited_by=actor,
            )
            link = invitation_url(invitation)
            delivery = _delivery(
                message,
                invitation,
                r,
                "missed",
                {**next_values, "link": link},
                calendar(link) if r.channel == Channel.EMAIL else "",
                rendered_next,
            )
            invitation.delivery = delivery
            invitations.append(invitation)
            deliveries.append(delivery)
        Delivery.objects.bulk_create(deliveries)
        Invitation.objects.bulk_create(invitations)
        transaction.on_commit(lambda: deliver_message.enqueue(str(message.pk)))
        invited = len(invitations)
    locked.thanks_sent_at = timezone.now()
    locked.save(update_fields=["thanks_sent_at"])
    record(
        actor, AuditEntry.Action.CREATE, meeting, detail={"thanks": len(thanks), "next": invited}
    )
    return len(thanks), invited
