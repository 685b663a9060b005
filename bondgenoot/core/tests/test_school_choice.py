"""A user with a role at two schools chooses for which school they create something
(agreements, key figures, meetings); with one school there is no choice to make."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from bondgenoot.bridges.models import KeyFigure
from bondgenoot.bridges.tests.test_registry import VALID as KEY_FIGURE
from bondgenoot.meetings.models import Meeting
from bondgenoot.network.models import Agreement
from bondgenoot.people.models import Membership, Organisation, Role
from bondgenoot.testing import BaseTestCase

AGREEMENT = {
    "category": "absence",
    "legal_basis": "legal_duty",
    "consent_from": "none",
    "fields": ["pupil_name", "category"],
    "feedback_days": "5",
    "convenant": "Convenant Leerplicht 2026",
    "active": "on",
}


class SchoolChoiceTest(BaseTestCase):
    def setUp(self):
        self.partner_org = Organisation.objects.get(name="Leerplicht")

    def give(self, user, role):
        Membership.objects.create(user=user, school=self.other_school, role=role)

    def test_an_administrator_at_two_schools_makes_agreements_for_the_second(self):
        self.give(self.admin, Role.ADMINISTRATOR)
        self.login(self.admin)
        page = self.client.get(reverse("network:agreements"))
        self.assertEqual(
            {v for v, _ in page.context["form"].fields["school"].choices if v},
            {self.school.pk, self.other_school.pk},
        )
        data = {**AGREEMENT, "partner": self.partner_org.pk}
        self.assertEqual(self.client.post(reverse("network:agreements"), data).status_code, 400)
        response = self.client.post(
            reverse("network:agreements"), {**data, "school": self.other_school.pk}
        )
        self.assertRedirects(response, reverse("network:agreements"))
        self.assertEqual(Agreement.objects.get().school_id, self.other_school.pk)

    def test_a_school_the_user_has_no_role_at_is_refused(self):
        self.give(self.admin, Role.MENTOR)  # a role, but not the administrator's
        third = type(self.school).objects.create(name="Derde school", city="Delft")
        Membership.objects.create(user=self.admin, school=third, role=Role.ADMINISTRATOR)
        self.login(self.admin)
        data = {**AGREEMENT, "partner": self.partner_org.pk, "school": self.other_school.pk}
        self.assertEqual(self.client.post(reverse("network:agreements"), data).status_code, 400)
        self.assertFalse(Agreement.objects.exists())

    def test_with_one_school_there_is_no_choice(self):
        self.login(self.admin)
        page = self.client.get(reverse("network:agreements"))
        self.assertNotIn("school", page.context["form"].fields)
        data = {**AGREEMENT, "partner": self.partner_org.pk}
        self.client.post(reverse("network:agreements"), data)
        self.assertEqual(Agreement.objects.get().school_id, self.school.pk)

    def test_a_care_coordinator_at_two_schools_adds_a_key_figure_to_the_second(self):
        self.give(self.care, Role.CARE_COORDINATOR)
        self.login(self.care)
        response = self.client.post(
            reverse("bridges:new"), {**KEY_FIGURE, "school": self.other_school.pk}
        )
        self.assertRedirects(response, reverse("bridges:registry"))
        self.assertEqual(KeyFigure.objects.get().school_id, self.other_school.pk)

    def test_a_care_coordinator_at_two_schools_plans_a_meeting_at_the_second(self):
        self.give(self.care, Role.CARE_COORDINATOR)
        self.login(self.care)
        start = (timezone.now() + timedelta(days=3)).strftime("%Y-%m-%dT19:00")
        data = {
            "kind": "informal",
            "title": "Koffieochtend",
            "starts_at": start,
            "ends_at": start.replace("19:00", "20:00"),
            "place": "Kantine",
            "whole_school": "on",
            "school": self.other_school.pk,
        }
        response = self.client.post(reverse("meetings:new"), data)
        meeting = Meeting.objects.get()
        self.assertRedirects(response, reverse("meetings:detail", args=[meeting.pk]))
        self.assertEqual(meeting.school_id, self.other_school.pk)

    def test_a_mentor_here_and_care_coordinator_there_plans_whole_school_only_there(self):
        self.give(self.mentor, Role.CARE_COORDINATOR)
        self.login(self.mentor)
        start = (timezone.now() + timedelta(days=3)).strftime("%Y-%m-%dT19:00")
        data = {
            "kind": "informal",
            "title": "Koffieochtend",
            "starts_at": start,
            "ends_at": start.replace("19:00", "20:00"),
            "place": "Kantine",
            "whole_school": "on",
            "school": self.school.pk,
        }
        self.assertEqual(self.client.post(reverse("meetings:new"), data).status_code, 400)
        data = {**data, "whole_school": "", "groups": [self.group_1a.pk]}
        response = self.client.post(reverse("meetings:new"), data)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Meeting.objects.get().school_id, self.school.pk)
