"""Changes to case discussions and Meldcode routes. Each writes its audit entry.

Every text that participants read is checked here, not only in forms: while an item
has no consent that lets everyone at the table know the pupil's name, its texts (and
the discussion's notes, which every participant reads) may not hold the names, number,
birth date, street or postcode of the pupils concerned (``NamesFound``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max, Model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bondgenoot.audit.log import record
from bondgenoot.audit.models import AuditEntry
from bondgenoot.lib.texts import fill
from bondgenoot.network.actions import pupil_age
from bondgenoot.network.models import Signal
from bondgenoot.network.workdays import add_working_days
from bondgenoot.people.channels import Channel
from bondgenoot.people.languages import is_rtl
from bondgenoot.people.models import Guardian, Guardianship, Pupil, User

from . import meldcode, pseudonyms, texts
from .models import (
    AgendaItem,
    CaseAction,
    ConsentScope,
    Discussion,
    FrameworkAnswer,
    ItemConsent,
    MeldcodeRoute,
    MeldcodeStep,
    ParentInvitation,
    SummaryTranslation,
)


class NamesFound(ValidationError):
    """Identifying words in pseudonymised text: ``hits`` maps field -> [Hit]."""

    def __init__(self, hits: dict[str, list[pseudonyms.Hit]]):
        super().__init__("Identifying words in pseudonymised text.", code="names")
        self.hits = hits


class Refused(ValidationError):
    pass


# --- who is pseudonymised -------------------------------------------------------------------


def consent_scopes(items: Iterable[AgendaItem]) -> dict[Any, str]:
    """{item id: the widest scope of consent in force} (one query; absent: none)."""
    widest: dict[Any, str] = {}
    for item_id, scope in ItemConsent.objects.filter(
        item__in=items, withdrawn_at__isnull=True
    ).values_list("item_id", "scope"):
        if widest.get(item_id) != ConsentScope.TABLE:
            widest[item_id] = scope
    return widest


def pseudonymised(items: Iterable[AgendaItem]) -> list[AgendaItem]:
    """Items whose pupil not everyone at the table may know by name."""
    items = list(items)
    scopes = consent_scopes(items)
    return [i for i in items if scopes.get(i.pk) != ConsentScope.TABLE]


def check_texts(pupils: Sequence[Pupil], texts_by_field: dict[str, str]) -> None:
    if not pupils:
        return
    ids = pseudonyms.identifiers(pupils)
    hits = {f: pseudonyms.find(t, ids) for f, t in texts_by_field.items()}
    hits = {f: h for f, h in hits.items() if h}
    if hits:
        raise NamesFound(hits)


def _check_item(item: AgendaItem, texts_by_field: dict[str, str]) -> None:
    if pseudonymised([item]):
        check_texts([item.pupil], texts_by_field)


# --- discussions ------------------------------------------------------------------------------


@transaction.atomic
def create_discussion(
    actor: User, school_id: int, values: dict[str, Any], participants: Iterable[User]
) -> Discussion:
    discussion = Discussion.objects.create(school_id=school_id, created_by=actor, **values)
    discussion.participants.set(participants)
    record(
        actor,
        AuditEntry.Action.CREATE,
        discussion,
        school_id=school_id,
        detail={"kind": discussion.kind, "participants": sorted(p.pk for p in participants)},
    )
    return discussion


@transaction.atomic
def update_notes(actor: User, discussion: Discussion, notes: str) -> Discussion:
    """The discussion's notes: every participant reads them, partners too."""
    items = pseudonymised(discussion.items.select_related("pupil"))
    check_texts([i.pupil for i in items], {"notes": notes})
    discussion.notes = notes
    discussion.save(update_fields=["notes"])
    record(actor, AuditEntry.Action.UPDATE, discussion, school_id=discussion.school_id)
    return discussion


@transaction.atomic
def add_item(actor: User, discussion: Discussion, pupil: Pupil, notes: str = "") -> AgendaItem:
    if pupil.school_id != discussion.school_id:
        raise Refused(_("This pupil is not at the school of this discussion."), code="school")
    if discussion.items.filter(pupil=pupil).exists():
        raise Refused(_("This pupil is on the agenda already."), code="twice")
    # A new item has no consent yet: it is pseudonymised from the start.
    check_texts([pupil], {"notes": notes})
    position = (discussion.items.aggregate(n=Max("position"))["n"] or 0) + 1
    item = AgendaItem.objects.create(
        discussion=discussion,
        pupil=pupil,
        notes=notes,
        position=position,
        year_level=pupil.group.year_level if pupil.group is not None else None,
    )
    record(
        actor,
        AuditEntry.Action.CREATE,
        item,
        school_id=discussion.school_id,
        family_id=str(pupil.family_id),
        detail={"discussion": str(discussion.pk)},
    )
    return item


@transaction.atomic
def record_consent(
    actor: User,
    item: AgendaItem,
    *,
    guardian: Guardian | None,
    by_pupil: bool,
    given_on: date,
    how: str,
    scope: str,
) -> ItemConsent:
    """Consent from a parent with parental authority, or from the pupil when 16 or older."""
    pupil = item.pupil
    if by_pupil:
        if pupil_age(pupil, given_on) < 16:
            raise Refused(_("A pupil can consent from 16."), code="age")
        guardian = None
    elif (
        guardian is None
        or not Guardianship.objects.filter(
            pupil=pupil, guardian=guardian, parental_authority=True
        ).exists()
    ):
        raise Refused(_("Only a parent with parental authority can consent."), code="authority")
    consent = ItemConsent.objects.create(
        item=item,
        guardian=guardian,
        by_pupil=by_pupil,
        given_on=given_on,
        how=how,
        scope=scope,
        recorded_by=actor,
    )
    record(
        actor,
        AuditEntry.Action.CREATE,
        consent,
        school_id=item.discussion.school_id,
        family_id=str(pupil.family_id),
        detail={"scope": scope, "how": how, "by_pupil": by_pupil},
    )
    return consent


@transaction.atomic
def withdraw_consent(actor: User, consent: ItemConsent) -> ItemConsent:
    """Takes effect at once: the item is pseudonymised on the next page anyone opens."""
    consent.withdrawn_at = timezone.now()
    consent.save(update_fields=["withdrawn_at"])
    record(
        actor,
        AuditEntry.Action.UPDATE,
        consent,
        school_id=consent.item.discussion.school_id,
        family_id=str(consent.item.pupil.family_id),
        detail={"withdrawn": True},
    )
    return consent


# --- parents at the table ---------------------------------------------------------------------


@transaction.atomic
def invite_parents(actor: User, item: AgendaItem, how: str, base_url: str = "") -> int:
    """A personal invitation for each parent with authority to the part about their
    child, in their written language. By email it is sent now; otherwise the link and
    text are on the discussion page, to hand over or print."""
    discussion = item.discussion
    if discussion.starts_at < timezone.now():
        raise Refused(_("This discussion is in the past."), code="past")
    created = 0
    links = Guardianship.objects.with_authority(family=item.pupil.family).filter(pupil=item.pupil)
    for link in links.select_related("guardian"):
        guardian = link.guardian
        invitation, new = ParentInvitation.objects.get_or_create(
            item=item,
            guardian=guardian,
            defaults={
                "how": how,
                "invited_by": actor,
                "language": texts.language_for(guardian.written_language_id),
            },
        )
        created += new
        if new and how == Channel.EMAIL and guardian.email:
            url = base_url + reverse("cases:answer", args=[invitation.token])
            t = texts.texts(invitation.language)
            body = fill(
                t["invite_body"],
                {"when": texts.when(discussion), "link": url},
                isolate=is_rtl(invitation.language),
            )
            transaction.on_commit(
                partial(
                    send_mail,
                    t["invite_subject"],
                    body,
                    settings.DEFAULT_FROM_EMAIL,
                    [guardian.email],
                )
            )
    record(
        actor,
        AuditEntry.Action.CREATE,
        item,
        school_id=discussion.school_id,
        family_id=str(item.pupil.family_id),
        detail={"invitations": created, "how": how},
    )
    return created


# From this age a pupil may be invited to the part about them (Dutch law gives a child of
# 12 a say in their own care; consent of their own counts from 16, see record_consent).
PUPIL_INVITE_AGE = 12


@transaction.atomic
def invite_pupil(actor: User, item: AgendaItem, how: str) -> ParentInvitation:
    """The pupil's own invitation to the part about them: a private link to hand over
    (pupils have no address in the register), in Dutch, the school's language."""
    discussion = item.discussion
    if discussion.starts_at < timezone.now():
        raise Refused(_("This discussion is in the past."), code="past")
    if pupil_age(item.pupil, timezone.localdate(discussion.starts_at)) < PUPIL_INVITE_AGE:
        raise Refused(_("A pupil can be invited from 12."), code="age")
    invitation, new = ParentInvitation.objects.get_or_create(
        item=item,
        for_pupil=True,
        defaults={"how": how, "invited_by": actor, "language": "nl", "guardian": None},
    )
    if new:
        record(
            actor,
            AuditEntry.Action.CREATE,
            invitation,
            school_id=discussion.school_id,
            family_id=str(item.pupil.family_id),
            detail={"pupil_invited": True, "how": how},
        )
    return invitation


@transaction.atomic
def record_answer(
    invitation: ParentInvitation, answer: str, wants_interpreter: bool, question: str
) -> ParentInvitation:
    invitation.answer = answer
    invitation.wants_interpreter = wants_interpreter
    invitation.question = question[:500]
    invitation.answered_at = timezone.now()
    invitation.save(update_fields=["answer", "wants_interpreter", "question", "answered_at"])
    record(
        None,
        AuditEntry.Action.UPDATE,
        invitation,
        school_id=invitation.item.discussion.school_id,
        family_id=str(invitation.item.pupil.family_id),
        detail={"answer": answer, "interpreter": wants_interpreter},
    )
    return invitation


@transaction.atomic
def record_presence(actor: User, item: AgendaItem, present_ids: set[str]) -> None:
    for invitation in item.invitations.all():
        invitation.present = str(invitation.pk) in present_ids
        invitation.save(update_fields=["present"])
    record(
        actor,
        AuditEntry.Action.UPDATE,
        item,
        school_id=item.discussion.school_id,
        family_id=str(item.pupil.family_id),
        detail={"present": len(present_ids)},
    )


# --- minutes ----------------------------------------------------------------------------------


@transaction.atomic
def save_minutes(
    actor: User,
    item: AgendaItem,
    *,
    facts: str,
    parents_view: str,
    next_review_on: date | None,
    notes: str,
) -> AgendaItem:
    _check_item(item, {"notes": notes, "facts": facts, "parents_view": parents_view})
    item.notes = notes
    item.facts = facts
    item.parents_view = parents_view
    item.next_review_on = next_review_on
    item.minutes_by = actor
    item.minutes_at = timezone.now()
    item.save(
        update_fields=[
            "notes",
            "facts",
            "parents_view",
            "next_review_on",
            "minutes_by",
            "minutes_at",
        ]
    )
    record(
        actor,
        AuditEntry.Action.UPDATE,
        item,
        school_id=item.discussion.school_id,
        family_id=str(item.pupil.family_id),
        detail={"minutes": True},
    )
    return item


@transaction.atomic
def add_action(actor: User, item: AgendaItem, values: dict[str, Any]) -> CaseAction:
    """Who does what by when. A partner's action gets a feedback deadline in working
    days (Dutch public holidays excluded), like a share."""
    _check_item(item, {"what": values["what"]})
    action = CaseAction(item=item, created_by=actor, **values)
    if action.who == CaseAction.Who.PARTNER:
        if action.partner_id is None:
            raise Refused(_("Choose the partner."), code="partner")
        action.feedback_days = action.feedback_days or 10
        action.feedback_due = add_working_days(timezone.localdate(), action.feedback_days)
    else:
        action.partner = None
        action.feedback_days = None
    action.save()
    record(
        actor,
        AuditEntry.Action.CREATE,
        action,
        school_id=item.discussion.school_id,
        family_id=str(item.pupil.family_id),
        detail={"who": action.who, "due_on": action.due_on.isoformat()},
    )
    return action


@transaction.atomic
def save_summary(actor: User, item: AgendaItem, text: str, publish: bool) -> AgendaItem:
    item.summary = text
    if publish and not item.summary_published_at:
        item.summary_published_at = timezone.now()
    item.save(update_fields=["summary", "summary_published_at"])
    record(
        actor,
        AuditEntry.Action.UPDATE,
        item,
        school_id=item.discussion.school_id,
        family_id=str(item.pupil.family_id),
        detail={"summary": True, "published": bool(item.summary_published_at)},
    )
    return item


@transaction.atomic
def save_translation(actor: User, item: AgendaItem, language: str, text: str) -> None:
    SummaryTranslation.objects.update_or_create(
        item=item, language=language, defaults={"text": text, "by": actor}
    )
    record(
        actor,
        AuditEntry.Action.UPDATE,
        item,
        school_id=item.discussion.school_id,
        family_id=str(item.pupil.family_id),
        detail={"summary_translation": language},
    )


# --- the Meldcode route -----------------------------------------------------------------------


@transaction.atomic
def start_route(actor: User, signal: Signal) -> MeldcodeRoute:
    route, new = MeldcodeRoute.objects.get_or_create(
        signal=signal, defaults={"school_id": signal.school_id, "started_by": actor}
    )
    if new:
        record(
            actor,
            AuditEntry.Action.CREATE,
            route,
            school_id=signal.school_id,
            family_id=str(signal.pupil.family_id),
        )
    return route


def _route_audit(actor: User, route: MeldcodeRoute, obj: Model, detail: dict[str, Any]) -> None:
    record(
        actor,
        AuditEntry.Action.CREATE,
        obj,
        school_id=route.school_id,
        family_id=str(route.signal.pupil.family_id),
        detail=detail,
    )


@transaction.atomic
def record_step(
    actor: User,
    route: MeldcodeRoute,
    step: int,
    *,
    done_on: date,
    note: str = "",
    consulted_veilig_thuis: bool = False,
    skip_reason: str = "",
    decision: str = "",
) -> MeldcodeStep:
    """Steps in order; step 3 may be skipped only with a reason from the fixed list;
    step 4 is done when the decision framework has an outcome; step 5 decides, and the
    decision must follow the framework (a report where it says so)."""
    done = set(route.steps.values_list("step", flat=True))
    answers = dict(route.answers.values_list("question", "answer"))
    problem = meldcode.step_problem(step, done, answers, skip_reason, decision)
    if problem:
        raise Refused(problem, code="order")
    entry = MeldcodeStep.objects.create(
        route=route,
        step=step,
        done_on=done_on,
        by=actor,
        note=note,
        consulted_veilig_thuis=consulted_veilig_thuis and step == 2,
        skipped=bool(skip_reason) and step == 3,
        skip_reason=skip_reason if step == 3 else "",
    )
    if step == 5:
        route.decision = decision
        route.closed_at = timezone.now()
        route.save(update_fields=["decision", "closed_at"])
    _route_audit(
        actor, route, entry, {"step": step, "skipped": entry.skipped, "decision": decision}
    )
    return entry


@transaction.atomic
def answer_question(
    actor: User, route: MeldcodeRoute, question: int, answer: bool, note: str
) -> FrameworkAnswer:
    answers = dict(route.answers.values_list("question", "answer"))
    if 3 not in set(route.steps.values_list("step", flat=True)):
        raise Refused(_("First record step 3."), code="order")
    if meldcode.next_question(answers) != question:
        raise Refused(_("Answer the questions in order."), code="order")
    entry = FrameworkAnswer.objects.create(
        route=route, question=question, answer=answer, note=note, by=actor
    )
    _route_audit(actor, route, entry, {"question": question, "answer": answer})
    return entry
