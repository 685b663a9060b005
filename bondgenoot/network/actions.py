"""Changes in the care and safety network. Each writes its audit entry."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, OuterRef, QuerySet, Subquery
from django.utils import timezone

from bondgenoot.audit.log import record
from bondgenoot.audit.models import AuditEntry
from bondgenoot.people import school_settings
from bondgenoot.people.models import Guardian, Organisation, Pupil, User

from . import summary
from .models import Agreement, AgreementVersion, BreakGlass, ConsentFrom, Feedback, Share, Signal
from .workdays import add_working_days


@transaction.atomic
def record_signal(actor: User, pupil: Pupil, values: dict[str, Any]) -> Signal:
    signal = Signal.objects.create(
        school_id=pupil.school_id,
        pupil=pupil,
        author=actor,
        review_on=timezone.localdate()
        + timedelta(days=365 * school_settings.value(pupil.school_id, "signal_review_years")),
        **values,
    )
    summary.count(signal)
    record(
        actor,
        AuditEntry.Action.CREATE,
        signal,
        family_id=str(pupil.family_id),
        detail={"category": signal.category},
    )
    return signal


@transaction.atomic
def save_agreement(
    actor: User, school_id: int, category: str, partner: Organisation, terms: dict[str, Any]
) -> AgreementVersion:
    """A new version of the agreement (the old ones stay, shares point to them)."""
    agreement, _ = Agreement.objects.get_or_create(
        school_id=school_id, category=category, partner=partner
    )
    last = agreement.versions.aggregate(n=Max("number"))["n"] or 0
    agreement.versions.update(active=False)
    version = AgreementVersion.objects.create(
        agreement=agreement, number=last + 1, created_by=actor, **terms
    )
    record(
        actor,
        AuditEntry.Action.CREATE,
        version,
        school_id=school_id,
        detail={"number": version.number, **{k: v for k, v in terms.items() if k != "active"}},
    )
    return version


def current_versions(school_id: int, category: str) -> QuerySet[AgreementVersion]:
    """Agreement versions in force for this category: what may be offered for sharing."""
    latest = (
        AgreementVersion.objects.filter(agreement=OuterRef("agreement"))
        .order_by("-number")
        .values("pk")[:1]
    )
    return (
        AgreementVersion.objects.filter(
            agreement__school_id=school_id, agreement__category=category, active=True
        )
        .filter(pk=Subquery(latest))
        .select_related("agreement__partner")
    )


def payload_for(signal: Signal, fields: list[str]) -> dict[str, str | bool]:
    pupil = signal.pupil
    family = pupil.family
    contact = family.contact_person
    if contact is None and pupil.group is not None:
        contact = pupil.group.mentors.first()  # no contact person: the mentor
    available: dict[str, str | bool] = {
        "pupil_name": pupil.full_name,
        "date_of_birth": pupil.date_of_birth.isoformat(),
        "group": pupil.group.name if pupil.group else "",
        "category": signal.get_category_display(),
        "observation": signal.observation,
        "pupil_words": signal.pupil_words,
        "observed_on": signal.observed_on.isoformat(),
        "parents_informed": signal.parents_informed,
        "school_contact": str(contact) if contact else "",
    }
    return {f: available[f] for f in fields if f in available}


def pupil_age(pupil: Pupil, on: date) -> int:
    born = pupil.date_of_birth
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


class ShareRefused(ValidationError):
    pass


@transaction.atomic
def share_signal(
    actor: User,
    signal: Signal,
    version: AgreementVersion,
    *,
    consent_guardian: Guardian | None,
    consent_by_pupil: bool,
    consent_on: date | None,
    parents_informed: bool,
) -> Share:
    """Share a signal with a partner under an agreement version in force: only the
    agreed fields leave the school; consent is checked where the agreement needs it."""
    agreement = version.agreement
    if agreement.school_id != signal.school_id or agreement.category != signal.category:
        raise ShareRefused("This agreement does not cover this signal.", code="no_agreement")
    if (
        not version.active
        or version
        != current_versions(signal.school_id, signal.category).filter(pk=version.pk).first()
    ):
        raise ShareRefused(
            "This version of the agreement is no longer in force.", code="old_version"
        )
    if version.consent_from != ConsentFrom.NONE:
        pupil_may = (
            version.consent_from == ConsentFrom.PUPIL
            and pupil_age(signal.pupil, timezone.localdate()) >= 16
        )
        if pupil_may and consent_by_pupil and consent_on:
            consent_guardian = None
        elif consent_guardian is None or consent_on is None:
            raise ShareRefused("Consent is needed for this share.", code="consent")
        elif not consent_guardian.guardianships.filter(
            pupil=signal.pupil, parental_authority=True
        ).exists():
            raise ShareRefused("Only a parent with parental authority can consent.", code="consent")
    share = Share.objects.create(
        signal=signal,
        version=version,
        partner=agreement.partner,
        legal_basis=version.legal_basis,
        payload=payload_for(signal, version.fields),
        shared_by=actor,
        consent_guardian=consent_guardian,
        consent_by_pupil=consent_by_pupil
        and consent_guardian is None
        and version.consent_from == ConsentFrom.PUPIL,
        consent_on=consent_on if version.consent_from != ConsentFrom.NONE else None,
        parents_informed=parents_informed,
        feedback_due=add_working_days(timezone.localdate(), version.feedback_days),
    )
    record(
        actor,
        AuditEntry.Action.EXPORT,
        share,
        school_id=signal.school_id,
        family_id=str(signal.pupil.family_id),
        detail={
            "partner": agreement.partner_id,
            "legal_basis": version.legal_basis,
            "agreement_version": version.number,
            "fields": sorted(share.payload),
            "parents_informed": parents_informed,
        },
    )
    return share


@transaction.atomic
def restrict_share(actor: User, share: Share, reason: str) -> Share:
    """Only a care coordinator: the parents are not told about this share (for example
    for safety). Setting it is audited with the reason."""
    share.restricted = True
    share.restriction_reason = reason[:300]
    share.save(update_fields=["restricted", "restriction_reason"])
    record(
        actor,
        AuditEntry.Action.UPDATE,
        share,
        school_id=share.signal.school_id,
        family_id=str(share.signal.pupil.family_id),
        detail={"restricted": True, "reason": reason[:300]},
    )
    return share


@transaction.atomic
def give_feedback(actor: User, share: Share, status: str, note: str) -> Feedback:
    feedback = Feedback.objects.create(share=share, status=status, note=note[:500], by=actor)
    record(
        actor,
        AuditEntry.Action.CREATE,
        feedback,
        school_id=share.signal.school_id,
        family_id=str(share.signal.pupil.family_id),
        detail={"status": status},
    )
    return feedback


@transaction.atomic
def break_glass(actor: User, pupil: Pupil, reason: str) -> BreakGlass:
    grant = BreakGlass.objects.create(
        user=actor, pupil=pupil, reason=reason, until=timezone.now() + timedelta(hours=24)
    )
    record(
        actor,
        AuditEntry.Action.VIEW,
        pupil,
        school_id=pupil.school_id,
        family_id=str(pupil.family_id),
        detail={"break_glass": True, "reason": reason},
    )
    return grant
