"""Demo data: a case discussion with one consented and one pseudonymised pupil, an open
Meldcode route, and a network analyst account ("analist") for the demo schools (a
second, small demo school is made when the demo has only one)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from bondgenoot.network.models import Signal
from bondgenoot.people.models import Guardianship, Membership, Role, School, User

from . import actions

ANALYST_USERNAME = "analist"


def seed_cases(rng, batch, school, staff, password_hash: str) -> None:
    care = staff[Role.CARE_COORDINATOR]
    partners = staff[Role.PARTNER]
    mentors = staff[Role.MENTOR]
    if not (care and batch.family_members):
        return
    coordinator = care[0]
    discussion = actions.create_discussion(
        coordinator,
        school.pk,
        {
            "kind": "zat",
            "starts_at": timezone.now() + timedelta(days=7),
            "place": "Kamer 2.14",
            "notes": "Twee leerlingen; ouders zijn uitgenodigd.",
        },
        [*mentors[:1], *partners[:1]],
    )
    pupils = [batch.family_members[i][1][0] for i in (3, 11) if i < len(batch.family_members)]
    for index, pupil in enumerate(pupils):
        item = actions.add_item(coordinator, discussion, pupil, "Veel verzuim sinds de herfst.")
        if index == 0:
            link = (
                Guardianship.objects.filter(pupil=pupil, parental_authority=True)
                .select_related("guardian")
                .first()
            )
            if link:
                actions.record_consent(
                    coordinator,
                    item,
                    guardian=link.guardian,
                    by_pupil=False,
                    given_on=timezone.localdate(),
                    how="phone",
                    scope="table",
                )
                actions.invite_parents(coordinator, item, "personal")
    signal = (
        Signal.objects.filter(school=school, category="home").first()
        or Signal.objects.filter(school=school).first()
    )
    if signal:
        route = actions.start_route(coordinator, signal)
        actions.record_step(
            coordinator, route, 1, done_on=timezone.localdate(), note="Signalen op een rij gezet."
        )
    schools = list(School.objects.order_by("pk")[:2])
    if len(schools) < 2:
        schools.append(School.objects.create(name="De Kade (demo)", city="Rotterdam"))
    analyst, _new = User.objects.get_or_create(
        username=ANALYST_USERNAME,
        defaults={
            "first_name": "Anouk",
            "last_name": "Analist",
            "email": "analist@example.org",
            "password": password_hash,
        },
    )
    for s in schools:
        Membership.objects.get_or_create(user=analyst, school=s, role=Role.NETWORK_ANALYST)
