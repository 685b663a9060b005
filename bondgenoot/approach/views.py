"""The approach advisor's part of the family page."""

from __future__ import annotations

from django.utils import timezone

from bondgenoot.contacts.models import FamilySummary
from bondgenoot.people.models import Family, Guardian, Situation
from bondgenoot.people.schoolyear import current_school_year

from . import advisor
from .forms import SituationForm
from .models import SituationChange

HISTORY = 10


def approach_sections(
    family: Family,
    guardians: list[Guardian],
    mentors: list,
    matches: list,
    bridges: list,
    situation_form: SituationForm | None = None,
) -> dict:
    now = timezone.now()
    summary = FamilySummary.objects.filter(family=family).first()
    suggestion = None
    if family.situation in (Situation.REGULAR, Situation.DENYING):
        last_dialogue = summary.last_dialogue_at if summary else None
        suggestion = advisor.absent_suggestion(
            advisor.unreached_recent(family, now, after=last_dialogue),
            last_dialogue,
            family.created_at,
            now,
        )
    year_start = timezone.make_aware(
        timezone.datetime(current_school_year(), 8, 1), timezone.get_current_timezone()
    )
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
    from bondgenoot.people.languages import language_name

    home_languages = sorted(
        {str(lang.name) for g in guardians for lang in g.home_languages.all() if lang.code != "nl"}
    )
    contact_person = family.contact_person or (mentors[0] if mentors else None)
    facts = {
        "children": " & ".join(p.first_name for p in family.pupils.all()),
        "no_positive_contact": not (summary and summary.last_positive_personal_at),
        "untried_channels": advisor.untried_channels(family, year_start),
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
        situation_form = SituationForm(family=family, initial=initial)
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
    from bondgenoot.bridges.matching import postcode_area

    return sorted({postcode_area(g.postcode) for g in guardians if postcode_area(g.postcode)})


def _match_label(match) -> str:
    kf = match.key_figure
    return f"{kf.name} ({kf.organisation})" if kf.organisation else kf.name
