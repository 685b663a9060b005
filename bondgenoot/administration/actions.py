"""Every change the administrator makes: one function per change of state, each with
its audit entry. Views check access (``bondgenoot.access.administration``), parse the
form, call one of these and render.

Audit entries hold ids and field names, never names, phone numbers or addresses.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import ForeignObjectRel, Model, Q
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import devices_for_user

from bondgenoot.audit.log import record
from bondgenoot.audit.models import AuditEntry
from bondgenoot.people.models import (
    Family,
    Group,
    Guardian,
    Guardianship,
    Language,
    Membership,
    Organisation,
    Pupil,
    Role,
    SchoolSettings,
    User,
)
from bondgenoot.people.schoolyear import school_year_start

from .models import Placement, Rollover, RolloverMove

UPDATE = AuditEntry.Action.UPDATE
CREATE = AuditEntry.Action.CREATE
DELETE = AuditEntry.Action.DELETE


class Refused(ValidationError):
    """A change the rules do not allow; the message is for the administrator."""


# Accounts ---------------------------------------------------------------------------


def _taken(username: str, email: str, exclude: int | None = None) -> str | None:
    users = User.objects.exclude(pk=exclude) if exclude else User.objects.all()
    if users.filter(username__iexact=username).exists():
        return "username"
    if email and users.filter(Q(email__iexact=email) | Q(username__iexact=email)).exists():
        return "email"
    return None


def _send_invitation(user: User, request: HttpRequest | None = None) -> None:
    """The password link, built from the request, or from ``SITE_URL`` outside one."""
    form = PasswordResetForm({"email": user.email})
    form.is_valid()
    site = urlsplit(settings.SITE_URL)
    form.save(
        request=request,
        domain_override=None if request else site.netloc,
        use_https=request.is_secure() if request else site.scheme == "https",
        subject_template_name="administration/email/invitation_subject.txt",
        email_template_name="administration/email/invitation.txt",
        # The stubs want text values; a template context takes any value.
        extra_email_context={"two_step": _needs_two_step(user)},  # type: ignore[dict-item]
    )


def _needs_two_step(user: User) -> bool:
    from bondgenoot.people.models import TWO_FACTOR_ROLES

    return Membership.objects.filter(user=user, role__in=TWO_FACTOR_ROLES).exists()


@transaction.atomic
def create_account(
    actor: User,
    *,
    username: str,
    email: str,
    first_name: str,
    last_name: str,
    memberships: list[tuple[int, str]],
    organisation: Organisation | None = None,
    request: HttpRequest | None = None,
) -> User:
    """A new staff or partner account with its roles, and an invitation email with a
    link to choose a password. Roles with a two-step login set up their authenticator
    app at the first login (``accounts.two_factor``)."""
    username = username.strip()
    email = email.strip().lower()
    taken = _taken(username, email)
    if taken == "username":
        raise Refused(_("This username is already in use. Choose another one."), code="username")
    if taken == "email":
        raise Refused(
            _("An account with this email address already exists. Look it up in the list."),
            code="email",
        )
    if not memberships:
        raise Refused(_("Give the account at least one role."), code="no_role")
    user = User(
        username=username,
        email=email,
        first_name=first_name.strip()[:150],
        last_name=last_name.strip()[:150],
        organisation=organisation,
    )
    # A password nobody knows; the person chooses their own through the link.
    user.set_password(secrets.token_urlsafe(32))
    user.save()
    record(
        actor,
        CREATE,
        user,
        school_id=memberships[0][0],
        detail={"organisation": organisation.pk if organisation else None},
    )
    for school_id, role in memberships:
        add_membership(actor, user, school_id, role)
    transaction.on_commit(lambda: _send_invitation(user, request))
    return user


@transaction.atomic
def update_account(actor: User, account: User, values: dict[str, Any]) -> User:
    email = values.get("email", account.email).strip().lower()
    if _taken(account.username, email, exclude=account.pk) == "email":
        raise Refused(
            _("An account with this email address already exists. Look it up in the list."),
            code="email",
        )
    values = {**values, "email": email}
    changed = [k for k, v in values.items() if getattr(account, k) != v]
    for key, value in values.items():
        setattr(account, key, value)
    if changed:
        account.save(update_fields=changed)
        record(actor, UPDATE, account, detail={"fields": changed})
    return account


def resend_invitation(actor: User, account: User, request: HttpRequest | None = None) -> None:
    record(actor, UPDATE, account, detail={"event": "invitation_sent"})
    _send_invitation(account, request)


@transaction.atomic
def add_membership(actor: User, account: User, school_id: int, role: str) -> Membership:
    membership, created = Membership.objects.get_or_create(
        user=account, school_id=school_id, role=role
    )
    if created:
        record(actor, CREATE, membership, detail={"user": account.pk, "role": role})
    return membership


def _active_admins(school_id: int) -> set[int]:
    return set(
        Membership.objects.filter(
            school_id=school_id, role=Role.ADMINISTRATOR, user__is_active=True
        ).values_list("user_id", flat=True)
    )


def _refuse_last_admin(account: User, school_ids: Iterable[int]) -> None:
    for school_id in school_ids:
        if _active_admins(school_id) == {account.pk}:
            raise Refused(
                _(
                    "This is the last administrator of the school. Give someone else the "
                    "administrator role first."
                ),
                code="last_admin",
            )


@transaction.atomic
def remove_membership(actor: User, membership: Membership) -> None:
    if membership.role == Role.ADMINISTRATOR and membership.user.is_active:
        _refuse_last_admin(membership.user, [membership.school_id])
    record(
        actor,
        DELETE,
        membership,
        detail={"user": membership.user_id, "role": membership.role},
    )
    membership.delete()


def end_sessions(account: User) -> int:
    """Delete every session of this account: they are logged out on their next click.
    (Django does not index sessions by user; this reads the unexpired ones.)"""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(account.pk):
            session.delete()
            ended += 1
    return ended


@transaction.atomic
def deactivate_account(actor: User, account: User) -> User:
    """The person left: no more logins, their sessions end at once, and everything
    they wrote stays with their name (the account is kept, not deleted)."""
    admin_schools = Membership.objects.filter(user=account, role=Role.ADMINISTRATOR).values_list(
        "school_id", flat=True
    )
    _refuse_last_admin(account, list(admin_schools))
    account.is_active = False
    account.save(update_fields=["is_active"])
    ended = end_sessions(account)
    record(
        actor,
        UPDATE,
        account,
        school_id=_first_school(account),
        detail={"field": "is_active", "to": False, "sessions_ended": ended},
    )
    return account


@transaction.atomic
def reactivate_account(actor: User, account: User, request: HttpRequest | None = None) -> User:
    account.is_active = True
    account.save(update_fields=["is_active"])
    record(
        actor,
        UPDATE,
        account,
        school_id=_first_school(account),
        detail={"field": "is_active", "to": True},
    )
    return account


def _first_school(account: User) -> int | None:
    return (
        Membership.objects.filter(user=account)
        .order_by("school_id")
        .values_list("school_id", flat=True)
    ).first()


@transaction.atomic
def reset_two_factor(
    actor: User, account: User, reason: str, request: HttpRequest | None = None
) -> int:
    """Remove the account's authenticator devices (lost phone). The person sets up a
    new one at their next login; their sessions end now, and they get an email that
    this happened (so a reset they did not ask for does not go unnoticed)."""
    reason = reason.strip()
    if len(reason) < 5:
        raise Refused(_("Say briefly why, for the audit log."), code="reason")
    removed = 0
    for device in list(devices_for_user(account, confirmed=None)):
        device.delete()
        removed += 1
    ended = end_sessions(account)
    record(
        actor,
        AuditEntry.Action.TWO_FACTOR,
        account,
        school_id=_first_school(account),
        detail={
            "event": "reset",
            "reason": reason[:300],
            "devices": removed,
            "sessions_ended": ended,
        },
    )
    if account.email:
        context = {"account": account}
        transaction.on_commit(
            lambda: send_mail(
                render_to_string(
                    "administration/email/two_step_reset_subject.txt", context
                ).strip(),
                render_to_string("administration/email/two_step_reset.txt", context),
                None,
                [account.email],
            )
        )
    return removed


# Offboarding -----------------------------------------------------------------------


@dataclass
class Handover:
    """What someone who leaves still holds at one school (read without contents)."""

    next_steps: list[Any] = field(default_factory=list)
    contact_families: list[Any] = field(default_factory=list)
    introductions: list[Any] = field(default_factory=list)
    groups: list[Any] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.next_steps or self.contact_families or self.introductions or self.groups)


def handover(account: User, school_id: int, school_year: int) -> Handover:
    """Open next steps, families they are the fixed contact person for, open key-figure
    introductions they made and the groups they mentor: four queries. Only dates and
    family names, never what a next step says (that is ledger content)."""
    from bondgenoot.bridges.models import Bridge
    from bondgenoot.contacts.models import NextStep

    return Handover(
        next_steps=list(
            NextStep.objects.filter(
                owner=account, done_at__isnull=True, family__school_id=school_id
            )
            .select_related("family")
            .only("id", "due", "family", "family__name")
            .order_by("due", "id")
        ),
        contact_families=list(
            Family.objects.filter(contact_person=account, school_id=school_id).order_by("name")
        ),
        introductions=list(
            Bridge.objects.filter(
                introduced_by=account, ended_at__isnull=True, family__school_id=school_id
            )
            .select_related("family", "key_figure")
            .order_by("introduced_at")
        ),
        groups=list(
            Group.objects.filter(mentors=account, school_id=school_id, school_year=school_year)
        ),
    )


@transaction.atomic
def hand_over(
    actor: User, leaver: User, successor: User, school_id: int, school_year: int
) -> dict[str, Any]:
    """Give everything in ``handover`` to ``successor`` in one step; each change has
    its own audit entry."""
    from bondgenoot.bridges.models import Bridge
    from bondgenoot.contacts.models import NextStep

    if successor.pk == leaver.pk or not successor.is_active:
        raise Refused(_("Choose someone else who still works here."), code="successor")
    held = handover(leaver, school_id, school_year)
    for group in held.groups:
        group.mentors.remove(leaver)
        group.mentors.add(successor)
        record(
            actor,
            UPDATE,
            group,
            detail={"field": "mentors", "from": leaver.pk, "to": successor.pk},
        )
    for step in held.next_steps:
        NextStep.objects.filter(pk=step.pk).update(owner=successor)
        record(
            actor,
            UPDATE,
            step,
            school_id=school_id,
            family_id=str(step.family_id),
            detail={"field": "owner", "from": leaver.pk, "to": successor.pk},
        )
    for family in held.contact_families:
        Family.objects.filter(pk=family.pk).update(contact_person=successor)
        record(
            actor,
            UPDATE,
            family,
            detail={"field": "contact_person", "from": leaver.pk, "to": successor.pk},
        )
    for bridge in held.introductions:
        Bridge.objects.filter(pk=bridge.pk).update(introduced_by=successor)
        record(
            actor,
            UPDATE,
            bridge,
            school_id=school_id,
            family_id=str(bridge.family_id),
            detail={"field": "introduced_by", "from": leaver.pk, "to": successor.pk},
        )
    return {
        "groups": len(held.groups),
        "next_steps": len(held.next_steps),
        "families": len(held.contact_families),
        "introductions": len(held.introductions),
    }


# Partner organisations ---------------------------------------------------------------


@transaction.atomic
def save_organisation(actor: User, organisation: Organisation) -> Organisation:
    created = organisation.pk is None
    organisation.save()
    record(actor, CREATE if created else UPDATE, organisation, detail={"kind": organisation.kind})
    return organisation


# People ------------------------------------------------------------------------------


def _figures_changed(school_id: int) -> None:
    """The monitor caches its figures per ledger version: a pupil who joins, moves or
    leaves changes them too."""
    from bondgenoot.contacts.summary import bump_versions

    transaction.on_commit(lambda: bump_versions({school_id}))


def _changed(obj: Model, values: dict[str, Any]) -> list[str]:
    return [k for k, v in values.items() if getattr(obj, k) != v]


@transaction.atomic
def save_guardian(
    actor: User, guardian: Guardian, values: dict[str, Any], home_languages: list[str] | None = None
) -> Guardian:
    created = guardian._state.adding
    changed = _changed(guardian, values)
    for key, value in values.items():
        setattr(guardian, key, value)
    guardian.full_clean()
    guardian.save()
    if home_languages is not None:
        Language.ensure(home_languages)
        before = set(guardian.home_languages.values_list("code", flat=True))
        if before != set(home_languages):
            guardian.home_languages.set(Language.objects.filter(code__in=home_languages))
            changed.append("home_languages")
    if created or changed:
        record(actor, CREATE if created else UPDATE, guardian, detail={"fields": changed})
    return guardian


def _open_placement(pupil: Pupil) -> Placement | None:
    return Placement.objects.filter(pupil=pupil, ended_on__isnull=True).first()


def _close_placement(pupil: Pupil, on: date) -> None:
    """End the current placement; a pupil from before this app (or an import) gets one
    from the start of its group's school year, so the history is complete."""
    current = _open_placement(pupil)
    if current is None and pupil.group is not None:
        current = Placement(
            pupil=pupil,
            group=pupil.group,
            started_on=min(school_year_start(pupil.group.school_year), on),
            why=Placement.Why.ADDED,
        )
    if current is not None:
        current.ended_on = on
        current.save()


@transaction.atomic
def add_pupil(
    actor: User,
    *,
    school_id: int,
    family: Family | None,
    family_name: str,
    group: Group,
    values: dict[str, Any],
    on: date | None = None,
) -> Pupil:
    """A pupil who comes in during the year: into an existing family (a sibling) or a
    new one."""
    on = on or timezone.localdate()
    if Pupil.objects.filter(school_id=school_id, pupil_number=values["pupil_number"]).exists():
        raise Refused(
            _("A pupil with this pupil number already exists at this school."), code="number"
        )
    if family is None:
        family = Family.objects.create(school_id=school_id, name=family_name)
        record(actor, CREATE, family)
    pupil = Pupil(school_id=school_id, family=family, group=group, **values)
    pupil.full_clean()
    pupil.save()
    Placement.objects.create(
        pupil=pupil, group=group, started_on=on, why=Placement.Why.ADDED, by=actor
    )
    record(actor, CREATE, pupil, detail={"group": group.pk})
    _figures_changed(school_id)
    return pupil


@transaction.atomic
def update_pupil(actor: User, pupil: Pupil, values: dict[str, Any]) -> Pupil:
    number = values.get("pupil_number")
    if (
        number
        and Pupil.objects.filter(school_id=pupil.school_id, pupil_number=number)
        .exclude(pk=pupil.pk)
        .exists()
    ):
        raise Refused(
            _("A pupil with this pupil number already exists at this school."), code="number"
        )
    changed = _changed(pupil, values)
    for key, value in values.items():
        setattr(pupil, key, value)
    if changed:
        pupil.full_clean()
        pupil.save(update_fields=changed)
        record(actor, UPDATE, pupil, detail={"fields": changed})
    return pupil


@transaction.atomic
def move_pupil(actor: User, pupil: Pupil, group: Group, on: date | None = None) -> Pupil:
    """To another group; the group they were in stays in their history."""
    on = on or timezone.localdate()
    if group.school_id != pupil.school_id:
        raise Refused(_("This group belongs to another school."), code="school")
    if group.pk == pupil.group_id:
        return pupil
    old = pupil.group_id
    _close_placement(pupil, on)
    pupil.group = group
    pupil.save(update_fields=["group"])
    Placement.objects.create(
        pupil=pupil, group=group, started_on=on, why=Placement.Why.MOVED, by=actor
    )
    record(actor, UPDATE, pupil, detail={"field": "group", "from": old, "to": group.pk})
    _figures_changed(pupil.school_id)
    return pupil


@transaction.atomic
def mark_left(actor: User, pupil: Pupil, left_on: date) -> Pupil:
    """The pupil left the school on ``left_on``: the retention terms start counting
    from that date (``network.apply_retention``); the group stays in their history."""
    if pupil.left_on:
        raise Refused(_("This pupil has already left."), code="left")
    _close_placement(pupil, left_on)
    Placement.objects.filter(pupil=pupil, ended_on=left_on).update(why=Placement.Why.LEFT)
    pupil.left_on = left_on
    pupil.save(update_fields=["left_on"])
    record(actor, UPDATE, pupil, detail={"field": "left_on", "to": left_on.isoformat()})
    _figures_changed(pupil.school_id)
    return pupil


@transaction.atomic
def link_guardian(
    actor: User, pupil: Pupil, guardian: Guardian, values: dict[str, Any]
) -> Guardianship:
    if guardian.school_id != pupil.school_id:
        raise Refused(_("This guardian belongs to another school."), code="school")
    if Guardianship.objects.filter(pupil=pupil, guardian=guardian).exists():
        raise Refused(_("This guardian is already linked to this pupil."), code="linked")
    link = Guardianship.objects.create(pupil=pupil, guardian=guardian, **values)
    record(
        actor,
        CREATE,
        link,
        school_id=pupil.school_id,
        family_id=str(pupil.family_id),
        detail={"pupil": str(pupil.pk), "guardian": str(guardian.pk), **_link_detail(values)},
    )
    return link


def _link_detail(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if k != "relation"} | (
        {"relation": values["relation"]} if "relation" in values else {}
    )


@transaction.atomic
def update_guardianship(actor: User, link: Guardianship, values: dict[str, Any]) -> Guardianship:
    """Relation, parental authority, lives with, post. Access follows at once: who may
    consent and who gets messages is read from these rows on every request."""
    changed = {
        k: {"from": getattr(link, k), "to": v} for k, v in values.items() if getattr(link, k) != v
    }
    for key, value in values.items():
        setattr(link, key, value)
    if changed:
        link.save(update_fields=list(changed))
        record(
            actor,
            UPDATE,
            link,
            school_id=link.pupil.school_id,
            family_id=str(link.pupil.family_id),
            detail={"changes": changed},
        )
    return link


@transaction.atomic
def unlink_guardian(actor: User, link: Guardianship) -> None:
    record(
        actor,
        DELETE,
        link,
        school_id=link.pupil.school_id,
        family_id=str(link.pupil.family_id),
        detail={"pupil": str(link.pupil_id), "guardian": str(link.guardian_id)},
    )
    link.delete()


# Merging two families made by mistake -------------------------------------------------

# Tables recomputed from the contacts after a merge rather than moved.
_RECOMPUTED = {
    "contacts.familysummary",
    "contacts.familyyearsummary",
    "contacts.familymonthsummary",
}


@transaction.atomic
def merge_families(actor: User, keep: Family, drop: Family) -> dict[str, Any]:
    """Move everything of ``drop`` to ``keep`` and delete ``drop``: pupils (their
    signals follow them), contacts, next steps, bridges, invitations, deliveries,
    situation changes... every table that points at a family, found from the model
    (so a new app's table is not forgotten). A row that would be a duplicate at
    ``keep`` (the same meeting attendance twice) is dropped and counted. The summaries
    are recomputed. Audit: one entry on each family with the counts."""
    if keep.pk == drop.pk or keep.school_id != drop.school_id:
        raise Refused(_("Choose two different families of the same school."), code="same")
    moved: dict[str, int] = {}
    dropped: dict[str, int] = {}
    # Every table with a foreign key to Family, hidden ones included (related_name="+":
    # invitations, attendances, deliveries; the through table of hand-picked meeting
    # families), so that deleting ``drop`` cascades to nothing.
    for relation in Family._meta.get_fields(include_hidden=True):
        if not (relation.auto_created and not relation.concrete) or relation.many_to_many:
            continue  # a many-to-many is moved through its through table's foreign key
        model = relation.related_model
        assert isinstance(relation, ForeignObjectRel) and model is not None
        label = model._meta.label_lower
        if label in _RECOMPUTED:
            model._default_manager.filter(**{relation.field.name: drop}).delete()
            continue
        rows = model._default_manager.filter(**{relation.field.name: drop})
        try:
            with transaction.atomic():
                count = rows.update(**{relation.field.name: keep})
        except IntegrityError:
            count = 0
            for pk in list(rows.values_list("pk", flat=True)):
                try:
                    with transaction.atomic():
                        model._default_manager.filter(pk=pk).update(**{relation.field.name: keep})
                    count += 1
                except IntegrityError:
                    model._default_manager.filter(pk=pk).delete()
                    dropped[label] = dropped.get(label, 0) + 1
        if count:
            moved[label] = count
    if keep.contact_person_id is None and drop.contact_person_id:
        keep.contact_person_id = drop.contact_person_id
        keep.save(update_fields=["contact_person"])
    from bondgenoot.contacts.summary import refresh

    refresh([keep.pk])
    detail = {"merged_from": str(drop.pk), "moved": moved, "dropped_duplicates": dropped}
    record(actor, UPDATE, keep, detail=detail)
    record(actor, DELETE, drop, detail={"merged_into": str(keep.pk)})
    drop.delete()
    return detail


# The school year ---------------------------------------------------------------------


@dataclass
class GroupPlan:
    """For one group of this year: where its pupils go."""

    source: Group
    action: str  # "promote", "leave", "stay" (no new group: pupils stay where they are)
    new_name: str = ""
    mentor_ids: list[int] = field(default_factory=list)


def next_name(name: str) -> str:
    """The default name next year: the leading year number up by one (1A -> 2A,
    H4b -> H5b; a name without a number stays)."""
    digits = ""
    start = None
    for index, char in enumerate(name):
        if char.isdigit():
            if start is None:
                start = index
            digits += char
        elif start is not None:
            break
    if start is None:
        return name
    return name[:start] + str(int(digits) + 1) + name[start + len(digits) :]


@transaction.atomic
def plan_rollover(actor: User, school_id: int, year: int, plans: list[GroupPlan]) -> Rollover:
    """Make next year's groups (with their mentors) and list each pupil's move. Pupils
    who left are kept out. Nothing moves yet: ``apply_rollover`` does that, from the
    first day of the new school year."""
    if Rollover.objects.filter(school_id=school_id, school_year=year).exists():
        raise Refused(_("The new school year has already been planned."), code="exists")
    rollover = Rollover.objects.create(school_id=school_id, school_year=year, planned_by=actor)
    new_groups: dict[str, Group] = {}
    moves = []
    for plan in plans:
        if plan.source.school_id != school_id:
            raise Refused(_("This group belongs to another school."), code="school")
        pupils = list(plan.source.pupils.filter(left_on__isnull=True).values_list("pk", flat=True))
        if plan.action == "promote":
            name = plan.new_name.strip()
            target = new_groups.get(name)
            if target is None:
                target, created = Group.objects.get_or_create(
                    school_id=school_id,
                    school_year=year,
                    name=name,
                    defaults={"year_level": plan.source.year_level + 1},
                )
                if created:
                    record(actor, CREATE, target, detail={"from_group": plan.source.pk})
                new_groups[name] = target
            if plan.mentor_ids:
                target.mentors.add(*plan.mentor_ids)
            moves += [RolloverMove(rollover=rollover, pupil_id=p, to_group=target) for p in pupils]
        elif plan.action == "leave":
            moves += [RolloverMove(rollover=rollover, pupil_id=p, to_group=None) for p in pupils]
    RolloverMove.objects.bulk_create(moves)
    record(
        actor,
        CREATE,
        rollover,
        detail={"year": year, "groups": len(new_groups), "moves": len(moves)},
    )
    return rollover


@transaction.atomic
def apply_rollover(actor: User | None, rollover: Rollover, today: date | None = None) -> int:
    """Move the pupils of a planned rollover, once. From 1 August of the new year on
    (mentors see the pupils of the current school year's groups only). All in one
    transaction; a move already done is skipped, so running it again does nothing
    twice. Returns the number of pupils moved now."""
    today = today or timezone.localdate()
    start = school_year_start(rollover.school_year)
    if today < start:
        raise Refused(
            _("The new school year starts on %(date)s. The pupils move from then on.")
            % {"date": start.strftime("%d-%m-%Y")},
            code="too_early",
        )
    rollover = Rollover.objects.select_for_update().get(pk=rollover.pk)
    moves = list(rollover.moves.filter(done=False).select_related("pupil", "pupil__group"))
    for move in moves:
        pupil = move.pupil
        if pupil.left_on:  # left after the plan was made
            pass
        elif move.to_group_id is None:
            _close_placement(pupil, start)
            Placement.objects.filter(pupil=pupil, ended_on=start).update(why=Placement.Why.LEFT)
            pupil.left_on = start
            pupil.save(update_fields=["left_on"])
        else:
            _close_placement(pupil, start)
            pupil.group_id = move.to_group_id
            pupil.save(update_fields=["group"])
            Placement.objects.create(
                pupil=pupil,
                group_id=move.to_group_id,
                started_on=start,
                why=Placement.Why.SCHOOL_YEAR,
                by=actor,
            )
        move.done = True
        move.save(update_fields=["done"])
    if rollover.applied_at is None:
        rollover.applied_at = timezone.now()
        rollover.save(update_fields=["applied_at"])
    record(actor, UPDATE, rollover, detail={"applied": len(moves)})
    _figures_changed(rollover.school_id)
    return len(moves)


# Settings ---------------------------------------------------------------------------


@transaction.atomic
def save_school_settings(actor: User, school_id: int, values: dict[str, Any]) -> SchoolSettings:
    row, _created = SchoolSettings.objects.get_or_create(school_id=school_id)
    changes = {
        k: {"from": getattr(row, k), "to": v} for k, v in values.items() if getattr(row, k) != v
    }
    for key, value in values.items():
        setattr(row, key, value)
    row.full_clean()
    row.save()
    if changes:
        record(actor, UPDATE, row, school_id=school_id, detail={"changes": changes})
    return row
