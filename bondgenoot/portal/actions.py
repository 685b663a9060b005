"""Every change of state in the parent portal, each with its audit entry.

Staff invite guardians (``invite``, ``invite_group``; sending runs in the background,
``tasks.py``), parents activate their account once (``activate``), sign in with a
one-time link (``make_sign_in_link``, ``use_sign_in_link``), pick their language, give
and withdraw consent; care coordinators restrict records and release interpretations.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from bondgenoot.audit.log import record
from bondgenoot.audit.models import AuditEntry
from bondgenoot.bridges.models import Bridge, Consent
from bondgenoot.lib import private_links, sms
from bondgenoot.lib.texts import fill
from bondgenoot.network.actions import pupil_age
from bondgenoot.people import school_settings
from bondgenoot.people.channels import Channel
from bondgenoot.people.languages import is_rtl
from bondgenoot.people.models import Group, Guardian, Guardianship, User

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from bondgenoot.contacts.models import Contact
    from bondgenoot.network.models import AgreementVersion, Share, Signal

from . import texts
from .models import (
    Activation,
    Attempt,
    InterpretationRelease,
    InvitationBatch,
    ParentPreference,
    Restriction,
    RestrictionReason,
    ShareConsent,
    SignInLink,
)

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: easy to copy from paper
PREFERRED = "preferred"


class Refused(ValidationError):
    """A request the rules do not allow (shown to the user, never a 500)."""


# --- invitations ------------------------------------------------------------


def new_code() -> str:
    chars = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"{chars[:4]}-{chars[4:]}"


def normalise_code(typed: str) -> str:
    chars = "".join(c for c in typed.upper() if c.isalnum())
    return f"{chars[:4]}-{chars[4:8]}" if len(chars) == 8 else ""


def choose_channel(guardian: Guardian, wanted: str) -> tuple[str, str]:
    """The channel and address for this guardian: ``wanted``, or with "preferred" their
    first preferred channel that works (then email, then a text message), else a letter."""
    works: dict[str, str] = {
        Channel.EMAIL: guardian.email,
        Channel.SMS: guardian.phone if sms.is_mobile(guardian.phone) else "",
    }
    if wanted == Channel.LETTER:
        return Channel.LETTER, ""
    if wanted in works:
        if works[wanted]:
            return wanted, works[wanted]
        return Channel.LETTER, ""
    for channel in [*guardian.preferred_channels, Channel.EMAIL, Channel.SMS]:
        if works.get(channel):
            return channel, works[channel]
    return Channel.LETTER, ""


@transaction.atomic
def invite(
    actor: User,
    guardian: Guardian,
    wanted: str = PREFERRED,
    batch: InvitationBatch | None = None,
) -> Activation:
    """A new activation for one guardian (sent by ``send``, on commit or in a batch)."""
    channel, address = choose_channel(guardian, wanted)
    activation = Activation.objects.create(
        school_id=guardian.school_id,
        guardian=guardian,
        batch=batch,
        token=private_links.new_token(),
        code=new_code(),
        channel=channel,
        address=address,
        language=texts.supported(guardian.written_language_id),
        status=Activation.Status.PRINT if channel == Channel.LETTER else Activation.Status.QUEUED,
        created_by=actor,
        expires_at=timezone.now() + timedelta(days=settings.PORTAL_ACTIVATION_DAYS),
    )
    record(
        actor,
        AuditEntry.Action.CREATE,
        activation,
        school_id=guardian.school_id,
        family_id="",
        detail={"guardian": str(guardian.pk), "channel": channel, "batch": bool(batch)},
    )
    return activation


def activation_url(activation: Activation) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("portal:activate", args=[activation.token])


def invitation_text(activation: Activation, school_name: str) -> dict[str, str]:
    t = texts.texts(activation.language)
    values = {
        "school": school_name,
        "link": activation_url(activation),
        "days": settings.PORTAL_ACTIVATION_DAYS,
        "code": activation.code,
        "site": settings.SITE_URL.rstrip("/") + reverse("portal:code"),
    }
    rtl = is_rtl(activation.language)  # each value isolated (lib/texts.py)
    return {
        "subject": fill(t["invite_subject"], values, isolate=rtl),
        "body": fill(t["invite_body"], values, isolate=rtl),
        "sms": fill(t["invite_sms"], values, isolate=rtl),
        "letter_or": fill(t["letter_or"], values, isolate=rtl),
    }


def send(activation_id: Any) -> Activation | None:
    """Send one queued activation by email or text message, at most once (claimed in its
    own transaction; the SMS gateway gets the activation id as idempotency key)."""
    with transaction.atomic():
        activation = (
            Activation.objects.select_for_update()
            .select_related("school")
            .filter(pk=activation_id, status=Activation.Status.QUEUED)
            .first()
        )
        if activation is None:
            return None
        activation.status = Activation.Status.SENT
        activation.sent_at = timezone.now()
        activation.save(update_fields=["status", "sent_at"])
    message = invitation_text(activation, activation.school.name)
    try:
        if activation.channel == Channel.EMAIL:
            EmailMessage(
                subject=message["subject"],
                body=message["body"],
                to=[activation.address],
                headers={"Message-ID": f"<{activation.pk}@bondgenoot>"},
            ).send()
        elif activation.channel == Channel.SMS:
            sms.gateway().send(activation.address, message["sms"], key=str(activation.pk))
    except Exception as error:
        Activation.objects.filter(pk=activation.pk).update(
            status=Activation.Status.FAILED, error=str(error)[:300]
        )
    return activation


def group_guardians(group: Group) -> QuerySet[Guardian]:
    """Guardians of the group's pupils at school who have no login yet, each once."""
    return (
        Guardian.objects.filter(
            pk__in=Guardianship.objects.filter(
                pupil__group=group, pupil__left_on__isnull=True
            ).values("guardian_id"),
            user__isnull=True,
        )
        .select_related("written_language")
        .order_by("last_name", "pk")
    )


@transaction.atomic
def invite_group(actor: User, group: Group, wanted: str = PREFERRED) -> InvitationBatch:
    """A batch for one group; ``tasks.send_batch`` makes and sends its activations."""
    batch = InvitationBatch.objects.create(
        school_id=group.school_id, group=group, channel=wanted, created_by=actor
    )
    record(
        actor,
        AuditEntry.Action.CREATE,
        batch,
        school_id=group.school_id,
        detail={"group": group.pk, "channel": wanted},
    )
    from .tasks import send_batch

    transaction.on_commit(lambda: send_batch.enqueue(str(batch.pk)))
    return batch


def run_batch(batch_id: Any) -> None:
    """Make the activations of a batch (once) and send those still queued. Safe to run
    again: a guardian who already has an activation in this batch gets no second one."""
    batch = InvitationBatch.objects.select_related("group", "created_by").get(pk=batch_id)
    if batch.group is not None:
        done = set(batch.activations.values_list("guardian_id", flat=True))
        for guardian in group_guardians(batch.group):
            if guardian.pk not in done:
                invite(batch.created_by, guardian, batch.channel, batch=batch)
    for activation_id in batch.activations.filter(status=Activation.Status.QUEUED).values_list(
        "pk", flat=True
    ):
        send(activation_id)
    InvitationBatch.objects.filter(pk=batch.pk).update(finished_at=timezone.now())


def batch_progress(batch: InvitationBatch) -> dict[str, int]:
    from django.db.models import Count

    counts = dict(batch.activations.values_list("status").annotate(n=Count("pk")))
    total = sum(counts.values())
    waiting = counts.get(Activation.Status.QUEUED, 0)
    return {
        "total": total,
        "sent": counts.get(Activation.Status.SENT, 0),
        "letters": counts.get(Activation.Status.PRINT, 0),
        "failed": counts.get(Activation.Status.FAILED, 0),
        "percent": round(100 * (total - waiting) / total) if total else 0,
        "finished": batch.finished_at is not None,
    }


# --- getting in ------------------------------------------------------------


@transaction.atomic
def activate(activation: Activation, user: User | None, email: str, password: str) -> User:
    """Use an activation once: make the parent's login (or link this guardian to the
    signed-in parent's login) and mark the link used. Refused when used or expired."""
    locked = Activation.objects.select_for_update().get(pk=activation.pk)
    if locked.used_at is not None or private_links.is_expired(locked.expires_at):
        raise Refused("This link has been used or has expired.", code="gone")
    guardian = Guardian.objects.select_for_update().get(pk=locked.guardian_id)
    if user is None:
        user = guardian.user
    if user is None:
        if email and User.objects.filter(email__iexact=email).exists():
            raise Refused("This email address already has an account.", code="signin_first")
        user = User(
            username=f"ouder-{secrets.token_hex(6)}",
            email=email,
            first_name=guardian.first_name,
            last_name=guardian.last_name,
            phone=normalise_phone(guardian.phone),
        )
        user.set_password(password)
        user.save()
    elif password:
        user.set_password(password)
        user.save(update_fields=["password"])
    guardian.user = user
    guardian.save(update_fields=["user"])
    locked.used_at = timezone.now()
    locked.save(update_fields=["used_at"])
    ParentPreference.objects.get_or_create(user=user, defaults={"language": locked.language})
    record(
        user,
        AuditEntry.Action.UPDATE,
        locked,
        school_id=locked.school_id,
        detail={"activated": True, "guardian": str(guardian.pk)},
    )
    return user


def _hash(*parts: str) -> str:
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def throttled(kind: str, *keys: str) -> bool:
    """Count this request towards ``kind`` for each key (an address, a network address)
    and say whether any key is over the limit (``PORTAL_THROTTLE_LIMIT`` within
    ``PORTAL_THROTTLE_MINUTES``). Keys are stored as hashes only."""
    since = timezone.now() - timedelta(minutes=settings.PORTAL_THROTTLE_MINUTES)
    hashed = [_hash(kind, key.lower()) for key in keys if key]
    over = any(
        Attempt.objects.filter(key=h, at__gte=since).count() >= settings.PORTAL_THROTTLE_LIMIT
        for h in hashed
    )
    Attempt.objects.bulk_create([Attempt(key=h) for h in hashed])
    Attempt.objects.filter(at__lt=since - timedelta(days=1)).delete()
    return over


def normalise_phone(phone: str) -> str:
    """A Dutch mobile number as 06 followed by 8 digits ("" when it is not one)."""
    digits = "".join(c for c in phone if c.isdigit())
    for prefix in ("0031", "31"):
        if digits.startswith(prefix + "6"):
            digits = "0" + digits[len(prefix) :]
    return digits if digits.startswith("06") and len(digits) == 10 else ""


def find_parent(identifier: str) -> User | None:
    """The parent login with this email address or mobile number (None when unknown or
    ambiguous). Only logins linked to a guardian record count."""
    identifier = identifier.strip()
    users = User.objects.filter(is_active=True, guardian_records__isnull=False).distinct()
    if "@" in identifier:
        found = list(users.filter(email__iexact=identifier)[:2])
    else:
        phone = normalise_phone(identifier)
        found = list(users.filter(phone=phone)[:2]) if phone else []
    return found[0] if len(found) == 1 else None


def make_sign_in_link(user: User, language: str) -> SignInLink:
    """A one-time sign-in link, sent by email (or by text message without email)."""
    channel = Channel.EMAIL if user.email else Channel.SMS
    link = SignInLink.objects.create(
        user=user,
        token=private_links.new_token(),
        channel=channel,
        expires_at=timezone.now() + timedelta(minutes=settings.PORTAL_SIGN_IN_LINK_MINUTES),
    )
    t = texts.texts(language)
    values = {
        "link": settings.SITE_URL.rstrip("/") + reverse("portal:link", args=[link.token]),
        "minutes": settings.PORTAL_SIGN_IN_LINK_MINUTES,
    }
    body = fill(t["link_body"], values, isolate=is_rtl(language))
    if channel == Channel.EMAIL:
        EmailMessage(subject=t["link_subject"], body=body, to=[user.email]).send()
    elif user.phone:
        sms.gateway().send(user.phone, body, key=str(link.pk))
    record(user, AuditEntry.Action.CREATE, link, detail={"channel": channel})
    return link


@transaction.atomic
def use_sign_in_link(link: SignInLink) -> User:
    locked = SignInLink.objects.select_for_update().select_related("user").get(pk=link.pk)
    if locked.used_at is not None or private_links.is_expired(locked.expires_at):
        raise Refused("This sign-in link has been used or has expired.", code="gone")
    locked.used_at = timezone.now()
    locked.save(update_fields=["used_at"])
    return locked.user


def set_language(user: User, language: str) -> None:
    ParentPreference.objects.update_or_create(user=user, defaults={"language": language})


# --- consents ------------------------------------------------------------


@transaction.atomic
def withdraw(user: User, consent: Consent) -> Consent:
    """A parent withdraws their own consent; the key figure's access ends on their next
    request (access is computed from consents in force). Withdrawing twice is refused,
    so replaying the form changes nothing."""
    locked = Consent.objects.select_for_update().get(pk=consent.pk)
    if locked.withdrawn_at is not None:
        raise Refused("This consent has already been withdrawn.", code="already")
    locked.withdrawn_at = timezone.now()
    locked.withdrawn_by = user
    locked.withdrawal_note = "parent portal"
    locked.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_note"])
    record(
        user,
        AuditEntry.Action.UPDATE,
        locked,
        school_id=locked.bridge.family.school_id,
        family_id=str(locked.bridge.family_id),
        detail={"withdrawn": True, "bridge": str(locked.bridge_id), "by": "parent"},
    )
    return locked


@transaction.atomic
def give_consent(
    user: User, guardian: Guardian, bridge: Bridge, *, contact_person: bool, meetings: bool
) -> Consent:
    """A parent with authority consents online to a proposed bridge. A consent of theirs
    in force already makes a replay a refusal (never a second, or revived, consent)."""
    Bridge.objects.select_for_update().filter(pk=bridge.pk).first()
    if bridge.ended_at:
        raise Refused("This bridge has ended.", code="ended")
    if not Guardianship.objects.filter(
        guardian=guardian,
        pupil__family_id=bridge.family_id,
        pupil__left_on__isnull=True,
        parental_authority=True,
    ).exists():
        raise Refused("Only a parent with parental authority can consent.", code="authority")
    if Consent.objects.filter(bridge=bridge, guardian=guardian, withdrawn_at__isnull=True).exists():
        raise Refused("You have already given consent.", code="already")
    consent = Consent.objects.create(
        bridge=bridge,
        guardian=guardian,
        given_on=timezone.localdate(),
        how=Consent.How.PORTAL,
        share_contact_person=contact_person,
        share_meetings=meetings,
        recorded_by=user,
    )
    record(
        user,
        AuditEntry.Action.CREATE,
        consent,
        school_id=bridge.family.school_id,
        family_id=str(bridge.family_id),
        detail={"bridge": str(bridge.pk), "how": "portal", "meetings": meetings},
    )
    return consent


# --- consent for a share, online ------------------------------------------------------------


@transaction.atomic
def ask_share_consent(actor: User, signal: Signal, version: AgreementVersion) -> ShareConsent:
    """The care coordinator asks the parents online for consent to share this signal
    under this agreement version (one that needs consent and is in force). Asking twice
    gives the same request."""
    from bondgenoot.network.actions import current_versions
    from bondgenoot.network.models import ConsentFrom

    if version.consent_from == ConsentFrom.NONE:
        raise Refused("This agreement needs no consent.", code="no_consent")
    if not current_versions(signal.school_id, signal.category).filter(pk=version.pk).exists():
        raise Refused("This version of the agreement is no longer in force.", code="old_version")
    found, made = ShareConsent.objects.get_or_create(
        signal=signal, version=version, defaults={"school_id": signal.school_id, "asked_by": actor}
    )
    if made:
        record(
            actor,
            AuditEntry.Action.CREATE,
            found,
            school_id=signal.school_id,
            family_id=str(signal.pupil.family_id),
            detail={"signal": str(signal.pk), "version": version.number},
        )
    return found


@transaction.atomic
def give_share_consent(user: User, guardian: Guardian, ask: ShareConsent) -> ShareConsent:
    """A parent with authority consents online to a proposed share. Once: a replay, or an
    answer after another parent's, is refused. From 16 the pupil decides where the
    agreement says so (the parent cannot)."""
    return _answer_share(user, guardian, ask, consent=True)


@transaction.atomic
def decline_share_consent(user: User, guardian: Guardian, ask: ShareConsent) -> ShareConsent:
    """A parent with authority says no to a proposed share: the share does not happen
    (``share_with_online_consent`` refuses it) and the care coordinator sees the answer.
    The same rules as consenting: once, authority, the pupil decides from 16."""
    return _answer_share(user, guardian, ask, consent=False)


def _answer_share(
    user: User, guardian: Guardian, ask: ShareConsent, *, consent: bool
) -> ShareConsent:
    from bondgenoot.network.models import ConsentFrom

    locked = (
        ShareConsent.objects.select_for_update()
        .select_related("signal__pupil", "version")
        .get(pk=ask.pk)
    )
    if not locked.is_open:
        raise Refused("The parents have already answered.", code="already")
    pupil = locked.signal.pupil
    if not Guardianship.objects.filter(
        guardian=guardian, pupil=pupil, pupil__left_on__isnull=True, parental_authority=True
    ).exists():
        raise Refused("Only a parent with parental authority can answer.", code="authority")
    if (
        locked.version.consent_from == ConsentFrom.PUPIL
        and pupil_age(pupil, timezone.localdate()) >= 16
    ):
        raise Refused("The pupil decides from 16.", code="pupil")
    locked.guardian = guardian
    field = "given_at" if consent else "declined_at"
    setattr(locked, field, timezone.now())
    locked.save(update_fields=["guardian", field])
    record(
        user,
        AuditEntry.Action.UPDATE,
        locked,
        school_id=locked.school_id,
        family_id=str(pupil.family_id),
        detail={"consent": consent, "how": "portal", "guardian": str(guardian.pk)},
    )
    return locked


def share_with_online_consent(actor: User, ask: ShareConsent, parents_informed: bool) -> Share:
    """The care coordinator shares under the consent the parent gave online (the
    network's own ``share_signal`` checks the agreement and the consent again)."""
    from bondgenoot.network import actions as network_actions

    if ask.declined_at is not None:
        raise Refused("A parent said no to this share.", code="declined")
    if ask.given_at is None or ask.guardian is None:
        raise Refused("The parents have not given consent yet.", code="waiting")
    return network_actions.share_signal(
        actor,
        ask.signal,
        ask.version,
        consent_guardian=ask.guardian,
        consent_by_pupil=False,
        consent_on=timezone.localdate(ask.given_at),
        parents_informed=parents_informed,
    )


# --- restriction ------------------------------------------------------------


@transaction.atomic
def restrict(
    actor: User, *, reason: str, contact: Contact | None = None, signal: Signal | None = None
) -> Restriction:
    """A care coordinator marks one contact or signal "not shown to parents". The reason
    comes from the fixed list; "the pupil's own request" only for a pupil of 16 or older.
    It comes up for review after the school's ``restriction_review_weeks`` (a school
    setting, ``people.school_settings``)."""
    if reason not in RestrictionReason.values:
        raise Refused("Choose a reason from the list.", code="reason")
    target: Contact | Signal
    if contact is not None:
        target, family_id = contact, contact.family_id
        pupils = list(contact.pupils.all())
    elif signal is not None:
        target, family_id = signal, signal.pupil.family_id
        pupils = [signal.pupil]
    else:
        raise Refused("Choose a contact or a signal.", code="record")
    if reason == RestrictionReason.PUPIL_REQUEST and (
        not pupils or any(pupil_age(p, timezone.localdate()) < 16 for p in pupils)
    ):
        raise Refused("Only a pupil of 16 or older can ask for this.", code="age")
    try:
        with transaction.atomic():
            restriction = Restriction.objects.create(
                school_id=target.school_id,
                family_id=family_id,
                contact=contact,
                signal=signal,
                reason=reason,
                by=actor,
                review_on=timezone.localdate()
                + timedelta(
                    weeks=school_settings.value(target.school_id, "restriction_review_weeks")
                ),
            )
    except IntegrityError:
        raise Refused("This record is already hidden from parents.", code="already") from None
    record(
        actor,
        AuditEntry.Action.CREATE,
        restriction,
        school_id=target.school_id,
        family_id=str(family_id),
        detail={
            "record": type(target).__name__.lower(),
            "id": str(target.pk),
            "reason": reason,
            "review_on": restriction.review_on.isoformat(),
        },
    )
    return restriction


@transaction.atomic
def lift(actor: User, restriction: Restriction) -> Restriction:
    locked = Restriction.objects.select_for_update().get(pk=restriction.pk)
    if locked.lifted_at is None:
        locked.lifted_at = timezone.now()
        locked.lifted_by = actor
        locked.save(update_fields=["lifted_at", "lifted_by"])
        record(
            actor,
            AuditEntry.Action.UPDATE,
            locked,
            school_id=locked.school_id,
            family_id=str(locked.family_id),
            detail={"lifted": True},
        )
    return locked


@transaction.atomic
def release_interpretation(actor: User, signal: Signal) -> InterpretationRelease:
    release, created = InterpretationRelease.objects.get_or_create(
        signal=signal, defaults={"by": actor}
    )
    if created:
        record(
            actor,
            AuditEntry.Action.UPDATE,
            signal,
            school_id=signal.school_id,
            family_id=str(signal.pupil.family_id),
            detail={"interpretation_released": True},
        )
    return release
