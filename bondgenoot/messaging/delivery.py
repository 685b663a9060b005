"""Sending one delivery, exactly once per guardian, and logging it in the ledger.

``deliver_one`` claims the delivery (queued → sending, in its own transaction), sends it
with its id as idempotency key, and marks it sent. A crash between sending and marking
leaves it "sending"; the retry sends again with the same key, which the SMS gateway
and the outbox mail backend ignore (see ``lib/sms.py`` and ``lib/outbox_mail.py``).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from datetime import timedelta
from uuid import UUID

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from bondgenoot.contacts import actions as contact_actions
from bondgenoot.contacts.models import Contact, Purpose, Tone
from bondgenoot.lib import sms
from bondgenoot.lib.dates import fill_dates, written_list
from bondgenoot.lib.texts import fill, placeholders
from bondgenoot.people.channels import Channel
from bondgenoot.people.languages import is_rtl
from bondgenoot.people.models import Pupil

from . import library
from .models import Delivery, Message

MAX_ATTEMPTS = 3
POSITIVE_PURPOSES = {Purpose.ACQUAINTANCE, Purpose.POSITIVE_NEWS}


def children_by_family(
    family_ids: Iterable[UUID], *, group_id: int | None = None, pupil_id: UUID | str | None = None
) -> dict[UUID, list[str]]:
    """First names of the pupils a message is about, per family, in one query: the pupils
    at school (oldest first), only those in ``group_id`` for a group message, or the one
    pupil the writer chose."""
    pupils = Pupil.objects.filter(family_id__in=list(family_ids), left_on__isnull=True)
    if group_id is not None:
        pupils = pupils.filter(group_id=group_id)
    if pupil_id is not None:
        pupils = pupils.filter(pk=pupil_id)
    names: dict[UUID, list[str]] = {}
    for family_id, first_name in pupils.order_by("date_of_birth", "pk").values_list(
        "family_id", "first_name"
    ):
        names.setdefault(family_id, []).append(first_name)
    return names


def family_values(message: Message, author_name: str) -> dict[str, str]:
    """The values every family of the message shares; ``{child}`` is filled per family and
    language by ``render``."""
    return {**message.values, "mentor": author_name, "school": message.school.name}


def render(
    message: Message, language: str, values: dict[str, str], children: list[str] | None = None
) -> tuple[str, str, str]:
    """(language, subject, body) for one guardian: the template's translation when the
    writer kept the template's text and a translation exists, else the Dutch text.

    ``children`` are the first names the message is about for this family. One child:
    ``{child}`` is that name. Several: a template's plural form in that language (which
    speaks of "your children"); the writer's own text gets the names joined with the
    language's own "and". Dates are written out in the language the text is in, and in a
    right-to-left text every value is isolated (U+2068 … U+2069)."""
    children = children or []
    plural = len(children) > 1
    if message.translated and message.template_key:
        template = library.templates().get(message.template_key)
        text = template.text(language) if template else None
        if text is not None:
            subject, body = text.form(plural)
            return language, *_filled(subject, body, language, values, children)
    own = (message.translations or {}).get(language)
    if own:
        subject, body = _filled(own["subject"], own["body"], language, values, children)
        if own.get("status") == "machine":
            note = library.reply_texts(language).get("machine_note", "")
            body = f"{body}\n\n({note})" if note else body
        return language, subject, body
    return "nl", *_filled(message.subject, message.body, "nl", values, children)


def _filled(
    subject: str, body: str, language: str, values: dict[str, str], children: list[str]
) -> tuple[str, str]:
    used = placeholders(subject + body)
    values = fill_dates(values, language, own_time="time" in used)
    if values.get("theme"):
        values["theme"] = library.theme_in(values["theme"], language)
    if "child" in used:
        values["child"] = (
            written_list(children, language)
            if len(children) > 1
            else (children[0] if children else "")
        )
    rtl = is_rtl(language)
    return fill(subject, values, isolate=rtl), fill(body, values, isolate=rtl)


def _claim(delivery_id) -> Delivery | None:
    """Take a delivery to send it: one that waits, or one left "sending" longer than the
    lease (its worker died). A delivery another worker is sending right now is left
    alone, so two workers never send the same delivery."""
    lease = timezone.now() - timedelta(seconds=settings.DELIVERY_LEASE_SECONDS)
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update()
            .select_related("message", "family", "guardian")
            .filter(pk=delivery_id)
            .filter(
                Q(status=Delivery.Status.QUEUED)
                | Q(status=Delivery.Status.SENDING, claimed_at__lt=lease)
                | Q(status=Delivery.Status.SENDING, claimed_at__isnull=True)
            )
            .first()
        )
        if delivery is None:
            return None
        delivery.status = Delivery.Status.SENDING
        delivery.attempts += 1
        delivery.claimed_at = timezone.now()
        delivery.save(update_fields=["status", "attempts", "claimed_at"])
        return delivery


def reply_url(delivery: Delivery) -> str:
    from django.urls import reverse

    return settings.SITE_URL.rstrip("/") + reverse("messaging:reply", args=[delivery.reply_token])


def _send(delivery: Delivery) -> None:
    # A meeting invitation carries its own link in the text; other messages get the
    # link to answer.
    link = "" if delivery.link else "\n\n" + reply_url(delivery)
    if delivery.channel == Channel.EMAIL:
        email = EmailMessage(
            subject=delivery.subject,
            body=f"{delivery.body}{link}",
            to=[delivery.address],
            headers={"Message-ID": f"<{delivery.pk}@bondgenoot>"},
        )
        if delivery.calendar:
            email.attach("uitnodiging.ics", delivery.calendar, "text/calendar; method=PUBLISH")
        email.send()
    elif delivery.channel == Channel.SMS:
        sms.gateway().send(delivery.address, f"{delivery.body}{link}", key=str(delivery.pk))
    # Letters are printed from the message's page (one PDF for all); nothing to send.


def deliver_one(delivery_id) -> Delivery | None:
    delivery = _claim(delivery_id)
    if delivery is None:
        return None
    try:
        _send(delivery)
    except Exception as error:
        status = (
            Delivery.Status.FAILED if delivery.attempts >= MAX_ATTEMPTS else Delivery.Status.QUEUED
        )
        Delivery.objects.filter(pk=delivery.pk).update(status=status, error=str(error)[:300])
        return delivery
    with transaction.atomic():
        delivery.status = Delivery.Status.SENT
        delivery.sent_at = timezone.now()
        delivery.error = ""
        delivery.contact = _ledger_contact(delivery)
        delivery.save(update_fields=["status", "sent_at", "error", "contact"])
    return delivery


def _ledger_contact(delivery: Delivery) -> Contact:
    """One one-way contact per family and message; each guardian reached is added."""
    message = delivery.message
    existing = (
        Delivery.objects.filter(message=message, family=delivery.family, contact__isnull=False)
        .select_related("contact")
        .first()
    )
    if existing is not None and existing.contact is not None:  # (filtered on not null)
        contact = existing.contact
    else:
        families = Delivery.objects.filter(message=message).values("family").distinct().count()
        contact = contact_actions.log_contact(
            message.author,
            delivery.family,
            {
                "channel": delivery.channel,  # the same vocabulary as the ledger
                "purpose": message.purpose,
                "tone": Tone.POSITIVE if message.purpose in POSITIVE_PURPOSES else Tone.NEUTRAL,
                "reached": True,
                "dialogue": False,
                "bulk": families > 1,
                "at": timezone.now(),
                "note": message.subject[:500],
            },
        )
    contact.guardians.add(delivery.guardian)
    return contact


def deliver_all(message_id) -> None:
    """Send every delivery of the message that is not sent yet (the background task)."""
    Message.objects.filter(pk=message_id, status=Message.Status.QUEUED).update(
        status=Message.Status.SENDING
    )
    pending = list(
        Delivery.objects.filter(message_id=message_id)
        .exclude(status__in=[Delivery.Status.SENT, Delivery.Status.FAILED])
        .order_by("family__name", "pk")
        .values_list("pk", flat=True)
    )
    for delivery_id in pending:
        deliver_one(delivery_id)
        if settings.DELIVERY_PAUSE:
            time.sleep(settings.DELIVERY_PAUSE)
    left = (
        Delivery.objects.filter(message_id=message_id)
        .exclude(status__in=[Delivery.Status.SENT, Delivery.Status.FAILED])
        .exists()
    )
    # A message without deliveries is still being prepared (meeting invitations).
    if not left and Delivery.objects.filter(message_id=message_id).exists():
        Message.objects.filter(pk=message_id).update(
            status=Message.Status.DONE, finished_at=timezone.now()
        )
