"""Messages to parents: one ``Message`` written by a staff member, one ``Delivery`` per
guardian (in their language, by the channel that reaches them), and their ``Reply``.

A delivery's id is its idempotency key: the SMS gateway and the email Message-ID carry
it, so a delivery retried after a crash is not sent twice. Each family's deliveries
are logged as one one-way contact in the ledger; a reply turns it into dialogue.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bondgenoot.lib import private_links
from bondgenoot.people.channels import DELIVERY_CHANNELS, channel_choices
from bondgenoot.people.languages import is_rtl
from bondgenoot.people.models import Family, Guardian, School


def reply_token() -> str:
    return private_links.new_token()


class Message(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be sent")
        SENDING = "sending", _("Sending")
        DONE = "done", _("Sent")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="messages_written"
    )
    template_key = models.CharField(max_length=40, blank=True)
    # True when the text is the template's own: then each guardian gets its translation.
    translated = models.BooleanField(default=False)
    purpose = models.CharField(max_length=20)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"), max_length=3000)
    values = models.JSONField(default=dict, blank=True)  # {date}, {theme}
    # Translations of the writer's own text, per language: {"ar": {"subject": …, "body":
    # …, "status": "machine"}}. The writer saw each before sending; "machine" ones reach
    # the parent marked as translated by a computer.
    translations = models.JSONField(default=dict, blank=True)
    audience = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["author", "created_at"])]

    def __str__(self) -> str:
        return self.subject


class Delivery(models.Model):
    # The subject is rendered for the guardian's language: in a right-to-left one its
    # filled-in values are isolated (U+2068 … U+2069), which saving keeps (lib/bidi.py).
    KEEPS_ISOLATES = ("subject",)

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="deliveries")
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="+")
    guardian = models.ForeignKey(Guardian, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(max_length=10, choices=channel_choices(DELIVERY_CHANNELS))
    address = models.CharField(max_length=300)  # email address, mobile number or "post"
    language = models.CharField(max_length=3)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    reply_token = models.CharField(max_length=64, unique=True, default=reply_token)
    # A link to another page than the answer page (a meeting invitation), and a calendar
    # file (RFC 5545) to attach to an email.
    link = models.CharField(max_length=300, blank=True)
    calendar = models.TextField(blank=True)
    contact = models.ForeignKey(
        "contacts.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["family__name", "guardian__last_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["message", "guardian"], name="one_delivery_per_guardian"
            ),
        ]
        indexes = [models.Index(fields=["message", "status"])]

    def __str__(self) -> str:
        return f"{self.message_id} → {self.guardian_id} ({self.channel})"

    @property
    def rtl(self) -> bool:
        return is_rtl(self.language)


class Reply(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="replies")
    body = models.TextField(_("your answer"), max_length=2000)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        ordering = ["received_at"]

    def __str__(self) -> str:
        return f"{self.delivery_id} {self.received_at:%Y-%m-%d}"


class TranslationRequest(models.Model):
    """The writer asks a colleague, or a key figure who bridges with the family, to
    translate their own text into a family's language. The translator sees the text and
    nothing else: not the families, not who they are (``families`` is kept for the access
    rule: a key figure may translate only while they bridge every one of them with a
    parent's consent in force). The translation comes back into the composer, and goes
    out marked as translated by a person."""

    class Status(models.TextChoices):
        ASKED = "asked", _("Asked")
        DONE = "done", _("Translated")

    class Via(models.TextChoices):
        COLLEAGUE = "colleague", _("a colleague")
        KEY_FIGURE = "key_figure", _("a key figure")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    translator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="translations_asked"
    )
    via = models.CharField(max_length=10, choices=Via.choices)
    language = models.CharField(max_length=3)
    subject = models.CharField(max_length=200)
    body = models.TextField(max_length=3000)
    # Which text it belongs to (``composing.source_key``): a changed text needs a new one.
    source = models.CharField(max_length=16)
    families = models.ManyToManyField(Family, related_name="+")
    # Where the composer was opened from (?gezin=, ?groep=, ?bijeenkomst=: ids only).
    audience = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=6, choices=Status.choices, default=Status.ASKED)
    translated_subject = models.CharField(_("subject"), max_length=200, blank=True)
    translated_body = models.TextField(_("message"), max_length=3000, blank=True)
    asked_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("translation request")
        verbose_name_plural = _("translation requests")
        ordering = ["-asked_at"]
        indexes = [models.Index(fields=["translator", "status"])]

    def __str__(self) -> str:
        return f"{self.language}: {self.pk}"

    @property
    def rtl(self) -> bool:
        return is_rtl(self.language)
