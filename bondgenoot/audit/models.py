"""The audit log: append-only and tamper-evident.

Each entry carries the HMAC of its own contents chained to the previous entry's
hash. Editing, inserting or deleting a row breaks the chain, which
``manage.py verify_audit`` reports. The HMAC key (``AUDIT_HMAC_KEY``) lives outside
the database, so someone with only database access cannot forge a valid chain.

Entries hold ids, never names or contents: the log outlives the records it talks
about (which retention may delete), and must not become a copy of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from bondgenoot.people.models import Family, User


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("The audit log is append-only.")

    def delete(self):
        raise TypeError("The audit log is append-only.")


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        VIEW = "view", _("Viewed")
        CREATE = "create", _("Created")
        UPDATE = "update", _("Changed")
        DELETE = "delete", _("Deleted")
        EXPORT = "export", _("Exported")
        LOGIN = "login", _("Logged in")
        LOGIN_FAILED = "login_failed", _("Failed login")
        LOGOUT = "logout", _("Logged out")
        TWO_FACTOR = "two_factor", _("Two-factor authentication")
        TWO_FACTOR_FAILED = "two_factor_failed", _("Failed two-factor code")
        ACCESS_DENIED = "access_denied", _("Refused access")
        SEED = "seed", _("Loaded demo data")

    seq = models.BigIntegerField(unique=True, editable=False)
    at = models.DateTimeField(_("when"), editable=False)
    actor_id = models.BigIntegerField(_("who"), null=True, editable=False, db_index=True)
    school_id = models.BigIntegerField(null=True, editable=False, db_index=True)
    action = models.CharField(_("what"), max_length=20, choices=Action.choices, editable=False)
    object_type = models.CharField(_("record type"), max_length=60, blank=True, editable=False)
    object_id = models.CharField(_("record"), max_length=64, blank=True, editable=False)
    family_id = models.CharField(max_length=36, blank=True, editable=False, db_index=True)
    route = models.CharField(_("route"), max_length=120, blank=True, editable=False)
    method = models.CharField(max_length=10, blank=True, editable=False)
    detail = models.JSONField(default=dict, blank=True, editable=False)
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, editable=False)

    objects = AppendOnlyQuerySet.as_manager()

    if TYPE_CHECKING:
        # Not columns: the log keeps ids only (no foreign keys into what it records). The
        # log page looks them up and sets them for display (``audit.views``).
        actor: User | None
        family: Family | None

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-seq"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("The audit log is append-only.")


class AuditHead(models.Model):
    """One row: the sequence number and hash of the newest entry.

    Appending locks this row, so that concurrent writers (several web processes
    and task workers on PostgreSQL) form one chain without gaps or forks.
    """

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = _("audit head")

    def __str__(self) -> str:
        return f"{self.seq} {self.hash}"
