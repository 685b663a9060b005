"""The network panel on the family page: in each pupil's card, record a signal (and,
for care coordinators, the pupil's chronology). Registered in ``apps.py``."""

from bondgenoot import access
from bondgenoot.people.panels import FamilyPage, Panel, register


def pupil_links(page: FamilyPage) -> dict:
    # Offer "record a signal" only for pupils the user may record about: a mentor sees
    # a whole family, but records signals about the pupils of their own groups.
    return {"signal_pupils": access.visible_among(page.user, page.family.pupils.all())}


register(
    Panel(
        name="network.pupil",
        slot="pupil",
        order=10,
        template="network/_family_pupil.html",
        applies=lambda page: page.ledger,
        context=pupil_links,
    )
)
