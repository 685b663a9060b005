"""Who receives a message, by which channel, in which language.

Recipients are the guardians with parental authority of the families' pupils who are
at school. Each gets the first of their preferred channels that works (an email
address; a mobile number for text and app messages; a postal address for a letter),
else email, else a text message. Guardians with neither an email address nor a mobile
number are listed apart, with suggestions (a call, a letter, a key figure).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from bondgenoot.lib.sms import is_mobile
from bondgenoot.people.channels import Channel
from bondgenoot.people.models import Family, Guardian, Guardianship


@dataclass
class Recipient:
    family: Family
    guardian: Guardian
    channel: str | None
    address: str
    language: str
    suggestions: list[str] = field(default_factory=list)

    @property
    def delivery_channel(self) -> str:
        """The channel to deliver by: only for a recipient that has one (``plan``'s first
        list, or an unreachable one after ``letter_for``)."""
        if self.channel is None:
            raise ValueError("This recipient has no channel: deliver nothing to them.")
        return self.channel


def _channel(guardian: Guardian) -> tuple[str | None, str]:
    mobile = guardian.phone if guardian.phone and is_mobile(guardian.phone) else ""
    has_address = bool(guardian.street and guardian.postcode)
    # Preferred channel -> how we deliver it (an app message goes out as a text message).
    options: dict[str, tuple[str, str] | None] = {
        Channel.EMAIL: (Channel.EMAIL, guardian.email) if guardian.email else None,
        Channel.SMS: (Channel.SMS, mobile) if mobile else None,
        Channel.APP: (Channel.SMS, mobile) if mobile else None,
        Channel.LETTER: (Channel.LETTER, "post") if has_address else None,
    }
    for preference in guardian.preferred_channels:
        option = options.get(preference)
        if option:
            return option
    if guardian.email:
        return Channel.EMAIL, guardian.email
    if mobile:
        return Channel.SMS, mobile
    return None, ""


def suggestions_for(guardian: Guardian) -> list[str]:
    result = []
    if guardian.phone:
        result.append(_("Call them: %(phone)s") % {"phone": guardian.phone})
    if guardian.street and guardian.postcode:
        result.append(_("Send a printed letter"))
    result.append(_("Ask a key figure who knows the family"))
    return result


def plan(families: QuerySet) -> tuple[list[Recipient], list[Recipient]]:
    """(recipients with a working channel, guardians without one)."""
    links = (
        Guardianship.objects.with_authority(families=families)
        .select_related("guardian", "pupil__family")
        .order_by("pupil__family__name", "guardian__last_name", "guardian_id")
    )
    seen = set()
    reachable, unreachable = [], []
    for link in links:
        guardian, family = link.guardian, link.pupil.family
        if guardian.pk in seen:
            continue
        seen.add(guardian.pk)
        channel, address = _channel(guardian)
        language = guardian.written_language_id or "nl"
        recipient = Recipient(family, guardian, channel, address, language)
        if channel is None:
            recipient.suggestions = suggestions_for(guardian)
            unreachable.append(recipient)
        else:
            reachable.append(recipient)
    return reachable, unreachable


def letter_for(recipient: Recipient) -> bool:
    """Whether an unreachable guardian can get a printed letter instead."""
    g = recipient.guardian
    if g.street and g.postcode:
        recipient.channel, recipient.address = Channel.LETTER, "post"
        return True
    return False
