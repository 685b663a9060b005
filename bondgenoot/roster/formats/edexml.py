"""EDEXML 2.x (``EDEX.XML``, Edustandaard), as ParnasSys, Esis and others export it:
school, groups, pupils and teachers, each with a ``key`` that stays the same between
exports. EDEXML carries no guardians: they come from a guardians CSV, read with the
school's column mapping (``generic_csv``), whose pupil id is the EDEXML pupil key.

    <EDEX>
      <school><schooljaar>2025-2026</schooljaar><brincode>12AB</brincode>…</school>
      <groepen><groep key="…"><naam>1A</naam><jaargroep>1</jaargroep></groep></groepen>
      <leerlingen><leerling key="…"><achternaam/><voorvoegsel/><roepnaam/>
          <geboortedatum>2013-05-01</geboortedatum><groep key="…"/></leerling></leerlingen>
      <leerkrachten><leerkracht key="…"><achternaam/><roepnaam/><emailadres/>
          <groepen><groep key="…"/></groepen></leerkracht></leerkrachten>
    </EDEX>

An EDEX.XML lists the whole school: pupils it no longer lists have left.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from ..records import (
    GroupRecord,
    Problem,
    PupilRecord,
    Roster,
    RosterError,
    SchoolRecord,
    StaffRecord,
)
from . import xmltree
from .text import checked_contact, parse_date

FILE = "EDEX.XML"


def looks_like_edexml(data: bytes) -> bool:
    head = data[:2000].lstrip(b"\xef\xbb\xbf \r\n\t")
    return head.startswith(b"<") and b"EDEX" in head.upper()


def read(data: bytes, file: str = FILE) -> Roster:
    root = xmltree.parse(data, file)
    problems: list[Problem] = []
    if root.tag.upper() != "EDEX":
        raise RosterError(
            [
                Problem(
                    file,
                    root.line,
                    _("this is not an EDEXML file (it does not start with <EDEX>)."),
                )
            ]
        )
    school_node = root.find("school")
    if school_node is None:
        raise RosterError([Problem(file, root.line, _("the <school> element is missing."))])
    brin = school_node.value("brincode").upper()
    school_id = brin + school_node.value("dependancecode")
    roster = Roster(format="edexml")
    roster.schools[school_id] = SchoolRecord(school_id, brin, brin)
    year = school_node.value("schooljaar")[:4]
    if year:
        if not year.isdigit():
            problems.append(
                Problem(file, school_node.line, _("the school year is not a year (2025-2026)."))
            )
        else:
            roster.school_year = int(year)

    def keyed(parent: str, tag: str):
        seen: dict[str, int] = {}
        container = root.find(parent)
        for node in container.findall(tag) if container is not None else []:
            key = node.attrs.get("key", "").strip()
            if not key:
                problems.append(Problem(file, node.line, _("the key is empty.")))
            elif key in seen:
                problems.append(
                    Problem(
                        file,
                        node.line,
                        _("the id “%(id)s” is used twice (also on line %(other)s).")
                        % {"id": key, "other": seen[key]},
                    )
                )
            else:
                seen[key] = node.line
                yield key, node

    for key, node in keyed("groepen", "groep"):
        level = node.value("jaargroep")
        roster.groups[key] = GroupRecord(
            key, school_id, node.value("naam"), int(level) if level.isdigit() else None
        )
    for key, node in keyed("leerlingen", "leerling"):
        born = parse_date(node.value("geboortedatum"), ("%Y-%m-%d",))
        if born is None:
            problems.append(
                Problem(
                    file,
                    node.line,
                    _("the date of birth “%(value)s” is not a date (YYYY-MM-DD).")
                    % {"value": node.value("geboortedatum")},
                )
            )
            continue
        group = node.find("groep")
        group_key = group.attrs.get("key") if group is not None else None
        if group_key and group_key not in roster.groups:
            problems.append(
                Problem(
                    file,
                    node.line,
                    _("the group “%(id)s” is not in <groepen>.") % {"id": group_key},
                )
            )
            continue
        roster.pupils[key] = PupilRecord(
            source_id=key,
            school=school_id,
            first_name=node.value("roepnaam") or node.value("voornamen"),
            prefix=node.value("voorvoegsel") or node.value("voorvoegsels"),
            last_name=node.value("achternaam"),
            date_of_birth=born,
            pupil_number=node.value("leerlingnummer") or key,
            group=group_key,
            where=(file, node.line),
        )
    for key, node in keyed("leerkrachten", "leerkracht"):
        email, _phone = checked_contact(
            node.value("emailadres"), "", file, node.line, roster.warnings
        )
        roster.staff[key] = StaffRecord(
            key,
            school_id,
            node.value("roepnaam"),
            node.value("achternaam"),
            email,
            node.value("voorvoegsel") or node.value("voorvoegsels"),
        )
        groups = node.find("groepen")
        for group in groups.findall("groep") if groups is not None else []:
            group_key = group.attrs.get("key", "")
            if group_key not in roster.groups:
                problems.append(
                    Problem(
                        file,
                        group.line,
                        _("the group “%(id)s” is not in <groepen>.") % {"id": group_key},
                    )
                )
            else:
                roster.groups[group_key].mentors.append(key)
    if problems:
        raise RosterError(problems)
    return roster
