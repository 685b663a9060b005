"""Synthetic contacts and next steps for demo and scale data.

Each family gets a relationship *profile* (warm, one-way, hard to reach, worry first,
quiet, mixed) that shapes its contacts, so that the indicators and the monitor show
the variety a real school sees.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.utils import timezone

from bondgenoot.lib.bulk import bulk_insert
from bondgenoot.people.channels import Channel

from .models import (
    Contact,
    FamilyMonthSummary,
    FamilySummary,
    FamilyYearSummary,
    NextStep,
    Purpose,
    Tone,
)
from .summary import Row, summarize

PROFILES = [
    ("warm", 45),
    ("one_way", 12),
    ("hard_to_reach", 13),
    ("worry_first", 10),
    ("quiet", 10),
    ("mixed", 10),
]
PERSONAL = [
    Channel.PHONE,
    Channel.PHONE,
    Channel.TALK,
    Channel.INFORMAL,
    Channel.HOME_VISIT,
    Channel.KEY_FIGURE,
]
WRITTEN = [Channel.EMAIL, Channel.SMS, Channel.APP, Channel.LETTER]
NOTES = [
    "",
    "",
    "",
    "Moeder vertelde dat het thuis goed gaat.",
    "Vader vroeg naar het rooster van de toetsweek.",
    "Afgesproken om over twee weken weer te bellen.",
    "Samen gekeken naar de cijfers; ouders zijn tevreden.",
    "Ouders willen graag meedenken over huiswerk.",
    "Via de jongerenwerker contact gelegd; gesprek was open.",
]
STEP_TEXTS = [
    "Terugbellen over de afspraak",
    "Uitnodigen voor een gesprek op school",
    "Navragen hoe het gaat",
    "Informatie over de ouderavond sturen",
    "Samen met de zorgcoördinator bespreken",
    "Huisbezoek plannen",
]


@dataclass
class ContactBatch:
    contacts: list = field(default_factory=list)  # rows of CONTACT_COLUMNS
    guardians: list = field(default_factory=list)  # (contact id, guardian id)
    pupils: list = field(default_factory=list)  # (contact id, pupil id)
    steps: list = field(default_factory=list)  # rows of STEP_COLUMNS


class ContactGenerator:
    def __init__(self, rng, uuid, school_year: int, per_pupil: float):
        self.rng = rng
        self.uuid = uuid
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.year_start = timezone.make_aware(datetime(school_year, 8, 20, 9, 0))
        self.history_start = self.year_start - timedelta(days=300)
        self.per_pupil = per_pupil

    def moment(self, start: datetime, end: datetime) -> datetime:
        span = max(int((end - start).total_seconds()), 3600)
        at = timezone.localtime(start + timedelta(seconds=self.rng.randrange(span)))
        # During the school day or early evening, and never in the future.
        at = at.replace(
            hour=self.rng.choice([8, 9, 10, 12, 13, 15, 16, 17, 19]),
            minute=self.rng.randrange(60),
            second=0,
            microsecond=0,
        )
        if at > self.now:
            at = self.now - timedelta(minutes=self.rng.randrange(1, 600))
        return at

    def for_family(self, batch: ContactBatch, family, school, pupils, guardians, authors):
        rng = self.rng
        profile = rng.choices([p for p, _w in PROFILES], [w for _p, w in PROFILES])[0]
        count = max(1, round(rng.gauss(self.per_pupil * len(pupils) * 0.95, 3)))
        plan = []
        if profile == "quiet":
            plan = [
                self.contact_spec(
                    rng.choice(PERSONAL),
                    Purpose.INFORMAL,
                    Tone.POSITIVE,
                    self.history_start,
                    self.year_start,
                )
                for _ in range(max(1, count // 4))
            ]
            plan += [self.bulk_spec() for _ in range(count // 3)]
        elif profile == "one_way":
            plan = [
                self.contact_spec(
                    rng.choice(WRITTEN),
                    rng.choice([Purpose.PRACTICAL, Purpose.THEME_MEETING, Purpose.POSITIVE_NEWS]),
                    Tone.NEUTRAL,
                    self.history_start,
                    self.now,
                    dialogue=False,
                )
                for _ in range(count)
            ]
        elif profile == "hard_to_reach":
            plan = [
                self.contact_spec(
                    rng.choice(PERSONAL + WRITTEN),
                    Purpose.ACQUAINTANCE,
                    Tone.NEUTRAL,
                    self.history_start,
                    self.year_start,
                )
                for _ in range(count // 2)
            ]
            for _ in range(rng.randint(3, 6)):
                plan.append(
                    self.contact_spec(
                        rng.choice(
                            [
                                Channel.PHONE,
                                Channel.PHONE,
                                Channel.SMS,
                                Channel.HOME_VISIT,
                                Channel.LETTER,
                            ]
                        ),
                        rng.choice([Purpose.ACQUAINTANCE, Purpose.FOLLOW_UP]),
                        Tone.NEUTRAL,
                        self.now - timedelta(days=50),
                        self.now,
                        reached=False,
                    )
                )
        else:
            first_positive = profile in ("warm", "mixed") and rng.random() < 0.75
            if first_positive:
                plan.append(
                    self.contact_spec(
                        Channel.PHONE,
                        Purpose.ACQUAINTANCE,
                        Tone.POSITIVE,
                        self.year_start,
                        self.year_start + timedelta(weeks=rng.choice([2, 4, 6, 9])),
                    )
                )
            if profile == "worry_first":
                plan.append(
                    self.contact_spec(
                        Channel.PHONE,
                        Purpose.WORRY,
                        Tone.CONCERN,
                        self.history_start,
                        self.history_start + timedelta(days=30),
                    )
                )
            for _ in range(count):
                tone = rng.choices(
                    [Tone.POSITIVE, Tone.NEUTRAL, Tone.CONCERN],
                    [5, 4, 1] if profile == "warm" else [3, 4, 3],
                )[0]
                purpose = {
                    Tone.POSITIVE: rng.choice(
                        [Purpose.POSITIVE_NEWS, Purpose.INFORMAL, Purpose.THEME_MEETING]
                    ),
                    Tone.NEUTRAL: rng.choice(
                        [Purpose.PRACTICAL, Purpose.FOLLOW_UP, Purpose.INFORMAL]
                    ),
                    Tone.CONCERN: rng.choice([Purpose.WORRY, Purpose.FOLLOW_UP]),
                }[tone]
                written = rng.random() < 0.3
                plan.append(
                    self.contact_spec(
                        rng.choice(WRITTEN) if written else rng.choice(PERSONAL),
                        purpose,
                        tone,
                        self.history_start if rng.random() < 0.3 else self.year_start,
                        self.now,
                        dialogue=not written or rng.random() < 0.3,
                        reached=written or rng.random() < 0.88,
                    )
                )
            plan += [self.bulk_spec() for _ in range(count // 5)]
        for spec in plan:
            self.add(batch, spec, family, school, pupils, guardians, authors)

    def contact_spec(self, channel, purpose, tone, start, end, *, dialogue=None, reached=True):
        return {
            "channel": channel,
            "purpose": purpose,
            "tone": tone,
            "at": self.moment(start, min(end, self.now)),
            "reached": reached,
            "dialogue": (channel not in WRITTEN) if dialogue is None else dialogue,
            "bulk": False,
        }

    def bulk_spec(self):
        return {
            "channel": Channel.EMAIL,
            "purpose": Purpose.PRACTICAL,
            "tone": Tone.NEUTRAL,
            "at": self.moment(self.history_start, self.now),
            "reached": True,
            "dialogue": False,
            "bulk": True,
        }

    def add(self, batch, spec, family, school, pupils, guardians, authors):
        rng = self.rng
        dialogue = spec["dialogue"] and spec["reached"]
        author = authors[0] if rng.random() < 0.8 or len(authors) == 1 else rng.choice(authors)
        contact_id = self.uuid()
        note = "" if spec["bulk"] or not spec["reached"] else rng.choice(NOTES)
        at = spec["at"]
        batch.contacts.append(
            (
                contact_id,
                school.pk,
                family.pk,
                at,
                spec["channel"].value,
                spec["purpose"].value,
                spec["tone"].value,
                spec["reached"],
                dialogue,
                spec["bulk"],
                None,
                None,
                False,
                note,
                author.pk,
                at,
                at,
            )
        )
        if not spec["bulk"] and guardians and spec["reached"]:
            batch.guardians.append((contact_id, rng.choice(guardians).pk))
        if spec["purpose"] in (Purpose.WORRY, Purpose.POSITIVE_NEWS) and pupils:
            batch.pupils.append((contact_id, rng.choice(pupils).pk))
        if spec["reached"] and not spec["bulk"] and rng.random() < 0.12:
            due = timezone.localdate(at) + timedelta(days=rng.randint(3, 21))
            done = due < self.today and rng.random() < 0.75
            done_at = timezone.make_aware(datetime.combine(due, time(12))) if done else None
            batch.steps.append(
                (
                    self.uuid(),
                    family.pk,
                    contact_id,
                    rng.choice(STEP_TEXTS),
                    author.pk,
                    due,
                    done_at,
                    author.pk if done else None,
                    author.pk,
                    at,
                )
            )

    @staticmethod
    def write(batch: ContactBatch) -> None:
        bulk_insert(Contact, CONTACT_COLUMNS, batch.contacts)
        write_summaries(batch.contacts)
        bulk_insert(Contact.guardians.through, ["contact_id", "guardian_id"], batch.guardians)
        bulk_insert(Contact.pupils.through, ["contact_id", "pupil_id"], batch.pupils)
        bulk_insert(NextStep, STEP_COLUMNS, batch.steps)


CONTACT_COLUMNS = [
    "id",
    "school_id",
    "family_id",
    "at",
    "channel",
    "purpose",
    "tone",
    "reached",
    "dialogue",
    "bulk",
    "key_figure_id",
    "language_id",
    "interpreter",
    "note",
    "author_id",
    "created_at",
    "updated_at",
]
STEP_COLUMNS = [
    "id",
    "family_id",
    "contact_id",
    "what",
    "owner_id",
    "due",
    "done_at",
    "done_by_id",
    "created_by_id",
    "created_at",
]


def write_summaries(contact_rows: list[tuple]) -> None:
    """The families' ledger summaries, computed from the rows just written."""
    by_family = defaultdict(list)
    school_of = {}
    for row in contact_rows:
        _id, school_id, family_id, at, channel, purpose, tone, reached, dialogue, bulk = row[:10]
        school_of[family_id] = school_id
        by_family[family_id].append(Row(at, channel, purpose, tone, reached, dialogue, bulk))
    summaries, years, months = [], [], []
    for family_id, rows in by_family.items():
        values, per_year, per_month = summarize(rows)
        months += [
            (
                family_id,
                school_of[family_id],
                m,
                v["positive"],
                v["neutral"],
                v["concern"],
                v["reached"],
            )
            for m, v in per_month.items()
        ]
        fields: Mapping[str, object] = values  # looked up by column name
        summaries.append((family_id, school_of[family_id], *[fields[c] for c in SUMMARY_COLUMNS]))
        years += [
            (
                family_id,
                school_of[family_id],
                year,
                v["first_positive_personal_at"],
                v["last_dialogue_at"],
            )
            for year, v in per_year.items()
        ]
    bulk_insert(
        FamilySummary,
        ["family_id", "school_id", *SUMMARY_COLUMNS],
        [(*r[:-1], json.dumps(r[-1])) for r in summaries],
    )
    bulk_insert(
        FamilyYearSummary,
        [
            "family_id",
            "school_id",
            "school_year",
            "first_positive_personal_at",
            "last_dialogue_at",
        ],
        years,
    )

    bulk_insert(
        FamilyMonthSummary,
        ["family_id", "school_id", "month", "positive", "neutral", "concern", "reached"],
        months,
    )


SUMMARY_COLUMNS = [
    "first_contact_at",
    "first_worry_at",
    "last_positive_personal_at",
    "last_reached_at",
    "last_dialogue_at",
    "last_one_way_at",
    "positive_before_worry",
    "unreached_streak",
    "unreached_channels",
]
