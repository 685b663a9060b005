"""Translation requests: a writer asks someone who reads a family's language to translate
their own text.

Who may ask: those who write to families (mentors, care coordinators). Who may be asked,
and who may open the request: a colleague at the school (an internal entry in the key
figure registry with the language and a login, holding a staff role there), or a key
figure who bridges, with a parent's consent in force, every family the translation is
for. The key figure's right ends with the consent: the request is 404 on the next
request. A translator sees the text, never the families.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from bondgenoot.people.models import Membership

from .bridges import consented_bridges
from .core import CAPABILITIES, KEY_FIGURE, can, get_or_404, is_active_user, schools_for

if TYPE_CHECKING:
    from bondgenoot.messaging.models import TranslationRequest


def can_ask_translation(user: Any, school_id: Any) -> bool:
    return can(user, "translations.ask", school_id)


@dataclass(frozen=True)
class Translator:
    """Someone the writer may ask: the registry entry's id, name and how they are linked."""

    key_figure_id: str
    user_id: int
    name: str
    via: str  # TranslationRequest.Via


def translators(user: Any, school_id: int, language: str, family_ids: set[Any]) -> list[Translator]:
    """Who may be asked to translate into ``language`` for these families (three queries)."""
    from bondgenoot.bridges.models import Bridge, Consent, KeyFigure
    from bondgenoot.bridges.querysets import agreement_rule
    from bondgenoot.messaging.models import TranslationRequest

    if not family_ids or not can_ask_translation(user, school_id):
        return []
    candidates = list(
        KeyFigure.objects.filter(
            school_id=school_id,
            active=True,
            languages=language,
            user__isnull=False,
            user__is_active=True,
        )
        .exclude(user=user)
        .values("pk", "user_id", "name", "kind")
    )
    if not candidates:
        return []
    roles: dict[int, set[str]] = {}
    for user_id, role in Membership.objects.filter(
        user_id__in={c["user_id"] for c in candidates}, school_id=school_id
    ).values_list("user_id", "role"):
        roles.setdefault(user_id, set()).add(role)
    bridged: dict[Any, set[Any]] = {}
    for key_figure_id, family_id in Bridge.objects.filter(
        agreement_rule("key_figure__"),
        Exists(Consent.objects.in_force().filter(bridge_id=OuterRef("pk"))),
        key_figure_id__in=[c["pk"] for c in candidates],
        family_id__in=family_ids,
        ended_at__isnull=True,
    ).values_list("key_figure_id", "family_id"):
        bridged.setdefault(key_figure_id, set()).add(family_id)
    colleague_roles = CAPABILITIES["translations.colleague"]
    found: list[Translator] = []
    for c in candidates:
        held = roles.get(c["user_id"], set())
        if c["kind"] in KeyFigure.INTERNAL_KINDS and held & colleague_roles:
            via = TranslationRequest.Via.COLLEAGUE
        elif KEY_FIGURE in held and bridged.get(c["pk"], set()) >= set(family_ids):
            via = TranslationRequest.Via.KEY_FIGURE
        else:
            continue
        found.append(Translator(str(c["pk"]), c["user_id"], c["name"], via))
    return found


def translation_requests_to_do(user: Any) -> QuerySet[TranslationRequest]:
    """Open requests this user may translate now: as a colleague at the school, or as a
    key figure while every family of the request is bridged with consent in force."""
    from bondgenoot.messaging.models import TranslationRequest

    if not is_active_user(user):
        return TranslationRequest.objects.none()
    bridged = consented_bridges(user).values("family_id")
    unbridged = TranslationRequest.families.through.objects.filter(
        translationrequest_id=OuterRef("pk")
    ).exclude(family_id__in=bridged)
    return TranslationRequest.objects.filter(
        Q(
            via=TranslationRequest.Via.COLLEAGUE,
            school_id__in=schools_for(user, "translations.colleague"),
        )
        | Q(
            ~Exists(unbridged),
            via=TranslationRequest.Via.KEY_FIGURE,
            school_id__in=schools_for(user, "bridges.key_figure"),
        ),
        translator=user,
        status=TranslationRequest.Status.ASKED,
    )


def get_translation_request_to_do(user: Any, pk: Any) -> TranslationRequest:
    return get_or_404(translation_requests_to_do(user), pk)


def translation_requests_asked_by(user: Any) -> QuerySet[TranslationRequest]:
    """The writer's own requests, while they still write at that school."""
    from bondgenoot.messaging.models import TranslationRequest

    if not is_active_user(user):
        return TranslationRequest.objects.none()
    return TranslationRequest.objects.filter(
        asked_by=user, school_id__in=schools_for(user, "translations.ask")
    )


def get_own_translation_request(user: Any, pk: Any) -> TranslationRequest:
    return get_or_404(translation_requests_asked_by(user).select_related("translator"), pk)
