"""Demo and scale data for every app: the one seeding orchestrator.

It sits above every app (as ``urls.py`` does): each app has its own generator
(``people.seeding``, ``contacts.seeding``, ``bridges.seeding``, ``meetings.seeding``,
``network.seeding``), and this module runs them per school, in a fixed order, from one
``random.Random(seed)`` so that the same seed gives the same database. The ``seed``
management command (in ``core``) calls ``seed()``.

A new app with demo data adds its generator call to ``Generator.run`` here; apps never
import each other for seeding.
"""

from __future__ import annotations

from django.db import connection, transaction

from bondgenoot.bridges.seeding import BridgeGenerator, bridge_for_demo_parent
from bondgenoot.cases.seeding import seed_cases
from bondgenoot.contacts.seeding import ContactBatch, ContactGenerator
from bondgenoot.meetings.seeding import seed_meetings
from bondgenoot.network.seeding import seed_network, signals_for_demo_parent
from bondgenoot.people.models import Guardian, Pupil, Role, School, User
from bondgenoot.people.seeding import generate
from bondgenoot.people.seeding.generate import (  # noqa: F401 (the seed command's names)
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    PARENT_USERNAME,
    SCALES,
    Batch,
)
from bondgenoot.portal.seeding import activate_demo_parent
from bondgenoot.protocols.seeding import seed_protocols


class Generator(generate.Generator):
    def run(self, schools: range | None = None) -> dict:
        """Generate the schools of this scale (or only ``schools``, to grow a database:
        the first school, index 0, carries the demo accounts)."""
        schools = range(self.scale.schools) if schools is None else schools
        organisations = self.organisations() if 0 in schools else {}
        demo_staff = None
        counts = {"schools": 0, "pupils": 0, "guardians": 0, "families": 0, "staff": 0}
        for index in schools:
            batch, school, staff = self.school(index, organisations)
            counts["contacts"] = counts.get("contacts", 0) + self.contacts(batch, school, staff)
            BridgeGenerator(self.rng, self.uuid).run(batch, school, staff, demo=index == 0)
            if index == 0:
                seed_meetings(self.rng, batch, school, staff)
                seed_network(self.rng, batch, school, staff, organisations)
                seed_cases(self.rng, batch, school, staff, self.password)
                seed_protocols(school, staff)
                demo_staff = staff
            counts["schools"] += 1
            counts["pupils"] += len(batch.pupils)
            counts["guardians"] += len(batch.guardians)
            counts["families"] += len(batch.families)
            counts["staff"] += len(batch.users)
        # Fresh statistics, so the query planner knows how large the tables are now
        # (PostgreSQL plans queries on freshly copied tables as if they were empty).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        if 0 in schools:
            self.link_demo_parent()
            if demo_staff is not None:
                self.demo_parent_portal(demo_staff)
        return counts

    def demo_parent_portal(self, staff) -> None:
        """A rich parent portal for the demo parent ``ouder``: an activated login (by a
        printed letter), a key-figure bridge with their consent, a signal about their
        child shared with the attendance office (with feedback), and a proposed share
        waiting for their consent online. Contacts, next steps and a meeting
        invitation come from the generators above."""
        guardian = Guardian.objects.filter(user__username=PARENT_USERNAME).first()
        if guardian is None:
            return
        pupil = (
            Pupil.objects.filter(
                guardianships__guardian=guardian,
                guardianships__parental_authority=True,
                left_on__isnull=True,
            )
            .select_related("family", "school")
            .order_by("date_of_birth", "pk")
            .first()
        )
        mentor = User.objects.filter(username="mentor").first()
        if pupil is None or mentor is None:
            return
        activate_demo_parent(mentor, guardian)
        bridge_for_demo_parent(mentor, guardian, pupil.family)
        signals_for_demo_parent(staff, pupil)

    def contacts(self, batch: Batch, school: School, staff) -> int:
        """Every family's contacts, by its pupils' mentor and the care coordinator."""
        generator = ContactGenerator(self.rng, self.uuid, self.year, self.scale.contacts_per_pupil)
        contacts = ContactBatch()
        care = staff[Role.CARE_COORDINATOR]
        mentors_of: dict[int, User] = {}
        for group, mentor in batch.mentor_links:
            mentors_of.setdefault(group.pk, mentor)
        for family, pupils, guardians in batch.family_members:
            authors = [mentors_of[pupils[0].group.pk], *care[:1]]
            generator.for_family(contacts, family, school, pupils, guardians, authors)
        ContactGenerator.write(contacts)
        return len(contacts.contacts)


def seed(scale: str, seed: int = 1, schools: range | None = None) -> dict:
    with transaction.atomic():
        return Generator(scale, seed).run(schools)
