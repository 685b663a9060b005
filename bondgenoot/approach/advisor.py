"""The approach advisor: a suggested situation, and advice from the family's own history.

Pure functions over facts (tested directly) plus a few small queries. The advice texts
are data, in ``advice.toml`` (Dutch and English); this module only decides which
apply and fills in their placeholders.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path

from django.db.models import Count, Max, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import get_language, ngettext

from bondgenoot.contacts.models import Contact
from bondgenoot.contacts.summary import is_unreached_attempt
from bondgenoot.lib.compiled import CompiledQuery
from bondgenoot.lib.texts import fill, load, placeholders
from bondgenoot.people.channels import PERSONAL_CHANNELS, Channel
from bondgenoot.people.models import Family, Situation

# "Absent" is suggested after this many unreached attempts over this many channels within
# this window, or when there was no dialogue for NO_DIALOGUE_DAYS.
ABSENT_ATTEMPTS = 3
ABSENT_CHANNELS = 2
ABSENT_WINDOW_DAYS = 30
NO_DIALOGUE_DAYS = 56
# Sensitive cases: contacts by several people in this window are a sign of inconsistency.
CONSISTENCY_WINDOW_DAYS = 90

ADVICE_FILE = Path(__file__).with_name("advice.toml")

# Facts an advice entry can depend on ("when"); each is computed by facts_for().
FACTS = (
    "always",
    "no_positive_contact",
    "untried_channels",
    "language_matches",
    "only_near_matches",
    "needs_interpreter",
    "contact_person",
    "no_contact_person",
    "bridged",
)
PLACEHOLDERS = {
    "children",
    "untried_channels",
    "shared_languages",
    "postcode",
    "language_matches",
    "near_matches",
    "home_languages",
    "contact_person",
    "bridged",
}


@dataclass(frozen=True)
class Advice:
    id: str
    text: str


def load_advice() -> tuple[dict, ...]:
    return tuple(load(ADVICE_FILE)["advice"])


def _listing(value) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def facts_read(situation: str) -> frozenset[str]:
    """The facts the advice for this situation reads (its conditions and placeholders):
    the family page computes only these. Most families are "regular", whose advice
    names no key figure, so their panel ranks none."""
    names: set[str] = set()
    for entry in load_advice():
        if situation in entry["situations"]:
            names.add(entry["when"])
            names.update(placeholders(entry["nl"]), placeholders(entry["en"]))
    return frozenset(names)


def advice_for(situation: str, facts: dict, language: str | None = None) -> list[Advice]:
    """The advice entries for this situation whose condition holds, in the given language
    (the interface language by default), with placeholders filled in."""
    language = language or get_language() or "nl"
    key = "nl" if language.startswith("nl") else "en"
    values = {name: _listing(facts.get(name, "")) for name in PLACEHOLDERS}
    result = []
    for entry in load_advice():
        if situation not in entry["situations"]:
            continue
        if entry["when"] != "always" and not facts.get(entry["when"]):
            continue
        result.append(Advice(entry["id"], fill(entry[key], values)))
    return result


# --- facts from the ledger --------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    situation: str
    reason: str


def absent_suggestion(
    unreached_recent: list[str],
    last_dialogue_at: datetime | None,
    known_since: datetime,
    now: datetime,
) -> Suggestion | None:
    """Suggest "absent" when the ledger shows it (never set automatically).

    ``unreached_recent`` are the channels of unreached attempts in the last 30 days
    (one item per attempt); ``last_dialogue_at`` the last contact with dialogue.
    """
    labels = dict(Channel.choices)
    channels = sorted(set(unreached_recent))
    if len(unreached_recent) >= ABSENT_ATTEMPTS and len(channels) >= ABSENT_CHANNELS:
        return Suggestion(
            Situation.ABSENT,
            ngettext(
                "%(attempts)d attempt in the last %(days)d days did not reach the family "
                "(tried: %(channels)s).",
                "%(attempts)d attempts in the last %(days)d days did not reach the family "
                "(tried: %(channels)s).",
                len(unreached_recent),
            )
            % {
                "attempts": len(unreached_recent),
                "days": ABSENT_WINDOW_DAYS,
                "channels": ", ".join(str(labels.get(c, c)) for c in channels),
            },
        )
    since = last_dialogue_at or known_since
    if now - since >= timedelta(days=NO_DIALOGUE_DAYS):
        return Suggestion(
            Situation.ABSENT,
            ngettext(
                "No conversation with the family for %(weeks)d week.",
                "No conversation with the family for %(weeks)d weeks.",
                (now - since).days // 7,
            )
            % {"weeks": (now - since).days // 7},
        )
    return None


def unreached_recent(family: Family, now: datetime, after: datetime | None = None) -> list[str]:
    """Channels of unreached attempts in the last 30 days, and after the last dialogue
    (``after``): a conversation since then means the family was reached."""
    start = now - timedelta(days=ABSENT_WINDOW_DAYS)
    if after and after > start:
        start = after
    rows = Contact.objects.filter(family=family, at__gt=start).values_list(
        "channel", "reached", "bulk"
    )
    return [c for c, reached, bulk in rows.order_by() if is_unreached_attempt(reached, bulk)]


def untried_channels(family: Family, since: datetime) -> list[str]:
    """Personal channels nobody tried with this family since ``since``."""
    tried = set(
        Contact.objects.filter(family=family, at__gte=since)
        .values_list("channel", flat=True)
        .distinct()
    )
    labels = dict(Channel.choices)
    return [str(labels[c]) for c in PERSONAL_CHANNELS if c not in tried]


def recent_channels(
    family: Family, now: datetime, since: datetime, after: datetime | None = None
) -> tuple[list[str], list[str]]:
    """``unreached_recent`` and ``untried_channels`` from one read of the family's
    contacts (for the family page, which shows both)."""
    start = now - timedelta(days=ABSENT_WINDOW_DAYS)
    if after and after > start:
        start = after
    rows = Contact.objects.filter(family=family, at__gte=min(start, since)).values_list(
        "at", "channel", "reached", "bulk"
    )
    unreached, tried = [], set()
    for at, channel, reached, bulk in rows.order_by():
        if at > start and is_unreached_attempt(reached, bulk):
            unreached.append(channel)
        if at >= since:
            tried.add(channel)
    labels = dict(Channel.choices)
    return unreached, [str(labels[c]) for c in PERSONAL_CHANNELS if c not in tried]


def sensitive_since(family_ids, now: datetime) -> dict:
    """Per family: from when contacts count for consistency — the last 90 days, but not
    before the family became a sensitive case."""
    window = now - timedelta(days=CONSISTENCY_WINDOW_DAYS)
    since = dict.fromkeys(family_ids, window)
    changes = (
        # family__id: the same SQL without the foreign key's normalizing of each id.
        _became_sensitive()
        .filter(family__id__in=list(since))
        .values("family_id")
        .annotate(day=Max("decided_on"))
        .values_list("family_id", "day")
    )
    for family_id, day in changes:
        since[family_id] = _counts_from(window, day)
    return since


def _became_sensitive() -> QuerySet:
    from .models import SituationChange

    return SituationChange.objects.filter(situation=Situation.SENSITIVE)


def _counts_from(window: datetime, became_sensitive) -> datetime:
    """The start of ``sensitive_since``: the window's, or the day the family became a
    sensitive case (its last such change) if that is later."""
    if became_sensitive is None:
        return window
    start = datetime.combine(became_sensitive, time.min)
    return max(window, timezone.make_aware(start, timezone.get_current_timezone()))


def _consistency_contacts(family_ids):
    """Contacts that could count for consistency: personal ones by staff, not bulk
    messages and not those via a key figure (that bridge was agreed on). Which of them
    count depends on their date (``sensitive_since``): the callers compare it."""
    return Contact.objects.filter(
        family__id__in=family_ids,  # as in ``sensitive_since``
        bulk=False,
    ).exclude(channel=Channel.KEY_FIGURE)


def others_contacting(family: Family, now: datetime) -> list[dict]:
    """People other than the fixed contact person who contacted the family since it
    became a sensitive case (at most 90 days back), with how often."""
    since = sensitive_since([family.pk], now)[family.pk]
    rows = (
        _consistency_contacts([family.pk])
        .filter(at__gte=since)
        .values("author_id", "author__first_name", "author__last_name", "author__username")
        .annotate(n=Count("pk"))
        .order_by("-n", "author__first_name")
    )
    people = [
        {
            "id": r["author_id"],
            "name": f"{r['author__first_name']} {r['author__last_name']}".strip()
            or r["author__username"],
            "count": r["n"],
        }
        for r in rows
    ]
    if family.contact_person_id:
        return [p for p in people if p["id"] != family.contact_person_id]
    # Without a contact person, one person is consistent; several are not.
    return people if len(people) > 1 else []


def inconsistent_sensitive(families: QuerySet, now: datetime) -> list:
    """The ids of sensitive-case families that two or more people contacted since they
    became a sensitive case (at most 90 days back). Whether a family is one depends on
    that family alone: for fewer families, keep those of these ids.

    Sensitive cases are few: their ids are read first, so that only their contacts are
    read (through the family/date index), never the school's whole recent ledger.
    """
    sensitive = families.filter(situation=Situation.SENSITIVE).values_list("pk", flat=True)
    return inconsistent_among(list(sensitive.order_by()), now)


def inconsistent_among(sensitive: list, now: datetime) -> list:
    """``inconsistent_sensitive`` for the ids of sensitive-case families read already."""
    if not sensitive:
        return []  # most views have none: no queries to build
    window = now - timedelta(days=CONSISTENCY_WINDOW_DAYS)
    authors: dict = {}
    for family_id, author_id, last, became_on in _last_contacts()(sensitive):
        if last >= _counts_from(window, became_on):
            authors.setdefault(family_id, set()).add(author_id)
    return [f for f, people in authors.items() if len(people) > 1]


@functools.cache
def _last_contacts() -> CompiledQuery:
    """Per family of the ids and person: their last contact that could count (whatever
    its date: whether it is recent enough is compared after), and when the family
    became a sensitive case (``sensitive_since``, in the same query). A row per family
    and person, not per contact (each a datetime to convert). A pure function of the
    ids, compiled once (``lib/compiled.py``): building it cost the school leader's
    monitor six times what running it does."""

    def build(family_ids: list) -> QuerySet:
        became = (
            _became_sensitive()
            .filter(family=OuterRef("family_id"))
            .values("family")
            .annotate(day=Max("decided_on"))
            .values("day")
        )
        return (
            _consistency_contacts(family_ids)
            .values("family_id", "author_id")
            .annotate(last=Max("at"), became=Subquery(became))
            .values_list("family_id", "author_id", "last", "became")
            .order_by()
        )

    return CompiledQuery(build, Contact._meta.get_field("family"))
