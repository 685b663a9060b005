"""Dutch that reads right: no English empty choice, counts through ngettext, short dates
with lower-case months and the year when it is not this year."""

from __future__ import annotations

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone, translation

from bondgenoot.core.tests.pages import MainPagesTestCase
from bondgenoot.lib.dates import short_date
from bondgenoot.meetings.models import Invitation
from bondgenoot.network import actions as network_actions
from bondgenoot.network.models import Signal
from bondgenoot.people.models import Guardian, Organisation
from bondgenoot.testing import log_in, with_panels


class DutchTextTestCase(MainPagesTestCase):
    def page(self, user, url: str) -> str:
        log_in(self.client, user)
        response = with_panels(
            self.client,
            self.client.get(url, HTTP_ACCEPT_LANGUAGE="nl"),
            HTTP_ACCEPT_LANGUAGE="nl",
        )
        self.assertEqual(response.status_code, 200, url)
        return response.content.decode()

    def test_it_translates_the_empty_choice_everywhere(self):
        signal = Signal.objects.filter(pupil__family=self.jansen).first()
        # An agreement that needs the parents' consent, so the share form asks who gave it.
        network_actions.save_agreement(
            self.admin,
            self.school.pk,
            "absence",
            Organisation.objects.get(name="Jongerenwerk Zuid"),
            {
                "legal_basis": "consent",
                "consent_from": "parents",
                "fields": ["category"],
                "feedback_days": 5,
                "convenant": "",
                "active": True,
            },
        )
        pages = [
            (self.care, reverse("meetings:new")),  # the meeting's kind
            (self.mentor, reverse("people:family", args=[self.jansen.pk])),  # invite box
            (self.admin, reverse("network:agreements")),  # the agreement's partner
            (self.care, reverse("network:signal", args=[signal.pk])),  # consent given by
        ]
        for user, url in pages:
            html = self.page(user, url)
            self.assertNotIn("Select an option", html, url)
            self.assertIn("- Maak een keuze -", html, url)

    def test_it_counts_one_person_in_the_singular(self):
        guardian = Guardian.objects.filter(guardianships__pupil__family=self.jansen).first()
        Invitation.objects.create(
            meeting=self.meeting,
            family=self.jansen,
            guardian=guardian,
            how="email",
            answer="yes",
            people=1,
            answered_at=timezone.now(),
        )
        html = self.page(self.care, reverse("meetings:detail", args=[self.meeting.pk]))
        self.assertIn("ouder uitgenodigd", html)
        self.assertNotIn("ouders uitgenodigd", html)
        self.assertIn("zei ja (1 persoon)", html)
        self.assertIn("Bericht aan de genodigden", html)
        self.assertNotIn("Schrijf de genodigden", html)

    def test_it_counts_parents_and_families_in_the_composer(self):
        # El Amrani: one guardian with authority (group 2B, mentored by "dual").
        html = self.page(self.dual, reverse("messaging:compose") + f"?gezin={self.el_amrani.pk}")
        self.assertIn("1 ouder in 1 gezin,", html)
        self.assertNotIn("gezinnen", html.split("recipients-heading")[1][:400])

    def test_it_writes_short_dates_the_dutch_way(self):
        today = timezone.localdate()
        this_year = date(today.year, 3, 3)
        last_year = date(today.year - 1, 3, 3)
        with translation.override("nl"):
            self.assertEqual(short_date(this_year), "3 mrt")
            self.assertEqual(short_date(last_year), f"3 mrt {today.year - 1}")
            self.assertEqual(short_date(this_year, "year"), f"3 mrt {today.year}")
            self.assertEqual(short_date(last_year, "long"), f"3 maart {today.year - 1}")
        with translation.override("en"):
            self.assertEqual(short_date(this_year), "3 Mar")

    def test_it_shows_the_year_of_an_overdue_action_from_last_year(self):
        step = self.jansen.next_steps.first()
        step.due = timezone.localdate() - timedelta(days=400)
        step.save()
        html = self.page(self.mentor, reverse("people:families"))
        with translation.override("nl"):
            self.assertIn(short_date(step.due), html)
        self.assertIn(str(step.due.year), html)
