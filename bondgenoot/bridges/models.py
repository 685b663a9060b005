"""Bridge builders: the key figure registry, links to families, and parents' consent.

A ``KeyFigure`` is someone who already has families' trust: inside school (a mentor,
care coordinator, caretaker) or outside (youth worker, street worker, neighbourhood
parent, religious leader, neighbourhood professional). A ``Bridge`` links one key figure
to one family: it starts when the school introduces them and ends when either stops.
A key figure who logs in sees a family only while a ``Consent`` of a parent is in force
(recorded, not withdrawn), and only what its scope allows.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bondgenoot.lib.addresses import validate_phone
from bondgenoot.people.models import Family, Guardian, Language, School

from .querysets import ConsentQuerySet, KeyFigureQuerySet


class KeyFigure(models.Model):
    class Kind(models.TextChoices):
        MENTOR = "mentor", _("Mentor")
        CARE_COORDINATOR = "care_coordinator", _("Care coordinator")
        CARETAKER = "caretaker", _("Caretaker")
        OTHER_STAFF = "other_staff", _("Other staff member")
        YOUTH_WORKER = "youth_worker", _("Youth worker")
        STREET_WORKER = "street_worker", _("Street worker")
        NEIGHBOURHOOD_PARENT = "neighbourhood_parent", _("Neighbourhood parent")
        RELIGIOUS_LEADER = "religious_leader", _("Religious leader")
        NEIGHBOURHOOD_PROFESSIONAL = "neighbourhood_professional", _("Neighbourhood professional")

    INTERNAL_KINDS = (Kind.MENTOR, Kind.CARE_COORDINATOR, Kind.CARETAKER, Kind.OTHER_STAFF)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="key_figures")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True, validators=[validate_phone])
    languages = models.ManyToManyField(
        Language, verbose_name=_("languages"), blank=True, related_name="+"
    )
    postcode_areas = models.JSONField(
        _("neighbourhoods"),
        default=list,
        blank=True,
        help_text=_("The 4-digit postcode areas where this person works or lives."),
    )
    communities = models.CharField(
        _("communities"),
        max_length=300,
        blank=True,
        help_text=_("For example: Moroccan-Dutch families, the mosque on the Dorpsweg."),
    )
    availability = models.CharField(
        _("availability"), max_length=200, blank=True, help_text=_("For example: Tue and Thu.")
    )
    max_families = models.PositiveSmallIntegerField(
        _("at most this many families"), null=True, blank=True
    )
    agreement_on = models.DateField(
        _("agreement with the school on"),
        null=True,
        blank=True,
        help_text=_("The date of the written agreement with the school."),
    )
    confidentiality_signed = models.BooleanField(
        _("signed the confidentiality statement"), default=False
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="key_figure_records",
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = KeyFigureQuerySet.as_manager()

    class Meta:
        verbose_name = _("key figure")
        verbose_name_plural = _("key figures")
        ordering = ["name"]
        indexes = [models.Index(fields=["school", "active"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_internal(self) -> bool:
        return self.kind in self.INTERNAL_KINDS

    @property
    def has_agreement(self) -> bool:
        """``querysets.agreement_rule`` for one loaded row (no query); a test holds the
        two to the same answer for every combination."""
        return self.is_internal or bool(self.agreement_on and self.confidentiality_signed)


class Bridge(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="bridges")
    key_figure = models.ForeignKey(KeyFigure, on_delete=models.CASCADE, related_name="bridges")
    reason = models.CharField(_("why this key figure"), max_length=500, blank=True)
    introduced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    introduced_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("bridge")
        verbose_name_plural = _("bridges")
        ordering = ["-introduced_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["family", "key_figure"],
                condition=Q(ended_at__isnull=True),
                name="one_open_bridge_per_key_figure_and_family",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key_figure} — {self.family}"

    @property
    def school_id(self):
        return self.family.school_id

    @property
    def consent_in_force(self) -> bool:
        """Whether a consent is in force (``ConsentQuerySet.in_force``); uses the answer
        ``open_bridges`` selects with the bridge, else one query."""
        if hasattr(self, "in_force_consent"):
            return bool(self.in_force_consent)
        return Consent.objects.in_force().filter(bridge=self).exists()


class Consent(models.Model):
    class How(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        PHONE = "phone", _("By phone")
        IN_WRITING = "in_writing", _("In writing (letter or email)")
        WITH_INTERPRETER = "interpreter", _("In person, with an interpreter")
        PORTAL = "portal", _("Online, by the parent in the parent portal")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    bridge = models.ForeignKey(Bridge, on_delete=models.CASCADE, related_name="consents")
    guardian = models.ForeignKey(
        Guardian, verbose_name=_("given by"), on_delete=models.PROTECT, related_name="+"
    )
    given_on = models.DateField(_("given on"))
    how = models.CharField(_("how"), max_length=20, choices=How.choices)
    # Names and languages are always in scope: without them there is no introduction.
    share_contact_person = models.BooleanField(_("the school's contact person"), default=True)
    share_meetings = models.BooleanField(_("meetings the family is invited to"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawal_note = models.CharField(_("note"), max_length=300, blank=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-recorded_at"]
        indexes = [models.Index(fields=["bridge", "withdrawn_at"])]

    def __str__(self) -> str:
        return f"{self.guardian} {self.given_on:%Y-%m-%d}"

    @property
    def in_force(self) -> bool:
        """The policy's definition (``ConsentQuerySet.in_force``): not withdrawn, and the
        giver still has parental authority over a pupil of the family at school."""
        return type(self).objects.in_force().filter(pk=self.pk).exists()
