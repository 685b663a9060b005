"""Demo data: a published protocol (written with comments from staff and a partner) and
one in consultation, for parents, partners and staff of the demo school."""

from __future__ import annotations

from bondgenoot.people.models import Role

from . import actions

SIGNALS = "\n\n".join(
    (
        "Als een medewerker zich zorgen maakt over een leerling, schrijft die op wat hij of"
        " zij zag en hoorde. Zonder oordeel: alleen wat er gebeurde.",
        "De mentor belt de ouders nog dezelfde week. We vertellen wat we zagen en vragen hoe"
        " het thuis gaat.",
        "De zorgcoördinator kijkt of er meer nodig is. Delen met een ketenpartner doen we"
        " alleen met toestemming van de ouders, of als de wet het vraagt.",
    )
)

MELDCODE = "\n\n".join(
    (
        "Bij zorgen over huiselijk geweld of kindermishandeling volgen we de vijf stappen"
        " van de Meldcode.",
        "We praten altijd eerst met de ouders en met de leerling, behalve als dat iemand in"
        " gevaar brengt.",
        "We beslissen samen met de aandachtsfunctionaris of we hulp organiseren of een"
        " melding doen bij Veilig Thuis.",
    )
)
SUMMARY = (
    "Maken we ons zorgen over uw kind? Dan bellen we u eerst. We delen niets zonder uw toestemming."
)


def seed_protocols(school, staff) -> None:
    care = staff[Role.CARE_COORDINATOR]
    if not care:
        return
    coordinator = care[0]
    audience = {"for_parents": True, "for_partners": True, "for_staff": True}
    first = actions.open_draft(
        coordinator,
        school.pk,
        {"title": "Hoe we omgaan met signalen", **audience},
        SIGNALS,
        SUMMARY,
    )
    commenters = [*staff[Role.MENTOR][:1], *staff[Role.PARTNER][:1]]
    paragraph = first.paragraphs.get(position=2)
    for user in commenters:
        kind = "partner" if user in staff[Role.PARTNER] else "staff"
        comment = actions.add_comment(
            user, paragraph, kind, "Graag ook zeggen wie de ouders terugbelt."
        )
        actions.reply(coordinator, comment, "Goed punt: de mentor belt terug. Dat staat er nu in.")
    final = actions.publish(
        coordinator,
        first,
        SIGNALS.replace("dezelfde week.", "dezelfde week en belt ook terug."),
        SUMMARY,
    )
    actions.save_translation(
        coordinator,
        final,
        "en",
        "Are we worried about your child? Then we call you first."
        " We share nothing without your consent.",
    )
    actions.open_draft(
        coordinator,
        school.pk,
        {"title": "De Meldcode op onze school", **audience},
        MELDCODE,
        "Zijn we bang dat uw kind thuis niet veilig is? Dan praten we eerst met u."
        " Wat vindt u van deze tekst?",
    )
