"""Which format a file is, recognised from its contents (not its name)."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from django.utils.translation import gettext as _

from ..records import Problem, Roster, RosterError
from . import edexml, generic_csv, oneroster

# A district's OneRoster export unpacks to some 30 MB; a zip that claims far more is
# refused before anything is unpacked.
MAX_UNPACKED = 1024 * 1024 * 1024


def read_roster(
    data: bytes,
    name: str,
    *,
    mapping: dict[str, Any] | None = None,
    guardians: tuple[bytes, str] | None = None,
) -> Roster:
    """The roster in ``data``: a OneRoster zip, an EDEX.XML (with a guardians CSV, given
    separately or in the same zip), or a generic CSV read with ``mapping``."""
    mapping = mapping or generic_csv.load_mapping(generic_csv.DEFAULT_MAPPING)
    if data[:4] == b"PK\x03\x04":
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
        except zipfile.BadZipFile:
            raise RosterError([Problem(name, 0, _("this zip file is damaged."))]) from None
        with archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED:
                raise RosterError([Problem(name, 0, _("the zip unpacks to more than 1 GB."))])
            if oneroster.is_oneroster(archive):
                return oneroster.read(archive)
            xml = [n for n in archive.namelist() if n.lower().endswith(".xml")]
            csvs = [n for n in archive.namelist() if n.lower().endswith(".csv")]
            if len(xml) == 1:
                if csvs and guardians is None:
                    guardians = (archive.read(csvs[0]), csvs[0].rsplit("/", 1)[-1])
                return _edexml(archive.read(xml[0]), xml[0].rsplit("/", 1)[-1], mapping, guardians)
            raise RosterError(
                [
                    Problem(
                        name,
                        0,
                        _(
                            "the zip holds neither a OneRoster export (manifest.csv) "
                            "nor one EDEX.XML."
                        ),
                    )
                ]
            )
    if edexml.looks_like_edexml(data):
        return _edexml(data, name, mapping, guardians)
    return generic_csv.read(data, name, mapping)


def _edexml(
    data: bytes, name: str, mapping: dict[str, Any], guardians: tuple[bytes, str] | None
) -> Roster:
    roster = edexml.read(data, name)
    if guardians is None:
        roster.warnings.append(
            Problem(
                name,
                0,
                _("there is no guardians CSV with this EDEX.XML: no parents were imported."),
            )
        )
        roster.check_pupils_have_guardians()
        return roster
    school = next(iter(roster.schools))
    extra = generic_csv.read(
        guardians[0], guardians[1], mapping, school=school, guardians_only=True
    )
    problems = [
        Problem(*link.where, _("the pupil “%(id)s” is not in EDEX.XML.") % {"id": link.pupil})
        for link in extra.links
        if link.pupil not in roster.pupils
    ]
    if problems:
        raise RosterError(problems)
    roster.guardians = extra.guardians
    roster.links = extra.links
    roster.warnings += extra.warnings
    roster.check_pupils_have_guardians()
    return roster
