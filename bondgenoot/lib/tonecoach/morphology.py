"""Dutch word shapes without a model: word frequency, compounds and past participles.

Everything here works on one lower-case word at a time and is cached per word, so a
message costs a dictionary lookup per word once the caches are warm. Words longer
than ``MAX_WORD`` letters are not analysed at all (no Dutch word a parent should read
is that long, and it keeps the cost of one very long "word" constant).
"""

from __future__ import annotations

import math
from functools import cache, lru_cache

import simplemma
from wordfreq import get_frequency_dict

MAX_WORD = 40
# A compound part must be a real, reasonably common word of at least three letters.
PART_MIN_ZIPF = 3.0
PART_MIN_LEN = 3
# Letters Dutch puts between the parts of a compound: jeugd-s-zorg, klass-en-ouder.
LINKS = ("", "s", "e", "en", "er")

SEPARABLE = (
    "aan", "achter", "af", "bekend", "bij", "binnen", "buiten", "dicht", "door", "goed",
    "in", "kennis", "los", "mee", "na", "neer", "om", "onder", "op", "open", "over",
    "rond", "samen", "stop", "tegen", "terecht", "terug", "thuis", "toe", "uit", "vast",
    "voor", "vooruit", "vrij", "weg", "weer",
)  # fmt: skip
INSEPARABLE = ("ver", "ont", "her", "be", "er", "ge")
# Prefixes that are sometimes inseparable, without ge-: onder-tekend, over-tuigd,
# onder-zocht, door-zocht, mis-bruikt.
BOTH_WAYS = ("onder", "over", "door", "om", "achter", "vol", "mis", "weer")
# Strong and irregular participle bodies (what follows ge-, be-, ver-, ont-, ...), for
# the forms that are not simply "ge" + infinitive: ge-sproken, be-sloten, ver-boden.
STRONG = {
    "bleken", "bleven", "boden", "bogen", "bonden", "bracht", "daan", "dacht", "dreven",
    "dronken", "dwongen", "gaan", "gleden", "goten", "grepen", "heven", "hangen",
    "houden", "keken", "kocht", "komen", "kregen", "laden", "legen", "leden", "lezen",
    "loten", "maakt", "meten", "nomen", "reden", "schoten", "schreven", "sloten",
    "sneden", "sproken", "stegen", "stolen", "streden", "trokken", "vangen", "vochten",
    "vonden", "vraagd", "vroren", "wezen", "weest", "wogen", "wonnen", "worpen",
    "zeten", "zien", "zocht", "zonden", "zongen", "zwegen", "geten", "noemd", "staan",
    "slagen", "dragen", "laten", "roepen", "lopen", "vallen", "wassen", "zegd",
}  # fmt: skip
# Nouns and adjectives shaped like ge-/be- participles.
NOT_PARTICIPLES = {
    "gezicht", "gewicht", "gedicht", "gerecht", "gebied", "gebit", "gebed", "geluid",
    "gevecht", "gezond", "gemiddeld", "gehandicapt", "bericht", "beleid", "besef",
    "verleden", "beneden", "gebouwen", "geheugen", "gevolgen", "gegevens", "genoeg",
    "geleden", "gelegen", "bezet", "verschillend", "bekend", "gewoon", "geschikt",
    "eerlijk", "gebeurtenis", "gesprek", "geweld", "voorbeeld", "ontbijt", "gedrag",
    "gevoel", "gezin", "gebouw", "verhaal", "verslag", "besluit", "bezoek", "beroep",
    "verband", "gevaar", "geval", "gebrek",
}  # fmt: skip
# Participles of verbs whose perfect takes "zijn" (movement and change): "is gekomen"
# is an active perfect, not a passive. Compared after stripping a separable prefix,
# so "teruggekomen" and "aangekomen" count too.
ZIJN_PARTICIPLES = {
    "gekomen", "gegaan", "gebleven", "begonnen", "gevallen", "gestopt", "gegroeid",
    "vertrokken", "verhuisd", "gebeurd", "veranderd", "verdwenen", "ontstaan", "gelukt",
    "mislukt", "gestorven", "overleden", "geworden", "geraakt", "geslaagd", "gezakt",
    "gestart", "verbeterd", "verslechterd", "gereden", "gelopen", "gefietst", "gevlogen",
    "gezwommen", "gereisd", "getrouwd", "gescheiden", "gestegen", "gedaald",
    "genezen", "hersteld", "verschenen", "vergeten", "verschoven", "ontsnapt",
    "verdwaald", "geëindigd", "geland", "gerend", "geweest", "gebleken", "ontwaakt",
    "verongelukt", "getrokken", "gesprongen", "geklommen", "gegleden",
    "gekrompen", "toegenomen", "afgenomen", "ingeslapen", "opgestaan", "weggelopen",
    "gebotst", "gestruikeld", "verliefd", "gewend", "opgevallen", "meegevallen",
    "tegengevallen", "bevallen", "opgeknapt", "opgegroeid", "vooruitgegaan",
    "achteruitgegaan",
}  # fmt: skip
KOFSCHIP = ("t", "k", "f", "s", "ch", "p", "x")
VOWELS = "aeiouyáéíóúàèëïöü"
DIAERESIS = str.maketrans("ëïöü", "eiou")


@cache
def _frequencies() -> dict[str, float]:
    return get_frequency_dict("nl")


def zipf(word: str) -> float:
    """wordfreq's Zipf value (0 for unknown words, 3 is once per million words)."""
    freq = _frequencies().get(word)
    return math.log10(freq) + 9 if freq else 0.0


@lru_cache(maxsize=50_000)
def lemma(word: str) -> str:
    if len(word) > MAX_WORD:
        return word
    return simplemma.lemmatize(word, lang="nl")


def common(word: str) -> float:
    """The Zipf value of a word or its dictionary form, whichever is higher."""
    return max(zipf(word), zipf(lemma(word)))


@lru_cache(maxsize=50_000)
def compound_parts(word: str) -> tuple[str, ...]:
    """The fewest known parts ``word`` splits into (with linking s/e/en), or ()."""
    n = len(word)
    if n > MAX_WORD or n < 2 * PART_MIN_LEN:
        return ()
    # best[i]: the fewest parts covering word[:i]; filled left to right (at most 40²).
    best: list[tuple[str, ...] | None] = [None] * (n + 1)
    best[0] = ()
    for i in range(n):
        prefix = best[i]
        if prefix is None:
            continue
        for j in range(i + PART_MIN_LEN, n + 1):
            part = word[i:j]
            # A known word, or a verb stem: lees-boek, knutsel-project.
            if zipf(part) < PART_MIN_ZIPF and zipf(part + "en") < PART_MIN_ZIPF:
                continue
            for link in LINKS:
                k = j + len(link)
                if k > n or not word.startswith(link, j) or (link and k == n):
                    continue
                if k < n and n - k < PART_MIN_LEN:
                    continue
                candidate = (*prefix, part)
                current = best[k]
                if current is None or len(candidate) < len(current):
                    best[k] = candidate
    parts = best[n]
    return parts if parts and len(parts) > 1 else ()


def _infinitives(stem: str) -> tuple[str, ...]:
    """Infinitives a weak verb stem can belong to: stuur → sturen, zet → zetten."""
    forms = [stem + "en"]
    if len(stem) >= 3 and stem[-2] == stem[-3] and stem[-2] in "aeou":
        forms.append(stem[:-2] + stem[-1] + "en")  # stuur → sturen, haal → halen
    if len(stem) >= 2 and stem[-2] in VOWELS and stem[-1] not in VOWELS:
        forms.append(stem + stem[-1] + "en")  # zet → zetten, bel → bellen
    if stem.endswith("f"):
        forms.append(stem[:-1] + "ven")  # leef → leven
    if stem.endswith("s"):
        forms.append(stem[:-1] + "zen")  # reis → reizen
    return tuple(forms)


def _weak(body: str, prefix: str) -> bool:
    """``prefix + body`` is a weak participle: a known verb stem + d or t, where the
    t follows 't kofschip (so "vertelt", a present tense, is not a participle)."""
    if len(body) < 3 or body[-1] not in "dt":
        return False
    body = body.translate(DIAERESIS)  # ge-ïnformeerd, ge-üpload
    stem = body[:-1]
    if not any(c in VOWELS for c in stem):
        return False
    stems = [body]  # a stem ending in d or t takes no ending: bereid, gezet
    if body[-1] == "d" or stem.endswith(KOFSCHIP):
        stems.append(stem)
    for candidate in stems:
        for inf in _infinitives(candidate):
            if zipf(prefix + inf) >= 2.0 or zipf(inf) >= 3.0:
                return True
    return False


def _strong(body: str) -> bool:
    """``ge`` + ``body`` is a strong participle: ge-geven, ge-sproken, be-sloten."""
    if body in STRONG:
        return True
    return len(body) >= 4 and body.endswith("en") and zipf(body) >= 3.0


@lru_cache(maxsize=50_000)
def is_participle(word: str) -> bool:
    """``word`` (lower case) looks like a Dutch past participle, by its shape: an
    optional separable prefix, then ge- or an inseparable prefix (be-, ver-, ont-,
    her-, er-), then a weak stem + d/t or a strong body (-en, or an irregular form)."""
    if len(word) < 5 or len(word) > MAX_WORD or word in NOT_PARTICIPLES:
        return False
    if word.startswith("on") and not word.startswith(("ont", "onder")):
        return False  # onverwacht, ongemotiveerd: adjectives
    rests = [word]
    for prefix in SEPARABLE:
        if word.startswith(prefix) and len(word) - len(prefix) >= 5:
            rests.append(word[len(prefix) :])
    for prefix in BOTH_WAYS:
        if word.startswith(prefix) and len(word) - len(prefix) >= 4:
            rest = word[len(prefix) :]
            if rest in STRONG or _weak(rest, prefix):
                return True
    for rest in rests:
        if rest.startswith("ge") and len(rest) >= 5:
            body = rest[2:]
            if _strong(body) or _weak(body, "") or _weak(body, "ge"):
                return True
        for prefix in INSEPARABLE[:-1]:
            if rest.startswith(prefix) and len(rest) - len(prefix) >= 3:
                body = rest[len(prefix) :]
                if body in STRONG or _weak(body, prefix):
                    return True
                if body.endswith("en") and rest != word and zipf(body) >= 3.0:
                    return True  # toe-ge-wezen handled above; aan-be-volen here
    # The lemmatiser knows many irregular ones: gedaan → doen, besloten → besluiten.
    # Weak forms ending in d or t are decided above; "betaalt" is a present tense.
    if not word.endswith("en"):
        return False
    base = lemma(word)
    return base != word and base.endswith("en")


def zijn_participle(word: str) -> bool:
    """A participle whose perfect takes "zijn": "is gekomen", "is teruggegaan"."""
    if word in ZIJN_PARTICIPLES:
        return True
    for prefix in SEPARABLE:
        if word.startswith(prefix) and word[len(prefix) :] in ZIJN_PARTICIPLES:
            return True
    return False
