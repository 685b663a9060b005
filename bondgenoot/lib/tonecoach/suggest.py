"""When a plain alternative can replace a word with one click, and when it cannot.

A replacement is offered for one click only when the sentence stays grammatical:

- the text found is the lexicon's own form (no plural, diminutive, inflected
  adjective or compound: "ZAT-overleg" or "risicogedragingen" would break);
- the article before it agrees with the replacement (``fits`` in jargon.toml: "het
  plan met afspraken", never "de plan"; a mass noun never after "een"), and a
  replacement that cannot follow an article ("wat uw kind nodig heeft") has none;
- a replacement that is a clause ("gedrag waar we ons zorgen over maken") stands at
  the end of its clause, and the sentence does not already say what it adds
  ("We maken ons zorgen over het risicogedrag van uw zoon" gets no one-click).

Otherwise the writer gets the plain words and an example sentence to rewrite from.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the package imports this module
    from . import Entry

DE_ONLY = {"de", "deze", "die", "onze", "elke", "iedere", "welke"}
HET_ONLY = {"het", "dit", "dat", "ons", "elk", "ieder", "welk"}
ANY_ARTICLE = {"uw", "zijn", "haar", "hun", "mijn", "jouw", "jullie", "geen"}
ARTICLES = DE_ONLY | HET_ONLY | ANY_ARTICLE | {"een", "zo'n"}
# Words that make a replacement a clause (a subject, a relative or question word, or
# "om … te").
CLAUSE = re.compile(r"\b(?:wat|waar|die|dat|als|hoe|we|wij|u|hij|zij|ze|om|het\s+erger)\b")
SMALL = {
    "de", "het", "een", "van", "met", "voor", "over", "op", "in", "om", "te", "wat",
    "waar", "die", "dat", "als", "hoe", "we", "wij", "u", "uw", "ons", "onze", "bij",
    "naar", "niet", "nog", "even", "goed", "iets", "hulp", "kind",
}  # fmt: skip
END_OF_CLAUSE = re.compile(r"\s*(?:[,.;:!?)\n]|$)")


def _normal(text: str) -> str:
    # "multidisciplinaire overleg" is the lexicon's "multidisciplinair overleg".
    return re.sub(r"e(?=\s)", "", text.lower())


def one_click(entry: Entry, text: str, start: int, end: int, previous: str, sentence: str) -> str:
    """The replacement to offer at ``start:end``, or "" when it would not fit."""
    fits, replacement = entry.fits, entry.replacement
    if not fits or not replacement:
        return ""
    found = text[start:end]
    if entry.term.isupper() or "." in entry.term:
        if found != entry.term:
            return ""
    elif _normal(found) != _normal(entry.term):
        return ""
    previous = previous.lower()
    if fits != "word" and CLAUSE.search(replacement):
        if not END_OF_CLAUSE.match(text, end):
            return ""
        rest = sentence.lower().replace(found.lower(), " ")
        words = set(re.findall(r"\w+", rest))
        if any(w in words for w in re.findall(r"\w{4,}", replacement) if w not in SMALL):
            return ""  # the sentence already says it: "zorgen" twice
    if fits != "word" and previous.endswith("e") and previous not in ARTICLES:
        return ""  # "het nieuwe …": an adjective between; its article is not checked
    if fits == "np" and previous in ARTICLES:
        return ""
    if fits in ("de", "het", "plural", "mass-de", "mass-het"):
        if previous in DE_ONLY and fits in ("het", "mass-het"):
            return ""
        if previous in HET_ONLY and fits not in ("het", "mass-het"):
            return ""
        if previous in ("een", "zo'n") and fits not in ("de", "het"):
            return ""
    capital = found[:1].isupper() and not entry.term[:1].isupper()
    if capital or (found.isupper() and previous == ""):
        replacement = replacement[:1].upper() + replacement[1:]
    return replacement
