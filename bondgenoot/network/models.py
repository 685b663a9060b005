"""The care and safety network: signals about pupils, agreements with partners, shares
under those agreements, and the partners' feedback.

A ``Signal`` keeps three things apart: the observation (facts, required), the pupil's
own words (verbatim, optional) and an interpretation (optional, for care roles only).
An ``Agreement`` says that signals of one category may go to one partner organisation;
its terms live in ``AgreementVersion`` rows, never edited: a change is a new version,
and every ``Share`` points to the version in force when it was made. A share keeps a
copy of exactly the fields that left the school.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bondgenoot.people.models import Guardian, Organisation, Pupil, School


class Category(models.TextChoices):
    ABSENCE = "absence", _("Absence")
    BEHAVIOUR = "behaviour_change", _("Change in behaviour")
    ONLINE = "online", _("Online and social media")
    PEER = "peer_pressure", _("Peer pressure and criminal contacts")
    SUBSTANCES = "substances", _("Substances")
    SAFETY = "safety", _("Safety and weapons")
    HOME = "home", _("Home situation")
    RADICALISATION = "radicalisation", _("Radicalisation")
    BULLYING = "bullying", _("Bullying")
    WELLBEING = "wellbeing", _("Wellbeing")


class LegalBasis(models.TextChoices):
    LEGAL_DUTY = "legal_duty", _("Legal duty")
    PUBLIC_TASK = "public_task", _("Public task")
    CONSENT = "consent", _("Consent")
    VITAL_INTEREST = "vital_interest", _("Vital interest")


class ConsentFrom(models.TextChoices):
    NONE = "none", _("No consent needed")
    PARENTS = "parents", _("The parents")
    PUPIL = "pupil", _("The pupil (16 or older), else the parents")


# Fields of a signal an agreement can allow to be shared.
SHAREABLE_FIELDS = {
    "pupil_name": _("Pupil's name"),
    "date_of_birth": _("Date of birth"),
    "group": _("Group"),
    "category": _("Category"),
    "observation": _("Observation"),
    "pupil_words": _("The pupil's own words"),
    "observed_on": _("Date of the observation"),
    "parents_informed": _("Whether the parents were informed"),
    "school_contact": _("Contact person at school"),
}


class Signal(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="signals")
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    observed_on = models.DateField(_("when"))
    observed_where = models.CharField(_("where"), max_length=200, blank=True)
    observed_by = models.CharField(
        _("who observed it"),
        max_length=200,
        blank=True,
        help_text=_("Leave empty if you saw it yourself."),
    )
    observation = models.TextField(_("what happened (facts)"), max_length=2000)
    pupil_words = models.TextField(_("the pupil's own words"), max_length=1000, blank=True)
    interpretation = models.TextField(
        _("your interpretation"),
        max_length=1000,
        blank=True,
        help_text=_("Only care coordinators read this."),
    )
    parents_informed = models.BooleanField(_("the parents were informed"), default=False)
    parents_not_informed_reason = models.CharField(_("why not"), max_length=300, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="signals_written"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    seen_at = models.DateTimeField(null=True, blank=True)
    review_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("signal")
        verbose_name_plural = _("signals")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["school", "created_at"]),
            models.Index(fields=["pupil", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} {self.observed_on:%Y-%m-%d}"


class Agreement(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    partner = models.ForeignKey(
        Organisation, verbose_name=_("partner"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            models.UniqueConstraint(
                fields=["school", "category", "partner"], name="one_agreement_per_pair"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} → {self.partner}"


class AgreementVersion(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    active = models.BooleanField(_("in force"), default=True)
    legal_basis = models.CharField(_("legal basis"), max_length=20, choices=LegalBasis.choices)
    consent_from = models.CharField(
        _("consent needed from"), max_length=10, choices=ConsentFrom.choices
    )
    fields = models.JSONField(_("fields that may be shared"), default=list)
    feedback_days = models.PositiveSmallIntegerField(_("feedback within (working days)"))
    convenant = models.CharField(_("covenant reference"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("agreement version")
        verbose_name_plural = _("agreement versions")
        ordering = ["agreement", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="unique_version"),
        ]

    def __str__(self) -> str:
        return f"{self.agreement} v{self.number}"


class Share(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="shares")
    version = models.ForeignKey(AgreementVersion, on_delete=models.PROTECT, related_name="shares")
    partner = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    legal_basis = models.CharField(max_length=20, choices=LegalBasis.choices)
    payload = models.JSONField()  # exactly the fields that left the school
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    shared_at = models.DateTimeField(auto_now_add=True)
    consent_guardian = models.ForeignKey(
        Guardian, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    consent_by_pupil = models.BooleanField(default=False)
    consent_on = models.DateField(null=True, blank=True)
    parents_informed = models.BooleanField(default=False)
    restricted = models.BooleanField(default=False)
    restriction_reason = models.CharField(max_length=300, blank=True)
    feedback_due = models.DateField()

    class Meta:
        verbose_name = _("share")
        verbose_name_plural = _("shares")
        ordering = ["-shared_at"]
        indexes = [models.Index(fields=["partner", "shared_at"])]

    def __str__(self) -> str:
        return f"{self.signal_id} → {self.partner_id}"


class Feedback(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        TAKEN_UP = "taken_up", _("Taken up")
        CLOSED = "closed", _("Closed")

    share = models.ForeignKey(Share, on_delete=models.CASCADE, related_name="feedback")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    note = models.CharField(_("short note"), max_length=500, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["at"]

    def __str__(self) -> str:
        return f"{self.share_id}: {self.status}"


class BreakGlass(models.Model):
    """A care coordinator of another school opened a pupil's chronology, with a reason."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="+")
    reason = models.TextField(max_length=1000)
    at = models.DateTimeField(auto_now_add=True)
    until = models.DateTimeField()

    class Meta:
        verbose_name = _("emergency access")
        verbose_name_plural = _("emergency access")

    def __str__(self) -> str:
        return f"{self.user_id} → {self.pupil_id}"


class SignalMonthCount(models.Model):
    """How many signals a school recorded per month, category and 4-digit postcode area:
    the one table the patterns pages read (they never scan signals). Kept in step by
    ``network.summary`` (every signal written or deleted) and rebuilt by
    ``manage.py refresh_signal_counts``. Figures only: no pupil, no signal id."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # the first day of the month the signal was recorded
    category = models.CharField(max_length=20, choices=Category.choices)
    area = models.CharField(max_length=4, blank=True)  # "" when no postcode is known
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("signal count")
        verbose_name_plural = _("signal counts")
        constraints = [
            models.UniqueConstraint(
                fields=["school", "month", "category", "area"], name="one_signal_count_per_cell"
            ),
        ]
        indexes = [models.Index(fields=["month", "school"])]

    def __str__(self) -> str:
        return f"{self.school_id} {self.month:%Y-%m} {self.category} {self.area}: {self.count}"
