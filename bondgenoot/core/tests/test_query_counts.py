"""Exact SQL query counts of the main pages, at two data sizes.

Each test opens a page once to warm up, counts its queries exactly (Zulip's
``assert_database_query_count``: a page that goes from 17 to 19 queries fails), then
grows the school (more families, contacts, next steps, bridges, signals, meetings and
messages) and counts again: the number must be the same.

Every count includes the fixed cost of a request here: the session and the user (2),
the user's roles (1) and, on pages that read personal records, the audit entry (3: the
chain's head, the entry, the new head). The session is saved at most once a minute
(SlidingSessionMiddleware), so not on these requests.
"""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from bondgenoot.bridges import actions as bridge_actions
from bondgenoot.contacts.models import NextStep
from bondgenoot.meetings.models import Meeting
from bondgenoot.messaging.actions import create_message
from bondgenoot.messaging.planning import plan
from bondgenoot.network import actions as network_actions
from bondgenoot.network.models import Signal
from bondgenoot.people.models import Family, Guardian, Organisation, Pupil, Situation
from bondgenoot.testing import (
    BaseTestCase,
    add_contact,
    grow,
    make_agreement,
    make_key_figure,
)


class QueryCountTestCase(BaseTestCase):
    def setUp(self):
        self.kf = make_key_figure(
            self.school,
            organisation="Jongerenwerk Zuid",
            user=self.keyfigure,
            postcode_areas=["3081"],
            languages=["ar", "nl"],
        )
        self.other_kf = make_key_figure(
            self.school, "Fatima Buurtmoeder", kind="neighbourhood_parent", postcode_areas=["3082"]
        )
        self.version = make_agreement(
            self.admin, self.school, Organisation.objects.get(name="Leerplicht")
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
    def assert_queries(self, user, url: str, expected: int, htmx: bool = False) -> None:
        headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
        self.login(user)
        self.assertEqual(self.client.get(url, **headers).status_code, 200)  # warm up
        with self.assertNumQueries(expected):
            self.client.get(url, **headers)
        self.grow()
        with self.assertNumQueries(expected):
            response = self.client.get(url, **headers)
        self.assertEqual(response.status_code, 200)


class QueryCountTest(QueryCountTestCase):
    def test_it_counts_my_families(self):
        # The cards read pupils, guardians and languages as joined rows (people.cards):
        # 1; the overdue actions and their count come from one query; the families with
        # the count of them all (lib.paging.counted_page: a mentor's few groups) and
        # whether the mentor mentors each (access.with_mentored: no query for whose
        # ledger they read).
        self.assert_queries(self.mentor, reverse("people:families"), 8)

    def test_it_counts_the_family_page_for_the_mentor(self):
        # Issue 11's budget is 15. The timeline, the approach, the bridges, the parents'
        # own words, the portal and meeting invitations and the contact form load on
        # demand (counted below); the contact person's form when asked for (its choices
        # are the school's whole team).
        self.assert_queries(self.mentor, reverse("people:family", args=[self.jansen.pk]), 10)

    def test_it_counts_the_family_page_for_the_care_coordinator(self):
        self.assert_queries(self.care, reverse("people:family", args=[self.jansen.pk]), 11)

    def assert_panel_queries(self, user, name: str, expected: int) -> None:
        self.assert_queries(
            user, reverse("people:panel", args=[self.jansen.pk, name]), expected, htmx=True
        )

    def test_it_counts_the_family_pages_panels_on_demand(self):
        # Each: the fixed cost (3), the family fetch (3: the family, its people, their
        # groups' mentors; 1 for a ``light`` panel, the timeline), the audit entry (3),
        # the access question (for a mentor: none when the family's people were read,
        # access.mentors_family; 1 for the timeline), then the panel's own queries.
        for user, name, expected in (
            (self.mentor, "approach.situation", 12),
            (self.mentor, "bridges.family", 12),
            (self.mentor, "contacts.timeline", 13),
            (self.mentor, "parentvoice.family", 11),
            (self.mentor, "meetings.invite", 10),
            (self.care, "portal.family", 11),
            (self.mentor, "people.contact_person", 10),
        ):
            with self.subTest(panel=name):
                self.assert_panel_queries(user, name, expected)

    def test_it_counts_the_advice_of_an_absent_family(self):
        # Its advice names key figures: they are ranked, and the open bridges read with
        # whether a consent is in force (3 together: the key figures come with their
        # languages), which a regular family's advice
        # does without.
        self.jansen.situation = Situation.ABSENT
        self.jansen.save()
        self.assert_panel_queries(self.mentor, "approach.situation", 15)

    def test_it_counts_the_family_pages_contact_form(self):
        self.assert_queries(
            self.mentor, reverse("contacts:new", args=[self.jansen.pk]), 9, htmx=True
        )

    def test_it_counts_the_timeline(self):
        # The family row alone: the page shows its name, not its people.
        self.assert_queries(self.mentor, reverse("contacts:timeline", args=[self.jansen.pk]), 13)

    def test_it_counts_the_campaign(self):
        # Each row shows the children's first names and groups: one prefetch.
        self.assert_queries(self.mentor, reverse("contacts:campaign"), 10)

    def test_it_counts_the_monitor(self):
        # The figures: each family's state and situation, the groups' pupils, then the
        # months (3); the sensitive cases' contacts (none here: 0, else 2); the name
        # lists, all three in one query, counted as read.
        self.assert_queries(self.mentor, reverse("contacts:monitor"), 12)

    def test_it_counts_the_chronology(self):
        # The pupil (1), the contacts (1), the signals (1), the parents' views beside both
        # with the parent's name (1), the shares with their partner (1) and the shares'
        # feedback (1), the case discussions and the Meldcode routes (cases' hooks, 2);
        # the same with more of each.
        pupil = Pupil.objects.filter(family=self.jansen).first()
        url = reverse("network:chronology", args=[pupil.pk])
        self.add_chronology(pupil)
        self.login(self.care)
        self.assertEqual(self.client.get(url).status_code, 200)  # warm up
        with self.assertNumQueries(15):
            self.client.get(url)
        for _ in range(3):
            self.add_family_data(self.jansen)
            self.add_chronology(pupil)
        with self.assertNumQueries(15):
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Onze kant", count=2 * 4)
        self.assertContains(response, "Gelezen.", count=4 + 3 + 2 + 1)

    def add_chronology(self, pupil) -> None:
        """Feedback on every share of the pupil's signals; a parent's view beside a
        contact and beside a signal."""
        from bondgenoot.contacts.models import Contact
        from bondgenoot.network.models import Feedback, Share
        from bondgenoot.parentvoice.models import ParentView

        for share in Share.objects.filter(signal__pupil=pupil):
            Feedback.objects.create(share=share, status="received", note="Gelezen.", by=self.care)
        guardian = Guardian.objects.filter(guardianships__pupil=pupil).first()
        n = ParentView.objects.count()
        for record in (
            {"contact": Contact.objects.filter(family=pupil.family, parent_views=None).first()},
            {"signal": Signal.objects.filter(pupil=pupil, parent_views=None).first()},
        ):
            n += 1
            ParentView.objects.create(
                school=self.school, family=pupil.family, pupil=pupil, guardian=guardian,
                text="Onze kant.", form_key=f"view-{n}", **record,
            )  # fmt: skip

    def test_it_counts_the_care_queue(self):
        self.assert_queries(self.care, reverse("network:list"), 13)

    def test_it_counts_the_partner_inbox(self):
        self.assert_queries(self.partner, reverse("network:partner"), 9)

    def test_it_counts_the_meeting_page(self):
        self.assert_queries(self.care, reverse("meetings:detail", args=[self.meeting.pk]), 11)

    def test_it_counts_the_message_list(self):
        self.assert_queries(self.mentor, reverse("messaging:list"), 8)

    def test_it_counts_the_message_page(self):
        self.assert_queries(self.mentor, reverse("messaging:detail", args=[self.message.pk]), 12)

    def test_it_counts_the_key_figure_registry(self):
        self.assert_queries(self.mentor, reverse("bridges:registry"), 5)

    def test_it_counts_the_key_figures_families(self):
        self.assert_queries(self.keyfigure, reverse("bridges:mine"), 7)

    def test_it_counts_the_key_figures_family_page(self):
        # The upcoming meetings say whether the family is invited (EXISTS): one query.
        self.assert_queries(self.keyfigure, reverse("bridges:family", args=[self.bridge.pk]), 12)
