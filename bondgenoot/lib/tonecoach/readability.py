"""Readability: Flesch-Douma, and a difficulty score in the spirit of LiNT-II.

LiNT-II (Pander Maat et al.; the ``lint-ii`` package) predicts how well readers
understand a text from four features: word frequency, the share of concrete nouns,
the number of content words per clause and the length of syntactic dependencies. It
needs a spaCy parser that cannot be installed here. ``difficulty`` uses what can be
computed offline: the frequency of the content words (wordfreq), content words per
clause (clauses found by punctuation and by the words that open a clause) and words
per sentence, which stands in for dependency length. It is not fitted on
comprehension data; its four levels follow LiNT's (1 easiest … 4 hardest) and its
scale is set so that plain school letters land in levels 1–2, officialese in 3–4.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

import pyphen

from .morphology import MAX_WORD, zipf

# Words that open a clause (coordinating and subordinating conjunctions, relative and
# interrogative words): each adds a clause to its sentence.
CLAUSE_OPENERS = {
    "en", "maar", "want", "of", "dus", "omdat", "wanneer", "terwijl", "zodat", "dat",
    "die", "als", "hoewel", "nadat", "voordat", "doordat", "indien", "waardoor",
    "waarin", "waarbij", "waarmee", "waarop", "welke", "zodra", "totdat", "tenzij",
    "aangezien", "zoals", "wat", "wie", "waar", "hoe", "om",
}  # fmt: skip
# Function words: not counted as content words.
FUNCTION_WORDS = CLAUSE_OPENERS | {
    "de", "het", "een", "ik", "je", "jij", "u", "hij", "zij", "ze", "we", "wij", "jullie",
    "mij", "me", "hem", "haar", "ons", "onze", "uw", "jouw", "mijn", "zijn", "hun",
    "is", "was", "ben", "bent", "waren", "wordt", "worden", "werd", "heeft", "hebben",
    "heb", "hebt", "had", "kan", "kunt", "kunnen", "zal", "zult", "zullen", "wil",
    "wilt", "willen", "moet", "moeten", "mag", "mogen", "in", "op", "aan", "van",
    "voor", "met", "bij", "naar", "over", "uit", "door", "tot", "om", "te", "er",
    "niet", "geen", "ook", "nog", "al", "wel", "dan", "deze", "dit", "die", "daar",
    "hier", "zo", "wat", "heel", "erg", "even", "graag", "veel",
}  # fmt: skip
CLAUSE_PUNCTUATION = re.compile(r"[,;:()]")
LEVELS = {1: "A2", 2: "B1", 3: "B2", 4: "C1"}
ORDER = ["A2", "B1", "B2", "C1"]


@cache
def _hyphenator() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="nl_NL")


@lru_cache(maxsize=50_000)
def syllables(word: str) -> int:
    if len(word) > MAX_WORD:
        return max(1, len(word) // 3)  # not a word; keep the cost constant
    vowel_groups = len(re.findall(r"[aeiouyäëïöüáéíóúàèìòù]+", word.lower()))
    return max(1, len(_hyphenator().positions(word)) + 1, min(vowel_groups, 1))


def flesch_douma(words: int, sentences: int, syllable_count: int) -> float | None:
    if not words or not sentences:
        return None
    return round(206.835 - 0.93 * (words / sentences) - 77 * (syllable_count / words), 1)


def flesch_level(score: float | None) -> str:
    if score is None:
        return ""
    if score >= 70:
        return "A2"
    if score >= 60:
        return "B1"
    if score >= 45:
        return "B2"
    return "C1"


def difficulty(
    text: str, sentence_spans: list[tuple[int, int]], tokens: list[tuple[int, int, str]]
) -> float | None:
    """A 0–100 difficulty (higher is harder), from word frequency, content words per
    clause and words per sentence. ``tokens`` are (start, end, word) in text order."""
    if not tokens or not sentence_spans:
        return None
    content = [w.lower() for _s, _e, w in tokens if w.lower() not in FUNCTION_WORDS]
    clauses = len(sentence_spans)
    clauses += sum(1 for _s, _e, w in tokens if w.lower() in CLAUSE_OPENERS)
    clauses += len(CLAUSE_PUNCTUATION.findall(text))
    if not content:
        return 0.0
    # Frequency of content words, capped: a very common word does not make up for a
    # rare one. Unknown words (names, typos) count as rare, not as impossible.
    mean_zipf = sum(min(max(zipf(w), 1.5), 6.0) for w in content) / len(content)
    per_clause = len(content) / clauses
    per_sentence = len(tokens) / len(sentence_spans)
    score = 40 + 12 * (4.5 - mean_zipf) + 3.5 * (per_clause - 4) + 0.3 * (per_sentence - 12)
    return round(min(100.0, max(0.0, score)), 1)


def difficulty_level(score: float | None) -> int | None:
    if score is None:
        return None
    if score < 34:
        return 1
    if score < 46:
        return 2
    if score < 58:
        return 3
    return 4


def combined_level(flesch: str, level: int | None) -> str:
    """The harder of the Flesch-Douma level and the difficulty level."""
    levels = [x for x in (flesch, LEVELS.get(level or 0, "")) if x]
    return max(levels, key=ORDER.index) if levels else ""
