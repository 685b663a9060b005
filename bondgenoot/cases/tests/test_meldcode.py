from datetime import date

from django.urls import reverse

from bondgenoot.cases import meldcode
from bondgenoot.cases.models import MeldcodeRoute
from bondgenoot.network.models import Signal
from bondgenoot.people.models import Pupil
from bondgenoot.testing import BaseTestCase


class FrameworkTest(BaseTestCase):
    def test_it_asks_in_order_and_stops_where_the_answer_decides(self):
        self.assertEqual(meldcode.next_question({}), 1)
        self.assertEqual(meldcode.outcome({1: False}), "none")
        self.assertEqual(meldcode.outcome({1: True, 2: True}), "report")
        self.assertEqual(meldcode.next_question({1: True, 2: False}), 3)
        self.assertEqual(meldcode.outcome({1: True, 2: False, 3: True, 4: False}), "report")
        self.assertEqual(meldcode.outcome({1: True, 2: False, 3: True, 4: True, 5: True}), "help")


class RouteTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.signal = Signal.objects.create(
            school=cls.school,
            pupil=Pupil.objects.get(family=cls.jansen),
            category="home",
            observed_on=date.today(),
            observation="Blauwe plekken op de arm.",
            author=cls.teacher,
        )

    def start(self):
        self.login(self.care)
        response = self.client.post(reverse("cases:route_start", args=[self.signal.pk]))
        self.assertEqual(response.status_code, 302)
        return MeldcodeRoute.objects.get(signal=self.signal)

    def step(self, route, **data):
        return self.client.post(
            reverse("cases:route_step", args=[route.pk]), {"done_on": "2026-11-30", **data}
        )

    def test_it_refuses_the_route_to_all_but_care(self):
        for user in (self.mentor, self.teacher, self.leader, self.admin, self.partner):
            self.login(user)
            response = self.client.post(reverse("cases:route_start", args=[self.signal.pk]))
            self.assertIn(response.status_code, (403, 404), user)
        self.assertFalse(MeldcodeRoute.objects.exists())
        self.start()  # positive control

    def test_it_records_five_steps_in_order_with_the_framework(self):
        route = self.start()
        self.assertEqual(self.step(route, note="In kaart").status_code, 302)
        self.assertEqual(self.step(route, consulted_veilig_thuis="on").status_code, 302)
        # skipping the talk needs a reason from the list
        self.assertEqual(self.step(route, skip="1").status_code, 400)
        self.assertEqual(self.step(route, skip="1", skip_reason="why not").status_code, 400)
        self.assertEqual(self.step(route, skip="1", skip_reason="danger").status_code, 302)
        # step 4 only after the framework has an outcome; questions in order
        self.assertEqual(self.step(route).status_code, 400)
        url = reverse("cases:route_question", args=[route.pk])
        self.assertEqual(self.client.post(url, {"question": 2, "answer": "yes"}).status_code, 400)
        self.assertEqual(self.client.post(url, {"question": 1, "answer": "yes"}).status_code, 302)
        self.assertEqual(self.client.post(url, {"question": 2, "answer": "yes"}).status_code, 302)
        self.assertEqual(self.step(route).status_code, 302)
        # the decision must follow the framework: a report
        self.assertEqual(self.step(route, decision="help").status_code, 400)
        self.assertEqual(self.step(route, decision="both").status_code, 302)
        route.refresh_from_db()
        self.assertEqual(route.decision, "both")
        self.assertIsNotNone(route.closed_at)
        steps = list(route.steps.values_list("step", "skipped", "skip_reason", "by"))
        self.assertEqual(steps[2], (3, True, "danger", self.care.pk))
        self.assertTrue(route.steps.get(step=2).consulted_veilig_thuis)

    def test_it_shows_open_routes_with_their_age_in_the_queue(self):
        route = self.start()
        response = self.client.get(reverse("network:list"))
        self.assertContains(response, reverse("cases:route", args=[route.pk]))
        self.assertContains(response, "Noah Jansen")
        self.assertEqual(self.client.get(reverse("cases:routes")).status_code, 200)
