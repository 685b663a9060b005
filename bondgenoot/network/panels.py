"""The network panel on the family page: in each pupil's card, record a signal (and,
for care coordinators, the pupil's chronology). Registered in ``apps.py``."""

from bondgenoot.people.panels import Panel, register

register(
    Panel(
        name="network.pupil",
        slot="pupil",
        order=10,
        template="network/_family_pupil.html",
        applies=lambda page: page.ledger,
    )
)
