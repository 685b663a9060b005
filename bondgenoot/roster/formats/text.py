"""Reading text files as the administration systems write them: UTF-8 (with or without
a byte order mark) or Windows-1252, comma or semicolon. Problems name a file and a line.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from datetime import date, datetime
from functools import lru_cache

from django.utils.translation import gettext as _

from bondgenoot.lib.bidi import strip_bidi

from ..records import Problem, RosterError

# Bytes that Windows-1252 leaves undefined: a file with these is not Windows-1252 either.
_UNDEFINED_1252 = {0x81, 0x8D, 0x8F, 0x90, 0x9D}


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def decode(data: bytes, file: str, *, windows_1252: bool = True) -> str:
    """The text of ``data``: UTF-8 when it is valid UTF-8, else Windows-1252 (when the
    format allows it). UTF-16 and other encodings are refused with the line where the
    first byte that does not fit is."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:4096]:
        return _refuse(file, 1, _("the file is in UTF-16 or another unsupported encoding."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if not windows_1252:
            return _refuse(
                file,
                _line_of(data, error.start),
                _("this line is not UTF-8 text. Export the file again as UTF-8."),
            )
        bad = next((i for i, b in enumerate(data) if b in _UNDEFINED_1252), None)
        if bad is not None:
            return _refuse(
                file,
                _line_of(data, bad),
                _(
                    "this line is neither UTF-8 nor Windows-1252 text. Export the file "
                    "again as UTF-8."
                ),
            )
        return data.decode("cp1252")


def _refuse(file: str, line: int, message: str) -> str:
    raise RosterError([Problem(file, line, message)])


def sniff_delimiter(header: str) -> str:
    counts = {d: header.count(d) for d in (";", ",", "\t")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


class Table:
    """A CSV file with a header: rows as dicts, each with its line number."""

    def __init__(self, text: str, file: str, delimiter: str | None = None) -> None:
        self.file = file
        # Direction controls are taken out of the whole text, as lib/bidi.py does on
        # save (bulk writes send no pre_save): a name cannot be spoofed by an import.
        text = strip_bidi(text)
        first = text.split("\n", 1)[0]
        reader = csv.reader(
            io.StringIO(text, newline=""), delimiter=delimiter or sniff_delimiter(first)
        )
        try:
            header = next(reader)
        except StopIteration:
            header = []
        self.columns = [c.strip() for c in header]
        self.rows: list[tuple[int, dict[str, str]]] = []
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            if len(values) < len(self.columns):
                values += [""] * (len(self.columns) - len(values))
            row = {c: v.strip() for c, v in zip(self.columns, values, strict=False)}
            self.rows.append((reader.line_num, row))

    def missing(self, required: Iterable[str]) -> list[Problem]:
        return [
            Problem(self.file, 1, _("the column “%(column)s” is missing.") % {"column": c})
            for c in required
            if c not in self.columns
        ]


DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y")


def parse_date(value: str, formats: Iterable[str] = DATE_FORMATS) -> date | None:
    value = value.strip()
    for fmt in formats:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def truthy(value: str) -> bool | None:
    """Yes/no as exports write it; None when empty or unknown."""
    v = value.strip().lower()
    if v in {"1", "true", "ja", "j", "yes", "y", "waar", "x"}:
        return True
    if v in {"0", "false", "nee", "n", "no", "onwaar"}:
        return False
    return None


_PREFIXES = (
    "van der",
    "van den",
    "van de",
    "van 't",
    "van",
    "de",
    "den",
    "der",
    "ter",
    "ten",
    "te",
    "'t",
    "in 't",
    "op de",
    "el",
    "al",
)


def split_prefix(last_name: str) -> tuple[str, str]:
    """('van der', 'Berg') from 'van der Berg' (a Dutch surname prefix in the same field)."""
    name = last_name.strip()
    lower = name.lower()
    for prefix in _PREFIXES:
        if lower.startswith(prefix + " ") and len(name) > len(prefix) + 1:
            return name[: len(prefix)], name[len(prefix) + 1 :].strip()
    return "", name


def relation_from(value: str) -> str | None:
    """A Guardianship.Relation value from what an export writes (Dutch or English)."""
    v = re.sub(r"[^a-z]", "", value.strip().lower())
    if not v:
        return None
    table = {
        "moeder": "mother",
        "mother": "mother",
        "vader": "father",
        "father": "father",
        "stiefmoeder": "stepparent",
        "stiefvader": "stepparent",
        "stepparent": "stepparent",
        "stiefouder": "stepparent",
        "pleegmoeder": "foster_parent",
        "pleegvader": "foster_parent",
        "pleegouder": "foster_parent",
        "fosterparent": "foster_parent",
        "grootmoeder": "grandparent",
        "grootvader": "grandparent",
        "opa": "grandparent",
        "oma": "grandparent",
        "grandparent": "grandparent",
        "voogd": "guardian",
        "guardian": "guardian",
    }
    return table.get(v, "other")


def _nl_mobile() -> re.Pattern[str]:
    import phonenumbers

    metadata = phonenumbers.PhoneMetadata.metadata_for_region("NL")
    mobile = metadata.mobile if metadata is not None else None
    assert mobile is not None and mobile.national_number_pattern
    return re.compile(mobile.national_number_pattern)


_NL_MOBILE = _nl_mobile()
_SEPARATORS = re.compile(r"[\s().-]")


@lru_cache(maxsize=200_000)
def e164(raw: str) -> str | None:
    """The number in E.164, or None when it is not a phone number (parsed once per
    distinct number: siblings' files repeat their parents' numbers).

    Most numbers in a Dutch export are Dutch mobiles (06 1234 5678). Those are checked
    against libphonenumber's own pattern for Dutch mobiles, which is what its validation
    does for them, without the cost of a full parse (a tenth of a district import);
    every other number is parsed in full (``lib/addresses.parse``)."""
    import phonenumbers

    from bondgenoot.lib.addresses import parse

    digits = _SEPARATORS.sub("", raw)
    for prefix in ("06", "+316", "00316"):
        if digits.startswith(prefix) and digits[1:].isdigit():
            national = "6" + digits[len(prefix) :]
            if len(national) == 9 and _NL_MOBILE.fullmatch(national):
                return "+31" + national
            break
    number = parse(raw)
    if number is None:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def checked_contact(
    email: str, phone: str, file: str, line: int, warnings: list[Problem]
) -> tuple[str, str]:
    """The email address (validated) and phone number (E.164) of a guardian or teacher.
    What cannot be used is left out with a warning; the rest of the row is imported."""
    from bondgenoot.lib.addresses import email_problem

    email = email.strip()
    if email and email_problem(email):
        warnings.append(Problem(file, line, _("the email address is not valid; it was left out.")))
        email = ""
    phone = phone.strip()
    if phone:
        normalised = e164(phone)
        if normalised is None:
            warnings.append(
                Problem(file, line, _("the phone number is not valid; it was left out."))
            )
        phone = normalised or ""
    return email.lower(), phone
