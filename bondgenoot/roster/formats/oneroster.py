"""OneRoster 1.2 CSV: a zip with ``manifest.csv`` and one CSV per entity.

What we read (columns beyond these are ignored):

- ``orgs.csv``: schools (``type`` = school), matched on ``identifier`` (the BRIN);
- ``academicSessions.csv``: the school year (``type`` = schoolYear, ``schoolYear`` is the
  year in which it ends);
- ``classes.csv``: homeroom classes (``classType`` = homeroom) become mentor groups;
- ``users.csv`` + ``roles.csv`` (1.2 moved roles out of users): students, teachers and
  guardians (role guardian, parent or relative); a student's ``agentSourcedIds`` lists
  their guardians;
- ``enrollments.csv``: students and teachers in classes (a teacher with ``primary`` =
  true in a homeroom class is its mentor);
- ``demographics.csv``: the date of birth (``birthDate``), and ``sex`` to tell a mother
  from a father.

OneRoster does not say who holds parental authority: guardians and parents get it when
they are first imported, a relative does not; a guardian who disappears from a pupil's
``agentSourcedIds`` in a full (bulk) export loses it at once.
"""

from __future__ import annotations

import zipfile

from django.utils.translation import gettext as _

from ..records import (
    GroupRecord,
    GuardianRecord,
    LinkRecord,
    Problem,
    PupilRecord,
    Roster,
    RosterError,
    SchoolRecord,
    StaffRecord,
)
from .text import Table, checked_contact, decode, parse_date, split_prefix

FILES = {
    "manifest.csv": ("propertyName", "value"),
    "orgs.csv": ("sourcedId", "name", "type", "identifier"),
    "academicSessions.csv": ("sourcedId", "type", "schoolYear"),
    "classes.csv": ("sourcedId", "title", "classType", "schoolSourcedId"),
    "users.csv": ("sourcedId", "givenName", "familyName", "email", "agentSourcedIds", "identifier"),
    "roles.csv": ("userSourcedId", "role", "orgSourcedId"),
    "enrollments.csv": ("classSourcedId", "userSourcedId", "role"),
    "demographics.csv": ("sourcedId", "birthDate"),
}
STUDENT = "student"
TEACHERS = {"teacher", "aide", "proctor"}
GUARDIANS = {"guardian", "parent", "relative"}


def is_oneroster(archive: zipfile.ZipFile) -> bool:
    return any(n.rsplit("/", 1)[-1] == "manifest.csv" for n in archive.namelist())


def read(archive: zipfile.ZipFile) -> Roster:
    names = {n.rsplit("/", 1)[-1]: n for n in archive.namelist()}
    problems: list[Problem] = []
    tables: dict[str, Table] = {}
    for file, required in FILES.items():
        if file not in names:
            problems.append(Problem(file, 0, _("this file is missing from the zip.")))
            continue
        try:
            table = Table(decode(archive.read(names[file]), file, windows_1252=False), file, ",")
        except RosterError as error:
            problems.extend(error.problems)
            continue
        problems.extend(table.missing(required))
        tables[file] = table
    if problems:
        raise RosterError(problems)

    roster = Roster(format="oneroster")
    manifest = {row["propertyName"]: row["value"] for _line, row in tables["manifest.csv"].rows}
    roster.full = manifest.get("file.users", "bulk").lower() != "delta"

    def unique(file: str, key: str = "sourcedId"):
        seen: dict[str, int] = {}
        for line, row in tables[file].rows:
            ident = row.get(key, "")
            if not ident:
                problems.append(Problem(file, line, _("the id is empty.")))
                continue
            if ident in seen:
                problems.append(
                    Problem(
                        file,
                        line,
                        _("the id “%(id)s” is used twice (also on line %(other)s).")
                        % {"id": ident, "other": seen[ident]},
                    )
                )
                continue
            seen[ident] = line
            yield line, row

    for _line, row in unique("orgs.csv"):
        if row["type"].lower() == "school":
            roster.schools[row["sourcedId"]] = SchoolRecord(
                row["sourcedId"], row["name"], row["identifier"].upper()
            )
    for line, row in unique("academicSessions.csv"):
        if row["type"] == "schoolYear" and row["schoolYear"]:
            if not row["schoolYear"].isdigit():
                problems.append(
                    Problem("academicSessions.csv", line, _("the school year is not a year."))
                )
            else:
                roster.school_year = int(row["schoolYear"]) - 1

    for line, row in unique("classes.csv"):
        if row["schoolSourcedId"] not in roster.schools:
            problems.append(
                Problem(
                    "classes.csv",
                    line,
                    _("the school “%(id)s” is not in orgs.csv.") % {"id": row["schoolSourcedId"]},
                )
            )
            continue
        if row["classType"].lower() != "homeroom":
            continue
        grades = [g for g in row.get("grades", "").split(",") if g.strip().isdigit()]
        roster.groups[row["sourcedId"]] = GroupRecord(
            row["sourcedId"],
            row["schoolSourcedId"],
            row["title"],
            int(grades[0]) if grades else None,
        )
    all_classes = {row["sourcedId"] for _l, row in tables["classes.csv"].rows}

    roles: dict[str, tuple[str, str]] = {}  # user -> (role, org); the primary role wins
    all_orgs = {row["sourcedId"] for _line, row in tables["orgs.csv"].rows}
    for line, row in tables["roles.csv"].rows:
        user, org, role = row["userSourcedId"], row["orgSourcedId"], row["role"].lower()
        if org and org not in all_orgs:
            problems.append(
                Problem(
                    "roles.csv", line, _("the school “%(id)s” is not in orgs.csv.") % {"id": org}
                )
            )
            continue
        if role in ({STUDENT} | TEACHERS) and org not in roster.schools:
            continue  # a role at the district: the school roles say where they are
        if user not in roles or row.get("roleType", "").lower() == "primary":
            roles[user] = (role, org)

    births: dict[str, tuple[int, str]] = {}
    sex: dict[str, str] = {}
    for line, row in unique("demographics.csv"):
        births[row["sourcedId"]] = (line, row["birthDate"])
        sex[row["sourcedId"]] = row.get("sex", "").lower()

    users = {row["sourcedId"]: (line, row) for line, row in unique("users.csv")}
    for ident, (line, row) in users.items():
        role, org = roles.get(ident, ("", ""))
        if role == STUDENT and row.get("status", "").lower() == "tobedeleted":
            roster.leavers.add(ident)
            continue
        prefix, last = (
            (row.get("middleName", "").strip(), row["familyName"])
            if row.get("middleName")
            else split_prefix(row["familyName"])
        )
        if role == STUDENT:
            birth_line, birth = births.get(ident, (0, ""))
            born = parse_date(birth, ("%Y-%m-%d",))
            if born is None:
                file, at = ("demographics.csv", birth_line) if birth_line else ("users.csv", line)
                problems.append(
                    Problem(
                        file,
                        at,
                        _("the date of birth “%(value)s” is not a date (YYYY-MM-DD).")
                        % {"value": birth},
                    )
                    if birth
                    else Problem(
                        file, at, _("this pupil has no date of birth in demographics.csv.")
                    )
                )
                continue
            roster.pupils[ident] = PupilRecord(
                source_id=ident,
                school=org,
                first_name=row.get("preferredGivenName") or row["givenName"],
                prefix=prefix,
                last_name=last,
                date_of_birth=born,
                pupil_number=row["identifier"] or ident,
                where=("users.csv", line),
            )
            for agent in filter(None, (a.strip() for a in row["agentSourcedIds"].split(","))):
                roster.links.append(
                    LinkRecord(
                        ident,
                        agent,
                        relation=_relation(roles.get(agent, ("", ""))[0], sex.get(agent, "")),
                    )
                )
        elif role in TEACHERS:
            email, _phone = checked_contact(row["email"], "", "users.csv", line, roster.warnings)
            roster.staff[ident] = StaffRecord(ident, org, row["givenName"], last, email, prefix)
        elif role in GUARDIANS:
            email, phone = checked_contact(
                row["email"],
                row.get("sms") or row.get("phone", ""),
                "users.csv",
                line,
                roster.warnings,
            )
            roster.guardians[ident] = GuardianRecord(
                ident, row["givenName"], last, prefix, email, phone
            )
        # administrators, aides without classes and others are not part of the roster

    if not roster.full:
        # A delta names only what changed: links to guardians it does not list stay as
        # they are in the register.
        roster.links = [link for link in roster.links if link.guardian in roster.guardians]
    for link in roster.links:
        if link.guardian not in roster.guardians:
            line = roster.pupils[link.pupil].where[1]
            problems.append(
                Problem(
                    "users.csv",
                    line,
                    _("the guardian “%(id)s” is not a guardian in users.csv and roles.csv.")
                    % {"id": link.guardian},
                )
            )
        elif roles.get(link.guardian, ("", ""))[0] == "relative":
            link.parental_authority = False  # a relative is not a parent

    for line, row in tables["enrollments.csv"].rows:
        klass, user, role = row["classSourcedId"], row["userSourcedId"], row["role"].lower()
        if klass not in all_classes:
            problems.append(
                Problem(
                    "enrollments.csv",
                    line,
                    _("the class “%(id)s” is not in classes.csv.") % {"id": klass},
                )
            )
            continue
        if user not in users:
            if not roster.full:
                continue  # a delta leaves out who did not change
            problems.append(
                Problem(
                    "enrollments.csv",
                    line,
                    _("the user “%(id)s” is not in users.csv.") % {"id": user},
                )
            )
            continue
        group = roster.groups.get(klass)
        if group is None:
            continue
        if role == STUDENT and user in roster.pupils:
            roster.pupils[user].group = klass
        elif role in TEACHERS and user in roster.staff:
            primary = row.get("primary", "").lower() == "true"
            (group.mentors if primary else group.teachers).append(user)
    if problems:
        raise RosterError(problems)
    if roster.full:
        roster.check_pupils_have_guardians()
    return roster


def _relation(role: str, sex: str) -> str:
    if role == "guardian":
        return "guardian"
    if role == "parent":
        return {"female": "mother", "male": "father"}.get(sex, "other")
    return "other"
