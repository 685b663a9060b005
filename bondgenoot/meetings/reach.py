"""Reach: who was invited, who answered and who came — per meeting and per school year.

Counted in families (a family came when anyone of it was checked in). A few queries
per page, whatever the number of families.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count
from django.utils.translation import gettext as _

from bondgenoot import access
from bondgenoot.lib.charts import bar_chart
from bondgenoot.people import school_settings
from bondgenoot.people.channels import INVITATION_CHANNELS, Channel, channel_choices
from bondgenoot.people.languages import language_name
from bondgenoot.people.models import Family, Guardian, Pupil
from bondgenoot.people.schoolyear import current_school_year

from .models import Attendance, Invitation, Meeting

PERSONAL = Channel.PERSONAL


def answers(meeting: Meeting) -> dict:
    counts = dict(
        meeting.invitations.values_list("answer").annotate(n=Count("pk")).values_list("answer", "n")
    )
    yes_people = sum(
        meeting.invitations.filter(answer=Invitation.Answer.YES).values_list("people", flat=True)
    )
    return {
        "invited": sum(counts.values()),
        "yes": counts.get("yes", 0),
        "maybe": counts.get("maybe", 0),
        "no": counts.get("no", 0),
        "open": counts.get("", 0),
        "yes_people": yes_people,
        "interpreters": meeting.invitations.filter(wants_interpreter=True)
        .exclude(answer=Invitation.Answer.NO)
        .count(),
        "came": meeting.attendances.count(),
        "walk_in": meeting.attendances.filter(walk_in=True).count(),
    }


def audience_group_ids(meeting: Meeting) -> set | None:
    """The groups the meeting is for (None: the whole school, every group)."""
    if meeting.whole_school:
        return None
    ids = set(meeting.groups.values_list("pk", flat=True))
    if meeting.year_levels:
        ids |= set(
            meeting.school.groups.filter(
                year_level__in=meeting.year_levels, school_year=current_school_year()
            ).values_list("pk", flat=True)
        )
    return ids


def _family_facts(family_ids, audience_groups: set | None = None) -> tuple[dict, dict]:
    """(group name per family, home language per family). A family with children in
    several groups counts under the group the meeting is for (a 1A meeting: under 1A,
    not under the older sibling's 3A); families outside the audience (hand-picked,
    walk-ins) under "other"."""
    groups: dict = {}
    for family_id, group_id, group in (
        Pupil.objects.filter(family_id__in=family_ids, left_on__isnull=True)
        .order_by("date_of_birth")
        .values_list("family_id", "group_id", "group__name")
    ):
        if audience_groups is None or group_id in audience_groups:
            groups.setdefault(family_id, group or "—")
    if audience_groups is not None:
        for family_id in family_ids:
            groups.setdefault(family_id, _("other"))
    languages: dict = {}
    for family_id, code in (
        Guardian.home_languages.through.objects.filter(
            guardian__guardianships__pupil__family_id__in=family_ids
        )
        .values_list("guardian__guardianships__pupil__family_id", "language_id")
        .order_by("language_id")
    ):
        if family_id not in languages or languages[family_id] == "nl":
            languages[family_id] = code  # the first home language other than Dutch
    return groups, languages


LISTED = 50


@dataclass(frozen=True)
class ReachRow:
    """One line of a meeting's reach table: families of a group, a home language or a
    way of inviting, and how many of them were invited, answered and came."""

    label: str
    families: int
    invited: int
    answered: int
    came: int


def meeting_reach(meeting: Meeting, named_families=None) -> dict:
    """Figures per group, home language and way of inviting. ``named_families``: whose
    names may be listed (None: figures only, rows about fewer families than the school's
    small-cell threshold hidden, at least 10)."""
    per_family: dict = defaultdict(
        lambda: {"invited": False, "answered": False, "came": False, "how": ""}
    )
    for family_id, how, answer in meeting.invitations.values_list("family_id", "how", "answer"):
        row = per_family[family_id]
        row["invited"] = True
        row["answered"] |= bool(answer)
        if how == PERSONAL or not row["how"]:
            row["how"] = how
    for family_id, walk_in in meeting.attendances.values_list("family_id", "walk_in"):
        per_family[family_id]["came"] = True
        if walk_in:
            per_family[family_id]["how"] = per_family[family_id]["how"] or "walk_in"
    groups, languages = _family_facts(list(per_family), audience_group_ids(meeting))
    how_labels = {
        **dict(channel_choices(INVITATION_CHANNELS)),
        "walk_in": _("Walk-in, not invited"),
    }

    def breakdown(key) -> list[ReachRow]:
        table: dict = defaultdict(Counter)
        for family_id, row in per_family.items():
            label = key(family_id, row)
            table[label]["families"] += 1
            for field in ("invited", "answered", "came"):
                table[label][field] += row[field]
        return [
            ReachRow(label, c["families"], c["invited"], c["answered"], c["came"])
            for label, c in sorted(table.items())
        ]

    by_group = breakdown(lambda f, r: groups.get(f, "—"))
    by_language = breakdown(lambda f, r: str(language_name(languages.get(f, "nl"))))
    by_how = breakdown(lambda f, r: str(how_labels.get(r["how"], r["how"])))
    threshold = 0
    if named_families is None:
        threshold = school_settings.small_cell([meeting.school_id])
        for rows in (by_group, by_language, by_how):
            rows[:] = [r for r in rows if r.families >= threshold]
    charts = {
        name: bar_chart(
            [r.label for r in rows],
            [
                (_("Invited"), [r.invited for r in rows], "neutral"),
                (_("Answered"), [r.answered for r in rows], "concern"),
                (_("Came"), [r.came for r in rows], "positive"),
            ],
            title=title,
            description=_("Families per %(what)s. The table below has the same numbers.")
            % {"what": what},
        )
        for name, rows, title, what in (
            ("group", by_group, _("Reach per group"), _("group")),
            ("language", by_language, _("Reach per home language"), _("home language")),
            ("how", by_how, _("Reach per way of inviting"), _("way of inviting")),
        )
    }
    came = [f for f, r in per_family.items() if r["came"]]
    personal_came = sum(1 for f in came if per_family[f]["how"] == PERSONAL)
    return {
        "small_cell": threshold,
        "by_group": by_group,
        "by_language": by_language,
        "by_how": by_how,
        "charts": charts,
        "totals": {
            "invited": sum(r["invited"] for r in per_family.values()),
            "answered": sum(r["answered"] for r in per_family.values()),
            "came": len(came),
            "personal_came": personal_came,
        },
        # Families with the same surname told apart by their children's names and groups.
        "not_came": (
            named_families.filter(
                pk__in=[f for f, r in per_family.items() if r["invited"] and not r["came"]]
            )
            .with_children()
            .order_by("name")[:50]
            if named_families is not None
            else []
        ),
    }


def year_reach(user) -> dict:
    """This school year: invited families that never came, and families only ever
    invited in writing. Names only of families the user works with."""
    year = current_school_year()
    meetings = access.meetings_visible_to(user).filter(starts_at__year__in=[year, year + 1])
    ids = [
        m.pk
        for m in meetings.only("pk", "starts_at")
        if (m.starts_at.year, m.starts_at.month) >= (year, 8)
        and (m.starts_at.year, m.starts_at.month) < (year + 1, 8)
    ]
    invited = set(Invitation.objects.filter(meeting_id__in=ids).values_list("family_id", flat=True))
    personal = set(
        Invitation.objects.filter(meeting_id__in=ids, how=PERSONAL).values_list(
            "family_id", flat=True
        )
    )
    came = set(Attendance.objects.filter(meeting_id__in=ids).values_list("family_id", flat=True))
    never = invited - came
    only_written = invited - personal - came
    readable = set(
        access.contact_families(user)
        .filter(pk__in=never | only_written)
        .values_list("pk", flat=True)
    )
    names = access.works_with_contacts(user)
    if names:
        # Whoever sees names counts the families in the list (a mentor: their own), so
        # the figure and the list agree; a school leader sees the whole school's figures.
        never, only_written = never & readable, only_written & readable
    return {
        "meetings": len(ids),
        "invited": len(invited),
        "came": len(came & invited),
        "never_count": len(never),
        "only_written_count": len(only_written),
        "never": Family.objects.filter(pk__in=never).with_children().order_by("name")[:LISTED],
        "only_written": Family.objects.filter(pk__in=only_written)
        .with_children()
        .order_by("name")[:LISTED],
        "listed": LISTED,
        "names": names,
    }
