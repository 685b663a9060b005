"""The tone coach: plain, warm Dutch for messages to parents. No network, no models.

``check(text)`` returns a ``Report`` with findings (kind, start and end offsets, the
matched text, an explanation and a suggestion), a readability score (Flesch-Douma,
syllables from pyphen) with a B1 estimate, and positive markers (an invitation, a
shared goal, a question to the parent). The lexicons and patterns are reviewable data
files next to this module; see their headers. Their explanations are written in Dutch
(they explain Dutch words); the suggestions around them follow the interface language.

Kinds: ``jargon``, ``alarm``, ``label``, ``long_sentence``, ``passive``.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from functools import cache, lru_cache
from pathlib import Path

import pyphen
import simplemma
from django.utils.translation import gettext as _

from bondgenoot.lib.texts import load

DATA = Path(__file__).parent
LONG_SENTENCE_WORDS = 20
KINDS = ("jargon", "alarm", "label", "long_sentence", "passive")

WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
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


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int
    end: int
    text: str
    explanation: str
    suggestion: str
    replacement: str = ""  # a plain alternative the writer can accept with one click


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

    @property
    def b1_or_easier(self) -> bool:
        return self.level in ("A2", "B1")

    def of_kind(self, kind: str) -> list[Finding]:
        return [f for f in self.findings if f.kind == kind]

    def as_json(self) -> dict:
        return {
            "findings": [
                {
                    "kind": f.kind,
                    "start": f.start,
                    "end": f.end,
                    "text": f.text,
                    "suggestion": f.suggestion,
                    "explanation": f.explanation,
                }
                for f in self.findings
            ],
            "readability": {
                "flesch_douma": self.flesch_douma,
                "level": self.level,
                "b1_or_easier": self.b1_or_easier,
                "words": self.words,
                "sentences": self.sentences,
                "syllables": self.syllables,
            },
            "markers": [asdict(m) for m in self.markers],
        }


# --- lexicons ------------------------------------------------------------------------------


def _load(name: str) -> dict:
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


@cache
def lexicon() -> dict:
    """Lookup tables, built once: exact forms, compound heads and modifiers,
    abbreviations (case-sensitive) and multi-word terms."""
    exact: dict[str, Entry] = {}
    heads: dict[str, Entry] = {}  # compound ends with it: jeugdzorgsignalen
    modifiers: dict[str, Entry] = {}  # compound starts with it: risicogedragingen
    abbreviations: dict[str, Entry] = {}
    phrases: list[tuple[re.Pattern, Entry]] = []
    for row in _load("jargon.toml")["term"]:
        entry = Entry("jargon", row["term"], row["why"], "", row["replacement"])
        term = row["term"]
        if term.isupper():
            abbreviations[term] = entry
        elif " " in term:
            phrases.append((_phrase(term), entry))
        else:
            for form in inflections(term):
                exact.setdefault(form, entry)
                if len(term) >= 6:
                    heads.setdefault(form, entry)
            if len(term) >= 7:
                modifiers.setdefault(term, entry)
    labels: dict[str, Entry] = {}
    for row in _load("labels.toml")["term"]:
        entry = Entry("label", row["term"], row["why"], "", "")
        for form in [row["term"], *row.get("forms", [])]:
            if " " in form:
                phrases.append((_phrase(form, inflect=False), entry))
            else:
                labels[form] = entry
    alarm = [
        (row["pattern"], Entry("alarm", "", row["why"], row["suggestion"], ""))
        for row in _load("alarm.toml")["pattern"]
    ]
    passive = _load("passive.toml")
    markers = [
        (row["kind"], re.compile(row["pattern"], re.IGNORECASE))
        for row in _load("markers.toml")["marker"]
    ]
    return {
        "exact": exact,
        "heads": heads,
        "modifiers": modifiers,
        "abbreviations": abbreviations,
        "phrases": Combined(phrases),
        "labels": labels,
        "alarm": Combined(alarm),
        "worden": set(passive["worden"]),
        "zijn": set(passive["zijn"]),
        "zijn_verbs": set(passive["zijn_verbs"]),
        "adjectives": set(passive["adjectives"]),
        "participles": {p: p for p in passive["participles"]},
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

    def finditer(self, text: str, starts: list[int] | None = None):
        lower = text.lower()
        if starts is None or len(lower) != len(text):  # a few letters change length
            for m in self.anycase.finditer(text):
                yield m, self.entries[m.lastgroup]
            return
        end = -1
        for start in starts:
            if start < end:
                continue
            m = self.regex.match(lower, start)
            if m:
                end = m.end()
                yield m, self.entries[m.lastgroup]


def _phrase(term: str, inflect: bool = True) -> str:
    words = term.split()
    *first, last = words
    last_forms = sorted(inflections(last) if inflect else {last}, key=len, reverse=True)
    first_forms = [rf"{re.escape(w)}e?" for w in first]  # multidisciplinair(e)
    body = r"\s+".join([*first_forms, "(?:" + "|".join(map(re.escape, last_forms)) + ")"])
    return rf"\b{body}\b"


@lru_cache(maxsize=50_000)
def lemma(word: str) -> str:
    return simplemma.lemmatize(word, lang="nl")


@cache
def _hyphenator() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="nl_NL")


@lru_cache(maxsize=50_000)
def syllables(word: str) -> int:
    vowel_groups = len(re.findall(r"[aeiouyäëïöüáéíóúàèìòù]+", word.lower()))
    return max(1, len(_hyphenator().positions(word)) + 1, min(vowel_groups, 1))


# --- the checks --------------------------------------------------------------------------


def _word_finding(token: str, lower: str) -> Entry | None:
    lex = lexicon()
    for part in re.split(r"[-'’]", token):
        if part in lex["abbreviations"]:
            return lex["abbreviations"][part]
    if lower in lex["labels"]:
        return lex["labels"][lower]
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


PREFIXES = ("be", "ver", "ont", "her", "er", "ge")
HEBBEN = {"heb", "hebt", "heeft", "hebben", "had", "hadden", "gehad"}
SEPARABLE = (
    "aan", "af", "bij", "door", "in", "mee", "na", "om", "op", "over", "terug", "toe",
    "uit", "vast", "voor", "weg", "samen", "thuis", "binnen", "buiten", "tegen", "langs",
)  # fmt: skip


def _participle(lower: str) -> str | None:
    """The infinitive (or the word itself) if ``lower`` is a past participle, else None."""
    lex = lexicon()
    if lower in lex["adjectives"] or len(lower) < 5 or not lower.endswith(("d", "t", "en")):
        return None
    if lower.startswith("on"):
        return None  # ongemotiveerd, onverwacht: adjectives
    if lower in lex["participles"]:
        return lex["participles"][lower]
    inner_ge = any(lower.startswith("ge", i) for i in range(1, min(8, len(lower) - 4)))
    shaped = lower.startswith(PREFIXES) or inner_ge  # gemaakt, besloten; opgehaald
    if not shaped:
        return None
    base = lemma(lower)
    if base != lower and base.endswith("n"):
        return base
    # Separable verbs simplemma does not know: the part from "ge" on (uitgenodigd).
    for i in range(2, min(8, len(lower) - 4)):
        if lower.startswith(("ge", "be", "ver", "ont"), i):
            rest = lemma(lower[i:])
            if rest != lower[i:] and rest.endswith("n"):
                return lower[:i] + rest
    # A regular weak participle: ge…d / ge…t (gebruikt, gepland).
    if lower.startswith("ge") and lower.endswith(("d", "t")) and len(lower) >= 5:
        return lower
    return None


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
            verb = _participle(p_lower)
            if verb is None:
                continue
            if j > 0 and (tokens[j - 1][2].lower(), p_lower) in NOT_PASSIVE:
                continue
            if j > 0 and tokens[j - 1][2].lower() in DETERMINERS:
                continue  # used as an adjective: "een verhoogd risico"
            if j + 1 < len(tokens) and tokens[j + 1][2].lower() in ADJECTIVE_NEXT:
                continue  # "gestoord bezig"
            if not is_worden and (verb in lex["zijn_verbs"] or lemma(p_lower) in lex["zijn_verbs"]):
                continue
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


def _has_worden(tokens, index, lex) -> bool:
    near = tokens[max(0, index - 3) : index + 4]
    return any(t[2].lower() in lex["worden"] for t in near)


def _merge(findings: list[Finding]) -> list[Finding]:
    merged: list[Finding] = []
    for f in sorted(findings, key=lambda f: (f.start, f.end)):
        if merged and merged[-1].kind == f.kind and f.start < merged[-1].end:
            continue
        merged.append(f)
    return merged


def sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in SENTENCE_END.finditer(text):
        spans.append((start, match.end()))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return [(s, e) for s, e in spans if WORD.search(text[s:e])]


def level_for(score: float | None) -> str:
    if score is None:
        return ""
    if score >= 70:
        return "A2"
    if score >= 60:
        return "B1"
    if score >= 45:
        return "B2"
    return "C1"


def check(text: str) -> Report:
    lex = lexicon()
    report = Report()
    tokens = [(m.start(), m.end(), m.group()) for m in WORD.finditer(text)]
    findings: list[Finding] = []
    taken: list[tuple[int, int]] = []
    starts = [start for start, _end, _word in tokens]
    for m, entry in lex["phrases"].finditer(text, starts):
        findings.append(_entry_finding(entry, m.start(), m.end(), text))
        taken.append((m.start(), m.end()))
    for start, end, word in tokens:
        if any(s <= start < e for s, e in taken):
            continue
        entry = _word_finding(word, word.lower())
        if entry is not None:
            findings.append(_entry_finding(entry, start, end, text))
    for m, entry in lex["alarm"].finditer(text, starts):
        findings.append(_entry_finding(entry, m.start(), m.end(), text))
    findings.extend(_passives(text, tokens))
    sentence_spans = sentences(text)
    for s, e in sentence_spans:
        count = len(WORD.findall(text[s:e]))
        if count > LONG_SENTENCE_WORDS:
            stripped_start = s + len(text[s:e]) - len(text[s:e].lstrip())
            findings.append(
                Finding(
                    "long_sentence",
                    stripped_start,
                    e,
                    text[stripped_start:e],
                    _("This sentence has %(count)d words. More than %(max)d is hard to read.")
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
    if report.words and report.sentences:
        report.flesch_douma = round(
            206.835
            - 0.93 * (report.words / report.sentences)
            - 77 * (report.syllables / report.words),
            1,
        )
    report.level = level_for(report.flesch_douma)
    return report


def _entry_finding(entry: Entry, start: int, end: int, text: str) -> Finding:
    if entry.kind == "jargon":
        suggestion = _("Use plain words, for example: “%(words)s”.") % {"words": entry.replacement}
    elif entry.kind == "label":
        suggestion = _("Describe what you saw or heard, instead of a judgement.")
    else:
        suggestion = _("For example: “%(words)s”") % {"words": entry.suggestion}
    return Finding(
        entry.kind,
        start,
        end,
        text[start:end],
        entry.explanation,
        suggestion,
        entry.replacement,
    )


def _dedupe(findings: list[Finding]) -> list[Finding]:
    """One finding per kind and span; overlapping findings of the same kind merge."""
    result: list[Finding] = []
    for f in sorted(findings, key=lambda f: (f.start, -f.end)):
        if any(r.kind == f.kind and r.start <= f.start and f.end <= r.end for r in result):
            continue
        result.append(f)
    return sorted(result, key=lambda f: (f.start, f.end, f.kind))
