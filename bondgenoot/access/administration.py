"""The register and its administration: accounts, roles, people, the school year and
the settings of a school.

Administrators change these at their own school(s); a school leader reads the
register; no other role reaches these pages. Nothing here opens contacts or signals:
administrators keep the register and never read what was recorded about a family.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, QuerySet

from bondgenoot.people.models import (
    Family,
    Group,
    Guardian,
    Membership,
    Organisation,
    Pupil,
    User,
)

from .core import can, get_or_404, schools_for

__all__ = [
    "accounts_visible_to",
    "admin_schools",
    "can_administer",
    "can_read_register",
    "families_for_admin",
    "get_account",
    "get_account_for_edit",
    "get_guardian_for_admin",
    "get_pupil_for_admin",
    "groups_for_admin",
    "guardians_for_admin",
    "organisations_visible_to",
    "pupils_for_admin",
    "register_schools",
]


def register_schools(user: Any) -> list[int]:
    """Schools whose register (accounts, pupils, groups, settings) this user reads."""
    return schools_for(user, "admin.register")


def can_read_register(user: Any, school_id: int | None = None) -> bool:
    return can(user, "admin.register", school_id)


def admin_schools(user: Any, capability: str = "admin.accounts") -> list[int]:
    """Schools where this user changes what ``capability`` covers."""
    return schools_for(user, capability)


def can_administer(
    user: Any, capability: str = "admin.accounts", school_id: int | None = None
) -> bool:
    return can(user, capability, school_id)


def accounts_visible_to(user: Any) -> QuerySet[User]:
    """Accounts with a role at a school whose register this user reads (each once)."""
    schools = register_schools(user)
    if not schools:
        return User.objects.none()
    member = Membership.objects.filter(user=OuterRef("pk"), school_id__in=schools)
    return User.objects.filter(Exists(member))


def get_account(user: Any, pk: Any) -> User:
    return get_or_404(accounts_visible_to(user), pk)


def get_account_for_edit(user: Any, pk: Any) -> User:
    """An account the user may change: it has a role at a school they administer.
    404 when they may not see it, 403 when they may see but not change it."""
    account = get_account(user, pk)
    schools = admin_schools(user, "admin.accounts")
    if not Membership.objects.filter(user=account, school_id__in=schools).exists():
        raise PermissionDenied
    return account


def organisations_visible_to(user: Any) -> QuerySet[Organisation]:
    """Partner organisations are shared by the schools of an installation (the same
    police, the same youth team): every register reader sees the list; their accounts
    are shown per school through ``accounts_visible_to``."""
    if not register_schools(user):
        return Organisation.objects.none()
    return Organisation.objects.all()


def pupils_for_admin(user: Any, capability: str = "admin.register") -> QuerySet[Pupil]:
    return Pupil.objects.filter(school_id__in=schools_for(user, capability))


def get_pupil_for_admin(user: Any, pk: Any, *, write: bool = False) -> Pupil:
    pupil = get_or_404(pupils_for_admin(user).select_related("group", "family"), pk)
    if write and not can(user, "admin.people", pupil.school_id):
        raise PermissionDenied
    return pupil


def guardians_for_admin(user: Any, capability: str = "admin.register") -> QuerySet[Guardian]:
    return Guardian.objects.filter(school_id__in=schools_for(user, capability))


def get_guardian_for_admin(user: Any, pk: Any, *, write: bool = False) -> Guardian:
    guardian = get_or_404(guardians_for_admin(user), pk)
    if write and not can(user, "admin.people", guardian.school_id):
        raise PermissionDenied
    return guardian


def families_for_admin(user: Any, capability: str = "admin.people") -> QuerySet[Family]:
    return Family.objects.filter(school_id__in=schools_for(user, capability))


def groups_for_admin(user: Any, capability: str = "admin.register") -> QuerySet[Group]:
    return Group.objects.filter(school_id__in=schools_for(user, capability))
