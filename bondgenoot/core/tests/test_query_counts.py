"""Exact SQL query counts of the main pages, at two data sizes.

Each test opens a page once to warm up, counts its queries exactly (Zulip's
``assert_database_query_count``: a page that goes from 17 to 19 queries fails), then
grows the school (more families, contacts, next steps, bridges, signals, meetings and
messages) and counts again: the number must be the same.

Every count includes the fixed cost of a request here: the session and the user (2),
the user's roles (1), the session saved again for the idle timeout (3, two of them
savepoints in tests) and, on pages that read personal records, the audit entry (5,
two of them savepoints).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from bondgenoot.bridges import actions as bridge_actions
from bondgenoot.bridges.models import KeyFigure
from bondgenoot.contacts.models import NextStep
from bondgenoot.meetings.models import Meeting
from bondgenoot.messaging.actions import create_message
from bondgenoot.messaging.planning import plan
from bondgenoot.network import actions as network_actions
from bondgenoot.network.models import Signal
from bondgenoot.people.models import Family, Guardian, Organisation, Pupil
from bondgenoot.testing import BaseTestCase, add_contact, grow


class QueryCountTestCase(BaseTestCase):
    def setUp(self):
        self.kf = KeyFigure.objects.create(
            school=self.school,
            name="Mustafa Amezian",
            kind="youth_worker",
            organisation="Jongerenwerk Zuid",
            user=self.keyfigure,
            postcode_areas=["3081"],
            agreement_on=date(2026, 1, 1),
            confidentiality_signed=True,
        )
        self.kf.languages.set(["ar", "nl"])
        self.other_kf = KeyFigure.objects.create(
            school=self.school,
            name="Fatima Buurtmoeder",
            kind="neighbourhood_parent",
            postcode_areas=["3082"],
            agreement_on=date(2026, 1, 1),
            confidentiality_signed=True,
        )
        self.version = network_actions.save_agreement(
            self.admin,
            self.school.pk,
            "absence",
            Organisation.objects.get(name="Leerplicht"),
            {
                "legal_basis": "legal_duty",
                "consent_from": "none",
                "fields": ["pupil_name", "category", "observation"],
                "feedback_days": 5,
                "convenant": "Convenant Leerplicht 2026",
                "active": True,
            },
        )
        self.bridge = self.add_family_data(self.jansen)
        self.meeting = self.make_meeting()
        self.message = self.make_message(Family.objects.filter(pk=self.jansen.pk))
        self.size = 0

    # --- data --------------------------------------------------------------------------
    def add_family_data(self, family, n: int = 0):
        """Contacts, a next step, a bridge with consent and a shared signal."""
        for days in (40, 20, 3):
            add_contact(family, self.mentor, days_ago=days, tone="positive", reached=days != 20)
        contact = add_contact(family, self.care, days_ago=2)
        NextStep.objects.create(
            family=family,
            contact=contact,
            what="Bellen",
            owner=self.mentor,
            due=timezone.localdate() - timedelta(days=1 + n % 3),
            created_by=self.mentor,
        )
        bridge = bridge_actions.introduce(self.mentor, family, self.kf)
        guardian = Guardian.objects.filter(guardianships__pupil__family=family).first()
        bridge_actions.record_consent(
            self.mentor,
            bridge,
            {
                "guardian": guardian,
                "given_on": timezone.localdate(),
                "how": "phone",
                "share_contact_person": True,
                "share_meetings": True,
            },
        )
        pupil = Pupil.objects.filter(family=family).first()
        signal = Signal.objects.create(
            school=self.school,
            pupil=pupil,
            category="absence",
            observed_on=timezone.localdate(),
            observation="Drie keer niet in de eerste les.",
            parents_informed=True,
            author=self.teacher,
        )
        network_actions.share_signal(
            self.care,
            signal,
            self.version,
            consent_guardian=None,
            consent_by_pupil=False,
            consent_on=None,
            parents_informed=True,
        )
        return bridge

    def make_meeting(self, days: int = 7) -> Meeting:
        start = timezone.now().replace(microsecond=0) + timedelta(days=days)
        return Meeting.objects.create(
            school=self.school,
            kind="theme",
            title="Sociale media thuis",
            theme="social_media",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            place="Aula",
            whole_school=True,
            created_by=self.care,
        )

    def make_message(self, families):
        reachable, _ = plan(families)
        return create_message(
            self.mentor,
            self.school.pk,
            subject="Test",
            body="Hallo {child}",
            purpose="practical",
            template_key="",
            translated=False,
            values={},
            audience="Groep 1A",
            recipients=reachable,
        )

    def grow(self) -> None:
        """More of everything the pages list: families with contacts, next steps, bridges
        and shared signals; another meeting and another message."""
        grow(self.school, self.group_1a, 8, prefix=f"Groei{self.size}")
        for n, family in enumerate(Family.objects.filter(name__startswith=f"Groei{self.size}")):
            self.add_family_data(family, n)
        self.make_meeting(days=14)
        self.make_message(Family.objects.filter(school=self.school))
        self.size += 1

    # --- measuring ---------------------------------------------------------------------
    def assert_queries(self, user, url: str, expected: int) -> None:
        self.login(user)
        self.assertEqual(self.client.get(url).status_code, 200)  # warm up
        with self.assertNumQueries(expected):
            self.client.get(url)
        self.grow()
        with self.assertNumQueries(expected):
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)


class QueryCountTest(QueryCountTestCase):
    def test_it_counts_my_families(self):
        self.assert_queries(self.mentor, reverse("people:families"), 17)

    def test_it_counts_the_family_page_for_the_mentor(self):
        self.assert_queries(self.mentor, reverse("people:family", args=[self.jansen.pk]), 37)

    def test_it_counts_the_family_page_for_the_care_coordinator(self):
        self.assert_queries(self.care, reverse("people:family", args=[self.jansen.pk]), 36)

    def test_it_counts_the_timeline(self):
        self.assert_queries(self.mentor, reverse("contacts:timeline", args=[self.jansen.pk]), 22)

    def test_it_counts_the_monitor(self):
        self.assert_queries(self.mentor, reverse("contacts:monitor"), 22)

    def test_it_counts_the_care_queue(self):
        self.assert_queries(self.care, reverse("network:list"), 16)

    def test_it_counts_the_partner_inbox(self):
        self.assert_queries(self.partner, reverse("network:partner"), 14)

    def test_it_counts_the_meeting_page(self):
        self.assert_queries(self.care, reverse("meetings:detail", args=[self.meeting.pk]), 14)

    def test_it_counts_the_message_list(self):
        self.assert_queries(self.mentor, reverse("messaging:list"), 13)

    def test_it_counts_the_message_page(self):
        self.assert_queries(self.mentor, reverse("messaging:detail", args=[self.message.pk]), 17)

    def test_it_counts_the_key_figure_registry(self):
        self.assert_queries(self.mentor, reverse("bridges:registry"), 8)

    def test_it_counts_the_key_figures_families(self):
        self.assert_queries(self.keyfigure, reverse("bridges:mine"), 12)

    def test_it_counts_the_key_figures_family_page(self):
        self.assert_queries(self.keyfigure, reverse("bridges:family", args=[self.bridge.pk]), 21)
