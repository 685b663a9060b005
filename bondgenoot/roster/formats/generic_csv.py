"""A school's own CSV export (ParnasSys, Magister, Somtoday, Esis…), read through a column
mapping saved per school (``roster.ColumnMapping``; the default is
``default_mapping.toml``). One row per pupil, with the columns of one or more guardians
on the same row. Semicolon or comma, UTF-8 or Windows-1252, with or without a BOM.

The same reader takes the guardians CSV that goes with an EDEX.XML: then only the
mapping's pupil ``id`` and its ``[[guardian]]`` blocks are used, and the pupil id is the
EDEXML pupil key.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

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
)
from .text import Table, checked_contact, decode, parse_date, relation_from, split_prefix, truthy

DEFAULT_MAPPING = (Path(__file__).resolve().parents[1] / "default_mapping.toml").read_text()
PUPIL_REQUIRED = ("id", "first_name", "last_name", "date_of_birth")
PUPIL_FIELDS = PUPIL_REQUIRED + ("prefix", "group", "year_level", "number")
GUARDIAN_REQUIRED = ("id", "last_name")
GUARDIAN_FIELDS = GUARDIAN_REQUIRED + (
    "first_name",
    "prefix",
    "relation",
    "parental_authority",
    "lives_with",
    "email",
    "phone",
    "street",
    "postcode",
    "city",
)


class MappingError(ValueError):
    pass


def load_mapping(text: str) -> dict[str, Any]:
    """The mapping as a dict, or ``MappingError`` saying what is wrong with it."""
    try:
        mapping = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise MappingError(
            _("The mapping is not valid TOML: %(error)s") % {"error": error}
        ) from None
    pupil = mapping.get("pupil")
    if not isinstance(pupil, dict):
        raise MappingError(_("The mapping needs a [pupil] section."))
    guardians = mapping.get("guardian", [])
    if not isinstance(guardians, list):
        raise MappingError(_("Write each guardian as a [[guardian]] block."))
    for key in pupil:
        if key not in PUPIL_FIELDS:
            raise MappingError(_("Unknown field in [pupil]: %(key)s") % {"key": key})
    for block in guardians:
        for key in block:
            if key not in GUARDIAN_FIELDS:
                raise MappingError(_("Unknown field in [[guardian]]: %(key)s") % {"key": key})
        for key in GUARDIAN_REQUIRED:
            if key not in block:
                raise MappingError(_("Each [[guardian]] block needs “%(key)s”.") % {"key": key})
    return mapping


def read(
    data: bytes,
    file: str,
    mapping: dict[str, Any],
    *,
    school: str = "school",
    guardians_only: bool = False,
) -> Roster:
    table = Table(decode(data, file), file)
    pupil_map: dict[str, str] = mapping["pupil"]
    required = ("id",) if guardians_only else PUPIL_REQUIRED
    problems = table.missing(pupil_map[k] for k in required if k in pupil_map)
    problems += [
        Problem(file, 1, _("the mapping names no column for “%(key)s”.") % {"key": k})
        for k in required
        if k not in pupil_map
    ]
    problems += table.missing(
        c
        for block in mapping.get("guardian", [])
        for k, c in block.items()
        if k in GUARDIAN_REQUIRED
    )
    if problems:
        raise RosterError(problems)
    formats = [mapping["date_format"]] if mapping.get("date_format") else None
    roster = Roster(format="csv")
    roster.schools[school] = SchoolRecord(school, "")
    seen: dict[str, int] = {}
    for line, row in table.rows:

        def col(key: str, section: dict[str, str] = pupil_map, row: dict[str, str] = row) -> str:
            return row.get(section[key], "") if key in section else ""

        ident = col("id")
        if not ident:
            problems.append(Problem(file, line, _("the pupil id is empty.")))
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
        if not guardians_only:
            born = (
                parse_date(col("date_of_birth"), formats)
                if formats
                else parse_date(col("date_of_birth"))
            )
            if born is None:
                problems.append(
                    Problem(
                        file,
                        line,
                        _("the date of birth “%(value)s” is not a date.")
                        % {"value": col("date_of_birth")},
                    )
                )
                continue
            group_name = col("group")
            if group_name and group_name not in roster.groups:
                level = col("year_level")
                roster.groups[group_name] = GroupRecord(
                    group_name, school, group_name, int(level) if level.isdigit() else None
                )
            prefix, last = (
                (col("prefix"), col("last_name"))
                if col("prefix")
                else split_prefix(col("last_name"))
            )
            roster.pupils[ident] = PupilRecord(
                source_id=ident,
                school=school,
                first_name=col("first_name"),
                prefix=prefix,
                last_name=last,
                date_of_birth=born,
                pupil_number=col("number") or ident,
                group=group_name or None,
                where=(file, line),
            )
        for block in mapping.get("guardian", []):
            guardian_id = col("id", block)
            if not guardian_id:
                continue
            if guardian_id not in roster.guardians:
                email, phone = checked_contact(
                    col("email", block), col("phone", block), file, line, roster.warnings
                )
                prefix, last = (
                    (col("prefix", block), col("last_name", block))
                    if col("prefix", block)
                    else split_prefix(col("last_name", block))
                )
                roster.guardians[guardian_id] = GuardianRecord(
                    guardian_id,
                    col("first_name", block),
                    last,
                    prefix,
                    email,
                    phone,
                    street=col("street", block) if "street" in block else None,
                    postcode=col("postcode", block) if "postcode" in block else None,
                    city=col("city", block) if "city" in block else None,
                )
            roster.links.append(
                LinkRecord(
                    ident,
                    guardian_id,
                    relation=relation_from(col("relation", block)),
                    parental_authority=truthy(col("parental_authority", block)),
                    lives_with=truthy(col("lives_with", block)),
                    where=(file, line),
                )
            )
    if problems:
        raise RosterError(problems)
    return roster
