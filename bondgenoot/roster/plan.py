"""Compare a roster with the database, in memory, and say what would change.

``make_plan`` reads what the import touches once per kind (a fixed number of queries,
whatever the size of the file), then builds the records to create and to update.
``apply.write`` writes a plan in bulk. A plan with nothing to do writes nothing.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.auth.hashers import make_password
from django.utils.translation import gettext as _

from bondgenoot.people.models import (
    Family,
    Group,
    Guardian,
    Guardianship,
    Membership,
    Pupil,
    Role,
    School,
    User,
    full_name,
)
from bondgenoot.people.schoolyear import current_school_year

from .models import SourceLink
from .records import Problem, Roster, RosterError

Kind = SourceLink.Kind
EXAMPLES = 5
PUPIL_FIELDS = (
    "first_name",
    "last_name_prefix",
    "last_name",
    "date_of_birth",
    "pupil_number",
    "group_id",
    "left_on",
)
GUARDIAN_FIELDS = (
    "first_name",
    "last_name_prefix",
    "last_name",
    "email",
    "phone",
    "street",
    "postcode",
    "city",
)
LINK_FIELDS = ("relation", "parental_authority", "lives_with")
GROUP_FIELDS = ("name", "year_level")
STAFF_FIELDS = ("first_name", "last_name", "email")


@dataclass
class Plan:
    today: date
    school_year: int
    schools: dict[str, School]  # roster school id -> school (new ones unsaved)
    new_schools: list[School] = field(default_factory=list)
    create: dict[str, list[Any]] = field(default_factory=lambda: defaultdict(list))
    update: dict[str, tuple[list[Any], set[str]]] = field(default_factory=dict)
    links: list[SourceLink] = field(default_factory=list)
    group_people: dict[str, tuple[list[Any], list[int]]] = field(default_factory=dict)
    moved: list[str] = field(default_factory=list)  # pupils to a new group
    left: list[str] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    examples: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    warnings: list[Problem] = field(default_factory=list)

    def writes(self) -> int:
        return (
            len(self.new_schools)
            + sum(len(v) for v in self.create.values())
            + sum(len(v[0]) for v in self.update.values())
            + len(self.links)
            + sum(len(a) + len(d) for a, d in self.group_people.values())
        )

    def example(self, kind: str, text: str) -> None:
        if len(self.examples[kind]) < EXAMPLES:
            self.examples[kind].append(text)

    def summary(self) -> dict[str, int]:
        return {k: v for k, v in sorted(self.counts.items()) if v}


def staff_username(school: School, source_id: str) -> str:
    """A stable login name that is not a name: the school's BRIN (or number) and the
    source id, e.g. ``12ab-t0042``. Single sign-on can match on it."""
    base = (school.brin or f"school{school.pk or ''}").lower()
    return re.sub(r"[^a-z0-9.@+_-]", "_", f"{base}-{source_id}".lower())[:150]


def resolve_schools(roster: Roster, school: School | None, *, create: bool) -> dict[str, School]:
    """Which school each of the roster's schools is: the one given (``--school``, or the
    page's), else matched on BRIN, else created (on the command line only)."""
    if school is not None:
        if len(roster.schools) == 1:
            only = next(iter(roster.schools.values()))
            if only.brin and school.brin and only.brin != school.brin.upper():
                raise RosterError(
                    [
                        Problem(
                            "",
                            0,
                            _(
                                "This file is for the school with BRIN code %(file)s, "
                                "not %(school)s."
                            )
                            % {"file": only.brin, "school": school.brin.upper()},
                        )
                    ]
                )
            return {only.source_id: school}
        matches = [
            s for s in roster.schools.values() if school.brin and s.brin == school.brin.upper()
        ]
        if len(matches) != 1:
            raise RosterError(
                [
                    Problem(
                        "",
                        0,
                        _(
                            "The file holds several schools and none has this school's "
                            "BRIN code (%(brin)s)."
                        )
                        % {"brin": school.brin or "—"},
                    )
                ]
            )
        return {matches[0].source_id: school}
    by_brin = {s.brin.upper(): s for s in School.objects.exclude(brin="")}
    found: dict[str, School] = {}
    problems = []
    for record in roster.schools.values():
        if record.brin and record.brin in by_brin:
            found[record.source_id] = by_brin[record.brin]
        elif create and record.brin:
            found[record.source_id] = School(name=record.name or record.brin, brin=record.brin[:6])
        else:
            problems.append(Problem("", 0, _("Name the school to import into (--school).")))
    if problems:
        raise RosterError(problems[:1])
    return found


def restrict(roster: Roster, school_ids: set[str]) -> None:
    """Keep only what belongs to these schools (a district file imported for one)."""
    roster.schools = {k: v for k, v in roster.schools.items() if k in school_ids}
    roster.groups = {k: v for k, v in roster.groups.items() if v.school in school_ids}
    roster.pupils = {k: v for k, v in roster.pupils.items() if v.school in school_ids}
    roster.staff = {k: v for k, v in roster.staff.items() if v.school in school_ids}
    roster.links = [link for link in roster.links if link.pupil in roster.pupils]
    wanted = {link.guardian for link in roster.links}
    roster.guardians = {k: v for k, v in roster.guardians.items() if k in wanted}


def _families(roster: Roster) -> list[list[str]]:
    """Pupils who share a guardian, as groups of source ids (siblings: one family)."""
    parent: dict[str, str] = {p: p for p in roster.pupils}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    by_guardian: dict[str, str] = {}
    for link in roster.links:
        other = by_guardian.setdefault(link.guardian, link.pupil)
        a, b = root(other), root(link.pupil)
        if a != b:
            parent[b] = a
    components: dict[str, list[str]] = defaultdict(list)
    for p in roster.pupils:
        components[root(p)].append(p)
    return list(components.values())


def make_plan(
    roster: Roster, school: School | None = None, *, create_schools: bool = False, today: date
) -> Plan:
    schools = resolve_schools(roster, school, create=create_schools)
    restrict(roster, set(schools))
    year = roster.school_year if roster.school_year is not None else current_school_year(today)
    plan = Plan(today=today, school_year=year, schools=schools, warnings=list(roster.warnings))
    plan.new_schools = [s for s in schools.values() if s.pk is None]
    plan.counts["schools_new"] = len(plan.new_schools)
    school_ids = [s.pk for s in schools.values() if s.pk]

    links: dict[tuple[str, int, str], Any] = {}
    for row in SourceLink.objects.filter(school_id__in=school_ids).values(
        "kind", "school_id", "source_id", "pupil_id", "guardian_id", "group_id", "user_id"
    ):
        links[row["kind"], row["school_id"], row["source_id"]] = row

    def link(kind: str, school_obj: School, source_id: str, **target: Any) -> None:
        if school_obj.pk is None or (kind, school_obj.pk, source_id) not in links:
            plan.links.append(
                SourceLink(school=school_obj, kind=kind, source_id=source_id, **target)
            )

    def linked(kind: str, school_obj: School, source_id: str, attr: str) -> Any:
        row = links.get((kind, school_obj.pk, source_id)) if school_obj.pk else None
        return row[attr] if row else None

    def diff(kind: str, obj: Any, values: dict[str, Any]) -> None:
        changed = {k for k, v in values.items() if getattr(obj, k) != v}
        if changed:
            for k in changed:
                setattr(obj, k, values[k])
            objs, fields = plan.update.setdefault(kind, ([], set()))
            objs.append(obj)
            fields.update(changed)

    # Groups of the school year ------------------------------------------------------
    groups_db = {g.pk: g for g in Group.objects.filter(school_id__in=school_ids, school_year=year)}
    by_name = {(g.school_id, g.name): g for g in groups_db.values()}
    linked_group_ids = {r["group_id"] for r in links.values() if r["kind"] == Kind.GROUP}
    groups: dict[str, Group] = {}
    for group_rec in roster.groups.values():
        school_obj = schools[group_rec.school]
        key = f"{year}:{group_rec.source_id}"
        group = groups_db.get(linked(Kind.GROUP, school_obj, key, "group_id"))
        if group is None and school_obj.pk:
            candidate = by_name.get((school_obj.pk, group_rec.name))
            if candidate is not None and candidate.pk not in linked_group_ids:
                group = candidate
        if group is None:
            group = Group(
                school=school_obj,
                name=group_rec.name,
                school_year=year,
                year_level=group_rec.year_level or 1,
            )
            plan.create["group"].append(group)
            plan.counts["groups_new"] += 1
        else:
            values: dict[str, Any] = {"name": group_rec.name}
            if group_rec.year_level is not None:
                values["year_level"] = group_rec.year_level
            before = len(plan.update.get("group", ([], set()))[0])
            diff("group", group, values)
            plan.counts["groups_changed"] += len(plan.update.get("group", ([], set()))[0]) - before
        groups[group_rec.source_id] = group
        link(Kind.GROUP, school_obj, key, group=group)

    _check_unique(
        [*groups_db.values(), *plan.create["group"]],
        lambda g: (g.school_id or id(g.school), g.school_year, g.name),
        lambda g, other: Problem(
            "",
            0,
            _("two groups of this school year would both be called “%(name)s”.") % {"name": g.name},
        ),
    )

    # Staff --------------------------------------------------------------------------
    users_by_id: dict[int, User] = {}
    staff_ids = {r["user_id"] for r in links.values() if r["kind"] == Kind.STAFF}
    emails = {s.email for s in roster.staff.values() if s.email}
    usernames = {staff_username(schools[s.school], s.source_id) for s in roster.staff.values()}
    by_username: dict[str, User] = {}
    by_email: dict[str, list[User]] = defaultdict(list)
    if roster.staff:
        # One pass over the accounts: the import's own (by source id), then a stable
        # login name, then a unique email address (an account made by hand before).
        for account in User.objects.only("id", "username", "email", "first_name", "last_name"):
            if account.pk in staff_ids:
                users_by_id[account.pk] = account
            if account.username in usernames:
                by_username[account.username] = account
            if account.email and account.email.lower() in emails:
                by_email[account.email.lower()].append(account)
    memberships = set(
        Membership.objects.filter(school_id__in=school_ids).values_list(
            "user_id", "school_id", "role"
        )
    )
    staff: dict[str, User] = {}
    for staff_rec in roster.staff.values():
        school_obj = schools[staff_rec.school]
        username = staff_username(school_obj, staff_rec.source_id)
        user: User | None = users_by_id.get(
            linked(Kind.STAFF, school_obj, staff_rec.source_id, "user_id")
        )
        if user is None:
            user = by_username.get(username)
        if user is None and staff_rec.email and len(by_email.get(staff_rec.email, [])) == 1:
            user = by_email[staff_rec.email][0]
        values = {
            "first_name": staff_rec.first_name,
            "last_name": full_name("", staff_rec.prefix, staff_rec.last_name),
            "email": staff_rec.email,
        }
        if user is None:
            user = User(username=username, password=make_password(None), **values)
            plan.create["staff"].append(user)
            plan.counts["staff_new"] += 1
            by_username[username] = user
        else:
            before = len(plan.update.get("staff", ([], set()))[0])
            diff("staff", user, values)
            plan.counts["staff_changed"] += len(plan.update.get("staff", ([], set()))[0]) - before
        staff[staff_rec.source_id] = user
        link(Kind.STAFF, school_obj, staff_rec.source_id, user=user)
    mentors = {m for g in roster.groups.values() for m in g.mentors}
    for staff_rec in roster.staff.values():
        school_obj, user = schools[staff_rec.school], staff[staff_rec.source_id]
        roles = [Role.TEACHER] + ([Role.MENTOR] if staff_rec.source_id in mentors else [])
        for role in roles:
            if (
                user.pk is None
                or school_obj.pk is None
                or (user.pk, school_obj.pk, role) not in memberships
            ):
                plan.create["membership"].append(
                    Membership(user=user, school=school_obj, role=role)
                )
                plan.counts["memberships_new"] += 1
    if roster.groups:
        _group_people(plan, roster, groups, staff, staff_ids)

    # Pupils -------------------------------------------------------------------------
    pupils_db = {p.pk: p for p in Pupil.objects.filter(school_id__in=school_ids)}
    linked_pupils = {r["pupil_id"] for r in links.values() if r["kind"] == Kind.PUPIL}
    by_number = {(p.school_id, p.pupil_number): p for p in pupils_db.values()}
    pupils: dict[str, Pupil] = {}
    where: dict[int, tuple[str, int]] = {}
    new_pupils: list[str] = []
    for pupil_rec in roster.pupils.values():
        school_obj = schools[pupil_rec.school]
        pupil = pupils_db.get(linked(Kind.PUPIL, school_obj, pupil_rec.source_id, "pupil_id"))
        if pupil is None and school_obj.pk:
            same_number = by_number.get((school_obj.pk, pupil_rec.pupil_number))
            if same_number is not None and same_number.pk not in linked_pupils:
                pupil = same_number
        pupil_group = groups.get(pupil_rec.group) if pupil_rec.group else None
        values = {
            "first_name": pupil_rec.first_name,
            "last_name_prefix": pupil_rec.prefix,
            "last_name": pupil_rec.last_name,
            "date_of_birth": pupil_rec.date_of_birth,
            "pupil_number": pupil_rec.pupil_number,
            "left_on": None,
        }
        name = full_name(pupil_rec.first_name, pupil_rec.prefix, pupil_rec.last_name)
        if pupil is None:
            pupil = Pupil(school=school_obj, group=pupil_group, **values)
            new_pupils.append(pupil_rec.source_id)
            plan.counts["pupils_new"] += 1
            plan.example("pupils_new", name)
        else:
            old_group = pupil.group_id
            if pupil_group is not None and pupil_group.pk:
                values["group_id"] = pupil_group.pk
            before = len(plan.update.get("pupil", ([], set()))[0])
            if pupil.left_on is not None:
                plan.counts["pupils_returned"] += 1
            diff("pupil", pupil, values)
            if pupil_group is not None and pupil_group.pk is None:
                pupil.group = pupil_group  # a new group: its id is known once it is saved
                objs, fields = plan.update.setdefault("pupil", ([], set()))
                if not objs or objs[-1] is not pupil:
                    objs.append(pupil)
                fields.add("group")
            if len(plan.update.get("pupil", ([], set()))[0]) > before:
                plan.counts["pupils_changed"] += 1
                plan.example("pupils_changed", name)
            if pupil_group is not None and (pupil_group.pk is None or pupil_group.pk != old_group):
                plan.moved.append(str(pupil.pk))
        pupils[pupil_rec.source_id] = pupil
        where[id(pupil)] = pupil_rec.where
        link(Kind.PUPIL, school_obj, pupil_rec.source_id, pupil=pupil)

    _check_unique(
        [*pupils_db.values(), *(pupils[s] for s in new_pupils)],
        lambda p: (p.school_id or id(p.school), p.pupil_number),
        lambda p, other: Problem(
            *where.get(id(p), ("", 0)),
            _("the pupil number “%(number)s” is already used by another pupil of this school.")
            % {"number": p.pupil_number},
        ),
    )

    # Leavers: in a full export, pupils it no longer lists; in a delta, those it names.
    in_file = {p.pk for p in pupils.values() if p.pk}
    if roster.full:
        gone = [
            p
            for pid, p in pupils_db.items()
            if pid in linked_pupils and pid not in in_file and p.left_on is None
        ]
    else:
        gone = [
            p
            for s in roster.leavers
            for school_obj in schools.values()
            if (p := pupils_db.get(linked(Kind.PUPIL, school_obj, s, "pupil_id"))) is not None
            and p.left_on is None
        ]
    for pupil in gone:
        diff("pupil", pupil, {"left_on": today})
        plan.left.append(str(pupil.pk))
        plan.counts["pupils_left"] += 1
        plan.example("pupils_left", pupil.full_name)

    # Families: siblings who share a guardian are one family --------------------------
    for component in _families(roster):
        existing = Counter(
            pupils[s].family_id for s in component if pupils[s].pk and pupils[s].family_id
        )
        if existing:
            family_id = existing.most_common(1)[0][0]
            for s in component:
                if pupils[s].pk is None:
                    pupils[s].family_id = family_id
            if len(existing) > 1:
                plan.counts["families_to_merge"] += 1
        else:
            first = roster.pupils[component[0]]
            surname = full_name("", first.prefix, first.last_name)
            family = Family(school=schools[first.school], name=surname[:1].upper() + surname[1:])
            plan.create["family"].append(family)
            plan.counts["families_new"] += 1
            for s in component:
                pupils[s].family = family
    plan.create["pupil"] = [pupils[s] for s in new_pupils]

    # Guardians, one guardian_rec per school ------------------------------------------------
    guardians_db = {g.pk: g for g in Guardian.objects.filter(school_id__in=school_ids)}
    guardian_schools: dict[str, set[str]] = defaultdict(set)
    for record_link in roster.links:
        guardian_schools[record_link.guardian].add(roster.pupils[record_link.pupil].school)
    guardians: dict[tuple[str, str], Guardian] = {}
    for guardian_rec in roster.guardians.values():
        values = {
            "first_name": guardian_rec.first_name,
            "last_name_prefix": guardian_rec.prefix,
            "last_name": guardian_rec.last_name,
            "email": guardian_rec.email,
            "phone": guardian_rec.phone,
        }
        for key in ("street", "postcode", "city"):
            if getattr(guardian_rec, key) is not None:
                values[key] = getattr(guardian_rec, key)
        for school_key in sorted(guardian_schools[guardian_rec.source_id]):
            school_obj = schools[school_key]
            guardian = guardians_db.get(
                linked(Kind.GUARDIAN, school_obj, guardian_rec.source_id, "guardian_id")
            )
            if guardian is None:
                guardian = Guardian(school=school_obj, **values)
                plan.create["guardian"].append(guardian)
                plan.counts["guardians_new"] += 1
            else:
                before = len(plan.update.get("guardian", ([], set()))[0])
                diff("guardian", guardian, values)
                plan.counts["guardians_changed"] += (
                    len(plan.update.get("guardian", ([], set()))[0]) - before
                )
            guardians[school_key, guardian_rec.source_id] = guardian
            link(Kind.GUARDIAN, school_obj, guardian_rec.source_id, guardian=guardian)

    # Guardianships ---------------------------------------------------------------------
    existing_links = {
        (gs.pupil_id, gs.guardian_id): gs
        for gs in Guardianship.objects.filter(pupil__school_id__in=school_ids)
    }
    linked_guardians = {r["guardian_id"] for r in links.values() if r["kind"] == Kind.GUARDIAN}
    seen: set[tuple[Any, Any]] = set()
    for record_link in roster.links:
        pupil = pupils[record_link.pupil]
        guardian = guardians[roster.pupils[record_link.pupil].school, record_link.guardian]
        current = existing_links.get((pupil.pk, guardian.pk)) if pupil.pk and guardian.pk else None
        seen.add((pupil.pk, guardian.pk))
        if current is None:
            plan.create["guardianship"].append(
                Guardianship(
                    pupil=pupil,
                    guardian=guardian,
                    relation=record_link.relation or Guardianship.Relation.OTHER,
                    parental_authority=record_link.parental_authority is not False,
                    lives_with=record_link.lives_with is not False,
                )
            )
            plan.counts["guardianships_new"] += 1
            continue
        values = {
            k: getattr(record_link, k) for k in LINK_FIELDS if getattr(record_link, k) is not None
        }
        if current.parental_authority and values.get("parental_authority") is False:
            plan.counts["authority_ended"] += 1
        before = len(plan.update.get("guardianship", ([], set()))[0])
        diff("guardianship", current, values)
        plan.counts["guardianships_changed"] += (
            len(plan.update.get("guardianship", ([], set()))[0]) - before
        )
    if roster.full:
        # A guardian the export no longer lists for a pupil it does list: no authority
        # from now on (the link stays, so the history still makes sense).
        for (pupil_id, guardian_id), current in existing_links.items():
            if (
                pupil_id in in_file
                and guardian_id in linked_guardians
                and (pupil_id, guardian_id) not in seen
                and current.parental_authority
            ):
                diff("guardianship", current, {"parental_authority": False})
                plan.counts["authority_ended"] += 1
                plan.counts["guardianships_changed"] += 1
    return plan


def _group_people(
    plan: Plan, roster: Roster, groups: dict[str, Group], staff: dict[str, User], managed: set[int]
) -> None:
    """Mentors and teachers of the imported groups: add who the export names, take away
    only people the import itself manages (a mentor added by hand stays)."""
    existing: dict[str, set[tuple[int, int]]] = {}
    group_ids = [g.pk for g in groups.values() if g.pk]
    for relation, through in (
        ("mentors", Group.mentors.through),
        ("teachers", Group.teachers.through),
    ):
        existing[relation] = set(
            through.objects.filter(group_id__in=group_ids).values_list("group_id", "user_id")
        )
        add: list[Any] = []
        remove: list[int] = []
        wanted: set[tuple[int, int]] = set()
        for record in roster.groups.values():
            group = groups[record.source_id]
            for source in getattr(record, relation):
                user = staff.get(source)
                if user is None:
                    continue
                if group.pk and user.pk:
                    wanted.add((group.pk, user.pk))
                    if (group.pk, user.pk) in existing[relation]:
                        continue
                add.append((group, user))
        imported_groups = set(group_ids)
        for row in through.objects.filter(group_id__in=group_ids, user_id__in=managed).values_list(
            "id", "group_id", "user_id"
        ):
            if row[1] in imported_groups and (row[1], row[2]) not in wanted:
                remove.append(row[0])
        plan.group_people[relation] = (add, remove)
        plan.counts[f"{relation}_changed"] += len(add) + len(remove)


def _check_unique(
    objs: list[Any], key: Callable[[Any], Any], problem: Callable[[Any, Any], Problem]
) -> None:
    """Refuse, before anything is written, what the database's unique constraints would
    refuse halfway (a pupil number or a group name used twice)."""
    seen: dict[Any, Any] = {}
    problems = []
    for obj in objs:
        k = key(obj)
        if k in seen and seen[k] is not obj:
            problems.append(problem(obj, seen[k]))
        seen.setdefault(k, obj)
    if problems:
        raise RosterError(problems)
