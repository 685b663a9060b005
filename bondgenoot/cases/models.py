"""Case discussions with parents at the table, and the Meldcode route on a signal.

A ``Discussion`` (its kind comes from kinds.toml) has a time, a place or video link,
participants (staff and partner accounts) and an agenda of pupils (``AgendaItem``).
Each item carries its own consent (``ItemConsent``: who, when, how, scope; withdrawn by
setting ``withdrawn_at``). Without consent in force an item is pseudonymised: the case
code and the year group, nothing more; its free text may not hold the pupil's or the
guardians' names, the pupil number, date of birth, address or postcode
(``pseudonyms.py`` finds them). Parents are invited to the part about their child
(``ParentInvitation``, a private link). The minutes live on the item: the facts, the
parents' own view, actions (``CaseAction``: who does what by when; a partner's action
gets a feedback deadline in working days), the next review and a plain-language
summary for the parents (``SummaryTranslation`` for other languages).

A ``MeldcodeRoute`` follows the five steps of the Meldcode on one signal
(``MeldcodeStep``), with the decision framework's answers (``FrameworkAnswer``).
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bondgenoot.lib import private_links
from bondgenoot.people.channels import INVITATION_CHANNELS, channel_choices
from bondgenoot.people.languages import is_rtl
from bondgenoot.people.models import Guardian, Organisation, Pupil, School

# Case codes avoid letters and digits that look alike (0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_case_code() -> str:
    return "C-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(5))


def invitation_token() -> str:
    return private_links.new_token()


class Discussion(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=30)
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    video_link = models.URLField(_("video link"), blank=True)
    notes = models.TextField(
        _("agenda notes"),
        max_length=2000,
        blank=True,
        help_text=_("Every participant reads this, partners too."),
    )
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("participants"),
        blank=True,
        related_name="case_discussions",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("case discussion")
        verbose_name_plural = _("case discussions")
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["school", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.starts_at:%Y-%m-%d}"


class AgendaItem(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    discussion = models.ForeignKey(Discussion, on_delete=models.CASCADE, related_name="items")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="+")
    case_code = models.CharField(max_length=8, default=new_case_code)
    year_level = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    notes = models.TextField(_("agenda note"), max_length=2000, blank=True)
    # The minutes
    facts = models.TextField(_("facts discussed"), max_length=4000, blank=True)
    parents_view = models.TextField(_("the parents' own view"), max_length=2000, blank=True)
    next_review_on = models.DateField(_("next review"), null=True, blank=True)
    minutes_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    minutes_at = models.DateTimeField(null=True, blank=True)
    summary = models.TextField(
        _("summary for the parents"),
        max_length=2000,
        blank=True,
        help_text=_("In plain words, for the parents. The tone coach reads along."),
    )
    summary_published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["position", "case_code"]
        constraints = [
            models.UniqueConstraint(fields=["discussion", "pupil"], name="one_item_per_pupil"),
        ]

    def __str__(self) -> str:
        return self.case_code


class ConsentHow(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("By phone")
    WRITING = "writing", _("In writing")
    PORTAL = "portal", _("In the parent portal")


class ConsentScope(models.TextChoices):
    SCHOOL = "school", _("By name with the school's staff at the table")
    TABLE = "table", _("By name with everyone at the table, partners too")


class ItemConsent(models.Model):
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="consents")
    guardian = models.ForeignKey(
        Guardian, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    by_pupil = models.BooleanField(default=False)
    given_on = models.DateField(_("given on"))
    how = models.CharField(_("how"), max_length=10, choices=ConsentHow.choices)
    scope = models.CharField(_("scope"), max_length=10, choices=ConsentScope.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("consent for a case discussion")
        verbose_name_plural = _("consents for case discussions")
        ordering = ["-recorded_at"]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.scope}"


class ParentInvitation(models.Model):
    class Answer(models.TextChoices):
        YES = "yes", _("Yes")
        NO = "no", _("No")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="invitations")
    # A parent's invitation has the guardian; the pupil's own (``for_pupil``) has none.
    guardian = models.ForeignKey(
        Guardian, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    for_pupil = models.BooleanField(default=False)
    token = models.CharField(max_length=64, unique=True, default=invitation_token)
    language = models.CharField(max_length=3, default="nl")
    how = models.CharField(max_length=10, choices=channel_choices(INVITATION_CHANNELS))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    answer = models.CharField(max_length=3, choices=Answer.choices, blank=True)
    wants_interpreter = models.BooleanField(default=False)
    question = models.CharField(max_length=500, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    present = models.BooleanField(null=True)

    class Meta:
        verbose_name = _("invitation to a case discussion")
        verbose_name_plural = _("invitations to case discussions")
        constraints = [
            models.UniqueConstraint(fields=["item", "guardian"], name="one_case_invitation_each"),
            models.UniqueConstraint(
                fields=["item"], condition=models.Q(for_pupil=True), name="one_pupil_invitation"
            ),
            models.CheckConstraint(
                condition=models.Q(for_pupil=True, guardian__isnull=True)
                | models.Q(for_pupil=False, guardian__isnull=False),
                name="case_invitation_for_a_parent_or_the_pupil",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} → {self.guardian_id}"

    @property
    def rtl(self) -> bool:
        return is_rtl(self.language)


class CaseAction(models.Model):
    class Who(models.TextChoices):
        SCHOOL = "school", _("School")
        PARENTS = "parents", _("Parents")
        PUPIL = "pupil", _("Pupil")
        PARTNER = "partner", _("Partner")

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="actions")
    who = models.CharField(_("who"), max_length=10, choices=Who.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    partner = models.ForeignKey(
        Organisation,
        verbose_name=_("partner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    what = models.CharField(_("what"), max_length=300)
    due_on = models.DateField(_("by when"))
    feedback_days = models.PositiveSmallIntegerField(
        _("feedback within (working days)"), null=True, blank=True
    )
    feedback_due = models.DateField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("action from a case discussion")
        verbose_name_plural = _("actions from case discussions")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.what


class SummaryTranslation(models.Model):
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(max_length=3)
    text = models.TextField(max_length=3000)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("translated summary")
        verbose_name_plural = _("translated summaries")
        constraints = [
            models.UniqueConstraint(fields=["item", "language"], name="one_translation_each"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} {self.language}"


# --- the Meldcode route ---------------------------------------------------------------------


class MeldcodeRoute(models.Model):
    class Decision(models.TextChoices):
        HELP = "help", _("Organise help")
        REPORT = "report", _("Report to Veilig Thuis")
        BOTH = "both", _("Report and organise help")
        NONE = "none", _("No suspicion: close the route")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    signal = models.OneToOneField(
        "network.Signal", on_delete=models.CASCADE, related_name="meldcode_route"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Meldcode route")
        verbose_name_plural = _("Meldcode routes")
        ordering = ["started_at"]

    def __str__(self) -> str:
        return f"Meldcode {self.signal_id}"


class SkipReason(models.TextChoices):
    DANGER = "danger", _("Talking would put the child or someone else in danger")
    CONTACT = "contact", _("Talking could break the contact with the child or the family")


class MeldcodeStep(models.Model):
    route = models.ForeignKey(MeldcodeRoute, on_delete=models.CASCADE, related_name="steps")
    step = models.PositiveSmallIntegerField()
    done_on = models.DateField(_("date"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("what was done"), max_length=2000, blank=True)
    consulted_veilig_thuis = models.BooleanField(
        _("Veilig Thuis consulted (anonymously)"), default=False
    )
    skipped = models.BooleanField(default=False)
    skip_reason = models.CharField(max_length=10, choices=SkipReason.choices, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Meldcode step")
        verbose_name_plural = _("Meldcode steps")
        ordering = ["step"]
        constraints = [
            models.UniqueConstraint(fields=["route", "step"], name="one_record_per_step"),
        ]

    def __str__(self) -> str:
        return f"{self.route_id} step {self.step}"


class FrameworkAnswer(models.Model):
    route = models.ForeignKey(MeldcodeRoute, on_delete=models.CASCADE, related_name="answers")
    question = models.PositiveSmallIntegerField()
    answer = models.BooleanField()
    note = models.CharField(_("why"), max_length=1000, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("answer in the decision framework")
        verbose_name_plural = _("answers in the decision framework")
        ordering = ["question"]
        constraints = [
            models.UniqueConstraint(fields=["route", "question"], name="one_answer_per_question"),
        ]

    def __str__(self) -> str:
        return f"{self.route_id} q{self.question}: {self.answer}"
