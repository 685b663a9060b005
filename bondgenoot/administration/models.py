"""What the functional administrator keeps besides the register itself: the history of
a pupil's groups and the school year's rollover (planned, then applied once). The
settings per school live with the school (``people.models.SchoolSettings``).

Entries hold ids; names stay in the register (people app).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bondgenoot.people.models import Group, Pupil, School


class Placement(models.Model):
    """A pupil was in a group from ``started_on`` until ``ended_on`` (empty: still is).

    ``Pupil.group`` is the current group; this table keeps the earlier ones, so a move
    or a new school year never loses where a pupil was."""

    class Why(models.TextChoices):
        ADDED = "added", _("Added")
        MOVED = "moved", _("Moved to another group")
        SCHOOL_YEAR = "school_year", _("New school year")
        LEFT = "left", _("Left school")

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="placements")
    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="placements")
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)
    why = models.CharField(_("why"), max_length=20, choices=Why.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["started_on", "id"]
        indexes = [models.Index(fields=["pupil", "ended_on"])]

    def __str__(self) -> str:
        return f"{self.pupil_id} in {self.group_id} from {self.started_on}"


class Rollover(models.Model):
    """A new school year for one school: planned (groups made, moves listed), then
    applied once on or after 1 August. Applying is resumable: each move is marked when
    done, and a move that is done is never done again."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="rollovers")
    school_year = models.PositiveSmallIntegerField(_("new school year"))
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    planned_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("new school year")
        verbose_name_plural = _("new school years")
        constraints = [
            models.UniqueConstraint(fields=["school", "school_year"], name="one_rollover_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.school_id}: {self.school_year}"


class RolloverMove(models.Model):
    """One pupil in a rollover: to a group of the new year, or out of school (empty)."""

    rollover = models.ForeignKey(Rollover, on_delete=models.CASCADE, related_name="moves")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="+")
    to_group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    done = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["rollover", "pupil"], name="one_move_per_pupil")
        ]

    def __str__(self) -> str:
        return f"{self.pupil_id} -> {self.to_group_id}"
