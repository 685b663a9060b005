"""Deterministic synthetic data at the scales of DESIGN.md.

Everything is drawn from one ``random.Random(seed)``, ids included, so the same
seed gives the same database. Rows are written with ``bulk_create`` in batches so
that district scale (30,000 pupils, ~55,000 guardians) loads in well under five
minutes on SQLite and PostgreSQL.

This module makes the people of a school (staff, groups, pupils, families, guardians).
The other capabilities (contacts, bridges, meetings, the network) have their own
generators; ``bondgenoot.seeding`` runs them all, above every app.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth.hashers import make_password

from bondgenoot.people.models import (
    Channel,
    Family,
    Group,
    Guardian,
    Guardianship,
    Membership,
    Organisation,
    Pupil,
    Role,
    School,
    User,
)
from bondgenoot.people.schoolyear import current_school_year

from . import names

DEMO_PASSWORD = "bondgenoot-demo"
BATCH = 2000


@dataclass(frozen=True)
class Scale:
    schools: int
    pupils_per_school: int
    staff_per_school: int
    contacts_per_pupil: float


SCALES = {
    "demo": Scale(schools=1, pupils_per_school=120, staff_per_school=15, contacts_per_pupil=12.5),
    "school": Scale(schools=1, pupils_per_school=1500, staff_per_school=150, contacts_per_pupil=20),
    "district": Scale(
        schools=20, pupils_per_school=1500, staff_per_school=150, contacts_per_pupil=20
    ),
}

# One demo account per role, all at the first school. (username, first, last, role)
DEMO_ACCOUNTS = [
    ("mentor", "Sanne", "de Jong", Role.MENTOR),
    ("docent", "Karim", "Benali", Role.TEACHER),
    ("zorg", "Ingrid", "Visser", Role.CARE_COORDINATOR),
    ("directie", "Mark", "van Dijk", Role.SCHOOL_LEADER),
    ("beheer", "Petra", "Smit", Role.ADMINISTRATOR),
    ("sleutelfiguur", "Mustafa", "Amezian", Role.KEY_FIGURE),
    ("partner", "Linda", "Kok", Role.PARTNER),
]
PARENT_USERNAME = "ouder"


@dataclass
class Batch:
    """Rows collected before they are written in bulk."""

    users: list = field(default_factory=list)
    memberships: list = field(default_factory=list)
    groups: list = field(default_factory=list)
    mentor_links: list = field(default_factory=list)
    teacher_links: list = field(default_factory=list)
    families: list = field(default_factory=list)
    family_members: list = field(default_factory=list)  # (family, pupils, guardians)
    pupils: list = field(default_factory=list)
    guardians: list = field(default_factory=list)
    languages: list = field(default_factory=list)
    guardianships: list = field(default_factory=list)


class Generator:
    def __init__(self, scale: str, seed: int):
        self.scale_name = scale
        self.scale = SCALES[scale]
        self.rng = random.Random(seed)
        self.year = current_school_year()
        self.password = make_password(DEMO_PASSWORD)
        self.mix_codes = [c for c, _w in names.LANGUAGE_MIX]
        self.mix_weights = [w for _c, w in names.LANGUAGE_MIX]

    # --- small helpers -----------------------------------------------------------------
    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def pick(self, seq):
        return seq[self.rng.randrange(len(seq))]

    def background(self) -> str:
        return self.rng.choices(self.mix_codes, self.mix_weights)[0]

    def person_name(self, lang: str, female: bool) -> tuple[str, str, str]:
        first = self.pick(names.FIRST_NAMES[lang][0 if female else 1])
        prefix, last = self.pick(names.SURNAMES[lang])
        return first, prefix, last

    def user(
        self, batch: Batch, username: str, first: str, last: str, *, usable: bool, organisation=None
    ) -> User:
        user = User(
            username=username,
            first_name=first,
            last_name=last,
            email=f"{username}@example.org",
            # Hashing a password is slow on purpose; scale data shares one hash, and
            # only the demo accounts get a password that anyone knows.
            password=self.password if usable else "!" + str(self.uuid()),
            organisation=organisation,
        )
        batch.users.append(user)
        return user

    # --- the graph ------------------------------------------------------------------------
    def school(self, index: int, organisations) -> tuple[Batch, School, dict[str, list[User]]]:
        """School number ``index`` with its staff, groups, pupils, families and guardians,
        written to the database (the first school, index 0, carries the demo accounts)."""
        batch = Batch()
        school = School.objects.create(
            name=names.SCHOOL_NAMES[index % len(names.SCHOOL_NAMES)]
            + (f" {index // len(names.SCHOOL_NAMES) + 1}" if index >= 20 else ""),
            brin=f"{10 + index:02d}AB",
            city=names.CITY,
        )
        staff = self.staff(batch, school, index, organisations)
        self.pupils_and_families(batch, school, staff)
        self.write(batch)
        return batch, school, staff

    def organisations(self) -> dict[str, Organisation]:
        return {
            "youth_work": Organisation.objects.create(
                name="Jongerenwerk Zuid", kind=Organisation.Kind.YOUTH_WORK
            ),
            "attendance": Organisation.objects.create(
                name="Leerplicht Rotterdam", kind=Organisation.Kind.ATTENDANCE
            ),
            "youth_team": Organisation.objects.create(
                name="Wijkteam Feijenoord", kind=Organisation.Kind.YOUTH_TEAM
            ),
            "community": Organisation.objects.create(
                name="Buurtvaders Charlois", kind=Organisation.Kind.COMMUNITY
            ),
        }

    def staff(self, batch: Batch, school: School, index: int, orgs) -> dict[str, list[User]]:
        per_school = self.scale.staff_per_school
        n_groups = max(1, self.scale.pupils_per_school // 25)
        staff: dict[str, list[User]] = {role: [] for role in Role.values}

        def add(role, user):
            staff[role].append(user)
            batch.memberships.append(Membership(user=user, school=school, role=role))

        if index == 0:
            for username, first, last, role in DEMO_ACCOUNTS:
                org = None
                if role == Role.KEY_FIGURE:
                    org = orgs["youth_work"]
                elif role == Role.PARTNER:
                    org = orgs["attendance"]
                add(role, self.user(batch, username, first, last, usable=True, organisation=org))
        care = max(1, per_school // 50)
        leaders = max(1, per_school // 50)
        admins = max(1, per_school // 75)
        mentors = n_groups
        teachers = per_school - care - leaders - admins - mentors
        demo = 1 if index == 0 else 0  # the demo accounts take one place of each staff role
        plan = [
            (Role.CARE_COORDINATOR, care - demo),
            (Role.SCHOOL_LEADER, leaders - demo),
            (Role.ADMINISTRATOR, admins - demo),
            (Role.MENTOR, mentors - demo),
            (Role.TEACHER, teachers - demo),
        ]
        for role, count in plan:
            for _ in range(max(0, count)):
                lang = self.pick(["nl", "nl", "nl", "tr", "ar", "pap", "en"])
                first, prefix, last = self.person_name(lang, self.rng.random() < 0.6)
                username = f"s{index + 1}-{role[:4]}-{len(batch.users) + 1}"
                add(
                    role,
                    self.user(batch, username, first, f"{prefix} {last}".strip(), usable=False),
                )
        # Mentors also teach; everyone who teaches counts as a teacher of some groups.
        return staff

    def pupils_and_families(self, batch: Batch, school: School, staff) -> None:
        n_groups = max(1, self.scale.pupils_per_school // 25)
        levels = 6
        groups = []
        for g in range(n_groups):
            level = g % levels + 1
            letter = "ABCDEFGHJKLMNPQRSTUVWXYZ"[g // levels % 24]
            suffix = "" if g < levels * 24 else str(g // (levels * 24))
            group = Group(
                school=school,
                name=f"{level}{letter}{suffix}",
                school_year=self.year,
                year_level=level,
            )
            groups.append(group)
        batch.groups.extend(groups)
        mentors = staff[Role.MENTOR]
        for g, group in enumerate(groups):
            batch.mentor_links.append((group, mentors[g % len(mentors)]))
            # Every fifth group has a second mentor (duo mentorship).
            if g % 5 == 4 and len(mentors) > 1:
                batch.mentor_links.append((group, mentors[(g + 1) % len(mentors)]))
        teachers = staff[Role.TEACHER] + mentors
        for teacher_index, teacher in enumerate(teachers):
            for k in range(min(5, len(groups))):
                batch.teacher_links.append((groups[(teacher_index * 3 + k) % len(groups)], teacher))
        pupil_target = self.scale.pupils_per_school
        number = 100000
        while len(batch.pupils) < pupil_target:
            lang = self.background()
            family_pupils = self.rng.choices([1, 2, 3], [85, 13, 2])[0]
            family_pupils = min(family_pupils, pupil_target - len(batch.pupils))
            _first, prefix, last = self.person_name(lang, True)
            family = Family(
                id=self.uuid(), school=school, name=" ".join(p for p in (prefix, last) if p).strip()
            )
            family.name = f"{family.name[0].upper()}{family.name[1:]}"
            batch.families.append(family)
            pupils = []
            for _ in range(family_pupils):
                group = self.pick(groups)
                age = 11 + group.year_level
                born = date(self.year - age, 10, 1) - timedelta(days=self.rng.randrange(365))
                number += 1
                pupil = Pupil(
                    id=self.uuid(),
                    school=school,
                    family=family,
                    group=group,
                    first_name=self.person_name(lang, self.rng.random() < 0.5)[0],
                    last_name_prefix=prefix,
                    last_name=last,
                    date_of_birth=born,
                    pupil_number=str(number),
                )
                pupils.append(pupil)
            batch.pupils.extend(pupils)
            guardians = self.guardians_for(batch, school, lang, prefix, last, pupils)
            batch.family_members.append((family, pupils, guardians))

    def guardians_for(
        self, batch: Batch, school: School, lang: str, prefix: str, last: str, pupils: list[Pupil]
    ) -> list[Guardian]:
        shape = self.rng.choices(["single", "two", "separated"], [15, 58, 27])[0]
        area = self.pick(names.POSTCODE_AREAS)
        postcode = self.postcode(area)
        street = f"{self.pick(names.STREETS)} {self.rng.randrange(1, 300)}"
        people = []
        created = []
        if shape == "single":
            people.append(("mother" if self.rng.random() < 0.8 else "father", True, True))
        else:
            people.append(("mother", True, True))
            people.append(("father", True, shape == "two"))
            if shape == "separated":
                people.append(("stepparent", False, True))
        for relation, authority, lives_with in people:
            female = relation == "mother" or (relation == "stepparent" and self.rng.random() < 0.5)
            first, g_prefix, g_last = self.person_name(lang, female)
            if relation in ("father",) or (relation == "mother" and lang != "nl"):
                g_prefix, g_last = prefix, last
            own_address = lives_with
            guardian = Guardian(
                id=self.uuid(),
                school=school,
                first_name=first,
                last_name_prefix=g_prefix,
                last_name=g_last,
                phone="" if self.rng.random() < 0.03 else f"06{self.rng.randrange(10**7, 10**8)}",
                email=""
                if self.rng.random() < 0.22
                else f"{first.lower()}.{g_last.lower().replace(' ', '')}{self.rng.randrange(99)}"
                "@example.org",
                street=street
                if own_address
                else f"{self.pick(names.STREETS)} {self.rng.randrange(1, 300)}",
                postcode=postcode if own_address else self.postcode(),
                city=names.CITY,
                needs_interpreter=lang != "nl" and self.rng.random() < 0.25,
                preferred_channels=self.channels(),
                reachable_times=self.pick(names.REACHABLE_TIMES),
            )
            home = [lang]
            if lang in names.SECOND_LANGUAGE and self.rng.random() < 0.5:
                home.append(names.SECOND_LANGUAGE[lang])
            if lang == "nl" or self.rng.random() < 0.5 or guardian.needs_interpreter is False:
                written = "nl" if lang == "nl" or self.rng.random() < 0.5 else lang
            else:
                written = lang
            guardian.written_language_id = written if written in names.WRITTEN_LANGUAGES else "nl"
            batch.guardians.append(guardian)
            created.append(guardian)
            batch.languages.extend((guardian, code) for code in home)
            for pupil in pupils:
                batch.guardianships.append(
                    Guardianship(
                        pupil=pupil,
                        guardian=guardian,
                        relation=relation,
                        parental_authority=authority,
                        lives_with=lives_with,
                        receives_post=authority,
                    )
                )
        return created

    def postcode(self, area: int | None = None) -> str:
        letters = "ABCDEGHJKLMNPRSTVWXZ"
        area = area or self.pick(names.POSTCODE_AREAS)
        return f"{area} {self.pick(letters)}{self.pick(letters)}"

    def channels(self) -> list[str]:
        options = [
            Channel.PHONE,
            Channel.APP,
            Channel.SMS,
            Channel.EMAIL,
            Channel.LETTER,
            Channel.TALK,
            Channel.HOME_VISIT,
        ]
        count = self.rng.choices([0, 1, 2, 3], [10, 40, 35, 15])[0]
        return [str(c) for c in self.rng.sample(options, count)]

    def write(self, batch: Batch) -> None:
        User.objects.bulk_create(batch.users, batch_size=BATCH)
        Membership.objects.bulk_create(batch.memberships, batch_size=BATCH)
        Group.objects.bulk_create(batch.groups, batch_size=BATCH)
        Group.mentors.through.objects.bulk_create(
            [Group.mentors.through(group_id=g.pk, user_id=u.pk) for g, u in batch.mentor_links],
            batch_size=BATCH,
            ignore_conflicts=True,
        )
        Group.teachers.through.objects.bulk_create(
            [Group.teachers.through(group_id=g.pk, user_id=u.pk) for g, u in batch.teacher_links],
            batch_size=BATCH,
            ignore_conflicts=True,
        )
        Family.objects.bulk_create(batch.families, batch_size=BATCH)
        for pupil in batch.pupils:
            pupil.group_id = pupil.group.pk
        Pupil.objects.bulk_create(batch.pupils, batch_size=BATCH)
        Guardian.objects.bulk_create(batch.guardians, batch_size=BATCH)
        Guardian.home_languages.through.objects.bulk_create(
            [
                Guardian.home_languages.through(guardian_id=g.pk, language_id=code)
                for g, code in batch.languages
            ],
            batch_size=BATCH,
            ignore_conflicts=True,
        )
        Guardianship.objects.bulk_create(batch.guardianships, batch_size=BATCH)

    def link_demo_parent(self) -> None:
        """Give the demo parent a login: a mother in the demo mentor's first group."""
        mentor = User.objects.filter(username="mentor").first()
        if mentor is None:
            return
        # Step by step from the (small) group, so the plan stays simple on any database.
        groups = list(Group.objects.filter(mentors=mentor).values_list("pk", flat=True))
        pupils = list(Pupil.objects.filter(group_id__in=groups).values_list("pk", flat=True))
        guardian = (
            Guardian.objects.filter(
                pk__in=Guardianship.objects.filter(
                    pupil_id__in=pupils, parental_authority=True
                ).values("guardian_id")
            )
            .exclude(email="")
            .order_by("last_name", "first_name", "id")
            .first()
        )
        if guardian is None:
            return
        parent = User(
            username=PARENT_USERNAME,
            first_name=guardian.first_name,
            last_name=guardian.last_name,
            email=guardian.email,
            password=self.password,
        )
        parent.save()
        guardian.user = parent
        guardian.save(update_fields=["user"])
