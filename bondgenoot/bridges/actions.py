"""Changes to the registry, bridges and consents. Each writes its audit entry."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from bondgenoot.audit.log import record
from bondgenoot.audit.models import AuditEntry
from bondgenoot.contacts import actions as contact_actions
from bondgenoot.contacts.models import Contact
from bondgenoot.people.channels import Channel
from bondgenoot.people.models import Family, Membership, Role, User

from .models import Bridge, Consent, KeyFigure

# Fields whose changes the audit log records (old and new value).
TRACKED = [
    "name",
    "kind",
    "organisation",
    "email",
    "phone",
    "postcode_areas",
    "max_families",
    "agreement_on",
    "confidentiality_signed",
    "active",
]


def _value(key_figure: KeyFigure, field: str) -> object:
    value = getattr(key_figure, field)
    return value.isoformat() if hasattr(value, "isoformat") else value


@transaction.atomic
def save_key_figure(actor: User, key_figure: KeyFigure, language_codes: list[str]) -> KeyFigure:
    created = key_figure._state.adding
    before: dict[str, object] = {}
    if not created:
        old = KeyFigure.objects.get(pk=key_figure.pk)
        before = {f: _value(old, f) for f in TRACKED}
        before["languages"] = sorted(old.languages.values_list("code", flat=True))
    key_figure.save()
    key_figure.languages.set(language_codes)  # type: ignore[arg-type]  # set() takes primary keys of any type; the stubs say int
    after = {f: _value(key_figure, f) for f in TRACKED}
    after["languages"] = sorted(language_codes)
    changes = {f: [before.get(f), after[f]] for f in after if before.get(f) != after[f]}
    record(
        actor,
        AuditEntry.Action.CREATE if created else AuditEntry.Action.UPDATE,
        key_figure,
        detail={"changes": changes},
    )
    return key_figure


class InvitationRefused(ValidationError):
    pass


@transaction.atomic
def invite_key_figure(
    actor: User, key_figure: KeyFigure, request: HttpRequest | None = None
) -> User:
    """Give a key figure a new login (only the key figure role, only at this school) and
    mail them a link to choose a password. Nothing of any family is visible to them until
    a parent consents to a bridge.

    Never links an existing account: that would hand the families this key figure
    bridges to whoever owns it, and mail that person a password link.
    """
    if key_figure.user_id:
        raise InvitationRefused("This key figure already has a login.", code="has_login")
    email = key_figure.email.strip().lower()
    if not email:
        raise InvitationRefused("An email address is needed.", code="no_email")
    if User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email)).exists():
        raise InvitationRefused("This email address belongs to an account.", code="taken")
    first, _sep, last = key_figure.name.partition(" ")
    user = User(username=email, email=email, first_name=first[:150], last_name=last[:150])
    # A random password nobody knows; the key figure sets their own through the link.
    user.set_password(secrets.token_urlsafe(32))
    user.save()
    Membership.objects.create(user=user, school_id=key_figure.school_id, role=Role.KEY_FIGURE)
    key_figure.user = user
    key_figure.save(update_fields=["user"])
    record(
        actor,
        AuditEntry.Action.CREATE,
        user,
        school_id=key_figure.school_id,
        detail={"key_figure": str(key_figure.pk), "email": email, "role": Role.KEY_FIGURE},
    )
    form = PasswordResetForm({"email": email})
    form.is_valid()
    # Mail only once the login really exists.
    transaction.on_commit(
        lambda: form.save(
            request=request,
            use_https=bool(request and request.is_secure()),
            subject_template_name="bridges/email/invitation_subject.txt",
            email_template_name="bridges/email/invitation.txt",
        )
    )
    return user


def _open_bridge(family: Family, key_figure: KeyFigure) -> QuerySet[Bridge]:
    return Bridge.objects.filter(family=family, key_figure=key_figure, ended_at__isnull=True)


class IntroductionRefused(ValidationError):
    pass


@transaction.atomic
def introduce(actor: User, family: Family, key_figure: KeyFigure, reason: str = "") -> Bridge:
    """Link a key figure to a family. They see nothing until a parent consents."""
    # Lock the family: two clicks at once make one bridge.
    Family.objects.select_for_update().filter(pk=family.pk).first()
    existing = _open_bridge(family, key_figure).first()
    if existing:
        return existing
    if key_figure.school_id != family.school_id or not key_figure.active:
        raise IntroductionRefused("This key figure is not active.", code="inactive")
    if not key_figure.has_agreement:
        raise IntroductionRefused("No agreement with this key figure.", code="no_agreement")
    if key_figure.max_families is not None:
        load = key_figure.bridges.filter(ended_at__isnull=True).count()
        if load >= key_figure.max_families:
            raise IntroductionRefused("This key figure is full.", code="full")
    try:
        with transaction.atomic():
            bridge = Bridge.objects.create(
                family=family, key_figure=key_figure, reason=reason[:500], introduced_by=actor
            )
    except IntegrityError:  # a simultaneous click won the race (no row lock on SQLite)
        return _open_bridge(family, key_figure).get()
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
def record_consent(actor: User, bridge: Bridge, values: dict[str, Any]) -> Consent:
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
    if bridge.ended_at:
        return bridge
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


def log_key_figure_contact(actor: User, bridge: Bridge, values: dict[str, Any]) -> Contact:
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
