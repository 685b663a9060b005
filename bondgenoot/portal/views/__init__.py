"""The parent portal (``/ouders/``): pages a parent sees after signing in, the ways in
(activation, sign-in by password or one-time link, two-step login), and the staff pages
that invite parents and hold records back.

Every parent page goes through ``frame.parent_page``: signed in, the second step passed
when the parent switched it on, the parent's language, and the privacy headers of
``lib/private_links`` (no-store, same-origin referrer, noindex). Which records a parent
sees is decided in ``access/parents.py``.

By area: ``frame`` (what every parent page shares), ``getting_in``, ``children`` (the
pages per child), ``consents``, ``staff``.
"""

from .children import answer, child, home, looked, recorded, signals
from .consents import consents, decline_share, give, give_share, withdraw
from .getting_in import account, activate, code, language, sign_in, sign_in_link, sign_out, two_step
from .staff import (
    batch,
    batch_letters,
    family_letters,
    invite_family,
    invite_group,
    lift,
    release,
    restrict,
    share_consent,
)

__all__ = [
    "account",
    "activate",
    "answer",
    "batch",
    "batch_letters",
    "child",
    "code",
    "consents",
    "decline_share",
    "family_letters",
    "give",
    "give_share",
    "home",
    "invite_family",
    "invite_group",
    "language",
    "lift",
    "looked",
    "recorded",
    "release",
    "restrict",
    "share_consent",
    "sign_in",
    "sign_in_link",
    "sign_out",
    "signals",
    "two_step",
    "withdraw",
]
