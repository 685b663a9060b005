"""Matching key figures to a family, with the reasons for each suggestion.

``rank()`` is a pure function over plain facts, so its ordering and explanations are
tested directly; ``matches_for()`` gathers those facts in a fixed number of queries.

Points (higher first):

* a home language shared with a guardian, other than Dutch ........ 4
* works in the family's 4-digit postcode area ..................... 3
* ... or in a neighbouring area (the same first three digits) ..... 1
* already involved in a contact with this family .................. 2
* already bridges a family of the same parent (siblings) .......... 2
* already bridges other families in the same postcode area ........ 1

Ties go to the key figure with fewer families (load). Key figures who are full, or who
have no agreement with the school yet, come last: they cannot be introduced now.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, StringAgg, Subquery, Value
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bondgenoot.contacts.models import Contact
from bondgenoot.people.languages import language_name
from bondgenoot.people.models import Family, Guardian

from .models import Bridge, Consent, KeyFigure

LANGUAGE_POINTS = 4
SAME_AREA_POINTS = 3
NEAR_AREA_POINTS = 1
KNOWS_FAMILY_POINTS = 2
SIBLING_LINK_POINTS = 2
AREA_LINK_POINTS = 1


def postcode_area(postcode: str) -> str:
    """The 4-digit area of a Dutch postcode ("3081 AB" → "3081"), or ""."""
    match = re.match(r"\s*(\d{4})", postcode or "")
    return match.group(1) if match else ""


def neighbouring(a: str, b: str) -> bool:
    return bool(a and b) and a != b and a[:3] == b[:3]


@dataclass(frozen=True)
class FamilyFacts:
    languages: frozenset[str]  # guardians' home languages (codes)
    areas: tuple[str, ...]  # guardians' postcode areas, most common first


@dataclass(frozen=True)
class Candidate:
    key_figure: KeyFigure
    languages: frozenset[str]
    areas: frozenset[str]
    load: int  # families bridged now
    knows_family: bool = False
    sibling_link: bool = False
    area_families: int = 0  # other bridged families in the family's area


@dataclass
class Match:
    key_figure: KeyFigure
    score: int
    load: int
    shared_languages: list[str] = field(default_factory=list)
    near: bool = False
    full: bool = False
    introducible: bool = True
    reasons: list[str] = field(default_factory=list)

    @property
    def available(self) -> bool:
        return self.introducible and not self.full


def rank(family: FamilyFacts, candidates: list[Candidate]) -> list[Match]:
    matches = []
    home_area = family.areas[0] if family.areas else ""
    for c in candidates:
        kf = c.key_figure
        m = Match(key_figure=kf, score=0, load=c.load)
        shared = sorted((family.languages & c.languages) - {"nl"})
        if shared:
            m.score += LANGUAGE_POINTS
            m.shared_languages = shared
            m.reasons.append(
                _("Speaks %(languages)s, like the family.")
                % {"languages": ", ".join(str(language_name(code)) for code in shared)}
            )
        same = [a for a in family.areas if a in c.areas]
        near = sorted({k for a in family.areas for k in c.areas if neighbouring(a, k)})
        if same:
            m.score += SAME_AREA_POINTS
            m.near = True
            m.reasons.append(
                _("Works in postcode area %(area)s, where the family lives.") % {"area": same[0]}
            )
        elif near:
            m.score += NEAR_AREA_POINTS
            m.near = True
            m.reasons.append(
                _("Works in a neighbouring postcode area (%(areas)s).") % {"areas": ", ".join(near)}
            )
        if c.knows_family:
            m.score += KNOWS_FAMILY_POINTS
            m.reasons.append(_("Was involved in an earlier contact with this family."))
        if c.sibling_link:
            m.score += SIBLING_LINK_POINTS
            m.reasons.append(_("Already bridges another family of the same parent."))
        if c.area_families:
            m.score += AREA_LINK_POINTS
            m.reasons.append(
                ngettext(
                    "Already bridges %(count)d other family in %(area)s.",
                    "Already bridges %(count)d other families in %(area)s.",
                    c.area_families,
                )
                % {"count": c.area_families, "area": home_area}
            )
        if kf.max_families is not None and c.load >= kf.max_families:
            m.full = True
            m.reasons.append(
                ngettext(
                    "Full: bridges %(load)d of at most %(max)d family.",
                    "Full: bridges %(load)d of at most %(max)d families.",
                    kf.max_families,
                )
                % {"load": c.load, "max": kf.max_families}
            )
        else:
            m.reasons.append(
                ngettext("Bridges %(count)d family now.", "Bridges %(count)d families now.", c.load)
                % {"count": c.load}
            )
        if not kf.has_agreement:
            m.introducible = False
            m.reasons.append(
                _("No agreement or confidentiality statement recorded yet: cannot be introduced.")
            )
        matches.append(m)
    matches.sort(key=lambda m: (not m.introducible, m.full, -m.score, m.load, m.key_figure.name))
    return matches


# --- facts from the database ---------------------------------------------------------------


def family_facts(guardians: list[Guardian]) -> FamilyFacts:
    languages = frozenset(lang.code for g in guardians for lang in g.home_languages.all())
    counts: dict[str, int] = {}
    for g in guardians:
        area = postcode_area(g.postcode)
        if area:
            counts[area] = counts.get(area, 0) + 1
    areas = tuple(sorted(counts, key=lambda a: (-counts[a], a)))
    return FamilyFacts(languages=languages, areas=areas)


def family_guardian_records(family: Family) -> list[Guardian]:
    return list(
        Guardian.objects.filter(guardianships__pupil__family=family)
        .distinct()
        .prefetch_related("home_languages")
        .order_by("last_name", "first_name")
    )


def open_bridges(family: Family):
    """The family's open bridges with their key figures, and whether a consent is in
    force for each (``Bridge.consent_in_force``) from the same query: an EXISTS of
    ``Consent.objects.in_force``, not a second query that prefetches the consents."""
    in_force = Consent.objects.in_force().filter(bridge=OuterRef("pk"))
    return (
        Bridge.objects.filter(family=family, ended_at__isnull=True)
        .select_related("key_figure")
        .annotate(in_force_consent=Exists(in_force))
        .order_by("introduced_at")
    )


def matches_for(family: Family, guardians: list[Guardian] | None = None) -> list[Match]:
    """Ranked key figures of the family's school who do not bridge it yet (3 queries).

    A school has a few dozen open bridges: they are read once, with the guardians of
    each bridged family, and load, "already linked", siblings and area are counted from
    those rows in Python. Counting each in SQL took three more queries, each with its
    own joins and grouping, and most of the family page's advice panel."""
    guardians = family_guardian_records(family) if guardians is None else guardians
    facts = family_facts(guardians)
    # Each key figure with the codes of its languages (a subquery, not a query of its own;
    # the type stubs do not see an annotation on the through model).
    codes = (
        KeyFigure.languages.through.objects.filter(keyfigure_id=OuterRef("pk"))
        .order_by()
        .values("keyfigure_id")
        .annotate(codes=StringAgg("language_id", delimiter=Value(",")))
        .values("codes")  # type: ignore[misc]
    )
    key_figures = list(
        KeyFigure.objects.filter(school_id=family.school_id, active=True).annotate(
            language_codes=Subquery(codes)
        )
    )
    if not key_figures:
        return []
    ids = [kf.pk for kf in key_figures]
    spoken: dict = {
        kf.pk: set(kf.language_codes.split(",")) if kf.language_codes else set()
        for kf in key_figures
    }
    # Every open bridge of these key figures, once per guardian of the bridged family
    # (all its pupils, also those who left: a parent stays a parent).
    rows = (
        Bridge.objects.filter(key_figure_id__in=ids, ended_at__isnull=True)
        .values_list(
            "key_figure_id",
            "family_id",
            "family__school_id",
            "family__pupils__guardianships__guardian_id",
            "family__pupils__guardianships__guardian__postcode",
        )
        .order_by()
    )
    home_area = facts.areas[0] if facts.areas else ""
    guardian_ids = {g.pk for g in guardians}
    bridged: dict = {pk: set() for pk in ids}  # key figure -> families it bridges now
    already, sibling_links = set(), set()
    area_families: dict = {}  # key figure -> the other families it bridges in the area
    for kf_id, family_id, school_id, guardian_id, postcode in rows:
        bridged[kf_id].add(family_id)
        if family_id == family.pk:
            already.add(kf_id)
            continue
        if guardian_id is not None and guardian_id in guardian_ids:
            sibling_links.add(kf_id)
        if home_area and school_id == family.school_id and (postcode or "").startswith(home_area):
            area_families.setdefault(kf_id, set()).add(family_id)
    key_figures = [kf for kf in key_figures if kf.pk not in already]
    # Who already knows the family: key figures named in its contacts, and key figures
    # with a login (internal staff) who recorded a contact with it themselves.
    users = {kf.user_id for kf in key_figures if kf.user_id}
    involved_users = set()
    for author_id, key_figure_id in (
        Contact.objects.filter(family=family)
        .filter(Q(key_figure_id__in=users) | Q(author_id__in=users))
        .values_list("author_id", "key_figure_id")
        .distinct()
    ):
        involved_users.update({author_id, key_figure_id} & users)
    candidates = [
        Candidate(
            key_figure=kf,
            languages=frozenset(spoken[kf.pk]),
            areas=frozenset(kf.postcode_areas),
            load=len(bridged[kf.pk]),
            knows_family=kf.user_id in involved_users,
            sibling_link=kf.pk in sibling_links,
            area_families=len(area_families.get(kf.pk, ())),
        )
        for kf in key_figures
    ]
    return rank(facts, candidates)
