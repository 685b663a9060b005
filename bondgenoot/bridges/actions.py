"""Changes to the registry, bridges and consents. Each writes its audit entry."""

from __future__ import annotations

import secrets

from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from bondgenoot.audit.log import record
from bondgenoot.audit.models import AuditEntry
from bondgenoot.contacts import actions as contact_actions
from bondgenoot.contacts.models import Channel, Contact
from bondgenoot.people.models import Family, Membership, Role, User

from .models import Bridge, Consent, KeyFigure


@transaction.atomic
def save_key_figure(actor: User, key_figure: KeyFigure, language_codes: list[str]) -> KeyFigure:
    created = key_figure._state.adding
    key_figure.save()
    key_figure.languages.set(language_codes)
    record(
        actor,
        AuditEntry.Action.CREATE if created else AuditEntry.Action.UPDATE,
        key_figure,
        detail={"name": key_figure.name},
    )
    return key_figure


@transaction.atomic
def invite_key_figure(actor: User, key_figure: KeyFigure, request=None) -> User:
    """Give an external key figure a login (the key figure role at this school only) and
    mail them a link to choose a password. Nothing of any family is visible to them until
    a parent consents to a bridge."""
    if key_figure.user_id:
        raise ValidationError("This key figure already has a login.")
    email = key_figure.email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        first, _sep, last = key_figure.name.partition(" ")
        user = User(username=email, email=email, first_name=first, last_name=last)
        # A random password nobody knows; the key figure sets their own through the link.
        user.set_password(secrets.token_urlsafe(32))
        user.save()
    Membership.objects.get_or_create(
        user=user, school_id=key_figure.school_id, role=Role.KEY_FIGURE
    )
    key_figure.user = user
    key_figure.save(update_fields=["user"])
    record(actor, AuditEntry.Action.UPDATE, key_figure, detail={"login": user.pk})
    form = PasswordResetForm({"email": email})
    if form.is_valid():
        form.save(
            request=request,
            use_https=bool(request and request.is_secure()),
            subject_template_name="bridges/email/invitation_subject.txt",
            email_template_name="bridges/email/invitation.txt",
        )
    return user


def _open_bridge(family: Family, key_figure: KeyFigure):
    return Bridge.objects.filter(family=family, key_figure=key_figure, ended_at__isnull=True)


@transaction.atomic
def introduce(actor: User, family: Family, key_figure: KeyFigure, reason: str = "") -> Bridge:
    """Link a key figure to a family. They see nothing until a parent consents."""
    if key_figure.school_id != family.school_id or not key_figure.active:
        raise ValidationError("This key figure does not work with this school.")
    if not key_figure.has_agreement:
        raise ValidationError("There is no agreement with this key figure yet.")
    existing = _open_bridge(family, key_figure).first()
    if existing:
        return existing
    bridge = Bridge.objects.create(
        family=family, key_figure=key_figure, reason=reason[:500], introduced_by=actor
    )
    record(
        actor,
        AuditEntry.Action.CREATE,
        bridge,
        school_id=family.school_id,
        family_id=str(family.pk),
        detail={"key_figure": str(key_figure.pk)},
    )
    return bridge


@transaction.atomic
def record_consent(actor: User, bridge: Bridge, values: dict) -> Consent:
    if bridge.ended_at:
        raise ValidationError("This bridge has ended.")
    consent = Consent.objects.create(bridge=bridge, recorded_by=actor, **values)
    record(
        actor,
        AuditEntry.Action.CREATE,
        consent,
        school_id=bridge.family.school_id,
        family_id=str(bridge.family_id),
        detail={
            "bridge": str(bridge.pk),
            "guardian": str(consent.guardian_id),
            "how": consent.how,
            "contact_person": consent.share_contact_person,
            "meetings": consent.share_meetings,
        },
    )
    return consent


@transaction.atomic
def withdraw_consent(actor: User, bridge: Bridge, note: str = "") -> int:
    """Withdraw every consent in force for this bridge; the key figure's access ends at
    once (access is computed from consents in force on every request)."""
    now = timezone.now()
    consents = list(bridge.consents.filter(withdrawn_at__isnull=True))
    for consent in consents:
        consent.withdrawn_at = now
        consent.withdrawn_by = actor
        consent.withdrawal_note = note[:300]
        consent.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_note"])
        record(
            actor,
            AuditEntry.Action.UPDATE,
            consent,
            school_id=bridge.family.school_id,
            family_id=str(bridge.family_id),
            detail={"withdrawn": True, "bridge": str(bridge.pk)},
        )
    return len(consents)


@transaction.atomic
def end_bridge(actor: User, bridge: Bridge, note: str = "") -> Bridge:
    withdraw_consent(actor, bridge, note)
    bridge.ended_at = timezone.now()
    bridge.ended_by = actor
    bridge.save(update_fields=["ended_at", "ended_by"])
    record(
        actor,
        AuditEntry.Action.UPDATE,
        bridge,
        school_id=bridge.family.school_id,
        family_id=str(bridge.family_id),
        detail={"ended": True},
    )
    return bridge


def log_key_figure_contact(actor: User, bridge: Bridge, values: dict) -> Contact:
    """A contact a key figure had with the family: it counts in the ledger as personal
    contact "via a key figure", with the key figure named."""
    return contact_actions.log_contact(
        actor,
        bridge.family,
        {
            "channel": Channel.KEY_FIGURE,
            "purpose": values["purpose"],
            "tone": values["tone"],
            "reached": values["reached"],
            "dialogue": values["reached"],
            "at": values.get("at") or timezone.now(),
            "note": values.get("note", ""),
            "key_figure_id": actor.pk,
        },
    )
