"""Find what would identify a pupil in text meant to be pseudonymised.

Without consent a pupil is discussed as a case code and a year group. Text typed for
such an item (agenda note, minutes, actions, the discussion's notes that partners read)
may not hold the pupil's or the guardians' names, the pupil number, the date of birth,
the street or the postcode. We look for exactly those, taken from the database, rather
than running a general de-identification model (``deduce`` builds an 80 MB cache for
about 90 s on first use and still guesses at names it was never told): the school knows
the names, so the check is exact, fast and explains itself.

Spelling variants are found: case and accents do not matter (Yılmaz = yilmaz), "ij"
and "y" are the same, doubled letters count once (Janssen = Jansen), and a name of
five or more letters also matches with one letter added, dropped, changed or two
swapped (Amrani / Amarni). Dates of birth are found in the usual Dutch and ISO
formats, with the month as a number or a word. Name particles (van, de, el, ...) alone
are not refused.

``identifiers(pupils)`` reads what to look for in two queries; ``find(text, ids)``
returns the hits with their place in the text, for highlighting.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from bondgenoot.people.models import Guardianship, Pupil

PARTICLES = {
    "van", "de", "der", "den", "het", "ten", "ter", "te", "t", "el", "al", "la", "le",
    "op", "in", "du", "da", "di", "von", "ben", "bin", "abu", "o",
}  # fmt: skip
FUZZY_FROM = 5  # names of at least this many letters also match with one edit

MONTHS = {
    "jan": 1, "januari": 1, "january": 1, "feb": 2, "februari": 2, "february": 2,
    "mrt": 3, "maart": 3, "mar": 3, "march": 3, "apr": 4, "april": 4, "mei": 5, "may": 5,
    "jun": 6, "juni": 6, "june": 6, "jul": 7, "juli": 7, "july": 7, "aug": 8,
    "augustus": 8, "august": 8, "sep": 9, "sept": 9, "september": 9, "okt": 10,
    "oktober": 10, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12,
    "december": 12,
}  # fmt: skip

_WORD = re.compile(r"[^\W_]+")
_NUMERIC_DATE = re.compile(r"(?<!\d)(\d{1,4})[-/.](\d{1,2})[-/.](\d{2,4})(?!\d)")
_WORD_DATE = re.compile(r"(?<!\d)(\d{1,2})\s+([^\W\d_]{3,10})\.?\s+(\d{2,4})(?!\d)")


@dataclass
class Identifiers:
    names: set[str] = field(default_factory=set)  # normalised name words
    numbers: set[str] = field(default_factory=set)  # pupil numbers
    dates: set[date] = field(default_factory=set)
    postcodes: set[str] = field(default_factory=set)  # "3081AB"
    streets: set[tuple[str, ...]] = field(default_factory=set)  # normalised word sequences

    def __bool__(self) -> bool:
        return bool(self.names or self.numbers or self.dates or self.postcodes or self.streets)


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    text: str
    kind: str  # name | number | date | postcode | address


def normalise(word: str) -> str:
    word = word.lower().replace("ı", "i").replace("ß", "ss")
    word = "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))
    word = word.replace("ij", "y")
    return re.sub(r"(.)\1+", r"\1", word)


def _name_words(*parts: str) -> set[str]:
    words = set()
    for part in parts:
        for token in _WORD.findall(part or ""):
            norm = normalise(token)
            if len(norm) >= 2 and norm not in PARTICLES:
                words.add(norm)
    return words


def identifiers(pupils: Iterable[Pupil]) -> Identifiers:
    """What identifies these pupils and their guardians (two queries)."""
    pupil_ids = [p.pk for p in pupils]
    ids = Identifiers()
    for first, prefix, last, number, born in Pupil.objects.filter(pk__in=pupil_ids).values_list(
        "first_name", "last_name_prefix", "last_name", "pupil_number", "date_of_birth"
    ):
        ids.names |= _name_words(first, prefix, last)
        if number:
            ids.numbers.add(number.strip().lower())
        ids.dates.add(born)
    for first, prefix, last, street, postcode in (
        Guardianship.objects.filter(pupil_id__in=pupil_ids)
        .values_list(
            "guardian__first_name",
            "guardian__last_name_prefix",
            "guardian__last_name",
            "guardian__street",
            "guardian__postcode",
        )
        .distinct()
    ):
        ids.names |= _name_words(first, prefix, last)
        code = (postcode or "").replace(" ", "").upper()
        if code:
            ids.postcodes.add(code)
        street_words = tuple(
            normalise(w) for w in _WORD.findall(street or "") if not w.isdigit() and len(w) > 1
        )
        if street_words:
            ids.streets.add(street_words)
    return ids


def _close(a: str, b: str) -> bool:
    """At most one edit (insert, delete, change, or swap of two neighbours)."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def _name_match(word: str, names: set[str]) -> bool:
    if word in names:
        return True
    if len(word) < FUZZY_FROM:
        return False
    return any(len(n) >= FUZZY_FROM and _close(word, n) for n in names)


def _year(text: str) -> int:
    year = int(text)
    return year + (2000 if year < 50 else 1900) if year < 100 else year


def _as_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def find(text: str, ids: Identifiers) -> list[Hit]:
    if not text or not ids:
        return []
    hits: list[Hit] = []
    tokens = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
    norms = [normalise(t) for _s, _e, t in tokens]
    for index, (start, end, token) in enumerate(tokens):
        lower = token.lower()
        if lower in ids.numbers:
            hits.append(Hit(start, end, token, "number"))
        elif not token.isdigit() and _name_match(norms[index], ids.names):
            hits.append(Hit(start, end, token, "name"))
    for street in ids.streets:
        size = len(street)
        for index in range(len(tokens) - size + 1):
            if tuple(norms[index : index + size]) == street:
                hits.append(
                    Hit(
                        tokens[index][0],
                        tokens[index + size - 1][1],
                        text[tokens[index][0] : tokens[index + size - 1][1]],
                        "address",
                    )
                )
    for code in ids.postcodes:
        pattern = re.compile(rf"(?<![\w]){code[:4]}\s*{re.escape(code[4:])}(?![\w])", re.I)
        hits.extend(Hit(m.start(), m.end(), m.group(), "postcode") for m in pattern.finditer(text))
    for m in _NUMERIC_DATE.finditer(text):
        a, b, c = m.groups()
        candidates = (
            [_as_date(int(a), int(b), int(c))]
            if len(a) == 4
            else [_as_date(_year(c), int(b), int(a))]
        )
        if any(d in ids.dates for d in candidates if d):
            hits.append(Hit(m.start(), m.end(), m.group(), "date"))
    for m in _WORD_DATE.finditer(text):
        day, month_word, year = m.groups()
        month = MONTHS.get(month_word.lower())
        if month and _as_date(_year(year), month, int(day)) in ids.dates:
            hits.append(Hit(m.start(), m.end(), m.group(), "date"))
    return _merge(hits)


def _merge(hits: list[Hit]) -> list[Hit]:
    out: list[Hit] = []
    for hit in sorted(hits, key=lambda h: (h.start, -h.end)):
        if out and hit.start < out[-1].end:
            continue
        out.append(hit)
    return out


def highlight(text: str, hits: list[Hit]) -> SafeString:
    """The text, escaped, with each hit in a ``<mark>``."""
    parts: list[str] = []
    position = 0
    for hit in hits:
        parts.append(escape(text[position : hit.start]))
        parts.append(f"<mark>{escape(text[hit.start : hit.end])}</mark>")
        position = hit.end
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))
