"""Setting a family's situation: per role, history, the sensitive-case contact person,
the warnings when someone else contacts a sensitive case, and the monitor list."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from bondgenoot.approach.advisor import CONSISTENCY_WINDOW_DAYS
from bondgenoot.approach.forms import SituationForm
from bondgenoot.approach.models import SituationChange
from bondgenoot.audit.models import AuditEntry
from bondgenoot.people.forms import staff_choices
from bondgenoot.people.models import Situation
from bondgenoot.testing import BaseTestCase, add_contact, family_page


class SetSituationTest(BaseTestCase):
    def url(self, family):
        return reverse("approach:situation", args=[family.pk])

    def post(self, family, **fields):
        data = {
            "situation": "denying",
            "reason": "Vader zegt dat zijn zoon nooit spijbelt.",
            "decided_on": timezone.localdate().isoformat(),
            "contact_person": "",
            **fields,
        }
        return self.client.post(self.url(family), data)

    def test_a_mentor_sets_the_situation_with_a_reason_and_the_history_is_kept(self):
        self.login(self.mentor)
        response = self.post(self.jansen)
        self.assertRedirects(
            response,
            reverse("people:family", args=[self.jansen.pk]) + "#approach-heading",
            fetch_redirect_response=False,
        )
        self.post(self.jansen, situation="absent", reason="Drie keer niet bereikt.")
        self.jansen.refresh_from_db()
        self.assertEqual(self.jansen.situation, Situation.ABSENT)
        history = SituationChange.objects.filter(family=self.jansen).order_by("created_at")
        self.assertEqual([c.situation for c in history], ["denying", "absent"])
        self.assertEqual(history[0].set_by, self.mentor)
        entry = (
            AuditEntry.objects.filter(object_type="approach.situationchange").order_by("seq").last()
        )
        self.assertEqual(entry.family_id, str(self.jansen.pk))
        self.assertEqual(
            entry.detail,
            {
                "field": "situation",
                "from": "denying",
                "to": "absent",
                "confirmed_suggestion": False,
            },
        )
        page = family_page(self.client, self.jansen.pk)
        self.assertContains(page, "Drie keer niet bereikt.")
        self.assertContains(page, "Vader zegt dat zijn zoon nooit spijbelt.")

    def test_a_sensitive_case_needs_a_contact_person_and_nothing_typed_is_lost(self):
        self.login(self.care)
        response = self.post(self.jansen, situation="sensitive", reason="Zorgen over thuis.")
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Zorgen over thuis.", status_code=400)
        self.assertTrue(response.context["situation_form"].errors["contact_person"])
        self.jansen.refresh_from_db()
        self.assertEqual(self.jansen.situation, Situation.REGULAR)
        self.assertFalse(SituationChange.objects.exists())

        self.post(self.jansen, situation="sensitive", contact_person=self.care.pk)
        self.jansen.refresh_from_db()
        self.assertEqual(
            (self.jansen.situation, self.jansen.contact_person), ("sensitive", self.care)
        )

    def test_the_contact_person_of_a_sensitive_case_cannot_be_cleared(self):
        self.jansen.situation = Situation.SENSITIVE
        self.jansen.contact_person = self.care
        self.jansen.save()
        self.login(self.mentor)
        response = self.client.post(
            reverse("people:contact_person", args=[self.jansen.pk]), {"contact_person": ""}
        )
        self.assertEqual(response.status_code, 400)
        self.jansen.refresh_from_db()
        self.assertEqual(self.jansen.contact_person, self.care)

    def test_a_future_date_is_refused(self):
        self.login(self.mentor)
        future = (timezone.localdate() + timedelta(days=3)).isoformat()
        self.assertEqual(self.post(self.jansen, decided_on=future).status_code, 400)

    def test_roles_that_do_not_work_with_the_family_cannot_set_it(self):
        self.login(self.admin)
        self.assertEqual(self.post(self.jansen).status_code, 403)
        for user in (self.teacher, self.leader, self.keyfigure, self.partner, self.outsider):
            self.login(user)
            self.assertEqual(self.post(self.jansen).status_code, 404, user)
        self.login(self.mentor)  # El Amrani is in 2B, not the mentor's group
        self.assertEqual(self.post(self.el_amrani).status_code, 404)
        self.assertFalse(SituationChange.objects.exists())


class SituationFormChoicesTest(BaseTestCase):
    """The page hands the form the staff it fetched once (``staff``) to show; a posted
    contact person is still checked against who may be one."""

    def data(self, person):
        return {
            "situation": "sensitive",
            "reason": "Zorgen over de veiligheid.",
            "decided_on": timezone.localdate().isoformat(),
            "contact_person": person.pk,
        }

    def test_a_posted_contact_person_outside_the_choices_is_refused(self):
        staff = staff_choices(self.jansen)
        for given in (staff, None):
            with self.subTest(staff=given is not None):
                form = SituationForm(self.data(self.outsider), family=self.jansen, staff=given)
                self.assertIn("contact_person", form.errors)
                form = SituationForm(self.data(self.mentor), family=self.jansen, staff=given)
                self.assertTrue(form.is_valid(), form.errors)  # control


class SuggestionTest(BaseTestCase):
    def test_the_advisor_suggests_absent_but_never_sets_it(self):
        for days, channel in ((20, "phone"), (10, "sms"), (2, "phone")):
            add_contact(self.jansen, self.mentor, days_ago=days, channel=channel, reached=False)
        self.login(self.mentor)
        page = family_page(self.client, self.jansen.pk)
        self.assertEqual(page.context["suggestion"].situation, Situation.ABSENT)
        self.assertContains(page, 'id="situation-suggestion"')
        form = page.context["situation_form"]
        self.assertEqual(form.initial["situation"], Situation.ABSENT)
        self.assertTrue(form.initial["from_suggestion"])
        self.jansen.refresh_from_db()
        self.assertEqual(self.jansen.situation, Situation.REGULAR)

    def test_no_suggestion_after_a_recent_conversation(self):
        add_contact(self.jansen, self.mentor, days_ago=20, channel="phone", reached=False)
        add_contact(self.jansen, self.mentor, days_ago=1, channel="phone")
        self.login(self.mentor)
        page = family_page(self.client, self.jansen.pk)
        self.assertIsNone(page.context["suggestion"])
        self.assertNotContains(page, 'id="situation-suggestion"')


class SensitiveCaseWarningsTest(BaseTestCase):
    def setUp(self):
        self.jansen.situation = Situation.SENSITIVE
        self.jansen.contact_person = self.care
        self.jansen.save()

    def test_the_contact_form_warns_anyone_but_the_contact_person(self):
        self.login(self.mentor)
        page = self.client.get(reverse("contacts:new", args=[self.jansen.pk]))
        self.assertEqual(page.context["form"].contact_person_warning, self.care)
        self.assertContains(page, self.care.first_name)
        self.login(self.care)
        page = self.client.get(reverse("contacts:new", args=[self.jansen.pk]))
        self.assertIsNone(page.context["form"].contact_person_warning)

    def test_the_family_page_names_others_who_contacted_the_family(self):
        add_contact(self.jansen, self.care, days_ago=5)
        self.login(self.care)
        page = family_page(self.client, self.jansen.pk)
        self.assertNotContains(page, 'id="others-contacting"')
        add_contact(self.jansen, self.mentor, days_ago=2)
        page = family_page(self.client, self.jansen.pk)
        self.assertContains(page, 'id="others-contacting"')

    def test_the_monitor_lists_sensitive_cases_that_several_people_contacted(self):
        add_contact(self.jansen, self.care, days_ago=5)
        add_contact(self.yilmaz, self.mentor, days_ago=5)
        self.login(self.care)
        monitor = self.client.get(reverse("contacts:monitor"))
        self.assertEqual(monitor.context["lists"]["inconsistent"]["count"], 0)
        add_contact(self.jansen, self.mentor, days_ago=1)
        monitor = self.client.get(reverse("contacts:monitor"))
        rows = monitor.context["lists"]["inconsistent"]["rows"]
        self.assertEqual([r["name"] for r in rows], ["Jansen"])
        self.assertEqual(monitor.context["m"].inconsistent_sensitive, 1)

    def test_a_contact_older_than_the_window_does_not_count(self):
        # Jansen became a sensitive case long ago (setUp: no change recorded), so the
        # window alone decides: 90 days back.
        add_contact(self.jansen, self.care, days_ago=5)
        add_contact(self.jansen, self.mentor, days_ago=CONSISTENCY_WINDOW_DAYS + 2)
        self.login(self.care)
        url = reverse("contacts:monitor")
        self.assertEqual(self.client.get(url).context["m"].inconsistent_sensitive, 0)
        # Positive control: the same person's contact within the window counts.
        add_contact(self.jansen, self.mentor, days_ago=CONSISTENCY_WINDOW_DAYS - 2)
        self.assertEqual(self.client.get(url).context["m"].inconsistent_sensitive, 1)

    def test_the_monitor_names_only_families_the_user_works_with(self):
        # Jansen (1A) and Yilmaz (1A and 2B) are sensitive cases that two people contacted;
        # the dual mentor of 2B and school leader counts both, but names only Yilmaz.
        self.yilmaz.situation = Situation.SENSITIVE
        self.yilmaz.save()
        for family in (self.jansen, self.yilmaz):
            add_contact(family, self.care, days_ago=5)
            add_contact(family, self.mentor, days_ago=1)
        self.login(self.dual)
        monitor = self.client.get(reverse("contacts:monitor"))
        self.assertEqual(monitor.context["m"].inconsistent_sensitive, 2)
        block = monitor.context["lists"]["inconsistent"]
        self.assertEqual(([r["name"] for r in block["rows"]], block["count"]), (["Yilmaz"], 1))
        # Positive control: the care coordinator works with both.
        self.login(self.care)
        block = self.client.get(reverse("contacts:monitor")).context["lists"]["inconsistent"]
        self.assertEqual([r["name"] for r in block["rows"]], ["Jansen", "Yilmaz"])

    def test_a_situation_change_refreshes_the_cached_monitor(self):
        add_contact(self.yilmaz, self.care, days_ago=5)
        add_contact(self.yilmaz, self.mentor, days_ago=4)
        self.login(self.care)
        url = reverse("contacts:monitor")
        self.assertEqual(self.client.get(url).context["m"].inconsistent_sensitive, 0)
        self.client.post(
            reverse("approach:situation", args=[self.yilmaz.pk]),
            {
                "situation": "sensitive",
                "reason": "Veiligheid.",
                # Decided ten days ago: the two contacts since then count.
                "decided_on": (timezone.localdate() - timedelta(days=10)).isoformat(),
                "contact_person": self.care.pk,
            },
        )
        self.assertEqual(self.client.get(url).context["m"].inconsistent_sensitive, 1)

    def test_contacts_before_the_case_became_sensitive_or_via_a_key_figure_do_not_count(self):
        from bondgenoot.approach.actions import set_situation

        add_contact(self.yilmaz, self.mentor, days_ago=20)
        add_contact(self.yilmaz, self.teacher, days_ago=1, channel="key_figure")
        add_contact(self.yilmaz, self.care, days_ago=1)
        set_situation(
            self.care,
            self.yilmaz,
            "sensitive",
            "Veiligheid.",
            timezone.localdate() - timedelta(days=5),
            contact_person=self.care,
        )
        from bondgenoot.approach.advisor import inconsistent_sensitive, others_contacting
        from bondgenoot.people.models import Family

        self.assertEqual(others_contacting(self.yilmaz, timezone.now()), [])
        self.assertEqual(inconsistent_sensitive(Family.objects.all(), timezone.now()), [])
        add_contact(self.yilmaz, self.mentor, days_ago=0.5)
        self.assertEqual(
            [p["id"] for p in others_contacting(self.yilmaz, timezone.now())], [self.mentor.pk]
        )
        self.assertEqual(
            inconsistent_sensitive(Family.objects.all(), timezone.now()), [self.yilmaz.pk]
        )


class FamilyListSituationTest(BaseTestCase):
    def setUp(self):
        self.jansen.situation = Situation.ABSENT
        self.jansen.save()

    def test_those_who_work_with_families_filter_by_situation(self):
        self.login(self.mentor)
        response = self.client.get(reverse("people:families"), {"situation": "absent"})
        self.assertEqual([f.name for f in response.context["families"]], ["Jansen"])
        self.assertContains(response, 'name="situation"')

    def test_the_register_does_not_show_or_filter_situations(self):
        self.login(self.admin)
        response = self.client.get(reverse("people:families"), {"situation": "absent"})
        self.assertNotContains(response, 'name="situation"')
        self.assertEqual(
            sorted(f.name for f in response.context["families"]), ["El Amrani", "Jansen", "Yilmaz"]
        )


class ReviewEdgesTest(BaseTestCase):
    def test_a_teacher_is_asked_to_coordinate_without_learning_the_situation(self):
        self.jansen.situation = Situation.SENSITIVE
        self.jansen.contact_person = self.care
        self.jansen.save()
        self.login(self.teacher)
        page = self.client.get(reverse("contacts:new", args=[self.jansen.pk]))
        form = page.context["form"]
        self.assertEqual(form.contact_person_warning, self.care)
        self.assertFalse(form.sees_situation)
        self.assertNotContains(page, "gevoelige casus")
        self.assertContains(page, self.care.first_name)

    def test_no_absent_suggestion_right_after_a_conversation(self):
        for days, channel in ((20, "phone"), (10, "sms"), (5, "phone")):
            add_contact(self.jansen, self.mentor, days_ago=days, channel=channel, reached=False)
        add_contact(self.jansen, self.mentor, days_ago=0.1, channel="home_visit")
        self.login(self.mentor)
        page = family_page(self.client, self.jansen.pk)
        self.assertIsNone(page.context["suggestion"])

    def test_a_leader_sees_no_count_below_five(self):
        self.jansen.situation = Situation.SENSITIVE
        self.jansen.contact_person = self.care
        self.jansen.save()
        add_contact(self.jansen, self.care, days_ago=2)
        add_contact(self.jansen, self.mentor, days_ago=1)
        self.login(self.leader)
        page = self.client.get(reverse("contacts:monitor"))
        self.assertEqual(page.context["m"].inconsistent_sensitive, 1)
        section = page.content.decode().split('id="h-inconsistent"')[1].split("</section>")[0]
        self.assertNotIn("<strong>1</strong>", section)
        self.assertNotIn("Jansen", section)
