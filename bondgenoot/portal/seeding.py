"""Demo data of the parent portal (called by ``bondgenoot/seeding.py``)."""

from __future__ import annotations

from . import actions


def activate_demo_parent(mentor, guardian) -> None:
    """The demo parent's login went through the portal's own way in: invited by a
    printed letter from the mentor, activated (the login keeps the demo password)."""
    if guardian.user_id is None:
        return
    activation = actions.invite(mentor, guardian, "letter")
    actions.activate(activation, guardian.user, "", "")
