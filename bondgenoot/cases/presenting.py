"""What a participant sees of the agenda: names only where the rules allow, and
identifying words masked in texts shown to someone who may not know the pupil's name
(for example text written while consent was in force, after it was withdrawn)."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from bondgenoot import access
from bondgenoot.network.actions import pupil_age

from . import pseudonyms
from .actions import PUPIL_INVITE_AGE, consent_scopes
from .models import AgendaItem, ItemConsent

MASK = "[…]"
TEXT_FIELDS = ("notes", "facts", "parents_view")


def mask(text: str, ids) -> str:
    hits = pseudonyms.find(text, ids)
    for hit in reversed(hits):
        text = text[: hit.start] + MASK + text[hit.end :]
    return text


def _items(discussion):
    return discussion.items.select_related("pupil__group", "pupil__family").prefetch_related(
        Prefetch(
            "consents",
            queryset=ItemConsent.objects.select_related("guardian").order_by("-recorded_at"),
        ),
        "invitations__guardian",
        "pupil__guardianships__guardian",
        "actions__partner",
        "actions__owner",
        "translations",
    )


def present_items(user, discussion, items=None) -> list[dict]:
    items = list(_items(discussion) if items is None else items)
    scopes = consent_scopes(items)
    manage = access.manages_discussion(user, discussion)
    rows = []
    hidden = [i for i in items if not access.sees_name(user, discussion, scopes.get(i.pk))]
    ids = pseudonyms.identifiers([i.pupil for i in hidden]) if hidden else None
    for item in items:
        named = item not in hidden
        year = item.year_level
        label = (
            item.pupil.full_name
            if named
            else (
                _("%(code)s · year %(year)s") % {"code": item.case_code, "year": year}
                if year
                else item.case_code
            )
        )
        texts = {f: getattr(item, f) for f in TEXT_FIELDS}
        actions = list(item.actions.all())
        whats = {a.pk: a.what for a in actions}
        if not named and ids:
            texts = {f: mask(t, ids) for f, t in texts.items()}
            whats = {pk: mask(w, ids) for pk, w in whats.items()}
        rows.append(
            {
                "item": item,
                "label": label,
                "named": named,
                "scope": scopes.get(item.pk),
                "pseudonymised": scopes.get(item.pk) != "table",
                "texts": texts,
                "actions": [{"a": a, "what": whats[a.pk]} for a in actions],
                "consents": list(item.consents.all()) if manage else [],
                "invitations": list(item.invitations.all()) if manage else [],
                "pupil_invitable": manage
                and not any(i.for_pupil for i in item.invitations.all())
                and pupil_age(item.pupil, timezone.localdate(discussion.starts_at))
                >= PUPIL_INVITE_AGE,
                "summary": item.summary if manage else "",
            }
        )
    return rows


def present_item(user, discussion, item: AgendaItem) -> dict:
    return present_items(user, discussion, _items(discussion).filter(pk=item.pk))[0]
