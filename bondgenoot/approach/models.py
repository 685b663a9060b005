"""The approach per family: its situation (regular, denying, absent, sensitive case).

``Family.situation`` holds the current situation so that lists and the monitor can filter
on it; every change is a ``SituationChange`` row (who, when, why), which is the history.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bondgenoot.people.models import Family, Situation


class SituationChange(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="situation_changes")
    situation = models.CharField(_("situation"), max_length=12, choices=Situation.choices)
    reason = models.TextField(_("reason"), max_length=500)
    decided_on = models.DateField(_("date"))
    from_suggestion = models.BooleanField(
        _("confirmed a suggestion"),
        default=False,
        help_text=_("The advisor suggested this situation and a person confirmed it."),
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("situation change")
        verbose_name_plural = _("situation changes")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["family", "decided_on"])]

    def __str__(self) -> str:
        return f"{self.get_situation_display()} ({self.decided_on:%Y-%m-%d})"
