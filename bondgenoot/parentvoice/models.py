"""The parent's voice ("de stem van de ouder"): what a parent with parental authority
does in the portal, beside what the school records.

``ConversationRequest``  the parent asks for a conversation; it is also a ledger contact
                         started by the parent (a dialogue) and a next step for the
                         family's contact person
``ParentView``           "uw kant van het verhaal": the parent's own view beside one
                         contact or one signal; it never changes the professional's text
``RecordRequest``        a request to correct a fact, to restrict or to object (AVG
                         art. 16, 18, 21), answered by a care coordinator within a month
``HomeStory``            what works at home: strengths, values, what they do together,
                         hopes; only the parent writes it
``ExportJob``            everything the school holds about the child and the parent, as a
                         PDF and a JSON file (art. 15 and 20), built in the background

Every row carries its school (see architecture.md: distribution by school). Rows that
a form creates carry the form's one-time ``form_key``, unique, so a replayed form finds
the row it made instead of making a second one.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bondgenoot.people.channels import Channel, channel_choices
from bondgenoot.people.models import Family, Guardian, Language, Pupil, School

# How a parent can have the conversation they ask for.
CONVERSATION_CHANNELS = (Channel.PHONE, Channel.TALK, Channel.HOME_VISIT)

TOPIC_MAX = 1000
VIEW_MAX = 2000
REQUEST_MAX = 2000
ANSWER_MAX = 2000
STORY_MAX = 1000


class ConversationRequest(models.Model):
    class WithWhom(models.TextChoices):
        CONTACT_PERSON = "contact_person", _("Our contact person at school")
        MENTOR = "mentor", _("The mentor")
        CARE = "care", _("The care coordinator")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="+")
    guardian = models.ForeignKey(Guardian, on_delete=models.CASCADE, related_name="+")
    topic = models.TextField(_("what would you like to talk about?"), max_length=TOPIC_MAX)
    preferred_times = models.CharField(_("when suits you?"), max_length=200, blank=True)
    channel = models.CharField(
        _("how?"), max_length=20, choices=channel_choices(CONVERSATION_CHANNELS)
    )
    interpreter = models.ForeignKey(
        Language,
        verbose_name=_("interpreter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    with_whom = models.CharField(_("with whom?"), max_length=20, choices=WithWhom.choices)
    contact = models.ForeignKey(
        "contacts.Contact", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    next_step = models.ForeignKey(
        "contacts.NextStep", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    form_key = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("request for a conversation")
        verbose_name_plural = _("requests for a conversation")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.pupil_id} {self.created_at:%Y-%m-%d}"


class ParentView(models.Model):
    """The parent's own view beside a contact or a signal (exactly one of them)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="+")
    guardian = models.ForeignKey(Guardian, on_delete=models.CASCADE, related_name="+")
    contact = models.ForeignKey(
        "contacts.Contact",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="parent_views",
    )
    signal = models.ForeignKey(
        "network.Signal",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="parent_views",
    )
    text = models.TextField(_("your side of the story"), max_length=VIEW_MAX)
    form_key = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("parent's view")
        verbose_name_plural = _("parents' views")
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(contact__isnull=False) & Q(signal__isnull=True))
                | (Q(contact__isnull=True) & Q(signal__isnull=False)),
                name="parent_view_one_record",
            )
        ]
        indexes = [models.Index(fields=["family", "created_at"])]

    def __str__(self) -> str:
        return f"{self.contact_id or self.signal_id}"


class RecordRequest(models.Model):
    """A parent asks to correct a fact, to restrict use of data, or objects."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", _("Correct a factual error")
        RESTRICTION = "restriction", _("Restrict the use of data")
        OBJECTION = "objection", _("Object to the use of data")

    class Status(models.TextChoices):
        OPEN = "open", _("Received, not answered yet")
        GRANTED = "granted", _("Granted")
        PARTLY = "partly", _("Partly granted")
        REFUSED = "refused", _("Not granted")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="+")
    guardian = models.ForeignKey(Guardian, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("what do you ask?"), max_length=20, choices=Kind.choices)
    contact = models.ForeignKey(
        "contacts.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signal = models.ForeignKey(
        "network.Signal", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("explanation"), max_length=REQUEST_MAX)
    due = models.DateField(_("answer due"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    answer = models.TextField(_("answer to the parent"), max_length=ANSWER_MAX, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    form_key = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("request about the record")
        verbose_name_plural = _("requests about the record")
        ordering = ["due", "created_at"]
        indexes = [models.Index(fields=["school", "status", "due"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.due:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class HomeStory(models.Model):
    """What works at home, for one child, in one parent's words."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="+")
    guardian = models.ForeignKey(Guardian, on_delete=models.CASCADE, related_name="+")
    strengths = models.TextField(_("what is your child good at?"), max_length=STORY_MAX, blank=True)
    values = models.TextField(_("what matters in your family?"), max_length=STORY_MAX, blank=True)
    together = models.TextField(
        _("what do you do with your child that works?"), max_length=STORY_MAX, blank=True
    )
    hopes = models.TextField(_("what do you hope for?"), max_length=STORY_MAX, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    FIELDS = ("strengths", "values", "together", "hopes")

    class Meta:
        verbose_name = _("what works at home")
        verbose_name_plural = _("what works at home")
        constraints = [
            models.UniqueConstraint(fields=["guardian", "pupil"], name="one_home_story_each"),
        ]

    def __str__(self) -> str:
        return f"{self.guardian_id} {self.pupil_id}"

    @property
    def is_empty(self) -> bool:
        return not any(getattr(self, f) for f in self.FIELDS)


class ExportJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Being made")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    OPEN = (Status.QUEUED, Status.RUNNING)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="+")
    guardian = models.ForeignKey(Guardian, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=10, default="nl")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    pdf = models.BinaryField(null=True, editable=False)
    data = models.BinaryField(null=True, editable=False)  # the JSON file
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")
        ordering = ["-created_at"]
        constraints = [
            # Asking twice while one is being made gives the same job.
            models.UniqueConstraint(
                fields=["guardian", "pupil"],
                condition=Q(status__in=["queued", "running"]),
                name="one_open_export_per_parent_and_child",
            )
        ]

    def __str__(self) -> str:
        return f"{self.pupil_id} {self.status}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN
