"""The approach advisor's panel on the family page: the situation, advice that fits the
family's history, and the form to set the situation. Registered in ``apps.py``."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bondgenoot.bridges.matching import postcode_area
from bondgenoot.bridges.panels import matches_of, open_bridges_of
from bondgenoot.contacts.models import FamilySummary
from bondgenoot.people.languages import language_name
from bondgenoot.people.models import Situation
from bondgenoot.people.panels import FamilyPage, Panel, register
from bondgenoot.people.schoolyear import current_school_year

from . import advisor
from .forms import SituationForm
from .models import SituationChange

HISTORY = 10
# The facts that come from ranking the school's key figures (``matches_of``).
MATCH_FACTS = frozenset(
    {"language_matches", "near_matches", "only_near_matches", "shared_languages"}
)


def _summary(family) -> FamilySummary | None:
    # Selected with the family by the ledger panel's ``prepare``.
    try:
        return family.summary
    except FamilySummary.DoesNotExist:
        return None


def approach_sections(page: FamilyPage) -> dict:
    family = page.family
    guardians = page.guardians
    mentors = page.mentors
    # Key figures are ranked, and the open bridges read, only when this situation's
    # advice names them (the bridges panel shows them itself).
    read = advisor.facts_read(family.situation)
    matches = matches_of(page) if read & MATCH_FACTS else []
    bridges = open_bridges_of(page) if "bridged" in read else []
    now = timezone.now()
    summary = _summary(family)
    year_start = timezone.make_aware(
        datetime(current_school_year(), 8, 1), timezone.get_current_timezone()
    )
    last_dialogue = summary.last_dialogue_at if summary else None
    unreached, untried = advisor.recent_channels(family, now, year_start, after=last_dialogue)
    suggestion = None
    if family.situation in (Situation.REGULAR, Situation.DENYING):
        suggestion = advisor.absent_suggestion(unreached, last_dialogue, family.created_at, now)
    others = (
        advisor.others_contacting(family, now) if family.situation == Situation.SENSITIVE else []
    )
    available = [m for m in matches if m.available]
    language_matches = [m for m in available if m.shared_languages][:3]
    near_matches = [m for m in available if m.near and not m.shared_languages][:3]
    shared = []
    for m in language_matches:
        for code in m.shared_languages:
            if code not in shared:
                shared.append(code)
    home_languages = sorted(
        {str(lang.name) for g in guardians for lang in g.home_languages.all() if lang.code != "nl"}
    )
    contact_person = family.contact_person or (mentors[0] if mentors else None)
    facts = {
        "children": " & ".join(p.first_name for p in family.pupils.all()),
        "no_positive_contact": not (summary and summary.last_positive_personal_at),
        "untried_channels": untried,
        "language_matches": [_match_label(m) for m in language_matches],
        "near_matches": [_match_label(m) for m in near_matches],
        "only_near_matches": bool(near_matches) and not language_matches,
        "shared_languages": [str(language_name(c)) for c in shared],
        "postcode": " / ".join(_areas(guardians)),
        "needs_interpreter": any(g.needs_interpreter for g in guardians),
        "home_languages": home_languages,
        "contact_person": str(family.contact_person) if family.contact_person else "",
        "no_contact_person": family.contact_person is None,
        "bridged": [
            f"{b.key_figure.name} ({b.key_figure.organisation})"
            if b.key_figure.organisation
            else b.key_figure.name
            for b in bridges
            if b.consent_in_force
        ],
    }
    situation_form = page.forms.get("situation_form")
    if situation_form is None:
        initial = None
        if suggestion:
            initial = {
                "situation": suggestion.situation,
                "reason": suggestion.reason,
                "decided_on": timezone.localdate(),
                "contact_person": family.contact_person_id,
                "from_suggestion": True,
            }
        situation_form = SituationForm(
            family=family, initial=initial, staff=page.staff if page.can_edit else None
        )
    history = list(
        SituationChange.objects.filter(family=family)
        .select_related("set_by")
        .order_by("-created_at")[:HISTORY]
    )
    return {
        "situation_form": situation_form,
        "suggestion": suggestion,
        "advice": advisor.advice_for(family.situation, facts),
        "situation_history": history,
        "current_situation": history[0] if history else None,
        "others_contacting": others,
        "fixed_contact_person": contact_person,
    }


def _areas(guardians) -> list[str]:
    return sorted({postcode_area(g.postcode) for g in guardians if postcode_area(g.postcode)})


def _match_label(match) -> str:
    kf = match.key_figure
    return f"{kf.name} ({kf.organisation})" if kf.organisation else kf.name


register(
    Panel(
        name="approach.situation",
        slot="top",
        order=10,
        template="approach/_approach.html",
        applies=lambda page: page.ledger,
        context=approach_sections,
        lazy=_("Show the situation and advice"),
    )
)
