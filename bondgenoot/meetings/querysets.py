"""Querysets that own their joins (see people/querysets.py)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class MeetingQuerySet(models.QuerySet):
    def upcoming_for(self, family) -> MeetingQuerySet:
        """Meetings of the family's school still to come, soonest first (a personal
        invitation from the family page or a key figure)."""
        return self.filter(school_id=family.school_id, starts_at__gt=timezone.now()).order_by(
            "starts_at"
        )
