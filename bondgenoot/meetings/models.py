"""Meetings with parents: informal moments, theme meetings and parent evenings.

A ``Meeting`` has an audience (the whole school, years, groups or hand-picked
families). Every guardian invited gets an ``Invitation`` with an unguessable token: it
opens only their own invitation, where they answer yes, no or maybe. ``Attendance``
records who came (invited or walk-in), checked in at the door; it counts in the
ledger as a positive informal contact with dialogue.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bondgenoot.lib import private_links
from bondgenoot.people.channels import INVITATION_CHANNELS, channel_choices
from bondgenoot.people.languages import is_rtl
from bondgenoot.people.models import Family, Group, Guardian, Language, School

from .querysets import MeetingQuerySet


def invitation_token() -> str:
    return private_links.new_token()


class Meeting(models.Model):
    class Kind(models.TextChoices):
        INFORMAL = "informal", _("Informal moment")
        THEME = "theme", _("Theme meeting")
        PARENT_EVENING = "parent_evening", _("Parent evening")

    class Theme(models.TextChoices):
        SOCIAL_MEDIA = "social_media", _("Social media")
        PEER_PRESSURE = "peer_pressure", _("Peer pressure")
        RESILIENCE = "resilience", _("Resilience")
        BOUNDARIES = "boundaries", _("Setting boundaries")
        OTHER = "other", _("Another theme")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    theme = models.CharField(_("theme"), max_length=20, choices=Theme.choices, blank=True)
    theme_other = models.CharField(_("other theme"), max_length=100, blank=True)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200)
    languages = models.ManyToManyField(
        Language,
        verbose_name=_("interpreters for"),
        blank=True,
        related_name="+",
        help_text=_("Languages an interpreter or a colleague will speak."),
    )
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    whole_school = models.BooleanField(_("the whole school"), default=False)
    year_levels = models.JSONField(_("years"), default=list, blank=True)
    groups = models.ManyToManyField(Group, verbose_name=_("groups"), blank=True, related_name="+")
    families = models.ManyToManyField(
        Family, verbose_name=_("hand-picked families"), blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    thanks_sent_at = models.DateTimeField(null=True, blank=True)
    # When the time or place last changed, and whether it was cancelled: invitees are told
    # in their language, and their answer page shows it.
    changed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # The written invitations to the whole audience (a background task fills it).
    invitation_message = models.ForeignKey(
        "messaging.Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["school", "starts_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def theme_label(self) -> str:
        if self.theme == self.Theme.OTHER:
            return self.theme_other
        return str(self.get_theme_display()) if self.theme else ""


class Invitation(models.Model):
    class Answer(models.TextChoices):
        YES = "yes", _("Yes")
        NO = "no", _("No")
        MAYBE = "maybe", _("Maybe")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="+")
    guardian = models.ForeignKey(Guardian, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64, unique=True, default=invitation_token)
    language = models.CharField(max_length=3, default="nl")
    how = models.CharField(max_length=10, choices=channel_choices(INVITATION_CHANNELS))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    delivery = models.ForeignKey(
        "messaging.Delivery", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    answer = models.CharField(max_length=5, choices=Answer.choices, blank=True)
    people = models.PositiveSmallIntegerField(default=1)
    wants_interpreter = models.BooleanField(default=False)
    question = models.CharField(max_length=500, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "guardian"], name="one_invitation_each"),
        ]
        indexes = [models.Index(fields=["meeting", "answer"])]

    def __str__(self) -> str:
        return f"{self.meeting_id} → {self.guardian_id}"

    @property
    def rtl(self) -> bool:
        return is_rtl(self.language)


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="+")
    walk_in = models.BooleanField(default=False)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    contact = models.ForeignKey(
        "contacts.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "family"], name="one_attendance_each"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.family_id}"
