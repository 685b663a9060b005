"""What the roster import keeps: which record came from which source id, each import
run, and each school's column mapping for its own CSV export.

``SourceLink`` is how a re-import finds what an earlier one made: by the source system's
id per school and kind, never by name. It points at the one record it stands for.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bondgenoot.people.models import Group, Guardian, Pupil, School


class SourceLink(models.Model):
    class Kind(models.TextChoices):
        PUPIL = "pupil", _("Pupil")
        GUARDIAN = "guardian", _("Guardian")
        GROUP = "group", _("Group")
        STAFF = "staff", _("Staff member")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # Groups are per school year: their source id is stored as "<year>:<id>".
    source_id = models.CharField(max_length=200)
    pupil = models.ForeignKey(Pupil, null=True, on_delete=models.CASCADE, related_name="+")
    guardian = models.ForeignKey(Guardian, null=True, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(Group, null=True, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("source id")
        verbose_name_plural = _("source ids")
        constraints = [
            models.UniqueConstraint(
                fields=["school", "kind", "source_id"], name="one_record_per_source_id"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school_id}/{self.kind}/{self.source_id}"


class ImportRun(models.Model):
    """One import: the uploaded file until it has run, the preview, then the counts.

    The file and the preview's examples (they hold names) are emptied once the run is
    done or thrown away; the counts and warnings (line numbers and ids) stay."""

    class Status(models.TextChoices):
        PREVIEW = "preview", _("Preview")
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")
        DISCARDED = "discarded", _("Not imported")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    format = models.CharField(max_length=20, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREVIEW)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    data = models.BinaryField(null=True, editable=False)
    file_name = models.CharField(max_length=200, blank=True)
    guardians_data = models.BinaryField(null=True, editable=False)
    guardians_file_name = models.CharField(max_length=200, blank=True)
    counts = models.JSONField(default=dict, blank=True)
    examples = models.JSONField(default=dict, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return str(self.pk)

    @property
    def is_stale(self) -> bool:
        """Running for longer than any import takes: its worker died (and its
        transaction with it), so it may be started again."""
        lease = timedelta(seconds=settings.ROSTER_IMPORT_LEASE_SECONDS)
        return (
            self.status == self.Status.RUNNING
            and self.started_at is not None
            and self.started_at < timezone.now() - lease
        )


class ColumnMapping(models.Model):
    """How one school's CSV export maps onto pupils and guardians (TOML; see
    ``default_mapping.toml``)."""

    school = models.OneToOneField(School, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("column mapping"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("column mapping")
        verbose_name_plural = _("column mappings")

    def __str__(self) -> str:
        return str(self.school_id)
