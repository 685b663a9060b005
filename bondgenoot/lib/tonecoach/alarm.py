"""Alarm by the shape of a sentence, over lemmas: ultimatums, threats, demands with a
deadline, reproach, absolutes and alarming word families (alarm.toml, [families]).

The patterns in alarm.toml catch fixed wordings; this module catches the same moves in
wording nobody listed. It reads one sentence at a time and one clause at a time (a
clause ends at a comma, a semicolon or "dan"), so its cost is linear in the length:
every rule is a pass over the words of the sentence with sets of lemmas, and the
look-arounds are bounded.

``find(text, tokens, sentence_of)`` returns ``(start, end, rule)`` triples; the rules
and their explanations are in alarm.toml, [explain].
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from .morphology import SEPARABLE, compound_parts, lemma, zipf
from .shapes import Token

CLAUSE_BREAK = re.compile(r"[,;:()\n–—]")
SUBJECTS = {
    "u",
    "jullie",
    "je",
    "jij",
    "hij",
    "zij",
    "ze",
    "uw",
    "het",
    "dit",
    "dat",
    "er",
    "we",
    "wij",
}
ADDRESSEE = {"u", "jullie", "uw"}
WE = {"we", "wij", "ik"}
# A sentence that opens with one of these is a question or a greeting, not a condition.
NOT_A_VERB = {"wilt", "kunt", "zou", "mag", "heeft", "hebt", "bent", "is", "weet", "wist"}
PERFECT = {"hebben", "heeft", "hebt", "had", "hadden", "gedaan", "gisteren", "vorige"}
COMPARE = {"net", "zowel", "even", "evenals", "zoals", "zo", "dan"}
AS_A = {"een", "ouder", "ouders", "moeder", "vader", "school", "team", "mentor", "leerkracht"}
WITHOUT = {"reactie", "bericht", "antwoord", "tegenbericht", "handtekening", "betaling"}
STARTS_REPROACH = {"alweer", "wederom", "nogmaals"}
DEADLINE_WORDS = {"voor", "vóór", "binnen"}
SOFTENERS = {"gerust", "even", "graag", "alstublieft", "alsjeblieft", "vooral", "welkom"}


@dataclass(frozen=True)
class Families:
    """The word families of alarm.toml (``fam["sanctions"]``), its multi-word failing
    phrases, and the explanation and suggestion per rule."""

    words: dict[str, set[str]]
    failing_phrases: tuple[tuple[str, ...], ...]
    explain: dict[str, dict[str, str]]

    def __getitem__(self, key: str) -> set[str]:
        return self.words[key]


@cache
def families() -> Families:
    with (Path(__file__).parent / "alarm.toml").open("rb") as f:
        data = tomllib.load(f)
    return Families(
        words={key: set(value) for key, value in data["families"].items()},
        failing_phrases=tuple(tuple(p.split()) for p in data["families"]["failing_phrases"]),
        explain=data["explain"],
    )


@lru_cache(maxsize=50_000)
def _lemma(word: str) -> str:
    """The lemma, also of separable participles the lemmatiser does not know:
    uit-gesloten → uitsluiten, door-gegeven → doorgeven (prefix + the lemma of the rest)."""
    if len(word) > 40:
        return word
    base = lemma(word)
    if base != word:
        return base
    for prefix in SEPARABLE:
        if word.startswith(prefix + "ge") and len(word) - len(prefix) >= 6:
            rest = lemma(word[len(prefix) :])
            if rest != word[len(prefix) :] and rest.endswith("en"):
                return prefix + rest
    return base


def _negative_adjective(lower: str, lem: str, fam: Families) -> bool:
    if lower in fam["negative_adjectives"] or lem in fam["negative_adjectives"]:
        return True
    if lower.startswith("on"):
        base = lower[2:]
        return base in fam["acceptable"] or base.removesuffix("e") in fam["acceptable"]
    return False


def _alarming(lower: str, lem: str, fam: Families) -> bool:
    if lower in fam["alarming"] or lem in fam["alarming"]:
        return True
    if len(lower) >= 9 and lower.startswith(tuple(fam["alarming_parts"])):
        parts = compound_parts(lower)
        return bool(parts) and parts[0] in fam["alarming_parts"]
    return False


def _sanction(lower: str, lem: str, fam: Families) -> bool:
    return _is_sanction(lower, lem)


@lru_cache(maxsize=50_000)
def _is_sanction(lower: str, lem: str) -> bool:
    fam = families()
    if lower in fam["sanctions"] or lem in fam["sanctions"]:
        return True
    # A compound that starts with a sanction: time-outvoorziening, schorsingsbesluit.
    for part in fam["sanction_parts"]:
        if lower.startswith(part) and len(lower) >= len(part) + 4:
            return True
    # strafmaatregel, ordemaatregelen, verkeersboete
    return len(lower) >= 9 and lower.endswith(tuple(fam["consequence_heads"]))


def _is_imperative(lower: str, lem: str) -> bool:
    """The first word of a sentence is a bare verb stem: "Lever", "Neem", "Bel"."""
    if lower in NOT_A_VERB or not lem.endswith("en") or lower == lem:
        return False
    stem = lem[:-2]
    return lower in (stem, stem[:-1] if len(stem) > 2 and stem[-1] == stem[-2] else stem) or (
        len(lower) >= 2 and lem in (lower + "en", lower + lower[-1] + "en")
    )


def find(text: str, tokens: list[Token], sentence_of: list[int]) -> list[tuple[int, int, str]]:
    fam = families()
    found: list[tuple[int, int, str]] = []
    n = len(tokens)
    i = 0
    while i < n:
        j = i
        while j < n and sentence_of[j] == sentence_of[i]:
            j += 1
        found.extend(_sentence(text, tokens, i, j, fam))
        i = j
    return found


def _sentence(
    text: str, tokens: list[Token], a: int, b: int, fam: Families
) -> list[tuple[int, int, str]]:
    words = [tokens[k][2] for k in range(a, b)]
    lows = [w.lower() for w in words]
    lems = [_lemma(w) for w in lows]
    m = len(lows)
    # clause[k]: the number of the clause word k is in.
    clause, c = [], 0
    for k in range(m):
        if k and (CLAUSE_BREAK.search(text[tokens[a + k - 1][1] : tokens[a + k][0]])):
            c += 1
        if lows[k] == "dan" and k:
            c += 1
        clause.append(c)
    end_of_sentence = tokens[b - 1][1]
    question = text[end_of_sentence : end_of_sentence + 2].lstrip().startswith("?")
    lowset = set(lows) | set(lems)
    found = []

    def span(k1: int, k2: int, rule: str) -> None:
        found.append((tokens[a + k1][0], tokens[a + k2][1], rule))

    sanctions = [k for k in range(m) if _sanction(lows[k], lems[k], fam)]
    consequences = [
        k
        for k in range(m)
        if (lows[k] in fam["consequences"] or lems[k] in fam["consequences"])
        and (lows[k] != "veilig" or (k + 1 < m and lows[k + 1] == "thuis"))
    ]
    # "We hebben een melding gedaan": a report of the past, not a threat.
    past = bool(lowset & PERFECT)
    coercive = [k for k in range(m) if lows[k] in fam["coercion"] or lems[k] in fam["coercion"]]
    # The condition: a conditional word, or a sentence that opens with a verb and goes on
    # with "dan" ("Komt hij weer te laat, dan …"), or "bij herhaling".
    cond = -1
    for k in range(m):
        if lows[k] in fam["conditionals"]:
            if lows[k] == "als" and (
                (k and lows[k - 1] in COMPARE)
                or (k > 1 and lows[k - 2] == "zo")
                or (k + 1 < m and lows[k + 1] in AS_A)
            ):
                continue  # "zo vals als een kat", "als ouder": a comparison or a role
            cond = k
            break
        if (
            lows[k] == "zonder"
            and k + 1 < m
            and (lems[k + 1] in WITHOUT or (k + 2 < m and lems[k + 2] in WITHOUT))
        ):
            cond = k
            break
        if (
            lows[k] == "bij"
            and k + 1 < m
            and (
                lows[k + 1] == "herhaling"
                or "volgende" in lows[k + 1 : k + 3]
                or lows[k + 1] in fam["persisting"]
            )
        ):
            cond = k
            break
    if (
        cond < 0
        and m > 3
        and "dan" in lows[2:]
        and lows[0] not in NOT_A_VERB
        and _finite_verb(lows[0], lems[0])
        and not question
    ):
        cond = 0
    if cond >= 0 and not question:
        cond_clause = clause[cond]
        inside = [k for k in range(cond, m) if clause[k] == cond_clause]
        if lows[cond] == "bij":  # "bij herhaling", "bij een volgende keer": a phrase
            stop = next(
                (k for k in inside if lows[k] in ("herhaling", "keer", "incident")),
                min(cond + 3, inside[-1]),
            )
            inside = [k for k in inside if k <= stop]
        if lows[cond] == "zonder":  # "zonder uw handtekening (voor vrijdag)": a phrase
            stop = next((k for k in inside if lems[k] in WITHOUT), cond + 1)
            if stop + 1 < m and lows[stop + 1] in DEADLINE_WORDS | {"uiterlijk"}:
                stop += 2
            inside = [k for k in inside if k <= stop]
        rest = [k for k in range(m) if k not in set(inside)]
        negated = (
            lows[cond] in ("tenzij", "bij", "zonder")
            or any(
                lows[k] in fam["negations"]
                or lems[k] in fam["negations"]
                or lems[k] in fam["failing"]
                for k in inside
            )
            or _has_phrase(lows, inside, fam)
        )
        if negated:
            threat = [k for k in rest if k in sanctions or k in consequences or k in coercive]
            withheld = any(
                lems[k] in ("kunnen", "mogen")
                and any(lows[x] in ("niet", "geen") for x in rest if k < x <= k + 6)
                for k in rest
            ) or any(
                lows[k] in ("niet", "geen")
                and k + 1 < m
                and (lows[k + 1] in ("meer", "langer") or lems[k + 1] in fam["taking_part"])
                for k in rest
            )
            if (threat or withheld) and not any(lows[k] in SOFTENERS for k in rest):
                last = max(threat) if threat else max(rest)
                span(min(cond, last), max(inside[-1], last), "ultimatum")
    # A sanction announced: "volgt een schorsing", "doen wij aangifte".
    if (
        sanctions
        and not question
        and not lowset & fam["informational"]
        and (lowset & fam["announce"] or (lowset & WE and not past))
    ):
        span(sanctions[0], sanctions[0], "threat")
    # A weaker consequence with a deadline, "anders" or coercion.
    introduction = _bigram(lows, "ik", "ben") or _bigram(lows, "naam", "is")
    if consequences and not question and not lowset & fam["informational"] and not introduction:
        k = consequences[0]
        if (
            coercive
            or "anders" in lows
            or lowset & {"volgt", "volgen"}
            or (lowset & WE and lowset & fam["authorities"] and not past)
            or (lowset & WE and "veilig" in lows and "thuis" in lows and not past)
        ):
            span(k, k, "threat")
    # A demand on the parent with a deadline or haste.
    urgent = [
        k
        for k in range(m)
        if lows[k] in fam["urgency"]
        and (lows[k] not in DEADLINE_WORDS or (k + 1 < m and lows[k + 1] in fam["deadline_next"]))
    ]
    if urgent and not question:
        for k in range(m - 1):
            if _obligation(lows, lems, k, fam):
                span(k, max(urgent[0], k + 1), "demand")
                break
        else:
            if (
                _is_imperative(lows[0], lems[0])
                and not lowset & SOFTENERS
                and lowset & {"onmiddellijk", "direct", "meteen", "onverwijld", "zsm", "spoed"}
            ):
                span(0, urgent[0], "demand")
    # Reproach: u/jullie/uw + again/never + a failing, in one clause.
    first = lows[0]
    if (first in STARTS_REPROACH or (words[0].isupper() and first in fam["repetition"])) and not (
        lowset & fam["not_reproach"]
    ):
        span(0, 0, "reproach")  # "Alweer is het huiswerk niet gemaakt."
    for k in range(1, m):
        if words[k].isupper() and len(words[k]) > 3 and lows[k] in fam["repetition"]:
            span(k, k, "reproach")  # "Hij is er WEER niet."
            break
    if lowset & ADDRESSEE:
        for k in range(m):
            if lows[k] in fam["repetition"] or (lows[k] == "keer" and "zoveelste" in lows):
                window = [x for x in range(max(0, k - 6), min(m, k + 7)) if clause[x] == clause[k]]
                if any(lows[x] in fam["not_reproach"] for x in window):
                    continue
                if lows[k] in ("nogmaals", "eindelijk") and "u" in lows:
                    span(k, k, "reproach")
                    break
                fails = [
                    x
                    for x in window
                    if x != k and (lems[x] in fam["failing"] or lows[x] in fam["failing"])
                ]
                failing = lows[k] == "nooit" or fails or _has_phrase(lows, window, fam)
                # "nooit" is a reproach only when said to the parent: "U reageert nooit".
                said_to_parent = any(lows[x] in ("u", "jullie") for x in window)
                if failing and (lows[k] != "nooit" or said_to_parent):
                    span(min([k, *fails]), max([k, *fails]), "reproach")
                    break
    # Emphasis a writer adds when annoyed: stressed words (écht, wéér, nú) and single words
    # in capitals (NU, ALLE, NOOIT) in a sentence that is not all capitals. (An eye-roll or
    # "!!" alone is not enough: the sets disagree on it.)
    shouted = sum(w.isupper() for w in words) > m / 2
    for k in range(m):
        w = words[k]
        if (
            lows[k] in fam["stressed"]
            or (not shouted and w.isupper() and len(w) > 1 and lows[k] in fam["emphasis"])
        ) and not lowset & fam["not_reproach"]:
            span(k, k, "emphasis")
            break
    # Again or always + a failing, of anyone: "Yara heeft weer geen gymspullen mee", "hij
    # is altijd te laat", "steeds zonder boeken". ("Nooit" + a failing is praise: "ze
    # vergeet nooit iets"; it counts only said to the parent, above.)
    for k in range(m - 1):
        if (lows[k] in fam["again"] or lows[k] in fam["always"]) and not lowset & fam[
            "not_reproach"
        ]:
            near = range(k + 1, min(m, k + 4))
            if any(
                lows[x] in ("geen", "niet", "niets", "vergeten", "kwijt", "zonder") for x in near
            ) or (_has_phrase(lows, near, fam)):
                span(k, k, "reproach")
                break
    # Counted repetition: "al drie keer", "meerdere malen", "de derde keer dat".
    rep = _counted_repetition(lows, fam)
    if rep is not None and not question:
        around = range(max(0, rep - 8), min(m, rep + 10))
        if (
            lows[rep - 1] in ("laatste", "zoveelste")
            or (lows[rep - 2] == "de" and "al" in lows[max(0, rep - 5) : rep])
            or any(lows[x] in fam["failing"] or lems[x] in fam["failing"] for x in around)
            or _has_phrase(lows, around, fam)
            or (
                lowset & ADDRESSEE
                and any(lems[x] in fam["asking"] or lows[x] in fam["asking"] for x in around)
            )
        ) and not lowset & fam["not_reproach"]:
            span(max(0, rep - 1), rep, "reproach")
    # A rhetorical question: "Moet ik er nu echt …?", "Kunt u misschien ook eens …?"
    if question and (
        _bigram(lows, "nu", "echt")
        or _bigram(lows, "nou", "echt")
        or (_bigram(lows, "ook", "eens") and lowset & {"kunt", "wilt", "zou", "kan"})
        or (lows[:2] == ["denkt", "u"] and _bigram(lows, "ook", "nog"))
    ):
        span(0, m - 1, "rhetorical")
    # A rhetorical question: "U weet toch dat …?", "Dat is toch niet zo moeilijk?"
    if question and "toch" in lows:
        t = lows.index("toch")
        after = lows[t + 1 : t + 5]
        before = lows[max(0, t - 3) : t]
        if (
            set(before) & fam["knowing"]
            or (after[:1] == ["niet"] and set(after[1:]) & fam["rhetorical"])
            or (set(after[:2]) & fam["knowing"])
        ):
            span(t, t, "rhetorical")

    for k in range(m - 1):
        if lows[k] in fam["intensifiers"]:
            for x in range(k + 1, min(m, k + 3)):
                if _negative_adjective(lows[x], lems[x], fam):
                    span(k, x, "absolute")
                    break
    # Alarming words, unless negated ("geen crisis").
    for k in range(m if not lowset & fam["informational"] else 0):
        if _alarming(lows[k], lems[k], fam):
            if k and lows[k - 1] in ("geen", "niet"):
                continue
            span(k, k, "alarming")
    return found


def _bigram(lows: list[str], first: str, second: str) -> bool:
    return any(lows[k] == first and lows[k + 1] == second for k in range(len(lows) - 1))


def _finite_verb(lower: str, lem: str) -> bool:
    """A finite verb at the start of a sentence: "Komt", "Gebeurt", "Zie"."""
    if lem != lower and lem.endswith("en"):
        return True
    if len(lower) >= 4 and lower.endswith("t"):
        stem = lower[:-1]
        return any(zipf(inf) >= 3.5 for inf in (stem + "en", stem + stem[-1] + "en"))
    return False


def _obligation(lows: list[str], lems: list[str], k: int, fam: Families) -> bool:
    """An obligation on the parent starts at word k: "u dient", "bent u verplicht",
    "u wordt verzocht", "wij verwachten dat u", "wij eisen van u"."""
    x, y = lows[k], lows[k + 1]
    if x in ADDRESSEE:
        if y in fam["obligations"]:
            return True
        return (
            lems[k + 1] in ("zijn", "worden")
            and k + 2 < len(lows)
            and (lows[k + 2] in fam["obligations"])
        )
    if y in ADDRESSEE:
        return x in fam["obligations"]
    if x in fam["obligations"] and y in WE:  # "verwachten wij u morgen op school"
        return "u" in lows[k + 2 : k + 4]
    if x in WE and y in fam["obligations"]:
        return "dat" in lows[k + 2 : k + 4] or "u" in lows[k + 2 : k + 8]
    # "wil ik een verklaring van u", "ik wil het geld morgen terug" (with a deadline).
    if (x in ("wil", "willen") and y in WE) or (x in WE and y in ("wil", "willen")):
        return not set(lows) & (
            SOFTENERS | fam["not_reproach"] | {"samen", "spreken", "bellen", "bedanken"}
        )
    return False


def _counted_repetition(lows: list[str], fam: Families) -> int | None:
    """The position of "keer"/"maal" counted as a repetition: "al drie keer", "voor de
    derde keer", "meerdere malen", "de zoveelste keer"; not "drie keer per week"."""
    for k in range(1, len(lows)):
        if lows[k] not in ("keer", "keren", "maal", "malen"):
            continue
        if k + 1 < len(lows) and lows[k + 1] in ("per", "in", "zo", "meer", "minder", "groter"):
            continue
        count = lows[k - 1]
        if count in fam["many"]:
            return k
        ordinal = (
            count in fam["ordinals"]
            or (count[:-1].isdigit() and count[-1] == "e")
            or (count[:-2].isdigit() and count[-2:] == "de")
        )
        if ordinal and k >= 2 and lows[k - 2] in ("de", "voor"):
            return k
        if (
            (count in fam["numbers"] or count.isdigit())
            and k >= 2
            and lows[k - 2] in ("al", "reeds", "nu")
        ):
            return k
    return None


def _has_phrase(lows: list[str], positions: Iterable[int], fam: Families) -> bool:
    positions = set(positions)
    for phrase in fam.failing_phrases:
        size = len(phrase)
        for k in positions:
            if tuple(lows[k : k + size]) == phrase:
                return True
    return False
