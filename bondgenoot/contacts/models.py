"""The contact ledger: every contact with a family, and the next steps it creates.

A contact belongs to one family (and optionally names which guardians and pupils took
part). Edits keep their history in ``ContactRevision``. Next steps (follow-ups) have an
owner and a due date and show up in that owner's worklist ("Mijn acties").
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bondgenoot.people.channels import CONTACT_CHANNELS, channel_choices
from bondgenoot.people.models import Family, Guardian, Language, Pupil, School

from .querysets import ContactQuerySet, NextStepQuerySet


class Purpose(models.TextChoices):
    ACQUAINTANCE = "acquaintance", _("Getting acquainted")
    POSITIVE_NEWS = "positive_news", _("Positive news")
    INFORMAL = "informal", _("Informal")
    THEME_MEETING = "theme_meeting", _("Theme meeting")
    WORRY = "worry", _("Worry")
    FOLLOW_UP = "follow_up", _("Follow-up")
    PRACTICAL = "practical", _("Practical")
    # Written by the parent portal when a parent asks for a conversation.
    PARENT_REQUEST = "parent_request", _("Parent asked for a conversation")


class Initiator(models.TextChoices):
    """Who started the contact: the school (almost always) or the parent."""

    SCHOOL = "school", _("The school")
    PARENT = "parent", _("The parent")


class Tone(models.TextChoices):
    POSITIVE = "positive", _("Positive")
    NEUTRAL = "neutral", _("Neutral")
    CONCERN = "concern", _("Concern")


class Contact(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="contacts")
    # The key of the form that created it: the same form posted twice makes one contact.
    idempotency_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    at = models.DateTimeField(_("when"), db_index=True)
    channel = models.CharField(
        _("channel"), max_length=20, choices=channel_choices(CONTACT_CHANNELS)
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    tone = models.CharField(_("tone"), max_length=10, choices=Tone.choices)
    initiator = models.CharField(
        _("started by"),
        max_length=10,
        choices=Initiator.choices,
        # A database default too: the seeder's bulk inserts name their columns.
        db_default=Initiator.SCHOOL,
    )
    reached = models.BooleanField(_("reached"), default=True)
    dialogue = models.BooleanField(
        _("dialogue"),
        default=True,
        help_text=_("A conversation in both directions, not only a message from school."),
    )
    bulk = models.BooleanField(
        _("bulk message"),
        default=False,
        help_text=_("Sent to many families at once; never counts as personal contact."),
    )
    guardians = models.ManyToManyField(
        Guardian, verbose_name=_("guardians"), blank=True, related_name="contacts"
    )
    pupils = models.ManyToManyField(
        Pupil, verbose_name=_("pupils"), blank=True, related_name="contacts"
    )
    key_figure = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("key figure involved"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    language = models.ForeignKey(
        Language,
        verbose_name=_("language used"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    interpreter = models.BooleanField(_("with an interpreter"), default=False)
    note = models.TextField(_("short factual note"), max_length=500, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ContactQuerySet.as_manager()

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["family", "at"]),
            models.Index(fields=["school", "at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} — {self.at:%Y-%m-%d}"


class ContactRevision(models.Model):
    """One edit of a contact: who changed which fields from what to what, and when."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="revisions")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    changes = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("contact revision")
        verbose_name_plural = _("contact revisions")
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.contact_id} {self.changed_at:%Y-%m-%d %H:%M}"


class NextStep(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="next_steps")
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.CASCADE, related_name="next_steps"
    )
    what = models.CharField(_("what"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.PROTECT,
        related_name="next_steps",
    )
    due = models.DateField(_("when"), db_index=True)
    done_at = models.DateTimeField(_("done on"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = NextStepQuerySet.as_manager()

    class Meta:
        verbose_name = _("next step")
        verbose_name_plural = _("next steps")
        ordering = ["due", "created_at"]
        indexes = [
            models.Index(fields=["owner", "done_at", "due"]),
            models.Index(fields=["family", "done_at", "due"]),
        ]

    def __str__(self) -> str:
        return self.what


class FamilySummary(models.Model):
    """What the ledger says about one family, kept up to date by every contact write.

    The trust monitor and "Mijn gezinnen" aggregate over these rows instead of over all
    contacts, so that their cost depends on the number of families in view, not on the
    length of every family's history. ``summary.refresh`` recomputes a family's rows
    from its contacts; ``manage.py refresh_summaries`` rebuilds them all.
    """

    family = models.OneToOneField(
        Family, primary_key=True, on_delete=models.CASCADE, related_name="summary"
    )
    # The family's school, repeated (as on the month summaries) so that the monitor reads
    # one school's summaries, not every family's (see ``monitor.with_year``).
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    first_contact_at = models.DateTimeField(null=True)
    first_worry_at = models.DateTimeField(null=True)
    last_positive_personal_at = models.DateTimeField(null=True)
    last_reached_at = models.DateTimeField(null=True)
    last_dialogue_at = models.DateTimeField(null=True)
    positive_before_worry = models.PositiveIntegerField(default=0)
    unreached_streak = models.PositiveIntegerField(default=0)
    last_one_way_at = models.DateTimeField(null=True)
    # Channels tried during the current unreached streak.
    unreached_channels = models.JSONField(default=list)

    class Meta:
        verbose_name = _("family summary")
        verbose_name_plural = _("family summaries")
        # The monitor's join reads every column it needs from this index (SQLite).
        indexes = [
            models.Index(
                fields=["family", "school", "last_dialogue_at", "unreached_streak"],
                name="contacts_summary_monitor",
            )
        ]

    def __str__(self) -> str:
        return str(self.family_id)


class FamilyYearSummary(models.Model):
    """Per family and school year: when the first positive personal contact was."""

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="year_summaries")
    # The family's school, repeated: see ``FamilySummary.school``. Its index is the one
    # below, with the school year.
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+", db_index=False)
    school_year = models.PositiveSmallIntegerField()
    first_positive_personal_at = models.DateTimeField(null=True)
    last_dialogue_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = _("family summary per school year")
        verbose_name_plural = _("family summaries per school year")
        constraints = [
            models.UniqueConstraint(
                fields=["family", "school_year"], name="unique_family_year_summary"
            ),
        ]
        indexes = [
            models.Index(fields=["school_year", "first_positive_personal_at"]),
            models.Index(fields=["school", "school_year"], name="contacts_year_school"),
            # The monitor's join reads every column it needs from this index (SQLite).
            models.Index(
                fields=[
                    "family",
                    "school_year",
                    "school",
                    "first_positive_personal_at",
                    "last_dialogue_at",
                ],
                name="contacts_year_monitor",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.family_id} {self.school_year}"


class FamilyMonthSummary(models.Model):
    """Per family and calendar month: contacts by tone, and whether we reached them."""

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="month_summaries")
    # The family's school, repeated so that the monitor reads one school's months
    # through an index instead of every family's.
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    positive = models.PositiveIntegerField(default=0)
    neutral = models.PositiveIntegerField(default=0)
    concern = models.PositiveIntegerField(default=0)
    reached = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("family summary per month")
        verbose_name_plural = _("family summaries per month")
        constraints = [
            models.UniqueConstraint(fields=["family", "month"], name="unique_family_month"),
        ]
        # The monitor sums a school's months from this index alone (it holds every
        # column the sum reads), without reading the table's rows.
        indexes = [
            models.Index(
                fields=["school", "month", "family", "positive", "neutral", "concern", "reached"],
                name="contacts_month_school_sums",
            )
        ]

    def __str__(self) -> str:
        return f"{self.family_id} {self.month:%Y-%m}"


class SchoolLedgerVersion(models.Model):
    """Goes up by one whenever a contact of the school is written.

    Cached monitor figures carry the versions they were computed from, so a cached
    figure is never older than the last change to the ledger.
    """

    school = models.OneToOneField(
        School, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    version = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("ledger version")
        verbose_name_plural = _("ledger versions")

    def __str__(self) -> str:
        return f"{self.school_id}: {self.version}"
