"""The tone coach: plain, warm Dutch for messages to parents. No network, no models.

``check(text)`` returns a ``Report`` with findings (kind, start and end offsets, the
matched text, an explanation, a suggestion, and where it fits a one-click replacement
or else an example sentence), readability (Flesch-Douma with syllables from pyphen,
and a difficulty level from word frequency and clause length, see readability.py), a
verdict that also counts the findings left, and positive markers (an invitation, a
shared goal, a question to the parent).

Lexicons are reviewable data files next to this module (see their headers), but the
coach does not depend on them alone: it also finds

- jargon by word frequency (wordfreq's Dutch list), splitting compounds into known
  parts, with an allow-list of everyday school words (words.toml); abbreviations by
  their shape; officialese connectives from the lexicon;
- passives by Dutch morphology (morphology.py): ge-, separable and inseparable
  prefixes, irregular participles, with any form of "worden" or "zijn";
- labels by the shape of the sentence: "uw zoon is (een) X" with X a judging word, a
  diagnosis, an addiction or a criminal role (labels.toml, [grammar]);
- alarm by patterns for ultimatums, demands, urgency, absolutes and alarming words.

The cost is linear in the length of the text: every step is one pass over the words
with a bounded look-around, words longer than ``MAX_WORD`` letters are not analysed,
and only the first ``MAX_CHARS`` characters are checked (``Report.truncated``).

Kinds: ``jargon``, ``alarm``, ``label``, ``long_sentence``, ``passive``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, TypedDict

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import alarm as alarm_shapes
from . import readability
from .morphology import (
    MAX_WORD,
    common,
    compound_parts,
    is_participle,
    lemma,
    zijn_participle,
    zipf,
)
from .readability import syllables
from .shapes import Add, SameClause, Span, Token
from .suggest import one_click

__all__ = ["KINDS", "Finding", "Marker", "Report", "check", "lemma", "syllables"]

from bondgenoot.lib.texts import load

DATA = Path(__file__).parent
LONG_SENTENCE_WORDS = 20
# A message is at most a few thousand characters; the coach checks the first 20,000
# (about 3,000 words) and says so when there was more.
MAX_CHARS = 20_000
KINDS = ("jargon", "alarm", "label", "long_sentence", "passive")

WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
DOTTED = re.compile(r"(?<![\w.])(?:[A-Za-z]{1,3}\.){1,3}(?=[\s,;:)]|$)")
SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)|\n\s*\n|\n(?=\s*[-•*])")
CLAUSE_BREAK = re.compile(r"[,;:!?()\n]|\.\s")
# Words that start a new clause: a participle after them belongs to that clause.
CLAUSE_WORDS = {"en", "maar", "want", "of", "dus", "omdat", "wanneer", "terwijl", "zodat"}
# A participle right after one of these is used as an adjective: "een verhoogd risico".
DETERMINERS = {
    "een", "de", "het", "dit", "deze", "geen", "zo'n", "elk", "elke", "ieder", "iedere",
    "mijn", "jouw", "haar", "uw", "onze", "ons", "hun", "jullie", "nogal", "heel", "erg",
    "zeer", "best", "zo", "totaal",
}  # fmt: skip
ADJECTIVE_NEXT = {"bezig"}
# "met zijn …", "van zijn …": "zijn" is "his", not a verb.
PREPOSITIONS = {"met", "van", "in", "op", "voor", "bij", "naar", "aan", "door", "over", "uit", "om"}
# Fixed expressions with a participle that are not passive.
NOT_PASSIVE = {("eerlijk", "gezegd"), ("zoals", "gezegd"), ("kort", "gezegd")}
ADDRESSES_PARENT = re.compile(r"\b(?:u|uw|jij|je|jullie)\b", re.IGNORECASE)
HEBBEN = {"heb", "hebt", "heeft", "hebben", "had", "hadden", "gehad"}
# Abbreviations every parent knows: never jargon.
KNOWN_ABBREVIATIONS = {
    "OK", "TV", "PC", "WC", "NS", "AH", "EU", "NL", "VS", "ID", "SMS", "PDF", "USB", "GPS",
    "BSO", "GGD", "HAVO", "VWO", "VMBO", "MAVO", "MBO", "HBO", "WO", "CITO", "KNVB",
    "NOS", "OV", "BTW", "DJ", "CD", "DVD", "WIFI", "APP", "ICT", "EHBO", "AED", "VVE",
    "HAVO-VWO", "VMBO-T", "TL", "KB", "BB", "GL", "IKC", "JGZ", "KNMI", "ANWB", "RIVM",
    "IQ", "NPO", "RTL", "OK'S", "AVG",
}  # fmt: skip
ABBREVIATION = re.compile(r"[A-Z]{2,6}[0-9]?")
# Suffixes of long words borrowed from Latin and French: officialese when rare.
LATINATE = (
    "atie", "aties", "iteit", "isme", "ief", "ieve", "ioneel", "ionele", "isch", "ische",
    "agoog", "logie", "logisch", "tiek",
)  # fmt: skip


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int
    end: int
    text: str
    explanation: str
    suggestion: str
    replacement: str = ""  # a plain alternative the writer can accept with one click
    example: str = ""  # a whole example sentence, where one click would not fit


@dataclass(frozen=True)
class Marker:
    kind: str
    start: int
    end: int
    text: str


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    markers: list[Marker] = field(default_factory=list)
    words: int = 0
    sentences: int = 0
    syllables: int = 0
    flesch_douma: float | None = None
    level: str = ""
    difficulty: float | None = None  # 0–100, see readability.py
    difficulty_level: int | None = None  # 1–4, like LiNT's levels
    truncated: bool = False  # only the first MAX_CHARS characters were checked

    @property
    def b1_or_easier(self) -> bool:
        return self.level in ("A2", "B1")

    @property
    def verdict(self) -> str:
        """ "good" (B1 or easier and nothing left to look at), "findings" (easy enough
        to read, but findings remain) or "hard" (harder than B1)."""
        if not self.b1_or_easier:
            return "hard"
        return "findings" if self.findings else "good"

    def of_kind(self, kind: str) -> list[Finding]:
        return [f for f in self.findings if f.kind == kind]

    def as_json(self) -> dict[str, Any]:
        return {
            "findings": [
                {
                    "kind": f.kind,
                    "start": f.start,
                    "end": f.end,
                    "text": f.text,
                    "suggestion": f.suggestion,
                    "explanation": f.explanation,
                    "replacement": f.replacement,
                    "example": f.example,
                }
                for f in self.findings
            ],
            "readability": {
                "flesch_douma": self.flesch_douma,
                "level": self.level,
                "b1_or_easier": self.b1_or_easier,
                "difficulty": self.difficulty,
                "difficulty_level": self.difficulty_level,
                "verdict": self.verdict,
                "words": self.words,
                "sentences": self.sentences,
                "syllables": self.syllables,
                "truncated": self.truncated,
            },
            "markers": [asdict(m) for m in self.markers],
        }


# --- lexicons ------------------------------------------------------------------------------


def _load(name: str) -> dict[str, Any]:
    return load(DATA / name)


def inflections(term: str) -> set[str]:
    """The base form with the plural, diminutive and adjective endings Dutch adds."""
    forms = {term, term + "s", term + "en", term + "e", term + "'s"}
    if re.search(r"[^aeiou]([aeiou])\1[^aeiou]$", term):  # signaal → signalen
        short = term[:-3] + term[-2] + term[-1]
        forms |= {short + "en", short + "e"}
    if re.search(r"[^aeiou][aeiou][^aeiouwy]$", term):  # plan → plannen, plannetje
        forms |= {term + term[-1] + "en", term + term[-1] + "etje", term + term[-1] + "etjes"}
    for ending in ("je", "jes", "tje", "tjes", "pje", "pjes"):
        forms.add(term + ending)
    if term.endswith("ie"):  # interventie → interventies
        forms.add(term + "s")
    return forms


@dataclass(frozen=True)
class Entry:
    kind: str
    term: str
    explanation: str
    suggestion: str
    replacement: str
    fits: str = ""
    example: str = ""


class Lexicon(TypedDict):
    exact: dict[str, Entry]
    heads: dict[str, Entry]
    modifiers: dict[str, Entry]
    abbreviations: dict[str, Entry]
    dotted: dict[str, Entry]
    phrases: Combined
    labels: dict[str, Entry]
    grammar: dict[str, set[str]]
    agents: set[str]
    stems: set[str]
    label_patterns: Combined
    alarm: Combined
    worden: set[str]
    zijn: set[str]
    zijn_verbs: set[str]
    adjectives: set[str]
    everyday: set[str]
    domain_parts: tuple[str, ...]
    person_heads: set[str]
    markers: list[tuple[str, re.Pattern[str]]]


@cache
def lexicon() -> Lexicon:
    """Lookup tables, built once: exact forms, compound heads and modifiers,
    abbreviations (case-sensitive), abbreviations with dots, multi-word terms, label
    grammar, alarm patterns, and the word lists of the frequency rules."""
    exact: dict[str, Entry] = {}
    heads: dict[str, Entry] = {}  # compound ends with it: jeugdzorgsignalen
    modifiers: dict[str, Entry] = {}  # compound starts with it: risicogedragingen
    abbreviations: dict[str, Entry] = {}
    dotted: dict[str, Entry] = {}
    phrases: list[tuple[str, Entry]] = []
    for row in _load("jargon.toml")["term"]:
        term = row["term"]
        entry = Entry(
            "jargon",
            term,
            row["why"],
            "",
            row["replacement"],
            row.get("fits", ""),
            row.get("example", ""),
        )
        if term.isupper() or (term.endswith("'er") and term[:-3].isupper()):
            abbreviations[term] = entry
        elif "." in term:
            dotted[term.lower()] = entry
        elif " " in term:
            phrases.append((_phrase(term), entry))
        else:
            for form in inflections(term):
                exact.setdefault(form, entry)
                if len(term) >= 6 and entry.fits != "word":
                    heads.setdefault(form, entry)
            # Officialese words are whole words only: "middels" is not in "inmiddels".
            if len(term) >= 7 and entry.fits != "word":
                modifiers.setdefault(term, entry)
    labels_data = _load("labels.toml")
    labels: dict[str, Entry] = {}
    for row in labels_data["term"]:
        entry = Entry("label", row["term"], row["why"], "", "")
        for form in [row["term"], *row.get("forms", [])]:
            if " " in form:
                phrases.append((_phrase(form, inflect=False), entry))
            else:
                labels[form] = entry
    grammar = {key: set(value) for key, value in labels_data["grammar"].items()}
    insult = Entry("label", "", "Een scheldwoord of etiket voor een persoon.", "", "")
    for word in grammar["insults"]:
        labels.setdefault(word, insult)
    # English loanwords: single words judge in the sentence shapes like Dutch ones ("hij is
    # lazy", "die troublemaker"); phrases ("drama queen") are a label wherever they stand.
    grammar["adjectives"] |= grammar["english_adjectives"]
    for role in grammar["english_roles"]:
        if " " in role:
            phrases.append((_phrase(role, inflect=False), insult))
        else:
            grammar["roles"].add(role)
    label_patterns = [
        (row["pattern"], Entry("label", "", row["why"], "", "")) for row in labels_data["pattern"]
    ]
    alarm = [
        (row["pattern"], Entry("alarm", "", row["why"], row["suggestion"], ""))
        for row in _load("alarm.toml")["pattern"]
    ]
    passive = _load("passive.toml")
    words = _load("words.toml")
    markers = [
        (row["kind"], re.compile(row["pattern"], re.IGNORECASE))
        for row in _load("markers.toml")["marker"]
    ]
    agents = set()
    stems = set()  # bare stems of verbs for misbehaving: "een zeur", "een klier"
    for verb in grammar["verbs"]:
        stems.add(verb[:-2] if verb.endswith("en") else verb[:-1])
        stem = verb[:-2] if verb.endswith("en") else verb[:-1]
        agents |= {stem + "er", stem + "aar", stem + "erd", stem + "ers", stem + "aars"}
        agents |= {stem + "ster", stem + "aarster", stem + "ertje", stem + "ertjes"}
        if len(stem) >= 2 and stem[-1] == stem[-2]:  # zeurr? no: pest+er, klag+er
            agents.add(stem[:-1] + "er")
        if verb.endswith("eren"):  # manipuleren → manipulator, provoceren → provocateur
            agents |= {verb[:-4] + "ator", verb[:-4] + "ateur", verb[:-4] + "ant"}
    return {
        "exact": exact,
        "heads": heads,
        "modifiers": modifiers,
        "abbreviations": abbreviations,
        "dotted": dotted,
        "phrases": Combined(phrases),
        "labels": labels,
        "grammar": grammar,
        "agents": agents,
        "stems": stems,
        "label_patterns": Combined(label_patterns),
        "alarm": Combined(alarm),
        "worden": set(passive["worden"]),
        "zijn": set(passive["zijn"]),
        "zijn_verbs": set(passive["zijn_verbs"]),
        "adjectives": set(passive["adjectives"]),
        "everyday": set(words["everyday"]),
        "domain_parts": tuple(words["domain_parts"]),
        "person_heads": set(words["person_heads"]),
        "markers": markers,
    }


class Combined:
    """Many patterns as one regular expression, each a named group that maps back to its
    entry. Every pattern starts at a word: it is tried only at the starts of words, on
    the lower-cased text, which is several times faster than scanning every position."""

    def __init__(self, pairs: list[tuple[str, Entry]]):
        self.entries = {f"p{i}": entry for i, (_pattern, entry) in enumerate(pairs)}
        source = "|".join(f"(?P<p{i}>{pattern})" for i, (pattern, _e) in enumerate(pairs))
        self.regex = re.compile(source)
        self.anycase = re.compile(source, re.IGNORECASE)

    def finditer(
        self, text: str, starts: list[int] | None = None
    ) -> Iterator[tuple[re.Match[str], Entry]]:
        lower = text.lower()
        if starts is None or len(lower) != len(text):  # a few letters change length
            for m in self.anycase.finditer(text):
                yield m, self._entry(m)
            return
        end = -1
        for start in starts:
            if start < end:
                continue
            hit = self.regex.match(lower, start)
            if hit:
                end = hit.end()
                yield hit, self._entry(hit)

    def _entry(self, m: re.Match[str]) -> Entry:
        # Every alternative is a named group, so a match always has a last group.
        return self.entries[m.lastgroup or ""]


def _phrase(term: str, inflect: bool = True) -> str:
    words = term.split()
    *first, last = words
    last_forms = sorted(inflections(last) if inflect else {last}, key=len, reverse=True)
    first_forms = [rf"{re.escape(w)}e?" for w in first]  # multidisciplinair(e)
    body = r"\s+".join([*first_forms, "(?:" + "|".join(map(re.escape, last_forms)) + ")"])
    return rf"\b{body}\b"


# --- words ---------------------------------------------------------------------------------


def _lexicon_word(token: str, lower: str) -> Entry | None:
    """The lexicon entry (label or jargon) for one word: exact, lemma, or compound."""
    lex = lexicon()
    for part in re.split(r"[-'’]", token):
        if part in lex["abbreviations"]:
            return lex["abbreviations"][part]
    if token in lex["abbreviations"]:
        return lex["abbreviations"][token]
    if lower in lex["labels"]:
        return lex["labels"][lower]
    if (
        len(lower) > 5
        and lower[-1] in "dt"
        and (lower[:-1] + "dt".replace(lower[-1], "")) in lex["labels"]
    ):
        return lex["labels"][lower[:-1] + "dt".replace(lower[-1], "")]  # d/t: "onbeleeft"
    if lower in lex["exact"]:
        return lex["exact"][lower]
    base = lemma(lower)
    if base in lex["labels"]:
        return lex["labels"][base]
    if base in lex["exact"]:
        return lex["exact"][base]
    for part in re.split(r"[-'’]", lower):
        for i in range(1, max(1, len(part) - 5)):
            if part[i:] in lex["heads"]:
                return lex["heads"][part[i:]]
        for j in range(len(part) - 1, 6, -1):
            if part[:j] in lex["modifiers"]:
                return lex["modifiers"][part[:j]]
    return None


@lru_cache(maxsize=50_000)
def _label_head(lower: str) -> bool:
    """A compound ending in a label: drugsverslaafde, winkeldief, geweldpleger; or a
    person named by a crime or a scene: bendeleider, drugskoerier, ODD-kind."""
    lex = lexicon()
    g = lex["grammar"]
    for modifier in g["bad_modifiers"]:
        rest = lower[len(modifier) :].lstrip("-")
        if (
            lower.startswith(modifier)
            and len(rest) >= 3
            and rest.endswith(tuple(g["person_endings"]))
            and (modifier != "klassen" or not rest.endswith(("er", "aar", "ier")))
        ):
            return True  # not "klassenvertegenwoordiger", a neutral role
    for prefix in g["scorn_prefixes"]:
        if lower.startswith(prefix) and lower[len(prefix) :].lstrip("-") in g["scorn_persons"]:
            return True  # "rotjochies", "snotneus", "klotekinderen"
    for stem in g["condition_stems"]:
        # A condition as a person: "astmameisje", "dyslecticus", "ADHD-jongen".
        if (
            lower.startswith(stem)
            and len(lower) > len(stem) + 2
            and lower.endswith(tuple(g["condition_persons"]))
        ):
            return True
    if "-" in lower:
        first, _, rest = lower.partition("-")
        if first in g["diagnoses"] and rest in g["person_nouns"] | g["subjects"] | {
            "kindje",
            "jongetje",
        }:
            return True
    for head in lex["grammar"]["heads"]:
        if lower.endswith(head) and len(lower) - len(head) >= 3:
            first = lower[: -len(head)].rstrip("s")
            if common(first) >= 3.0:
                return True
    return False


def _unknown_abbreviation(token: str, sentence_shouts: bool) -> bool:
    if sentence_shouts:
        return False
    for part in re.split(r"[-'’]", token):
        # One that people write every day is known: GGD, DUO, UWV.
        if (
            ABBREVIATION.fullmatch(part)
            and part not in KNOWN_ABBREVIATIONS
            and zipf(part.lower()) < 3.3
        ):
            return True
    return False


def _rare_word(lower: str) -> str:
    """Why ``lower`` is jargon by its frequency ("domain", "rare", "latinate"), or ""."""
    lex = lexicon()
    if len(lower) < 9 or len(lower) > MAX_WORD or not lower.isalpha():
        return ""
    if lower in lex["everyday"] or lemma(lower) in lex["everyday"]:
        return ""
    z = common(lower)
    if z >= 3.5:
        return ""
    parts = compound_parts(lower)
    domain = lex["domain_parts"]
    pieces = parts or (lower,)
    # A compound that ends in a person names someone the parent will meet
    # ("zorgcoördinator", "overblijfkrachten") or is a label ("draaideurcrimineel",
    # "zorgenkindje", found as such): not jargon by its frequency.
    person = bool(parts) and (
        parts[-1] in lex["person_heads"]
        or lemma(parts[-1]) in lex["person_heads"]
        or _role(parts[-1])
    )
    if z < 3.0 and len(lower) >= 10 and any(p.startswith(domain) for p in pieces) and not person:
        return "domain"
    if person:
        return ""
    if parts:
        if len(parts) >= 3 and len(lower) >= 16 and z < 2.5:
            return "rare"
        return ""
    # A long word that is neither common nor a compound of known parts is often a new
    # playful compound ("luizenpluizers"): only a Latinate ending makes it jargon.
    if z < 3.2 and lower.endswith(LATINATE) and not is_participle(lower):
        return "latinate"
    return ""


def _is_name(token: str, first_in_sentence: bool) -> bool:
    """A capitalised word that is probably a name (not an abbreviation)."""
    if not token[:1].isupper() or token.isupper():
        return False
    if not first_in_sentence:
        return True
    return len(token) < 12  # a long capitalised first word is a word, not a name


# --- labels by the shape of the sentence -----------------------------------------------------


ANIMALS = {"vos", "haas", "aap", "ezel", "varken", "beest"}
# Verbs that cast a child in a role with "als": "wij zien hem als een gangster".
AS_ROLE = {
    "zie", "zien", "ziet", "zag", "gezien", "ken", "kennen", "kent", "beschouwen",
    "beschouwt", "bekend", "gebruikt", "gebruiken", "behandelen", "behandeld", "noemen",
}  # fmt: skip


@lru_cache(maxsize=50_000)
def _role(lower: str) -> bool:
    """A role, scornful noun or insult, also as a diminutive: "meelopertje"."""
    g = lexicon()["grammar"]
    if lower in g["roles"] or lower in g["een_nouns"] or lower in g["insults"]:
        return True
    for ending in ("'s", "’s", "s", "en"):  # plurals: "aso's", "tokkies", "etters"
        if lower.endswith(ending) and len(lower) - len(ending) >= 3:
            single = lower[: -len(ending)]
            if single in g["roles"] or single in g["een_nouns"] or single in g["insults"]:
                return True
    for ending in ("tjes", "tje", "jes", "je"):
        if lower.endswith(ending) and lower[: -len(ending)] in g["roles"]:
            return True
    return False


# Pointing at a child with a role: "die dealer", "deze dief", "onze spijbelaar".
POINTING = {"die", "deze", "dat", "dit", "zo'n", "zo’n", "onze", "ons", "jullie", "uw"}
ATTRIBUTIVE_DETERMINERS = {
    "een", "zo'n", "zo’n", "die", "dat", "wat", "echte", "typische", "zulke", "uw", "je",
    "jullie", "de", "het", "deze", "dit", "onze", "ons",
}  # fmt: skip
# Modifiers that make a role or a scornful noun a characterisation of the child: "die
# kleine kleptomaan", "een notoire laatkomer", "onze eigen kleine tiran".
CONTEMPT = {
    "kleine", "echte", "typische", "notoire", "ware", "regelrechte", "rasechte", "eeuwige",
    "eigen",
}  # fmt: skip
NEGATED_ENDINGS = (
    "baar", "bare", "zaam", "zame", "eerd", "eerde", "d", "de", "lijk", "lijke", "ig", "ige",
)  # fmt: skip
# A parent named by role alone, as in notes: "Moeder is overbezorgd", "Vader was boos".
BARE_PARENTS = {"moeder", "vader", "ouders", "stiefvader", "stiefmoeder"}
# Comparisons that cast a child as something: "als een kleuter", "net een wervelwind".
COMPARE = {"als", "zoals"}
# Hedges before "een" ("nogal een mietje", "een beetje een grijze muis") and dismissive
# adverbs before "geen" ("is gewoon geen gymnasiast").
HEDGES = {"nogal", "beetje", "soort", "tikkeltje", "tikje", "typisch"}
DISMISSIVE = {"gewoon", "gewoonweg", "simpelweg", "eenmaal", "duidelijk", "eigenlijk", "nou"}
PARENT_ROLES = {"vader", "moeder", "ouder", "ouders", "opvoeder", "opvoeders"}
# Superlatives that are no judgement: "niet de eerste", "niet de enige die …".
NOT_SUPERLATIVE = {"eerste", "laatste", "enige", "meeste", "minste", "volgende", "beste"}


def _judging(lower: str, after_een: bool, after_have: bool) -> bool:
    lex = lexicon()
    g = lex["grammar"]
    base = lower[:-1] if lower.endswith("e") and lower[:-1] in g["adjectives"] else lower
    if after_have:
        return (
            lower in g["diagnoses"]
            or lower.endswith(("stoornis", "verslaving", "problematiek"))
            or (lower.endswith(("probleem", "problemen")) and len(lower) > 9)
        )
    if base in g["adjectives"] or lower in g["roles"] or lower in g["diagnoses"]:
        return True
    if lower in lex["labels"] or lemma(lower) in lex["labels"] or _label_head(lower):
        return True
    if lemma(lower) in g["adjectives"] or lemma(lower) in g["roles"]:
        return True
    for ending in ("tjes", "etje", "tje", "jes", "je"):  # brutaaltje, etterbakjes
        if lower.endswith(ending) and len(lower) - len(ending) >= 4:
            small = lower[: -len(ending)]
            if small in g["adjectives"] or small in g["roles"] or small in lex["labels"]:
                return True
            break
    negated = lower.startswith("on") and not lower.startswith(("ont", "onder", "ons", "onze"))
    if (
        negated
        and lower.endswith(NEGATED_ENDINGS)
        and lower not in g["not_judging"]
        and (common(lower[2:]) >= 3.0 or common(lemma(lower[2:])) >= 3.0)
    ):
        return True
    if lower.endswith(("loos", "loze")) and lower not in ("werkloos", "kosteloos", "draadloos"):
        return True
    if lower.startswith("a-") and lower.endswith(("aal", "ale", "ief", "ieve", "isch", "ische")):
        return common(lower[2:]) >= 3.0  # "a-muzikaal", "a-sportief": a negated talent
    if _derived_judging(lower):
        return True
    if not after_een:
        return False
    return (
        lower in lex["agents"]
        or lower in g["een_nouns"]
        or _pejorative(lower)
        or (lower in lex["stems"] and len(lower) >= 4)  # "een zeur", "een klier"
        or _person_type(lower)
    )


# "is het type dat …", "is van het soort dat …", "is zo'n typisch type dat …".
TYPE_BEFORE = {"het", "zo'n", "zo’n", "een", "typisch", "typische"}
# Heads of compounds that make a person a type: rekenwonder, sportkanon, zorgenkindje.
TYPE_HEADS = ("wonder", "kanon", "kindje", "kindjes", "figuur", "typje", "type")


@lru_cache(maxsize=50_000)
def _person_type(lower: str) -> bool:
    """After "is een": a rare person noun by its form, which casts the child or parent
    as a kind of person (fifth round): -ist and -ant (perfectionist, querulant), a rare
    -er/-aar compound of known parts (binnenvetter, kwartaaldrinker, ordeverstoorder), or
    a compound on a type head (rekenwonder, sportkanon, zorgenkindje). Common person
    nouns (leerling, specialist, voetballer) are ordinary descriptions and stay clean."""
    if len(lower) < 4 or not lower.isalpha() or zipf(lower) >= 3.0:
        return False
    g = lexicon()["grammar"]
    if lower in g["praise"] or lower in g["neutral_persons"]:
        return False
    if len(lower) < 7:
        # A short rare noun for a person: "een hork", "een kluns", "een patser".
        return 1.5 <= zipf(lower) < 2.6 and not lower.endswith(("e", "ig", "isch", "lijk"))
    if lower.endswith(("ist", "ant")):
        return True
    if lower.endswith(TYPE_HEADS):
        head = next(h for h in TYPE_HEADS if lower.endswith(h))
        return len(lower) - len(head) >= 3
    if lower.endswith(("er", "aar")) and len(lower) >= 9:
        parts = compound_parts(lower)
        return len(parts) >= 2 and parts[-1].endswith(("er", "aar"))
    return False


def _attributive(
    tokens: list[Token], i: int, sentence_of: list[int], same_clause: SameClause, add: Add
) -> None:
    """A judging adjective before a person: "zo'n wereldvreemd kind", "uw lastige zoon",
    "de koppige Gijs", "een slechte leerling"; or a role or scornful noun with a judging or
    scornful modifier: "die kleine kleptomaan", "een hopeloze chaoot"."""
    lex = lexicon()
    g = lex["grammar"]
    word = tokens[i][2]
    lower = word.lower()
    if not any(
        tokens[k][2].lower() in ATTRIBUTIVE_DETERMINERS for k in range(max(0, i - 4), i - 1)
    ):
        return  # no determiner before it: the cheap test first
    person = (
        lower in g["attributive_persons"]
        or lower in g["subjects"]
        or lower in g["parent_nouns"]
        or (_is_name(word, False) and common(lower) < 4.5)
        or _doer(lower)
    )
    scornful = not person and (
        lower in g["roles"]
        or lower in g["een_nouns"]
        or lower in g["insults"]
        or lower in lex["agents"]
        or _pejorative(lower)
        or lower in lex["labels"]
    )
    if not (person or scornful):
        return
    det = next(
        (
            k
            for k in range(i - 2, max(-1, i - 5), -1)
            if tokens[k][2].lower() in ATTRIBUTIVE_DETERMINERS and same_clause(k, i)
        ),
        None,
    )
    if det is None:
        return
    between = [tokens[k][2].lower() for k in range(det + 1, i)]
    if not between:
        return

    def judging(adj: str) -> bool:
        base = adj[:-1] if adj.endswith("e") else adj
        return (
            _judging(adj, False, False)
            or base in g["attributive_adjectives"]
            or lemma(adj) in g["attributive_adjectives"]
            or (scornful and adj in CONTEMPT)
        )

    # The word before the person judges, and the words before it are fillers, degree
    # adverbs or judging words too: "een echt hopeloos geval", not "het verzuim van Sara".
    if not judging(between[-1]):
        return
    if any(w in lex["labels"] or lemma(w) in lex["labels"] for w in between):
        return  # the word finding points at it
    if all(w in g["fillers"] or w in g["degree"] or w in CONTEMPT or judging(w) for w in between):
        add(tokens[det][0], tokens[i][1])


def _fragment(tokens: list[Token], i: int, add: Add) -> None:
    """A report-comment fragment that opens with a judging adjective and a person, without
    a determiner: "Onrustige jongen, weinig inzet.", "Slordige leerling." """
    g = lexicon()["grammar"]
    lower = tokens[i][2].lower()
    if lower not in g["attributive_persons"] and lower not in g["subjects"]:
        before = tokens[i - 1][2].lower()
        if (
            (_role(lower) or _pejorative(lower))
            and before not in ATTRIBUTIVE_DETERMINERS
            and before not in POINTING
            and before not in g["pronouns"]
            and before.endswith(("e", "isch", "sch"))
        ):
            add(tokens[i - 1][0], tokens[i][1])  # "Typisch zorgkind.", "Motorische kneus."
        return
    adj = tokens[i - 1][2].lower()
    if adj in lexicon()["labels"] or lemma(adj) in lexicon()["labels"]:
        return  # the word finding points at it
    if (
        _judging(adj, False, False)
        or (
            adj.endswith("e")  # an attributive adjective: "vervelende leerling"
            and (
                adj[:-1] in g["attributive_adjectives"] or lemma(adj) in g["attributive_adjectives"]
            )
        )
    ):
        add(tokens[i - 1][0], tokens[i][1])


def _comparison(
    tokens: list[Token], i: int, sentence_of: list[int], same_clause: SameClause, add: Add
) -> None:
    """A child compared with a younger child, an animal or a role: "gedraagt zich als een
    kleuter", "is net een wervelwind", "loopt als een olifant door de klas"."""
    lex = lexicon()
    g = lex["grammar"]
    n = len(tokens)
    if tokens[i + 1][2].lower() != "een" or not same_clause(i, i + 1):
        return
    j = i + 2
    while j < n and j < i + 5 and same_clause(i, j):
        x = tokens[j][2].lower()
        if (
            x in g["fillers"]
            or x in g["degree"]
            or x in CONTEMPT
            or x in ("klein", "wild", "wilde")
        ):
            if x in ("kleine", "klein") and j + 1 < n and tokens[j + 1][2].lower() == "kind":
                j += 1
                break  # "als een klein kind"
            j += 1
            continue
        break
    if j >= n or not same_clause(i, j):
        return
    noun = tokens[j][2].lower()
    small_child = tokens[j - 1][2].lower() in ("klein", "kleine") and (
        noun == "kind" or noun.endswith(("tje", "je"))  # "als een klein professortje"
    )
    if not (
        small_child
        or noun in g["compare_nouns"]
        or _role(noun)
        or noun in lex["agents"]
        or _pejorative(noun)
    ):
        return
    words = [tokens[k][2].lower() for k in range(n) if sentence_of[k] == sentence_of[i]]
    if noun.startswith("baby") and any(w.startswith(("slaap", "sliep", "slap")) for w in words):
        return  # "sliep als een baby"
    person = any(
        w in g["pronouns"] or w in g["subjects"] or w in ("zich", "hem", "haar") for w in words
    ) or any(
        _is_name(tokens[k][2], False) and common(tokens[k][2].lower()) < 4.5
        for k in range(n)
        if sentence_of[k] == sentence_of[i] and k != 0 and sentence_of[k - 1] == sentence_of[k]
    )
    if person:
        add(tokens[i][0], tokens[j][1])


# Nouns in -er that are things, though a verb + er: "een moeilijke letter".
NOT_DOERS = {
    "letter",
    "meter",
    "liter",
    "emmer",
    "kamer",
    "nummer",
    "poster",
    "computer",
    "zomer",
    "winter",
    "water",
    "teller",
    "ladder",
    "kader",
}


@lru_cache(maxsize=50_000)
def _doer(lower: str) -> bool:
    """A person named after what they do: "eter", "slaper", "verliezer", "lezer" (a verb
    + -er), so that "een slechte eter" and "een slechte verliezer" are about the child."""
    if len(lower) < 4 or not lower.endswith("er") or lower in NOT_DOERS:
        return False
    stem = lower[:-2]
    return any(zipf(verb) >= 3.5 for verb in (stem + "en", stem + stem[-1:] + "en"))


def _noun_like(word: str) -> bool:
    """A noun after "typische" or "zo'n": not an adjective (-e, -ig, -isch), not a
    function word: "havo-leerling", "moederskindje", "kletskous"."""
    lower = word.lower()
    if len(lower) < 4 or lower.endswith(("e", "ig", "isch", "lijk")):
        return lower.endswith(("je", "tje", "ie"))  # diminutives: "moederskindje"
    return lower not in lexicon()["grammar"]["fillers"] and lower not in CLAUSE_WORDS


def _person_noun(lower: str) -> bool:
    """A noun for a kind of person: a listed one, or one with a person suffix and known
    as a word (gymnasiast, sporter, lezer)."""
    g = lexicon()["grammar"]
    if lower in g["attributive_persons"] or lower in g["subjects"] or _role(lower):
        return True
    if len(lower) >= 7 and lower.endswith(("iast", "ist")):
        return True  # gymnasiast, atheneumist, optimist
    return lower.endswith(("er", "aar", "ling")) and common(lower) >= 2.5


def _not_the_most(tokens: list[Token], k: int) -> bool:
    """Words k, k+1 are "de/het" + a superlative: "(niet) de slimste", "het snelste"."""
    if tokens[k][2].lower() not in ("de", "het"):
        return False
    word = tokens[k + 1][2].lower()
    if not word.endswith("ste") or len(word) < 6 or word in NOT_SUPERLATIVE:
        return False
    stem = word[:-3]
    return common(stem) >= 3.5 or (stem[-1:] == stem[-2:-1] and common(stem[:-1]) >= 3.5)


def _degree(lower: str) -> bool:
    """An adverb of degree or frequency: werkelijk, ontzettend, ongelooflijk, vaak."""
    g = lexicon()["grammar"]
    if lower in g["degree"]:
        return True
    return len(lower) >= 8 and lower.endswith(("elijk", "end", "erlijk")) and zipf(lower) >= 2.5


def _noun_not_person(lower: str) -> bool:
    """The next word names a thing or a time, not a person: "een moeilijke periode"."""
    g = lexicon()["grammar"]
    if lower in g["attributive_persons"] or lower in g["person_nouns"] or lower in g["subjects"]:
        return False
    if lower in g["fillers"] or lower in CLAUSE_WORDS or lower in g["degree"]:
        return False
    if lower in g["roles"] or lower in lexicon()["agents"] or _judging(lower, True, False):
        return False
    return lower not in PREPOSITIONS


@cache
def _derived_judging(lower: str) -> bool:
    """A judging word made from a judging stem by Dutch word formation, so that forms
    nobody listed are found: zeur-d-erig, aanstell-erig, klag-erig (-erig on a verb for
    misbehaving), kinder-/leugen-achtig (-achtig on a judging noun), zwakk-eling,
    slapp-eling (-eling on a judging adjective), luiaard-je, pester-tje (diminutives).
    Also on- words the frequency list knows as a whole although their base is rare
    (onuitstaanbaar, onhebbelijk, onbeschaamd)."""
    lex = lexicon()
    g = lex["grammar"]
    if len(lower) < 7 or not lower.isalpha():
        return False
    word = lower[:-1] if lower.endswith(("erige", "achtige", "zuchtige")) else lower
    if word.endswith("erig"):
        base = word[:-4]
        for stem in (base, base[:-1] if base.endswith("d") else base):
            if stem in lex["stems"] or stem + "en" in g["verbs"] or stem in g["extra_stems"]:
                return True
            if len(stem) > 2 and stem[-1] == stem[-2] and stem[:-1] in lex["stems"]:
                return True  # dramm-erig, betwett-erig
    if word.endswith(("end", "ende")):
        stem = word[: word.rindex("end")]
        if stem + "en" in g["verbs"] or stem in lex["stems"]:
            return True  # "storend", "zeurend", "treiterend": misbehaving as a trait
    if word.endswith("zuchtig") and len(word) > 9:
        return True  # gemak-, heers-, wraak-, ruzie-zuchtig: craving as a character
    if word.endswith("achtig"):
        base = word[:-6]
        if base in g["achtig_bases"] or base in g["roles"] or base in g["insults"]:
            return True
    if word.endswith(("eling", "elingen")):
        base = word[: word.rindex("eling")]
        if base[-2:-1] == base[-1:]:
            base = base[:-1]  # zwakk-eling, slapp-eling
        if base in g["adjectives"]:
            return True
    return (
        lower.startswith("on")
        and not lower.startswith(("ont", "onder", "ons", "onze"))
        and lower.endswith(("baar", "bare", "lijk", "lijke", "aamd", "aamde"))
        and zipf(lower) >= 1.5
        and lower not in g["not_judging"]
    )


@lru_cache(maxsize=50_000)
def _pejorative(lower: str) -> bool:
    """A person noun with a scornful ending: gluiperd, stommerik, dwarskop, zuiplap."""
    g = lexicon()["grammar"]
    if lower in g["not_pejorative"] or len(lower) < 6 or not lower.isalpha():
        return False
    for ending in g["pejorative_endings"]:
        if lower.endswith(ending):
            head = lower[: -len(ending)]
            if not head:
                return False  # the ending on its own ("kikker" is listed, "zwans" not)
            if ending in ANIMALS and len(head) >= 4:
                return True  # slodder-vos, angst-haas, snot-aap: an animal for a person
            # A known word or stem before the ending, or a suffix (-erd, -aard, -erik).
            return (
                (len(ending) <= 4 and ending[0] in "ea")
                or common(head) >= 3.0
                or (common(head + "en") >= 3.0)
            )
    return False


def _subject(
    tokens: list[Token], k: int, sentence_of: list[int], text: str
) -> tuple[int, str] | None:
    """Is word k the (last word of the) subject? Returns its first word and "child" or
    "parent": "uw zoon", "je dochter", "die jongen", a name, "hij"/"zij", "u"."""
    if k < 0 or k >= len(tokens):
        return None
    g = lexicon()["grammar"]
    word = tokens[k][2]
    lower = word.lower()
    if lower in g["subjects"] or lower in g["parent_nouns"]:
        if (
            k >= 1
            and tokens[k - 1][2].lower() in g["possessives"] | {"de"}
            and sentence_of[k - 1] == sentence_of[k]
        ):
            return k - 1, "parent" if lower in g["parent_nouns"] else "child"
        if lower in BARE_PARENTS and (
            word[0].isupper() or (k >= 1 and tokens[k - 1][2].lower() in g["copulas"])
        ):
            return k, "parent"  # "Moeder is overbezorgd", "is moeder …": without "de"
        return None
    if lower in g["pronouns"]:
        return k, "child"
    if (
        lower == "het"
        and (k == 0 or sentence_of[k - 1] != sentence_of[k])
        and k + 1 < len(tokens)
        and tokens[k + 1][2].lower() in ("is", "was", "blijft", "bleef", "zijn", "waren")
    ):
        return k, "it"  # "Het is een kneus": only a person noun after it is a label
    if lower in g["parents"]:
        return k, "parent"
    first = k == 0 or sentence_of[k - 1] != sentence_of[k]
    if _is_name(word, first) and common(lower) < 4.5 and len(word) > 1:
        return k, "child"
    return None


def _labels_by_shape(text: str, tokens: list[Token], sentence_of: list[int]) -> list[Finding]:
    """A child or parent + is/blijft/lijkt/gedraagt zich als/staat bekend als … + a
    judging word; also with the subject after the verb ("Volgens ons is uw zoon …") and
    in a clause with the verb last ("… dat uw dochter erg achterbaks is")."""
    lex = lexicon()
    g = lex["grammar"]
    found = []
    n = len(tokens)

    def same_clause(a: int, b: int) -> bool:
        return sentence_of[a] == sentence_of[b] and not CLAUSE_BREAK.search(
            text[tokens[min(a, b)][1] : tokens[max(a, b)][0]]
        )

    def add(s_start: int, e: int) -> None:
        found.append(
            Finding(
                "label",
                s_start,
                e,
                text[s_start:e],
                _("This judges the child instead of describing what happened."),
                _("Describe what you saw or heard, instead of a judgement."),
            )
        )

    def add_person(s_start: int, e: int) -> None:
        # After "Het is": only a person noun makes a label ("Het is een kneus"), not a
        # thing ("Het was een typische regendag").
        word = next((t[2].lower() for t in tokens if t[1] == e), "")
        if _role(word) or _person_type(word) or word in lexicon()["agents"]:
            add(s_start, e)

    has_equals = "=" in text
    for i, (start, _end, word) in enumerate(tokens):
        lower = word.lower()
        if i + 2 < n and (lower in g["roles"] or lower in lex["agents"]):
            # A role put on a child: "een dief als uw zoon", "die blower van u",
            # "die junk van een zoon".
            nxt, after = tokens[i + 1][2].lower(), tokens[i + 2][2].lower()
            if same_clause(i, i + 2) and (
                (nxt in ("als", "zoals") and (after in g["possessives"] or after in g["pronouns"]))
                or (nxt == "van" and (after in g["parents"] or after == "een"))
            ):
                add(start, tokens[i + 2][1])
        if i >= 2 and same_clause(i - 1, i):
            _attributive(tokens, i, sentence_of, same_clause, add)
        if (
            i >= 1
            and same_clause(i - 1, i)
            and (
                i == 1
                or sentence_of[i - 2] != sentence_of[i]
                or text[tokens[i - 2][1] : tokens[i - 1][0]].strip() == ":"
            )
        ):
            _fragment(tokens, i, add)  # at the start of a sentence or after "Rapport:"
        if (lower in COMPARE or lower == "net") and i + 2 < n:
            _comparison(tokens, i, sentence_of, same_clause, add)
        pointed = _role(lower) or lower in lex["agents"]
        if (
            not pointed
            and lower in g["compare_nouns"]
            and i >= 2
            and tokens[i - 1][2].lower() in CONTEMPT
            and tokens[i - 2][2].lower() in POINTING
        ):
            pointed = True  # "Emma, onze kleine wervelwind, …"
        if pointed and lower not in lex["labels"]:
            # "die dealer", "onze eigen spijbelaar", "de klier van de klas", "de rol van
            # belhamel". Attributive adjectives may stand between: "onze slimme dealer".
            back = i - 1
            while back > 0 and back > i - 3 and tokens[back][2].lower().endswith("e"):
                if tokens[back][2].lower() in POINTING or not same_clause(back, i):
                    break
                back -= 1
            prev = tokens[back][2].lower() if i and same_clause(back, i) else ""
            following = [
                tokens[k][2].lower() for k in range(i + 1, min(n, i + 4)) if same_clause(i, k)
            ]
            if prev == "van" and back and tokens[back - 1][2].lower() in ("rol", "type"):
                prev = "die"
            # "zien/kennen/beschouwen … als (een) gangster", "staat bekend als spiekster",
            # "wordt gebruikt als runner", "wordt de verklikker genoemd".
            before = [tokens[k][2].lower() for k in range(max(0, i - 8), i) if same_clause(k, i)]
            if (
                before
                and before[-1] in ("als", "een", "de")
                and (
                    ("als" in before[-2:] and set(before) & AS_ROLE)
                    or (before[-1] in ("de", "een") and following[:1] == ["genoemd"])
                )
            ):
                prev = "die"
            if following[:2] == ["in", "wording"] or following[:3] == ["in", "de", "dop"]:
                prev = "die"  # "een gangster in wording", "een crimineel in de dop"
            if prev in POINTING or (
                following[:1] in (["van"], ["vd"], ["uit"])
                and len(following) > 1
                and following[1] in ("de", "groep", "klas", "het", "onze", "deze", "vd", "leerjaar")
            ):
                add(tokens[back][0] if prev in POINTING else start, tokens[i][1])
        if (
            has_equals
            and i >= 1
            and sentence_of[i - 1] == sentence_of[i]
            and text[tokens[i - 1][1] : start].strip() == "="
            and _subject(tokens, i - 1, sentence_of, text) is not None
        ):
            j = i + 1 if lower == "een" and i + 1 < n else i
            if _judging(tokens[j][2].lower(), True, False) or _role(tokens[j][2].lower()):
                add(tokens[i - 1][0], tokens[j][1])  # "Noor = chaoot.": a note's copula
        copula, have = lower in g["copulas"], lower in g["have"]
        if not (copula or have) or i == 0:
            continue
        subject = _subject(tokens, i - 1, sentence_of, text)
        scan_from = i + 1
        if subject is None and copula and i + 1 < n and same_clause(i, i + 1):
            # "Volgens de juf is uw zoon …", "Misschien is hij …"
            subject = _subject(tokens, i + 1, sentence_of, text)
            if subject is not None:
                s_first = subject[0]
                if s_first < i:  # "is uw zoon": the possessive is before the noun
                    subject = None
                else:
                    scan_from = i + 2
            if subject is None and i + 2 < n and same_clause(i, i + 2):
                candidate = _subject(tokens, i + 2, sentence_of, text)
                if candidate is not None and candidate[0] == i + 1:
                    subject, scan_from = candidate, i + 3
        if subject is not None and not same_clause(subject[0], i):
            subject = None
        if subject is not None and have and _reported(tokens, i, sentence_of):
            continue  # "Noah heeft ADHD, zo vertelde u": information the parent gave
        if subject is not None:
            s_index, who = subject
            say = add if who != "it" else add_person
            s_start = tokens[min(s_index, i)][0]
            after_een = hedged = dismissive = False
            for j in range(scan_from, min(n, scan_from + 6)):
                if not same_clause(j - 1, j):
                    break
                x = tokens[j][2]
                x_lower = x.lower()
                if (
                    not have
                    and x_lower in ("type", "typje", "soort")
                    and j > scan_from
                    and j + 1 < n
                    and tokens[j + 1][2].lower() in ("dat", "die")
                    and (
                        tokens[j - 1][2].lower() in TYPE_BEFORE
                        or tokens[j - 1][2].lower().endswith("e")
                        or tokens[j - 1][2].lower() in g["english_adjectives"]
                    )
                ):
                    say(s_start, tokens[j][1])  # "is het type dat …", "zo'n pushy type dat"
                    break
                if (
                    not have
                    and x_lower == "echt"
                    and j + 2 < n
                    and tokens[j + 1][2].lower() == "een"
                    and same_clause(j, j + 2)
                ):
                    # "is echt een dramatische puber": skip adjectives to the noun
                    k = j + 2
                    judged = True  # an adjective between must judge: not "een leuke jongen"
                    while k + 1 < n and k < j + 4 and tokens[k][2].lower().endswith("e"):
                        judged = judged and _judging(tokens[k][2].lower(), True, False)
                        k += 1
                    noun = tokens[k][2]
                    if (
                        judged
                        and same_clause(j, k)
                        and noun.lower() not in g["praise"]
                        and (
                            (
                                _noun_like(noun)
                                and not noun.lower().endswith("e")
                                and not _noun_not_person(noun.lower())
                            )
                            or _person_type(noun.lower())
                        )
                    ):
                        say(s_start, tokens[k][1])
                        break
                if (
                    not have
                    and x_lower in ("zo'n", "zo’n")
                    and j + 3 < n
                    and tokens[j + 1][2].lower() in ("typisch", "typische")
                    and tokens[j + 3][2].lower() in ("dat", "die")
                    and same_clause(j, j + 2)
                    and _noun_like(tokens[j + 2][2])
                ):
                    say(s_start, tokens[j + 2][1])  # "is zo'n typisch jongetje dat …"
                    break
                if x_lower == "een" or (x_lower == "de" and lower in ("is", "was", "blijft")):
                    # "nogal een", "een beetje een": a hedge puts the child in a box
                    hedged = hedged or (
                        x_lower == "een" and j > scan_from and (tokens[j - 1][2].lower() in HEDGES)
                    )
                    after_een = True  # "is een clown", "is de pias van de klas"
                if x_lower in DISMISSIVE:
                    dismissive = True
                if (
                    x_lower == "geen"
                    and dismissive
                    and not have
                    and j + 1 < n
                    and same_clause(j, j + 1)
                    and _person_noun(tokens[j + 1][2].lower())
                ):
                    say(s_start, tokens[j + 1][1])  # "is gewoon geen gymnasiast"
                    break
                if (
                    (after_een or x_lower in ("zo'n", "zo’n"))
                    and not have
                    and x_lower in ("typisch", "typische", "zo'n", "zo’n")
                    and j + 1 < n
                    and same_clause(j, j + 1)
                    and (
                        x_lower.startswith("typisch")
                        or (j + 2 < n and tokens[j + 2][2].lower() in ("die", "dat"))
                    )
                    and _noun_like(tokens[j + 1][2])
                ):
                    # "is een typische havo-leerling", "is zo'n kletskous die …": a type
                    say(s_start, tokens[j + 1][1])
                    break
                if (
                    not have
                    and x_lower in ("echte", "echt")
                    and j + 1 < n
                    and same_clause(j, j + 1)
                    and tokens[j + 1][2].lower() not in ("een", "de")
                    and (after_een or x_lower == "echte")
                    and tokens[j + 1][2].lower() not in g["praise"]
                    and _noun_like(tokens[j + 1][2])
                ):
                    # "is een echte Turk", "zijn echte kakkers": a type or a stereotype
                    say(s_start, tokens[j + 1][1])
                    break
                if (
                    after_een
                    and not have
                    and x_lower in ANIMALS
                    and x_lower != "beest"  # "een beest op het veld": praise in sport
                    and tokens[j - 1][2].lower() == "een"
                ):
                    say(s_start, tokens[j][1])  # "is een varken": an animal for a person
                    break
                if (
                    hedged
                    and not have
                    and x_lower not in g["fillers"]
                    and x_lower not in g["degree"]
                    and x_lower not in ("een", "de")
                ):
                    say(s_start, tokens[j][1])  # "is nogal een mietje"
                    break
                if (
                    after_een
                    and not have
                    and x_lower.endswith("e")
                    and x_lower not in g["good_parent"]
                    and j + 1 < n
                    and tokens[j + 1][2].lower() in PARENT_ROLES
                    and same_clause(j, j + 1)
                    and x_lower not in g["fillers"]
                ):
                    say(s_start, tokens[j + 1][1])  # "is een afwezige vader"
                    break
                if (
                    x_lower == "niet"
                    and not have
                    and j + 2 < n
                    and same_clause(j, j + 2)
                    and _not_the_most(tokens, j + 1)
                ):
                    say(s_start, tokens[j + 2][1])  # "is niet de slimste": a ranking
                    break
                if x_lower in g["fillers"]:
                    continue
                is_label = _judging(x_lower, after_een, have) or (
                    have and _unknown_abbreviation(x, False) and x.isupper()
                )
                nxt = tokens[j + 1][2].lower() if j + 1 < n and same_clause(j, j + 1) else ""
                if not is_label and not have and nxt and _degree(x_lower):
                    continue  # "is werkelijk onuitstaanbaar", "is ontstellend brutaal"
                if is_label and x_lower.endswith("e") and nxt and _noun_not_person(nxt):
                    is_label = False  # "is in een moeilijke periode": not the person
                if (
                    not is_label
                    and after_een
                    and not have
                    and x_lower.endswith("e")
                    and (
                        x_lower[:-1] in g["attributive_adjectives"]
                        or lemma(x_lower) in g["attributive_adjectives"]
                    )
                    and nxt in g["attributive_persons"]
                ):
                    is_label = True  # "is een slechte leerling"
                if who == "parent" and not after_een and x_lower not in g["adjectives"]:
                    is_label = is_label and lemma(x_lower) in g["adjectives"]
                if j + 1 < n and tokens[j + 1][2].lower() in ADJECTIVE_NEXT:
                    is_label = False  # "druk bezig": busy
                if x_lower in lex["labels"] or lemma(x_lower) in lex["labels"]:
                    is_label = False  # a label on its own: the word finding points at it
                if is_label:
                    say(s_start, tokens[j][1])
                break
            continue
        # The verb last: "… dat uw dochter erg achterbaks is", "omdat hij een pester is".
        if not copula or not same_clause(i - 1, i):
            continue
        x_lower = tokens[i - 1][2].lower()
        after_een = any(tokens[k][2].lower() == "een" for k in range(max(0, i - 4), i - 1))
        if not _judging(x_lower, after_een, False) and not (
            x_lower == "opgevoed" and tokens[i - 2][2].lower() in ("slecht", "niet", "verkeerd")
        ):
            continue
        if x_lower in lex["labels"] or lemma(x_lower) in lex["labels"]:
            continue
        for k in range(i - 2, max(-1, i - 7), -1):
            if not same_clause(k, i):
                break
            subject = _subject(tokens, k, sentence_of, text)
            if subject is not None:
                if subject[1] == "parent" and x_lower not in g["adjectives"] and not after_een:
                    break
                add(tokens[subject[0]][0], tokens[i][1])
                break
    return found


# A label in a sentence that speaks to the parent ("u weet dat hij een pestkop is", "U
# bent een lakse ouder") is also a reproach: the parent reads it as blame (third round).
# Intensifiers alone ("hij is gewoon lui") do not count: the sets disagree on them.
LABEL_REPROACH_WORDS = {"u", "jullie"}


def _only_possessive(tokens: list[Token], k: int, sentence_of: list[int]) -> bool:
    """ "jullie" in sentence k is only a possessive ("Jullie dochter is …"), and no "u"."""
    g = lexicon()["grammar"]
    words = [tokens[i][2].lower() for i in range(len(tokens)) if sentence_of[i] == k]
    if "u" in words:
        return False
    return all(
        w != "jullie" or (i + 1 < len(words) and words[i + 1] in g["subjects"] | g["parent_nouns"])
        for i, w in enumerate(words)
    )


def _labels_said_to_parent(
    text: str,
    findings: list[Finding],
    tokens: list[Token],
    sentence_of: list[int],
    spans: list[Span],
) -> list[Finding]:
    labelled = [f for f in findings if f.kind == "label"]
    if not labelled:
        return []
    words_of: dict[int, set[str]] = {}
    for (_s, _e, word), k in zip(tokens, sentence_of, strict=True):
        words_of.setdefault(k, set()).add(word.lower())
    found, done = [], set()
    for f in labelled:
        sentence = next((i for i, (s, e) in enumerate(spans) if s <= f.start < e), None)
        if sentence is None or sentence in done:
            continue
        if words_of.get(sentence, set()) & LABEL_REPROACH_WORDS and not _only_possessive(
            tokens, sentence, sentence_of
        ):
            done.add(sentence)
            found.append(
                Finding(
                    "alarm",
                    f.start,
                    f.end,
                    f.text,
                    _("A label said to the parent reads as blame."),
                    _("Describe what you saw or heard, and ask how you can work on it together."),
                )
            )
    return found


def _reported(tokens: list[Token], i: int, sentence_of: list[int]) -> bool:
    """The sentence around word i says who told us: "zo vertelde u", "volgens de arts";
    or it, or the next sentence, says what help follows: "Bij toetsen mag hij …"."""
    g = lexicon()["grammar"]
    here = sentence_of[i]
    if any(
        tokens[k][2].lower() in g["accommodations"]
        for k in range(i + 1, min(len(tokens), i + 40))
        if sentence_of[k] in (here, here + 1)
    ):
        return True
    k = i
    while k > 0 and sentence_of[k - 1] == sentence_of[i]:
        k -= 1
    while k < len(tokens) and sentence_of[k] == sentence_of[i]:
        if tokens[k][2].lower() in g["reported"]:
            return True
        k += 1
    return False


# --- passives --------------------------------------------------------------------------------


def _passives(text: str, tokens: list[tuple[int, int, str]]) -> list[Finding]:
    lex = lexicon()
    found = []
    for index, (start, end, word) in enumerate(tokens):
        lower = word.lower()
        is_worden = lower in lex["worden"]
        if not is_worden and lower not in lex["zijn"]:
            continue
        if lower == "zijn" and index > 0 and tokens[index - 1][2].lower() in PREPOSITIONS:
            continue
        if lower == "zijn" and _possessive_zijn(text, tokens, index):
            continue
        # Look for a participle in the same clause, a few words before or after.
        window = []
        for j in range(index + 1, min(len(tokens), index + 13)):
            if CLAUSE_BREAK.search(text[tokens[j - 1][1] : tokens[j][0]]):
                break
            if tokens[j][2].lower() in CLAUSE_WORDS:
                break
            window.append((j, *tokens[j]))
        for j in range(index - 1, max(-1, index - 4), -1):
            if CLAUSE_BREAK.search(text[tokens[j][1] : tokens[j + 1][0]]):
                break
            if tokens[j][2].lower() in CLAUSE_WORDS:
                break
            window.append((j, *tokens[j]))
        if not is_worden and any(t[3].lower() in HEBBEN for t in window):
            continue  # "heeft zijn huiswerk gemaakt": an active perfect, "zijn" is "his"
        for j, p_start, p_end, p_word in window:
            p_lower = p_word.lower()
            if p_lower in lex["worden"] or p_lower in lex["zijn"]:
                continue
            if p_lower in lex["adjectives"] or not is_participle(p_lower):
                continue
            if j > 0 and (tokens[j - 1][2].lower(), p_lower) in NOT_PASSIVE:
                continue
            if j > 0 and tokens[j - 1][2].lower() in DETERMINERS:
                continue  # used as an adjective: "een verhoogd risico"
            if j + 1 < len(tokens) and tokens[j + 1][2].lower() in ADJECTIVE_NEXT:
                continue  # "gestoord bezig"
            if not is_worden and (zijn_participle(p_lower) or lemma(p_lower) in lex["zijn_verbs"]):
                continue  # "is gekomen": an active perfect
            if not is_worden and _has_worden(tokens, index, lex):
                continue  # "is ... geworden" or "zal worden" counted at worden
            s, e = min(start, p_start), max(end, p_end)
            found.append(
                Finding(
                    "passive",
                    s,
                    e,
                    text[s:e],
                    _("Passive voice: it is not clear who does something."),
                    _("Say who does it: “We vragen u…”, not “U wordt verzocht…”."),
                )
            )
            break
    return _merge(found)


def _possessive_zijn(text: str, tokens: list[Token], index: int) -> bool:
    """ "zijn" is "his", not the verb: "te zijn" is an infinitive; a sentence that opens
    with "Zijn" and is no question ("Zijn nummers gaan over geweld"); or the sentence
    already has a form of hebben before it ("Milan heeft in de les zijn telefoon
    gebruikt", "heeft … geduwd en zijn broodje afgepakt"), so its participle is active."""
    if index > 0 and tokens[index - 1][2].lower() == "te":
        return True
    k = index
    while k > 0 and not SENTENCE_END.search(text[tokens[k - 1][1] : tokens[k][0]]):
        k -= 1
        if tokens[k][2].lower() in HEBBEN:
            return index + 1 < len(tokens) and not is_participle(tokens[index + 1][2].lower())
    if k == index:  # the first word of its sentence
        end = SENTENCE_END.search(text, tokens[index][1])
        return end is None or "?" not in end.group()
    return False


def _has_worden(tokens: list[Token], index: int, lex: Lexicon) -> bool:
    near = tokens[max(0, index - 3) : index + 4]
    return any(t[2].lower() in lex["worden"] for t in near)


def _merge(findings: list[Finding]) -> list[Finding]:
    merged: list[Finding] = []
    for f in sorted(findings, key=lambda f: (f.start, f.end)):
        if merged and merged[-1].kind == f.kind and f.start < merged[-1].end:
            continue
        merged.append(f)
    return merged


# --- the check -------------------------------------------------------------------------------


def sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in SENTENCE_END.finditer(text):
        spans.append((start, match.end()))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return [(s, e) for s, e in spans if WORD.search(text, s, e)]


def level_for(score: float | None) -> str:
    return readability.flesch_level(score)


def _cap(text: str) -> tuple[str, bool]:
    if len(text) <= MAX_CHARS:
        return text, False
    cut = text.rfind(" ", MAX_CHARS - 200, MAX_CHARS)
    return text[: cut if cut > 0 else MAX_CHARS], True


def check(text: str) -> Report:
    text, truncated = _cap(text)
    lex = lexicon()
    report = Report(truncated=truncated)
    tokens = [(m.start(), m.end(), m.group()) for m in WORD.finditer(text)]
    starts = [start for start, _end, _word in tokens]
    sentence_spans = sentences(text)
    # The sentence of every token, in one pass (both lists are in text order).
    sentence_of, k = [], 0
    for start in starts:
        while k + 1 < len(sentence_spans) and start >= sentence_spans[k][1]:
            k += 1
        sentence_of.append(k)
    shouting = _shouting(text, sentence_spans)
    findings: list[Finding] = []
    taken: list[tuple[int, int]] = []
    for m, entry in lex["phrases"].finditer(text, starts):
        findings.append(_entry_finding(entry, m.start(), m.end(), text, tokens, sentence_spans))
        taken.append((m.start(), m.end()))
    t = 0
    for i, (start, end, word) in enumerate(tokens):
        while t < len(taken) and taken[t][1] <= start:
            t += 1
        if t < len(taken) and taken[t][0] <= start < taken[t][1]:
            continue
        lower = word.lower()
        if len(word) > MAX_WORD:
            continue  # not a word a parent reads; nothing useful to say, at no cost
        first = i == 0 or sentence_of[i - 1] != sentence_of[i]
        word_entry = _lexicon_word(word, lower)
        if (
            word_entry is not None
            and word_entry.kind == "jargon"
            and "-" in word
            and _label_head(lower)
        ):
            word_entry = None  # "ADHD-zoon": a diagnosis as a name, found below as a label
        if word_entry is not None and not (word_entry.term in lex["abbreviations"] and shouting[i]):
            findings.append(_entry_finding(word_entry, start, end, text, tokens, sentence_spans))
            continue
        if _label_head(lower) and (not _is_name(word, first) or "-" in word):
            findings.append(
                Finding(
                    "label",
                    start,
                    end,
                    word,
                    _("A label for a person: a diagnosis, an addiction or a criminal role."),
                    _("Describe what you saw or heard, instead of a judgement."),
                )
            )
            continue
        if _unknown_abbreviation(word, shouting[i]):
            findings.append(
                Finding(
                    "jargon",
                    start,
                    end,
                    word,
                    _("An abbreviation many parents will not know."),
                    _("Write it out in plain words, or leave it out."),
                )
            )
            continue
        if _is_name(word, first):
            continue
        why = _rare_word(lower)
        if why:
            findings.append(
                Finding(
                    "jargon",
                    start,
                    end,
                    word,
                    _("A word from the language of care, law or offices.")
                    if why == "domain"
                    else _("A rare or formal word: many parents will not know it."),
                    _("Use an everyday word, or explain it in a short sentence."),
                )
            )
    for m in DOTTED.finditer(text):
        dotted_entry = lex["dotted"].get(m.group().lower())
        if dotted_entry is not None:
            findings.append(
                _entry_finding(dotted_entry, m.start(), m.end(), text, tokens, sentence_spans)
            )
        elif m.group().count(".") >= 2:
            findings.append(
                Finding(
                    "jargon",
                    m.start(),
                    m.end(),
                    m.group(),
                    _("An abbreviation many parents will not know."),
                    _("Write it out in plain words, or leave it out."),
                )
            )
    for m, entry in lex["alarm"].finditer(text, starts):
        findings.append(_entry_finding(entry, m.start(), m.end(), text, tokens, sentence_spans))
    for m, entry in lex["label_patterns"].finditer(text, starts):
        findings.append(_entry_finding(entry, m.start(), m.end(), text, tokens, sentence_spans))
    findings.extend(_labels_by_shape(text, tokens, sentence_of))
    explain = alarm_shapes.families().explain
    for s, e, rule in alarm_shapes.find(text, tokens, sentence_of):
        findings.append(
            Finding(
                "alarm",
                s,
                e,
                text[s:e],
                explain[rule]["why"],
                _("For example: “%(words)s”") % {"words": explain[rule]["suggestion"]},
            )
        )
    findings.extend(_labels_said_to_parent(text, findings, tokens, sentence_of, sentence_spans))
    findings.extend(_passives(text, tokens))
    counts = [0] * len(sentence_spans)
    for k in sentence_of:
        counts[k] += 1
    for (s, e), count in zip(sentence_spans, counts, strict=True):
        if count > LONG_SENTENCE_WORDS:
            stripped_start = s + len(text[s:e]) - len(text[s:e].lstrip())
            findings.append(
                Finding(
                    "long_sentence",
                    stripped_start,
                    e,
                    text[stripped_start:e],
                    ngettext(
                        "This sentence has %(count)d word. More than %(max)d is hard to read.",
                        "This sentence has %(count)d words. More than %(max)d is hard to read.",
                        count,
                    )
                    % {"count": count, "max": LONG_SENTENCE_WORDS},
                    _("Make it two or three short sentences."),
                )
            )
    report.findings = _dedupe(findings)
    for kind, pattern in lex["markers"]:
        for m in pattern.finditer(text):
            report.markers.append(Marker(kind, m.start(), m.end(), m.group().strip()))
    for s, e in sentence_spans:
        sentence = text[s:e].strip()
        if sentence.endswith("?") and ADDRESSES_PARENT.search(sentence):
            start = s + text[s:e].index(sentence)
            report.markers.append(Marker("question", start, start + len(sentence), sentence))
    report.words = len(tokens)
    report.sentences = len(sentence_spans)
    report.syllables = sum(syllables(w) for _s, _e, w in tokens)
    report.flesch_douma = readability.flesch_douma(report.words, report.sentences, report.syllables)
    report.difficulty = readability.difficulty(text, sentence_spans, tokens)
    report.difficulty_level = readability.difficulty_level(report.difficulty)
    report.level = readability.combined_level(
        readability.flesch_level(report.flesch_douma), report.difficulty_level
    )
    return report


def _shouting(text: str, sentence_spans: list[Span]) -> list[bool]:
    """Per token: is its sentence written in capitals? Then capitals are no abbreviation."""
    loud = []
    for s, e in sentence_spans:
        letters = [c for c in text[s:e] if c.isalpha()]
        upper = sum(c.isupper() for c in letters)
        loud.append((s, e, bool(letters) and upper > 0.6 * len(letters) and len(letters) > 12))
    result, k = [], 0
    for m in WORD.finditer(text):
        while k + 1 < len(loud) and m.start() >= loud[k][1]:
            k += 1
        result.append(loud[k][2] if loud else False)
    return result


def _previous_word(text: str, start: int, tokens: list[Token], sentence_start: int) -> str:
    m = re.search(r"([^\W_]+(?:['’][^\W_]+)?)\s+$", text[max(sentence_start, start - 40) : start])
    return m.group(1) if m else ""


def _entry_finding(
    entry: Entry, start: int, end: int, text: str, tokens: list[Token], spans: list[Span]
) -> Finding:
    if entry.kind == "label":
        suggestion = _("Describe what you saw or heard, instead of a judgement.")
        return Finding("label", start, end, text[start:end], entry.explanation, suggestion)
    if entry.kind != "jargon":
        suggestion = _("For example: “%(words)s”") % {"words": entry.suggestion}
        return Finding(entry.kind, start, end, text[start:end], entry.explanation, suggestion)
    sentence_start, sentence_end = _sentence_around(spans, start, len(text))
    replacement = one_click(
        entry,
        text,
        start,
        end,
        _previous_word(text, start, tokens, sentence_start),
        text[sentence_start:sentence_end],
    )
    if replacement:
        suggestion = _("Use plain words, for example: “%(words)s”.") % {"words": replacement}
        example = ""
    else:
        suggestion = _(
            "Use plain words, for example “%(words)s”, and rewrite the sentence around them."
        ) % {"words": entry.replacement}
        example = entry.example
    return Finding(
        "jargon",
        start,
        end,
        text[start:end],
        entry.explanation,
        suggestion,
        replacement,
        example,
    )


def _sentence_around(spans: list[Span], position: int, length: int) -> tuple[int, int]:
    lo, hi = 0, len(spans) - 1
    while lo <= hi:  # binary search: findings come in any order
        mid = (lo + hi) // 2
        s, e = spans[mid]
        if position < s:
            hi = mid - 1
        elif position >= e:
            lo = mid + 1
        else:
            return s, e
    return 0, length


def _dedupe(findings: list[Finding]) -> list[Finding]:
    """One finding per kind and span; a finding inside another of the same kind goes.
    Sorted by start (longest first), so one running end per kind decides: linear."""
    result: list[Finding] = []
    reach: dict[str, int] = {}
    for f in sorted(findings, key=lambda f: (f.start, -f.end)):
        if f.end <= reach.get(f.kind, -1):
            continue
        reach[f.kind] = max(reach.get(f.kind, -1), f.end)
        result.append(f)
    return sorted(result, key=lambda f: (f.start, f.end, f.kind))
