"""The parent portal: how parents get in, what the school holds back, and their choices.

- ``Activation`` — one invitation of one guardian to the portal: a private link (and a
  short code for a printed letter) that works once and expires (``PORTAL_ACTIVATION_DAYS``).
- ``InvitationBatch`` — invitations for a whole group, sent in the background.
- ``SignInLink`` — a one-time sign-in link by email or text message.
- ``Attempt`` — sign-in link requests and code entries, to throttle abuse (database
  backed, so it holds across web processes without a shared cache).
- ``ParentPreference`` — the language a parent picked for the portal.
- ``Restriction`` — a care coordinator's "not shown to parents" on a contact or a
  signal, with a reason from a fixed list and a review date.
- ``InterpretationRelease`` — a care coordinator released a signal's interpretation
  to the parents (never shown otherwise).
- ``ShareConsent`` — the school asks the parents online for consent to share a signal
  under an agreement version that needs it; a parent with authority gives it in the
  portal, and the care coordinator then shares with that consent.

What parents see of the school's own settings (staff names, how to reach the school,
the languages offered, a restriction's review term) comes from
``people.school_settings``, which the administrator sets under /beheer/.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bondgenoot.contacts.models import Contact
from bondgenoot.network.models import AgreementVersion, Signal
from bondgenoot.people.channels import Channel
from bondgenoot.people.models import Group, Guardian, School


class InvitationBatch(models.Model):
    """Portal invitations for the guardians of one group, sent by a background task."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(Group, on_delete=models.SET_NULL, null=True, related_name="+")
    channel = models.CharField(max_length=12)  # "preferred" or one of DELIVERY_CHANNELS
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"portal invitations {self.pk}"


class ActivationQuerySet(models.QuerySet["Activation"]):
    def usable(self, now=None) -> ActivationQuerySet:
        return self.filter(used_at__isnull=True, expires_at__gt=now or timezone.now())


class Activation(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        SENT = "sent", _("Sent")
        PRINT = "print", _("To print")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    guardian = models.ForeignKey(Guardian, on_delete=models.CASCADE, related_name="activations")
    batch = models.ForeignKey(
        InvitationBatch,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="activations",
    )
    token = models.CharField(max_length=64, unique=True)
    code = models.CharField(max_length=9, unique=True)  # "K7M3-Q9PX" on a printed letter
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    address = models.CharField(max_length=254, blank=True)
    language = models.CharField(max_length=3, default="nl")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    error = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)

    objects = ActivationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["guardian", "created_at"])]

    def __str__(self) -> str:
        return f"activation {self.pk}"


class SignInLink(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64, unique=True)
    channel = models.CharField(max_length=12, choices=Channel.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"sign-in link {self.pk}"


class Attempt(models.Model):
    """One request that counts towards a throttle; ``key`` is a hash, never an address."""

    key = models.CharField(max_length=64, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"attempt {self.pk}"


class ParentPreference(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="parent_preference"
    )
    language = models.CharField(max_length=3, default="nl")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.language}"


class RestrictionReason(models.TextChoices):
    MELDCODE = "meldcode", _("Safety of the child or someone else (Meldcode)")
    POLICE = "police", _("A police investigation")
    PUPIL_REQUEST = "pupil_request", _("The pupil's own request (16 or older)")


class RestrictionQuerySet(models.QuerySet["Restriction"]):
    def in_force(self) -> RestrictionQuerySet:
        return self.filter(lifted_at__isnull=True)


class Restriction(models.Model):
    """A contact or a signal that is not shown to parents, and why."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    family_id = models.UUIDField(db_index=True)
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    signal = models.ForeignKey(
        Signal, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=RestrictionReason.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    review_on = models.DateField(_("review on"))
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = RestrictionQuerySet.as_manager()

    class Meta:
        ordering = ["review_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(contact__isnull=False, signal__isnull=True)
                | Q(contact__isnull=True, signal__isnull=False),
                name="restriction_one_record",
            ),
            models.UniqueConstraint(
                fields=["contact"],
                condition=Q(lifted_at__isnull=True, contact__isnull=False),
                name="one_restriction_per_contact",
            ),
            models.UniqueConstraint(
                fields=["signal"],
                condition=Q(lifted_at__isnull=True, signal__isnull=False),
                name="one_restriction_per_signal",
            ),
        ]

    def __str__(self) -> str:
        return f"restriction {self.pk} ({self.reason})"


class InterpretationRelease(models.Model):
    signal = models.OneToOneField(Signal, on_delete=models.CASCADE, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"release {self.signal_id}"


class ShareConsent(models.Model):
    """A share proposed to the parents: consent asked for sharing ``signal`` under
    ``version`` (an agreement version with ``consent_from`` parents, or pupil while the
    pupil is under 16). A parent with authority answers once in the portal: consent
    (``given_at``) or no (``declined_at``), and ``guardian`` says who; the first answer
    stands. The share itself is made by the care coordinator, and only after consent."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(AgreementVersion, on_delete=models.PROTECT, related_name="+")
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    asked_at = models.DateTimeField(auto_now_add=True)
    guardian = models.ForeignKey(
        Guardian, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    given_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["signal", "version"], name="one_ask_per_share"),
            models.CheckConstraint(
                condition=Q(given_at__isnull=True) | Q(declined_at__isnull=True),
                name="share_ask_given_or_declined",
            ),
        ]

    def __str__(self) -> str:
        return f"share consent {self.pk}"

    @property
    def is_open(self) -> bool:
        """Not answered yet: neither consent nor a no."""
        return self.given_at is None and self.declined_at is None
