"""Test helpers: factories for deep graphs and a base case with one named user per role.

The cast (one school, "Maaslandcollege", plus an outsider school):

=============  ===============================================================
mentor         mentor of group 1A
teacher        teaches group 1A
care           care coordinator
leader         school leader
admin          administrator (functioneel beheerder)
keyfigure      external key figure (youth work)
partner        external network partner (attendance office)
parent         a guardian (with parental authority) in the Jansen family
outsider       mentor at another school
dual           mentor of group 2B and school leader (two roles)
=============  ===============================================================

Families: Jansen (1A), El Amrani (2B), Yilmaz (siblings in 1A and 2B) and, at the
other school, Visser.
"""

from __future__ import annotations

import itertools
from datetime import date

from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from bondgenoot import access
from bondgenoot.people.models import (
    Family,
    Group,
    Guardian,
    Guardianship,
    Language,
    Membership,
    Organisation,
    Pupil,
    Role,
    School,
    User,
)
from bondgenoot.people.schoolyear import current_school_year

_numbers = itertools.count(1)


def make_school(name: str = "Maaslandcollege") -> School:
    return School.objects.create(name=name, city="Rotterdam")


def make_user(
    username: str,
    *,
    school: School | None = None,
    roles=(),
    organisation: Organisation | None = None,
    **fields,
) -> User:
    user = User.objects.create_user(
        username=username,
        password="correct horse battery",
        email=f"{username}@example.org",
        first_name=fields.pop("first_name", username.title()),
        organisation=organisation,
        **fields,
    )
    for role in roles:
        if school is None:
            raise ValueError("A user with roles needs a school.")
        Membership.objects.create(user=user, school=school, role=role)
    return user


def make_group(
    school: School, name: str = "1A", *, mentors=(), teachers=(), year: int | None = None
) -> Group:
    group = Group.objects.create(
        school=school,
        name=name,
        school_year=year or current_school_year(),
        year_level=int(name[0]) if name[0].isdigit() else 1,
    )
    group.mentors.set(mentors)
    group.teachers.set(teachers)
    return group


def make_family(
    school: School,
    groups,
    *,
    name: str = "Jansen",
    guardians: int = 2,
    languages=("nl",),
    written: str | None = "nl",
    email: bool = True,
    interpreter: bool = False,
    postcode: str = "3081 AB",
) -> Family:
    """A family with one pupil per group in ``groups`` (so siblings when several)."""
    if isinstance(groups, Group):
        groups = [groups]
    # Transactional tests (the browser leg) flush the rows the languages migration made.
    Language.objects.bulk_create(
        [Language(code=c) for c in {*languages, written} if c], ignore_conflicts=True
    )
    family = Family.objects.create(school=school, name=name)
    pupils = []
    for index, group in enumerate(groups):
        pupils.append(
            Pupil.objects.create(
                school=school,
                family=family,
                group=group,
                first_name=["Noah", "Lina", "Adam", "Sara"][index % 4],
                last_name=name,
                date_of_birth=date(2012 - index, 5, 1),
                pupil_number=str(1000 + next(_numbers)),
            )
        )
    relations = [
        Guardianship.Relation.MOTHER,
        Guardianship.Relation.FATHER,
        Guardianship.Relation.STEPPARENT,
    ]
    for index in range(guardians):
        guardian = Guardian.objects.create(
            school=school,
            first_name=["Maria", "Ahmed", "Kim"][index % 3],
            last_name=name,
            phone="0612345678",
            email=f"{name.lower().replace(' ', '')}{index}@example.org" if email else "",
            postcode=postcode,
            city="Rotterdam",
            needs_interpreter=interpreter,
            preferred_channels=["phone", "app"],
            written_language_id=written,
        )
        guardian.home_languages.set(languages)
        for pupil in pupils:
            Guardianship.objects.create(
                pupil=pupil, guardian=guardian, relation=relations[index % 3]
            )
    return family


class BaseTestCase(TestCase):
    def assertNumQueries(self, num, func=None, *args, using="default", **kwargs):
        """Django's, counting as ``statements`` does (the same count on both databases)."""
        from django.db import connections

        context = _AssertStatements(self, num, connections[using])
        if func is None:
            return context
        with context:
            func(*args, **kwargs)

    @classmethod
    def setUpTestData(cls):
        cls.school = make_school()
        cls.other_school = make_school("De Kade")
        youth_work = Organisation.objects.create(
            name="Jongerenwerk Zuid", kind=Organisation.Kind.YOUTH_WORK
        )
        attendance = Organisation.objects.create(
            name="Leerplicht", kind=Organisation.Kind.ATTENDANCE
        )
        cls.mentor = make_user("mentor", school=cls.school, roles=[Role.MENTOR])
        cls.teacher = make_user("teacher", school=cls.school, roles=[Role.TEACHER])
        cls.care = make_user("care", school=cls.school, roles=[Role.CARE_COORDINATOR])
        cls.leader = make_user("leader", school=cls.school, roles=[Role.SCHOOL_LEADER])
        cls.admin = make_user("admin", school=cls.school, roles=[Role.ADMINISTRATOR])
        cls.keyfigure = make_user(
            "keyfigure", school=cls.school, roles=[Role.KEY_FIGURE], organisation=youth_work
        )
        cls.partner = make_user(
            "partner", school=cls.school, roles=[Role.PARTNER], organisation=attendance
        )
        cls.outsider = make_user("outsider", school=cls.other_school, roles=[Role.MENTOR])
        cls.dual = make_user("dual", school=cls.school, roles=[Role.MENTOR, Role.SCHOOL_LEADER])
        cls.parent = make_user("parent")

        cls.group_1a = make_group(cls.school, "1A", mentors=[cls.mentor], teachers=[cls.teacher])
        cls.group_2b = make_group(cls.school, "2B", mentors=[cls.dual])
        cls.other_group = make_group(cls.other_school, "1A", mentors=[cls.outsider])

        cls.jansen = make_family(cls.school, cls.group_1a, name="Jansen")
        cls.el_amrani = make_family(
            cls.school,
            cls.group_2b,
            name="El Amrani",
            languages=("ar", "zgh"),
            written="ar",
            email=False,
            interpreter=True,
            guardians=1,
        )
        cls.yilmaz = make_family(
            cls.school, [cls.group_1a, cls.group_2b], name="Yilmaz", languages=("tr", "nl")
        )
        cls.visser = make_family(cls.other_school, cls.other_group, name="Visser")
        guardian = Guardian.objects.filter(guardianships__pupil__family=cls.jansen).first()
        guardian.user = cls.parent
        guardian.save()

    def login(self, user: User) -> User:
        return log_in(self.client, user)


def log_in(client, user: User) -> User:
    """Log in; for two-factor roles also pass the second step, as a real login would."""
    client.force_login(user)
    access.forget_roles(user)
    if access.requires_two_factor(user):
        device, _ = TOTPDevice.objects.get_or_create(
            user=user, name="test", defaults={"confirmed": True}
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return user


def with_panels(client, response, **headers):
    """The family page as a browser shows it once htmx has loaded its lazy parts: each
    ``hx-trigger="load"`` placeholder replaced by what its ``hx-get`` answers to htmx
    (the lazy panels, the contact form), asked with the same ``headers`` (e.g.
    ``HTTP_ACCEPT_LANGUAGE``). Returns ``response`` with that content."""
    import re
    from html import unescape

    from django.test.utils import ContextList

    contexts = ContextList()

    def keep(context) -> None:
        if isinstance(context, ContextList):
            contexts.extend(context)
        elif context is not None:
            contexts.append(context)

    keep(response.context)

    def load(match: re.Match) -> str:
        answer = client.get(unescape(match.group(1)), HTTP_HX_REQUEST="true", **headers)
        assert answer.status_code == 200, (match.group(1), answer.status_code)
        keep(answer.context)
        return answer.content.decode()

    pattern = re.compile(
        r'<div[^>]* hx-get="([^"]+)" hx-trigger="load" hx-swap="outerHTML">.*?</div>', re.S
    )
    response.content = pattern.sub(load, response.content.decode()).encode()
    # ``response.context["advice"]`` finds what a loaded panel's template was given too.
    response.context = contexts
    return response


def family_page(client, pk, query: str = ""):
    """GET the family page, with its lazy parts loaded (``with_panels``)."""
    from django.urls import reverse

    response = client.get(reverse("people:family", args=[pk]) + query)
    return with_panels(client, response) if response.status_code == 200 else response


# On PostgreSQL an audit entry's insert and the move of the chain's head are one statement
# (``audit.log._append_if_head_is``), on SQLite two. Query counts count it as two on both,
# so that one pinned count holds on both databases.
_ONE_STATEMENT_APPEND = "WITH moved AS (UPDATE "


def statements(captured: list[dict]) -> int:
    """The number of SQL statements in ``captured``, as SQLite runs them (see above)."""
    return len(captured) + sum(q["sql"].startswith(_ONE_STATEMENT_APPEND) for q in captured)


def count_queries(func) -> int:
    """How many SQL queries ``func()`` runs (``statements``)."""
    from django.db import connection

    with CaptureQueriesContext(connection) as context:
        func()
    return statements(context.captured_queries)


class _AssertStatements(CaptureQueriesContext):
    def __init__(self, test, num: int, connection):
        self.test, self.num = test, num
        super().__init__(connection)

    def __exit__(self, exc_type, exc_value, traceback):
        super().__exit__(exc_type, exc_value, traceback)
        if exc_type is not None:
            return
        executed = statements(self.captured_queries)
        listed = "\n".join(
            f"{i}. {query['sql']}" for i, query in enumerate(self.captured_queries, start=1)
        )
        self.test.assertEqual(
            executed,
            self.num,
            f"{executed} queries executed, {self.num} expected\nCaptured queries were:\n{listed}",
        )


def grow(school: School, group: Group, families: int, *, prefix: str = "Extra") -> None:
    """Add families (with siblings, several guardians and languages) to a group."""
    for index in range(families):
        make_family(
            school,
            [group, group] if index % 3 == 0 else group,
            name=f"{prefix} {index:03d}",
            guardians=1 + index % 3,
            languages=("nl", "ar", "tr")[: 1 + index % 3],
        )


def add_contact(family: Family, author: User, *, days_ago: float = 1, **fields):
    """Record a contact as if it happened ``days_ago`` days ago."""
    from datetime import timedelta

    from django.utils import timezone

    from bondgenoot.contacts.models import Contact
    from bondgenoot.contacts.summary import refresh

    values = {
        "channel": "phone",
        "purpose": "informal",
        "tone": "neutral",
        "reached": True,
        "dialogue": True,
        **fields,
    }
    contact = Contact.objects.create(
        school_id=family.school_id,
        family=family,
        author=author,
        at=timezone.now() - timedelta(days=days_ago),
        **values,
    )
    # Actions keep the ledger summary up to date; a contact made here must do the same.
    refresh([family.pk])
    return contact


def make_key_figure(
    school: School,
    name: str = "Mustafa Amezian",
    *,
    kind: str = "youth_worker",
    user: User | None = None,
    languages=(),
    agreed: bool = True,
    **fields,
):
    """A key figure in the registry; ``agreed`` records the agreement and the signed
    confidentiality statement an external key figure needs."""
    from bondgenoot.bridges.models import KeyFigure

    if agreed:
        fields.setdefault("agreement_on", date(2026, 1, 1))
        fields.setdefault("confidentiality_signed", True)
    key_figure = KeyFigure.objects.create(school=school, name=name, kind=kind, user=user, **fields)
    key_figure.languages.set(languages)
    return key_figure


def make_bridge(family: Family, key_figure, by: User, *, consent_from=None, **consent):
    """A bridge to ``family``; with ``consent_from`` (a guardian) also their consent."""
    from bondgenoot.bridges.models import Bridge, Consent

    bridge = Bridge.objects.create(family=family, key_figure=key_figure, introduced_by=by)
    if consent_from is not None:
        consent.setdefault("given_on", date(2026, 11, 1))
        consent.setdefault("how", "in_person")
        Consent.objects.create(bridge=bridge, guardian=consent_from, recorded_by=by, **consent)
    return bridge


def make_agreement(admin: User, school: School, partner: Organisation, **overrides):
    """An agreement version with a partner: absence signals, legal duty, no consent."""
    from bondgenoot.network import actions

    data = {
        "legal_basis": "legal_duty",
        "consent_from": "none",
        "fields": ["pupil_name", "category", "observation"],
        "feedback_days": 5,
        "convenant": "Convenant Leerplicht",
        "active": True,
        **overrides,
    }
    return actions.save_agreement(admin, school.pk, data.pop("category", "absence"), partner, data)


def start_worker(env: dict):
    """A real ``db_worker`` process, as production runs it, polling every 0.1 s.

    ``--no-reload``: under DEBUG, db_worker would otherwise run Django's autoreloader,
    and the process started would be the reloader, not the worker. In a process group of
    its own, so that ``os.killpg(worker.pid, signal.SIGKILL)`` leaves nothing behind."""
    import subprocess
    import sys
    from pathlib import Path

    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--interval",
            "0.1",
            "--no-startup-delay",
            "--no-reload",
        ],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
