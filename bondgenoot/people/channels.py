"""The one vocabulary for how the school and a parent reach each other.

A guardian's preferred channels, a ledger contact, a message delivery and a meeting
invitation all store these values; each use allows a subset (the tuples below), so a
form never offers "via a key figure" as a way to deliver an email. The values are what
is stored in the database: never rename one without a data migration.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone call")
    HOME_VISIT = "home_visit", _("Home visit")
    TALK = "talk", _("Talk at school")
    INFORMAL = "informal", _("Informal moment")
    MEETING = "meeting", _("Meeting")
    SMS = "sms", _("Text message")
    APP = "app", _("App message")
    EMAIL = "email", _("Email")
    LETTER = "letter", _("Letter")
    KEY_FIGURE = "key_figure", _("Via a key figure")
    # Only for meeting invitations: invited in person by a staff member or key figure;
    # the ledger contact written at the same time holds the exact channel.
    PERSONAL = "personal", _("Personally")


# "Personal" contact: a call, home visit, talk, informal moment or via a key figure.
PERSONAL_CHANNELS = (
    Channel.PHONE,
    Channel.HOME_VISIT,
    Channel.TALK,
    Channel.INFORMAL,
    Channel.KEY_FIGURE,
)
# Written channels: one-way unless the parent answers.
WRITTEN_CHANNELS = (Channel.SMS, Channel.APP, Channel.EMAIL, Channel.LETTER)

# What each use allows.
CONTACT_CHANNELS = tuple(c for c in Channel if c != Channel.PERSONAL)
PREFERRED_CHANNELS = (
    Channel.PHONE,
    Channel.SMS,
    Channel.APP,
    Channel.EMAIL,
    Channel.LETTER,
    Channel.HOME_VISIT,
    Channel.TALK,
)
DELIVERY_CHANNELS = (Channel.EMAIL, Channel.SMS, Channel.LETTER)
INVITATION_CHANNELS = (Channel.PERSONAL, Channel.EMAIL, Channel.SMS, Channel.LETTER)


def channel_choices(channels: Iterable[Channel]) -> list[tuple[str, StrOrPromise]]:
    """Field choices for a subset, in the subset's order."""
    return [(c.value, c.label) for c in channels]
