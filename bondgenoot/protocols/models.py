"""Protocols written together: the care coordinator opens a draft for comment, the
audience (parents, partners, staff) comments per paragraph, every comment gets a reply,
then the final version is published.

A ``Protocol`` (a school's text, e.g. "how we handle signals") has versions
(``ProtocolVersion``, numbered, never edited once published): a version is either open
for comment (``CONSULTATION``), closed for comment (``CLOSED``: its round is over) or
the published text (``FINAL``). A version's text is its paragraphs (``Paragraph``),
which carry the comments (``Comment``: the text, who in general terms — parent, partner
or staff — and the reply). A final version keeps who commented in general terms
(``commented_by``: the kinds, no names, no counts) and a plain-language summary for
parents (``summary``, Dutch; ``SummaryTranslation`` for the other family languages).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bondgenoot.people.models import School


class Protocol(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    for_parents = models.BooleanField(_("parents (in the parent portal)"), default=False)
    for_partners = models.BooleanField(_("partners"), default=False)
    for_staff = models.BooleanField(_("school staff"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("protocol")
        verbose_name_plural = _("protocols")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class ProtocolVersion(models.Model):
    class State(models.TextChoices):
        CONSULTATION = "consultation", _("Open for comment")
        CLOSED = "closed", _("Comment round over")
        FINAL = "final", _("Published")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    protocol = models.ForeignKey(Protocol, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    state = models.CharField(max_length=12, choices=State.choices)
    summary = models.TextField(
        _("summary for parents"),
        max_length=2000,
        blank=True,
        help_text=_("In plain words, for parents. The tone coach reads along."),
    )
    commented_by = models.JSONField(default=list, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("protocol version")
        verbose_name_plural = _("protocol versions")
        ordering = ["protocol", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["protocol", "number"], name="one_number_per_version"),
            models.UniqueConstraint(
                fields=["protocol"],
                condition=models.Q(state="consultation"),
                name="one_open_round_per_protocol",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.protocol_id} v{self.number}"


class Paragraph(models.Model):
    version = models.ForeignKey(
        ProtocolVersion, on_delete=models.CASCADE, related_name="paragraphs"
    )
    position = models.PositiveSmallIntegerField()
    text = models.TextField(max_length=4000)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="one_paragraph_per_place"),
        ]

    def __str__(self) -> str:
        return f"{self.version_id} §{self.position}"


class Commenter(models.TextChoices):
    PARENT = "parent", _("a parent")
    PARTNER = "partner", _("a partner")
    STAFF = "staff", _("a staff member")


class Comment(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    paragraph = models.ForeignKey(Paragraph, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Commenter.choices)
    text = models.TextField(_("your comment"), max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    reply = models.TextField(_("reply"), max_length=2000, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    replied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("comment on a protocol")
        verbose_name_plural = _("comments on protocols")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.paragraph_id}: {self.kind}"


class SummaryTranslation(models.Model):
    version = models.ForeignKey(
        ProtocolVersion, on_delete=models.CASCADE, related_name="translations"
    )
    language = models.CharField(max_length=3)
    text = models.TextField(max_length=3000)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("translated protocol summary")
        verbose_name_plural = _("translated protocol summaries")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "language"], name="one_protocol_translation_each"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.version_id} {self.language}"
