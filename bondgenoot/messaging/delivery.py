"""Sending deliveries, exactly once per guardian, and logging them in the ledger.

``deliver_all`` works through a message's deliveries in batches of
``DELIVERY_BATCH``. Per batch it

1. claims them (queued → sending, one transaction; deliveries another worker is sending
   are skipped, so two workers never send the same one);
2. sends each with its id as idempotency key, every email of the batch over one mail
   connection and every text message through one gateway;
3. marks the sent ones sent and writes the ledger in one transaction: one one-way
   contact per family and message (bulk inserts, the audit entries appended in one
   locked batch), or the guardian added to the family's contact of an earlier batch.

A crash after step 2 leaves the batch "sending"; once the lease has run out the retry
sends it again with the same keys, which the SMS gateway and the outbox mail backend
ignore (see ``lib/sms.py`` and ``lib/outbox_mail.py``). So nobody gets a message twice
and nobody is skipped; over SMTP a retried email carries the same Message-ID, by which
mail programs drop the duplicate. The batch size bounds how much a crash resends.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from datetime import timedelta
from uuid import UUID

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import connection, transaction
from django.db.models import Case, F, Q, UUIDField, Value, When
from django.utils import timezone

from bondgenoot.contacts import actions as contact_actions
from bondgenoot.contacts.models import Purpose, Tone
from bondgenoot.lib import sms
from bondgenoot.lib.bulk_mail import BulkEmail
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


def _claimable() -> Q:
    """Waiting, or left "sending" longer than the lease (its worker died)."""
    lease = timezone.now() - timedelta(seconds=settings.DELIVERY_LEASE_SECONDS)
    return (
        Q(status=Delivery.Status.QUEUED)
        | Q(status=Delivery.Status.SENDING, claimed_at__lt=lease)
        | Q(status=Delivery.Status.SENDING, claimed_at__isnull=True)
    )


def _claim_batch(delivery_ids: Sequence[UUID]) -> list[Delivery]:
    """Take these deliveries to send them, as far as they can be taken: one that waits, or
    one left "sending" longer than the lease. A delivery another worker is sending right
    now is left alone (on PostgreSQL a row another worker is claiming at this moment is
    skipped, not waited for), so two workers never send the same delivery."""
    with transaction.atomic():
        # No ordering: the default one joins family and guardian, whose rows must not be
        # locked with it.
        rows = Delivery.objects.filter(pk__in=delivery_ids).filter(_claimable()).order_by()
        if connection.features.has_select_for_update_skip_locked:
            rows = rows.select_for_update(skip_locked=True)
        else:
            rows = rows.select_for_update()
        claimed = list(rows.values_list("pk", flat=True))
        if not claimed:
            return []
        Delivery.objects.filter(pk__in=claimed).update(
            status=Delivery.Status.SENDING, attempts=F("attempts") + 1, claimed_at=timezone.now()
        )
        by_pk = {d.pk: d for d in Delivery.objects.filter(pk__in=claimed).order_by()}
    return [by_pk[pk] for pk in delivery_ids if pk in by_pk]


def _claim(delivery_id: UUID) -> Delivery | None:
    claimed = _claim_batch([delivery_id])
    return claimed[0] if claimed else None


def reply_url(delivery: Delivery) -> str:
    from django.urls import reverse

    return settings.SITE_URL.rstrip("/") + reverse("messaging:reply", args=[delivery.reply_token])


def _text(delivery: Delivery) -> str:
    # A meeting invitation carries its own link in the text; other messages get the
    # link to answer.
    link = "" if delivery.link else "\n\n" + reply_url(delivery)
    return f"{delivery.body}{link}"


def _email(delivery: Delivery) -> EmailMessage:
    email = BulkEmail(
        subject=delivery.subject,
        body=_text(delivery),
        to=[delivery.address],
        headers={"Message-ID": f"<{delivery.pk}@bondgenoot>"},
    )
    if delivery.calendar:
        email.attach("uitnodiging.ics", delivery.calendar, "text/calendar; method=PUBLISH")
    return email


def _send_batch(deliveries: list[Delivery]) -> tuple[list[Delivery], dict[UUID, str]]:
    """Send each delivery; (those sent, errors by delivery id). Emails share one mail
    connection (opened when the first email is sent, opened again after an error), text
    messages one gateway. Letters are printed from the message's page (one PDF for all):
    nothing to send."""
    sent: list[Delivery] = []
    failed: dict[UUID, str] = {}
    mailer = None
    gateway = None
    try:
        for delivery in deliveries:
            try:
                if delivery.channel == Channel.EMAIL:
                    if mailer is None:
                        mailer = mailers.default
                        mailer.open()
                    mailer.send_messages([_email(delivery)])
                elif delivery.channel == Channel.SMS:
                    gateway = gateway or sms.gateway()
                    gateway.send(delivery.address, _text(delivery), key=str(delivery.pk))
            except Exception as error:
                failed[delivery.pk] = str(error)[:300]
                if delivery.channel == Channel.EMAIL and mailer is not None:
                    mailer.close()  # a fresh connection for the next email
                    mailer = None
            else:
                sent.append(delivery)
            if settings.DELIVERY_PAUSE:
                time.sleep(settings.DELIVERY_PAUSE)
    finally:
        if mailer is not None:
            mailer.close()
    return sent, failed


def _finish_batch(
    message: Message,
    deliveries: list[Delivery],
    sent: list[Delivery],
    failed: dict[UUID, str],
    families: int,
) -> None:
    """Mark what was sent and write the ledger, in one transaction; what failed waits for
    the next run, or is given up after ``MAX_ATTEMPTS``."""
    for delivery in deliveries:
        if delivery.pk in failed:
            status = (
                Delivery.Status.FAILED
                if delivery.attempts >= MAX_ATTEMPTS
                else Delivery.Status.QUEUED
            )
            Delivery.objects.filter(pk=delivery.pk).update(status=status, error=failed[delivery.pk])
            delivery.status, delivery.error = status, failed[delivery.pk]
    if not sent:
        return
    now = timezone.now()
    with transaction.atomic():
        # One finishing batch per message at a time (PostgreSQL), so two workers never
        # both write a first contact for the same family.
        Message.objects.select_for_update().filter(pk=message.pk).exists()
        contacts = _ledger_contacts(message, sent, families, now)
        Delivery.objects.filter(pk__in=[d.pk for d in sent]).update(
            status=Delivery.Status.SENT,
            sent_at=now,
            error="",
            contact_id=Case(
                *[When(family_id=family, then=Value(pk)) for family, pk in contacts.items()],
                output_field=UUIDField(),
            ),
        )
    for delivery in sent:
        delivery.status, delivery.sent_at, delivery.error = Delivery.Status.SENT, now, ""
        delivery.contact_id = contacts[delivery.family_id]


def _ledger_contacts(
    message: Message, sent: list[Delivery], families: int, now
) -> dict[UUID, UUID]:
    """One one-way contact per family and message, each guardian reached added to it:
    {family id: contact id} for the families of these deliveries."""
    guardians: dict[UUID, list[UUID]] = {}
    first: dict[UUID, Delivery] = {}
    for delivery in sent:
        guardians.setdefault(delivery.family_id, []).append(delivery.guardian_id)
        first.setdefault(delivery.family_id, delivery)
    existing: dict[UUID, UUID] = dict(
        Delivery.objects.filter(message=message, family_id__in=list(guardians))
        .exclude(contact__isnull=True)
        .values_list("family_id", "contact_id")
        .order_by()
    )
    contact_actions.add_guardians({existing[f]: guardians[f] for f in guardians if f in existing})
    new = [
        contact_actions.NewContact(
            family_id=family,
            school_id=message.school_id,
            values={
                "channel": first[family].channel,  # the same vocabulary as the ledger
                "purpose": message.purpose,
                "tone": Tone.POSITIVE if message.purpose in POSITIVE_PURPOSES else Tone.NEUTRAL,
                "reached": True,
                "dialogue": False,
                "bulk": families > 1,
                "at": now,
                "note": message.subject[:500],
            },
            guardian_ids=ids,
        )
        for family, ids in guardians.items()
        if family not in existing
    ]
    created = contact_actions.log_contacts(message.author, new)
    return existing | {c.family_id: c.pk for c in created}


def _families(message_id: UUID | str) -> int:
    return Delivery.objects.filter(message_id=message_id).values("family").distinct().count()


def _deliver(message: Message, delivery_ids: Sequence[UUID], families: int) -> list[Delivery]:
    deliveries = _claim_batch(delivery_ids)
    if deliveries:
        sent, failed = _send_batch(deliveries)
        _finish_batch(message, deliveries, sent, failed, families)
    return deliveries


def deliver_one(delivery_id: UUID) -> Delivery | None:
    """Send one delivery (as ``deliver_all`` does for a batch)."""
    message_id = Delivery.objects.filter(pk=delivery_id).values_list("message_id", flat=True)
    message = Message.objects.select_related("author").filter(pk__in=message_id).first()
    if message is None:
        return None
    done = _deliver(message, [delivery_id], _families(message.pk))
    return done[0] if done else None


def deliver_all(message_id: UUID | str, batch: int | None = None) -> None:
    """Send every delivery of the message that is not sent yet (the background task), in
    batches of ``DELIVERY_BATCH``."""
    Message.objects.filter(pk=message_id, status=Message.Status.QUEUED).update(
        status=Message.Status.SENDING
    )
    pending = list(
        Delivery.objects.filter(message_id=message_id)
        .exclude(status__in=[Delivery.Status.SENT, Delivery.Status.FAILED])
        .order_by("family__name", "pk")
        .values_list("pk", flat=True)
    )
    if pending:
        message = Message.objects.select_related("author").get(pk=message_id)
        families = _families(message_id)
        size = max(1, batch or settings.DELIVERY_BATCH)
        for start in range(0, len(pending), size):
            _deliver(message, pending[start : start + size], families)
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
