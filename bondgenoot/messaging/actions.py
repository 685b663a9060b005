"""Writing and answering messages. Each writes its audit entry."""

from __future__ import annotations

from uuid import UUID

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from bondgenoot.audit.log import record
from bondgenoot.audit.models import AuditEntry
from bondgenoot.contacts import actions as contact_actions
from bondgenoot.people.languages import language_name
from bondgenoot.people.models import Family, User

from .delivery import children_by_family, family_values, render
from .models import Delivery, Message, Reply, TranslationRequest
from .planning import Recipient
from .tasks import deliver_message


@transaction.atomic
def create_message(
    author: User,
    school_id: int,
    *,
    subject: str,
    body: str,
    purpose: str,
    template_key: str,
    translated: bool,
    values: dict[str, str],
    audience: str,
    recipients: list[Recipient],
    translations: dict[str, dict[str, str]] | None = None,
    children: dict[UUID, list[str]] | None = None,
) -> Message:
    """The message and one rendered delivery per recipient; delivery starts in the
    background once this is committed. ``children`` are the first names the message is
    about per family (see ``delivery.children_by_family``); by default all of a family's
    children at school."""
    message = Message.objects.create(
        school_id=school_id,
        author=author,
        subject=subject,
        body=body,
        purpose=purpose,
        template_key=template_key,
        translated=translated,
        values=values,
        audience=audience[:200],
        translations=translations or {},
    )
    deliveries = []
    if children is None:
        children = children_by_family({r.family.pk for r in recipients})
    shared = family_values(message, str(author))
    families = set()
    for r in recipients:
        families.add(r.family.pk)
        language, subject_text, body_text = render(
            message, r.language, shared, children.get(r.family.pk, [])
        )
        deliveries.append(
            Delivery(
                message=message,
                family=r.family,
                guardian=r.guardian,
                channel=r.delivery_channel,
                address=r.address,
                language=language,
                subject=subject_text,
                body=body_text,
            )
        )
    Delivery.objects.bulk_create(deliveries)
    record(
        author,
        AuditEntry.Action.CREATE,
        message,
        school_id=school_id,
        detail={
            "recipients": len(deliveries),
            "families": len(families),
            "translations": {k: v.get("status") for k, v in (translations or {}).items()},
        },
    )
    transaction.on_commit(lambda: deliver_message.enqueue(str(message.pk)))
    return message


@transaction.atomic
def record_reply(delivery: Delivery, body: str) -> Reply:
    """A parent's answer: kept, the ledger contact becomes dialogue, and the sender gets
    a next step in "Mijn acties" (and an email)."""
    reply = Reply.objects.create(delivery=delivery, body=body)
    message = delivery.message
    if delivery.contact is not None and not delivery.contact.dialogue:
        contact_actions.update_contact(
            message.author,
            delivery.contact,
            {"dialogue": True},
        )
    # Staff read Dutch first; the parent's page may be in another language.
    with translation.override(settings.LANGUAGE_CODE):
        what = _("Answer from %(name)s: %(subject)s") % {
            "name": delivery.guardian.full_name,
            "subject": message.subject,
        }
    contact_actions.create_next_step(
        message.author,
        delivery.family,
        contact=delivery.contact,
        what=what[:200],
        owner=message.author,
        due=timezone.localdate(),
    )
    record(
        None,
        AuditEntry.Action.CREATE,
        reply,
        school_id=message.school_id,
        family_id=str(delivery.family_id),
        detail={"message": str(message.pk), "guardian": str(delivery.guardian_id)},
    )
    transaction.on_commit(lambda: _notify(message, delivery))
    return reply


def _notify(message: Message, delivery: Delivery) -> None:
    if not message.author.email:
        return
    link = settings.SITE_URL.rstrip("/") + reverse("messaging:detail", args=[message.pk])
    with translation.override(settings.LANGUAGE_CODE):
        send_mail(
            _("Bondgenoot: an answer to “%(subject)s”") % {"subject": message.subject},
            _("%(name)s answered your message. Read it here (after logging in):")
            % {"name": delivery.guardian.full_name}
            + f"\n\n{link}",
            None,
            [message.author.email],
        )


# --- translation by a person -----------------------------------------------------------------


@transaction.atomic
def request_translation(
    writer: User,
    school_id: int,
    *,
    translator_id: int,
    via: str,
    language: str,
    subject: str,
    body: str,
    source: str,
    family_ids: set[UUID],
    audience: dict[str, str],
) -> TranslationRequest:
    """Ask a colleague or a key figure (the view asked ``access.translators`` who may be
    asked) to translate the text. They get an email with a link and nothing about the families."""
    request = TranslationRequest.objects.create(
        school_id=school_id,
        asked_by=writer,
        translator_id=translator_id,
        via=via,
        language=language,
        subject=subject,
        body=body,
        source=source,
        audience=audience,
    )
    request.families.set(Family.objects.filter(pk__in=family_ids))
    record(
        writer,
        AuditEntry.Action.CREATE,
        request,
        school_id=school_id,
        detail={
            "language": language,
            "via": via,
            "translator": translator_id,
            "families": len(family_ids),
        },
    )
    transaction.on_commit(lambda: _tell_translator(request))
    return request


def _tell_translator(request: TranslationRequest) -> None:
    email = request.translator.email
    if not email:
        return
    link = settings.SITE_URL.rstrip("/") + reverse("messaging:translate", args=[request.pk])
    with translation.override(settings.LANGUAGE_CODE):
        send_mail(
            _("Bondgenoot: will you translate a short text into %(language)s?")
            % {"language": language_name(request.language)},
            _(
                "%(name)s asks you to translate a text into %(language)s. "
                "Open it here (after logging in):"
            )
            % {"name": str(request.asked_by), "language": language_name(request.language)}
            + f"\n\n{link}",
            None,
            [email],
        )


@transaction.atomic
def submit_translation(
    translator: User, request: TranslationRequest, subject: str, body: str
) -> TranslationRequest:
    """The translation comes back: the writer takes it into the composer from their
    request page (and gets an email)."""
    locked = TranslationRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status != TranslationRequest.Status.ASKED:
        return locked  # a second click
    locked.translated_subject = subject
    locked.translated_body = body
    locked.status = TranslationRequest.Status.DONE
    locked.answered_at = timezone.now()
    locked.save(update_fields=["translated_subject", "translated_body", "status", "answered_at"])
    record(
        translator,
        AuditEntry.Action.UPDATE,
        locked,
        school_id=locked.school_id,
        detail={"translated": locked.language},
    )
    transaction.on_commit(lambda: _tell_writer(locked))
    return locked


def _tell_writer(request: TranslationRequest) -> None:
    email = request.asked_by.email
    if not email:
        return
    link = settings.SITE_URL.rstrip("/") + reverse("messaging:translation", args=[request.pk])
    with translation.override(settings.LANGUAGE_CODE):
        send_mail(
            _("Bondgenoot: your text is translated into %(language)s")
            % {"language": language_name(request.language)},
            _("The translation is ready. Take it into your message here (after logging in):")
            + f"\n\n{link}",
            None,
            [email],
        )
