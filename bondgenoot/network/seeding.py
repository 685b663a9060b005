"""Demo agreements, signals and a share with feedback for the first school."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from bondgenoot.people.models import Role

from . import actions
from .models import Feedback, Signal

OBSERVATIONS = [
    (
        "absence",
        "Was drie keer niet in het eerste uur deze week.",
        "Ik moet mijn zusje wegbrengen.",
    ),
    ("bullying", "In de pauze duwden twee klasgenoten hem tegen het hek.", ""),
    ("online", "Liet een filmpje van een klasgenoot zien dat zonder toestemming was gemaakt.", ""),
    (
        "wellbeing",
        "Zit de laatste weken vaak alleen en eet niet in de pauze.",
        "Ik heb geen honger.",
    ),
]


def seed_network(rng, batch, school, staff, organisations) -> None:
    admins, care = staff[Role.ADMINISTRATOR], staff[Role.CARE_COORDINATOR]
    teachers = staff[Role.TEACHER] or staff[Role.MENTOR]
    if not (admins and care and teachers and organisations):
        return
    admin, coordinator = admins[0], care[0]
    attendance = organisations["attendance"]
    youth_team = organisations["youth_team"]
    versions = {
        "absence": actions.save_agreement(
            admin,
            school.pk,
            "absence",
            attendance,
            {
                "legal_basis": "legal_duty",
                "consent_from": "none",
                "fields": [
                    "pupil_name",
                    "date_of_birth",
                    "group",
                    "category",
                    "observation",
                    "observed_on",
                ],
                "feedback_days": 5,
                "convenant": "Convenant Leerplicht Rotterdam 2026",
                "active": True,
            },
        ),
        "wellbeing": actions.save_agreement(
            admin,
            school.pk,
            "wellbeing",
            youth_team,
            {
                "legal_basis": "consent",
                "consent_from": "pupil",
                "fields": [
                    "pupil_name",
                    "category",
                    "observation",
                    "pupil_words",
                    "school_contact",
                ],
                "feedback_days": 10,
                "convenant": "Samenwerking Wijkteam Feijenoord",
                "active": True,
            },
        ),
    }
    today = timezone.localdate()
    for index, (category, observation, words) in enumerate(OBSERVATIONS):
        _family, pupils, _g = batch.family_members[(index * 7) % len(batch.family_members)]
        signal = actions.record_signal(
            teachers[index % len(teachers)],
            pupils[0],
            {
                "category": category,
                "observed_on": today - timedelta(days=3 + index),
                "observed_where": "School",
                "observed_by": "",
                "observation": observation,
                "pupil_words": words,
                "interpretation": "",
                "parents_informed": index % 2 == 0,
                "parents_not_informed_reason": ""
                if index % 2 == 0
                else "Eerst met de leerling praten.",
            },
        )
        if category == "absence":
            share = actions.share_signal(
                coordinator,
                signal,
                versions["absence"],
                consent_guardian=None,
                consent_by_pupil=False,
                consent_on=None,
                parents_informed=True,
            )
            partner = next(
                (u for u in staff[Role.PARTNER] if u.organisation_id == attendance.pk), None
            )
            if partner:
                Feedback.objects.create(
                    share=share,
                    status="received",
                    note="Ontvangen, we bellen de ouders.",
                    by=partner,
                )
    Signal.objects.filter(school=school).update(seen_at=None)


def signals_for_demo_parent(staff, pupil):
    """A signal about the demo parent's child, shared with the attendance office under
    the agreement in force, with the office's feedback: what the parent portal shows
    under "Signalen". Returns the signal."""
    care = staff[Role.CARE_COORDINATOR]
    teachers = staff[Role.TEACHER] or staff[Role.MENTOR]
    version = actions.current_versions(pupil.school_id, "absence").first()
    if not (care and teachers and version):
        return None
    signal = actions.record_signal(
        teachers[0],
        pupil,
        {
            "category": "absence",
            "observed_on": timezone.localdate() - timedelta(days=9),
            "observed_where": "School",
            "observed_by": "",
            "observation": "Was deze maand vier ochtenden het eerste uur afwezig.",
            "pupil_words": "Ik kom mijn bed niet uit.",
            "interpretation": "Mogelijk slaapt hij slecht door zorgen thuis.",
            "parents_informed": True,
            "parents_not_informed_reason": "",
        },
    )
    share = actions.share_signal(
        care[0],
        signal,
        version,
        consent_guardian=None,
        consent_by_pupil=False,
        consent_on=None,
        parents_informed=True,
    )
    partner = next(
        (u for u in staff[Role.PARTNER] if u.organisation_id == version.agreement.partner_id),
        None,
    )
    if partner:
        Feedback.objects.create(
            share=share, status="received", note="Ontvangen, we bellen de ouders.", by=partner
        )
    Signal.objects.filter(pk=signal.pk).update(seen_at=None)
    return signal
