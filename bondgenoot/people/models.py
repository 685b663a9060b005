"""People and families: schools, groups, pupils, guardians, staff and external users.

A *family* is the pupils and guardians around a pupil. We keep it as an explicit
record (``Family``) per school: siblings at one school share a family and their
guardians, which makes "Mijn gezinnen", the contact ledger and the trust monitor
count families rather than pupils. Families, pupils and guardians belong to one
school: schools in one installation never see each other's families.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from bondgenoot.lib.addresses import normalise_phone, validate_email_address, validate_phone

from .channels import PREFERRED_CHANNELS, Channel
from .languages import language_name
from .querysets import FamilyQuerySet, GuardianQuerySet, GuardianshipQuerySet, PupilQuerySet


class Role(models.TextChoices):
    MENTOR = "mentor", _("Mentor")
    TEACHER = "teacher", _("Teacher")
    CARE_COORDINATOR = "care_coordinator", _("Care coordinator")
    SCHOOL_LEADER = "school_leader", _("School leader")
    ADMINISTRATOR = "administrator", _("Administrator")
    KEY_FIGURE = "key_figure", _("Key figure")
    PARTNER = "partner", _("Network partner")
    NETWORK_ANALYST = "network_analyst", _("Network analyst")


STAFF_ROLES = {
    Role.MENTOR,
    Role.TEACHER,
    Role.CARE_COORDINATOR,
    Role.SCHOOL_LEADER,
    Role.ADMINISTRATOR,
}
EXTERNAL_ROLES = {Role.KEY_FIGURE, Role.PARTNER, Role.NETWORK_ANALYST}
# Roles that see sensitive records; they must use two-factor authentication.
TWO_FACTOR_ROLES = {Role.CARE_COORDINATOR, Role.ADMINISTRATOR, Role.PARTNER}


class School(models.Model):
    name = models.CharField(_("name"), max_length=200)
    brin = models.CharField(
        _("BRIN code"),
        max_length=6,
        blank=True,
        help_text=_("The school's registration number (e.g. 12AB)."),
    )
    city = models.CharField(_("city"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    """An organisation outside the school: youth work, police, a mosque, a youth team..."""

    class Kind(models.TextChoices):
        YOUTH_WORK = "youth_work", _("Youth work")
        YOUTH_TEAM = "youth_team", _("Youth team")
        ATTENDANCE = "attendance", _("Attendance office")
        POLICE = "police", _("Police")
        MUNICIPALITY = "municipality", _("Municipality")
        COMMUNITY = "community", _("Community or faith organisation")
        YOUTH_DOCTOR = "youth_doctor", _("Youth doctor (GGD)")
        SCHOOL_SOCIAL_WORK = "school_social_work", _("School social work")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """Anyone who logs in: staff, external people, and (later) parents.

    What a user may do follows from their memberships (school + role) and, for
    parents, from the guardian records linked to them; never from flags here.
    """

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    if TYPE_CHECKING:
        # django_otp's OTPMiddleware adds this to ``request.user``.
        def is_verified(self) -> bool: ...

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return user_label(self.first_name, self.last_name, self.username)


def full_name(first: str, prefix: str, last: str) -> str:
    """A pupil's or parent's name in full: "Fatima el Amrani" (a part left empty is left
    out)."""
    return " ".join(p for p in (first, prefix, last) if p)


def user_label(first_name: str, last_name: str, username: str) -> str:
    """How the interface names a user (``str(user)``): their full name (as Django's
    ``get_full_name``), else their username. Also for users read as plain rows."""
    return f"{first_name} {last_name}".strip() or username


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "school", "role"], name="unique_membership"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} ({self.school})"


class Language(models.Model):
    """An ISO 639 language code; names live in ``languages.LANGUAGES``."""

    code = models.CharField(_("code"), max_length=3, primary_key=True)

    class Meta:
        verbose_name = _("language")
        verbose_name_plural = _("languages")
        ordering = ["code"]

    def __str__(self) -> str:
        return language_name(self.code)

    @property
    def name(self) -> str:
        return language_name(self.code)

    @classmethod
    def ensure(cls, codes: Iterable[str]) -> None:
        """Make sure these codes exist (a form may offer a language no one chose yet)."""
        Language.objects.bulk_create([Language(code=c) for c in codes], ignore_conflicts=True)


class Group(models.Model):
    """A mentor group (klas) in one school year, with one or more mentors."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(_("name"), max_length=40)
    school_year = models.PositiveSmallIntegerField(
        _("school year"),
        help_text=_("The calendar year in which the school year starts."),
    )
    year_level = models.PositiveSmallIntegerField(_("year"), default=1)
    mentors = models.ManyToManyField(
        User, verbose_name=_("mentors"), blank=True, related_name="mentor_groups"
    )
    teachers = models.ManyToManyField(
        User, verbose_name=_("teachers"), blank=True, related_name="taught_groups"
    )

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        ordering = ["school_year", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "school_year", "name"], name="unique_group_per_year"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def school_year_label(self) -> str:
        return f"{self.school_year}–{self.school_year + 1}"


class Situation(models.TextChoices):
    """How the school approaches a family (DESIGN.md, "approach per situation")."""

    REGULAR = "regular", _("Regular")
    DENYING = "denying", _("Denying")
    ABSENT = "absent", _("Absent (hard to reach)")
    SENSITIVE = "sensitive", _("Sensitive case")


class Family(models.Model):
    """The pupils (siblings) at one school and the guardians around them."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="families")
    name = models.CharField(
        _("name"),
        max_length=200,
        help_text=_("How the school refers to the family, e.g. 'Family Yilmaz'."),
    )
    contact_person = models.ForeignKey(
        User,
        verbose_name=_("contact person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contact_families",
        help_text=_("The one staff member the family can always turn to. Empty means: the mentor."),
    )
    # The current situation; its history (who, when, why) is in approach.SituationChange.
    situation = models.CharField(
        _("situation"), max_length=12, choices=Situation.choices, default=Situation.REGULAR
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FamilyQuerySet.as_manager()

    class Meta:
        verbose_name = _("family")
        verbose_name_plural = _("families")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["school", "name"]),
            # With the id, the monitor reads a school's families from this index alone.
            models.Index(fields=["school", "situation", "id"], name="people_family_school_state"),
        ]

    def __str__(self) -> str:
        return self.name


class Pupil(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="pupils")
    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="pupils")
    group = models.ForeignKey(
        Group,
        verbose_name=_("group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pupils",
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name_prefix = models.CharField(
        _("prefix"), max_length=20, blank=True, help_text=_("For example 'van' or 'de'.")
    )
    last_name = models.CharField(_("last name"), max_length=100)
    date_of_birth = models.DateField(_("date of birth"))
    pupil_number = models.CharField(
        _("pupil number"),
        max_length=30,
        help_text=_("The number in the school administration system."),
    )
    left_on = models.DateField(_("left school on"), null=True, blank=True)

    objects = PupilQuerySet.as_manager()

    class Meta:
        verbose_name = _("pupil")
        verbose_name_plural = _("pupils")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "pupil_number"], name="unique_pupil_number_per_school"
            ),
        ]
        # The monitor reads the groups' pupils (who have not left) from this index alone.
        indexes = [
            models.Index(fields=["group", "left_on", "family"], name="people_pupil_group_family")
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return full_name(self.first_name, self.last_name_prefix, self.last_name)

    def clean(self) -> None:
        if self.group is not None and self.group.school_id != self.school_id:
            raise ValidationError({"group": _("This group belongs to another school.")})
        if self.family_id and self.family.school_id != self.school_id:
            raise ValidationError({"family": _("This family belongs to another school.")})


class Guardian(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="guardians")
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name_prefix = models.CharField(_("prefix"), max_length=20, blank=True)
    last_name = models.CharField(_("last name"), max_length=100)
    phone = models.CharField(
        _("phone"),
        max_length=30,
        blank=True,
        validators=[validate_phone],
        help_text=_("A Dutch number, or one with its country code (+212, +90, +380 …)."),
    )
    email = models.EmailField(_("email"), blank=True, validators=[validate_email_address])
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(
        _("postcode"), max_length=7, blank=True, help_text=_("Dutch postcode, e.g. 3081 AB.")
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    home_languages = models.ManyToManyField(
        Language, verbose_name=_("home languages"), blank=True, related_name="+"
    )
    needs_interpreter = models.BooleanField(_("needs an interpreter"), default=False)
    preferred_channels = models.JSONField(
        _("preferred channels"),
        default=list,
        blank=True,
        help_text=_("Ways to reach this parent, the most preferred first."),
    )
    reachable_times = models.CharField(
        _("reachable times"),
        max_length=200,
        blank=True,
        help_text=_("For example 'weekdays after 16:00, not on Friday'."),
    )
    written_language = models.ForeignKey(
        Language,
        verbose_name=_("language for written messages"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    user = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="guardian_records",
        help_text=_("The login of this parent, if they have one."),
    )

    objects = GuardianQuerySet.as_manager()

    class Meta:
        verbose_name = _("guardian")
        verbose_name_plural = _("guardians")
        ordering = ["last_name", "first_name"]
        indexes = [
            # Almost every guardian has no login, so SQLite's statistics on the plain
            # foreign-key index (one value, NULL, for 54,000 of 55,000 rows) make it scan
            # the table for "this parent's children"; an index of only the logins is
            # used (0.6 s → under 1 ms for the parent portal at district scale).
            models.Index(
                fields=["user"], condition=models.Q(user__isnull=False), name="guardian_login_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs) -> None:
        # One form for every number (E.164), so the same mobile is recognised everywhere;
        # a number that is not valid stays as typed (forms refuse it, imports keep it).
        self.phone = normalise_phone(self.phone)
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return full_name(self.first_name, self.last_name_prefix, self.last_name)

    def get_preferred_channels_display(self) -> list[str]:
        labels = dict(Channel.choices)
        return [str(labels.get(c, c)) for c in self.preferred_channels]

    def clean(self) -> None:
        unknown = [c for c in self.preferred_channels if c not in PREFERRED_CHANNELS]
        if unknown:
            raise ValidationError(
                {"preferred_channels": _("Unknown channel: %(c)s") % {"c": ", ".join(unknown)}}
            )


class Guardianship(models.Model):
    """How a guardian relates to a pupil, and which legal rights follow from it."""

    class Relation(models.TextChoices):
        MOTHER = "mother", _("Mother")
        FATHER = "father", _("Father")
        STEPPARENT = "stepparent", _("Step-parent")
        FOSTER_PARENT = "foster_parent", _("Foster parent")
        GRANDPARENT = "grandparent", _("Grandparent")
        GUARDIAN = "guardian", _("Legal guardian")
        OTHER = "other", _("Other")

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="guardianships")
    guardian = models.ForeignKey(Guardian, on_delete=models.CASCADE, related_name="guardianships")
    relation = models.CharField(_("relation"), max_length=20, choices=Relation.choices)
    parental_authority = models.BooleanField(
        _("parental authority"),
        default=True,
        help_text=_("Parents with parental authority both have a right to information."),
    )
    lives_with = models.BooleanField(_("pupil lives with this guardian"), default=True)
    receives_post = models.BooleanField(_("receives post"), default=True)

    objects = GuardianshipQuerySet.as_manager()

    class Meta:
        verbose_name = _("guardianship")
        verbose_name_plural = _("guardianships")
        constraints = [
            models.UniqueConstraint(fields=["pupil", "guardian"], name="unique_guardianship"),
        ]

    def __str__(self) -> str:
        return f"{self.guardian} — {self.get_relation_display()} — {self.pupil}"


@dataclass(frozen=True)
class GuardianRow:
    """A guardian of the family, once, with their link (relation, authority) to each of
    its pupils."""

    guardian: Guardian
    links: list[Guardianship]


def family_guardians(family: Family) -> list[GuardianRow]:
    """The family's guardians, each once, with how they relate to each pupil.

    Uses the prefetched ``pupils__guardianships`` of ``FamilyQuerySet.with_summary``.
    """
    rows: dict[object, GuardianRow] = {}
    for pupil in family.pupils.all():
        for link in pupil.guardianships.all():
            row = rows.setdefault(link.guardian_id, GuardianRow(link.guardian, []))
            row.links.append(link)
    return list(rows.values())


def family_mentors(family: Family) -> list[User]:
    """The mentors of the family's pupils, each once (uses the prefetch)."""
    mentors: dict = {}
    for pupil in family.pupils.all():
        if pupil.group:
            for mentor in pupil.group.mentors.all():
                mentors.setdefault(mentor.pk, mentor)
    return list(mentors.values())


# The smallest figure any aggregate shows (DESIGN.md: counts below 10 are hidden).
MIN_SMALL_CELL = 10


class SchoolSettings(models.Model):
    """Settings a school chooses itself. Empty values mean: the installation's default
    (see ``school_settings.defaults``). The administrator changes them (/beheer/); every
    app reads them through ``people.school_settings``."""

    school = models.OneToOneField(
        School, primary_key=True, on_delete=models.CASCADE, related_name="admin_settings"
    )
    signal_review_years = models.PositiveSmallIntegerField(
        _("review a signal after (years)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    signal_delete_years = models.PositiveSmallIntegerField(
        _("delete signals this many years after the pupil left"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    restriction_review_weeks = models.PositiveSmallIntegerField(
        _("review a record hidden from parents after (weeks)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(104)],
    )
    parents_see_staff_names = models.BooleanField(
        _("parents see staff names in 'who looked'"), null=True, blank=True
    )
    small_cell = models.PositiveSmallIntegerField(
        _("hide figures smaller than"),
        null=True,
        blank=True,
        validators=[MinValueValidator(MIN_SMALL_CELL), MaxValueValidator(100)],
    )
    parent_languages = models.JSONField(_("languages offered to parents"), null=True, blank=True)
    reachable_times = models.CharField(
        _("when parents can reach the school"), max_length=300, blank=True
    )
    contact_phone = models.CharField(_("school phone for parents"), max_length=30, blank=True)
    contact_email = models.EmailField(_("school email for parents"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "administration_schoolsettings"  # made by the administration app
        verbose_name = _("school settings")
        verbose_name_plural = _("school settings")

    def __str__(self) -> str:
        return str(self.school_id)
