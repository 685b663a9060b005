"""The messages panel on the family page: a button to write to the family. Registered
in ``apps.py``."""

from bondgenoot.people.panels import Panel, register

register(
    Panel(
        name="messaging.write",
        slot="actions",
        order=10,
        template="messaging/_family_actions.html",
        applies=lambda page: page.ledger,
    )
)
