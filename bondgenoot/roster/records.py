"""The one in-memory roster every format is read into, and the problems found reading it.

Each format module (``formats/oneroster.py``, ``formats/edexml.py``,
``formats/generic_csv.py``) turns a file into a ``Roster``; ``plan.py`` compares it with
the database and ``apply.py`` writes the difference. Records carry the source system's
own ids (``source_id``), which is what the import matches on: never names.

A field that a format does not carry is ``None``: the import keeps what the database
holds (an administrator's correction survives the next import).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Problem:
    """One error or warning, with where it is: a file and a line (1 = the header)."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        if self.line:
            return _("%(file)s, line %(line)s: %(message)s") % {
                "file": self.file,
                "line": self.line,
                "message": self.message,
            }
        return f"{self.file}: {self.message}"


class RosterError(Exception):
    """The file cannot be imported; ``problems`` says where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass
class SchoolRecord:
    source_id: str
    name: str
    brin: str = ""


@dataclass
class GroupRecord:
    source_id: str
    school: str  # SchoolRecord.source_id
    name: str
    year_level: int | None = None
    mentors: list[str] = field(default_factory=list)  # StaffRecord.source_id
    teachers: list[str] = field(default_factory=list)


@dataclass
class PupilRecord:
    source_id: str
    school: str
    first_name: str
    last_name: str
    date_of_birth: date
    pupil_number: str
    prefix: str = ""
    group: str | None = None  # GroupRecord.source_id
    where: tuple[str, int] = ("", 0)


@dataclass
class GuardianRecord:
    source_id: str
    first_name: str
    last_name: str
    prefix: str = ""
    email: str = ""
    phone: str = ""
    street: str | None = None
    postcode: str | None = None
    city: str | None = None


@dataclass
class LinkRecord:
    """A guardian of a pupil; ``None`` = the export does not say (keep what we hold)."""

    pupil: str
    guardian: str
    relation: str | None = None
    parental_authority: bool | None = None
    lives_with: bool | None = None
    where: tuple[str, int] = ("", 0)


@dataclass
class StaffRecord:
    source_id: str
    school: str
    first_name: str
    last_name: str
    email: str
    prefix: str = ""


@dataclass
class Roster:
    """Everything one file says. ``full``: the file lists every pupil of its schools
    (pupils it no longer lists have left); a delta export is not full."""

    format: str
    schools: dict[str, SchoolRecord] = field(default_factory=dict)
    groups: dict[str, GroupRecord] = field(default_factory=dict)
    pupils: dict[str, PupilRecord] = field(default_factory=dict)
    guardians: dict[str, GuardianRecord] = field(default_factory=dict)
    links: list[LinkRecord] = field(default_factory=list)
    staff: dict[str, StaffRecord] = field(default_factory=dict)
    school_year: int | None = None
    full: bool = True
    leavers: set[str] = field(default_factory=set)  # pupils a delta export says left
    warnings: list[Problem] = field(default_factory=list)

    def check_pupils_have_guardians(self) -> None:
        """A pupil without any guardian is imported, with a warning."""
        with_guardian = {link.pupil for link in self.links}
        for pupil in self.pupils.values():
            if pupil.source_id not in with_guardian:
                file, line = pupil.where
                self.warnings.append(
                    Problem(file, line, _("this pupil has no parent or guardian in the file."))
                )
