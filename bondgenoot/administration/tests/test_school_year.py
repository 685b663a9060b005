"""The new school year: next year's groups from this year's (1A -> 2A), a preview,
leavers out, mentors assigned; pupils move once, from 1 August; history kept."""

from datetime import date

from django.core.management import call_command
from django.urls import reverse

from bondgenoot.administration import actions
from bondgenoot.administration.models import Placement, Rollover
from bondgenoot.contacts.models import FamilyYearSummary
from bondgenoot.people.models import Group, Pupil, Role
from bondgenoot.people.schoolyear import current_school_year
from bondgenoot.testing import BaseTestCase, make_group, make_user


class SchoolYearTest(BaseTestCase):
    def setUp(self):
        self.login(self.admin)
        self.url = reverse("administration:school_year")
        self.year = current_school_year() + 1
        self.new_mentor = make_user("newmentor", school=self.school, roles=[Role.MENTOR])

    def plan(self, **extra):
        data = {
            f"action_{self.group_1a.pk}": "promote",
            f"name_{self.group_1a.pk}": "2A",
            f"mentors_{self.group_1a.pk}": [self.new_mentor.pk],
            f"action_{self.group_2b.pk}": "leave",
            f"name_{self.group_2b.pk}": "3B",
            **extra,
        }
        return self.client.post(self.url, data)

    def test_it_names_next_years_groups_by_pattern(self):
        self.assertEqual(actions.next_name("1A"), "2A")
        self.assertEqual(actions.next_name("H4b"), "H5b")
        self.assertEqual(actions.next_name("Kopklas"), "Kopklas")
        response = self.client.get(self.url)
        self.assertContains(response, 'value="2A"')
        self.assertContains(response, 'value="3B"')

    def test_it_previews_then_plans_then_moves_once(self):
        preview = self.plan(preview="1")
        self.assertEqual(preview.status_code, 200)
        self.assertContains(preview, "2A: 2 leerlingen")
        self.assertFalse(Rollover.objects.exists())
        self.plan(confirm="1")
        rollover = Rollover.objects.get(school=self.school, school_year=self.year)
        new = Group.objects.get(school=self.school, school_year=self.year, name="2A")
        self.assertEqual(list(new.mentors.all()), [self.new_mentor])
        # Nothing moves before 1 August.
        jansen = Pupil.objects.get(family=self.jansen)
        self.assertEqual(jansen.group, self.group_1a)
        with self.assertRaisesMessage(Exception, f"01-08-{self.year}"):
            actions.apply_rollover(self.admin, rollover, today=date(self.year, 7, 31))
        moved = actions.apply_rollover(self.admin, rollover, today=date(self.year, 8, 1))
        self.assertEqual(
            moved, 4
        )  # Jansen and Yilmaz (1A) move up, El Amrani and Yilmaz (2B) leave
        jansen.refresh_from_db()
        self.assertEqual(jansen.group, new)
        leaver = Pupil.objects.get(family=self.el_amrani)
        self.assertEqual(leaver.left_on, date(self.year, 8, 1))
        # The history: the old group is kept, with its school year.
        placements = list(Placement.objects.filter(pupil=jansen).order_by("started_on"))
        self.assertEqual([p.group for p in placements], [self.group_1a, new])
        self.assertTrue(Group.objects.filter(pk=self.group_1a.pk).exists())
        # Again: nothing is done twice.
        self.assertEqual(
            actions.apply_rollover(self.admin, rollover, today=date(self.year, 8, 2)), 0
        )
        self.assertEqual(Placement.objects.filter(pupil=jansen).count(), 2)

    def test_it_asks_first_when_pupils_would_have_no_group(self):
        response = self.plan(**{f"action_{self.group_2b.pk}": "stay"}, confirm="1")
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "geen klas. Klopt dat?", status_code=400)
        # What was chosen is still there.
        self.assertContains(response, 'value="2A"', status_code=400)
        self.assertFalse(Rollover.objects.exists())
        self.plan(**{f"action_{self.group_2b.pk}": "stay"}, confirm="1", accept_without_group="1")
        self.assertTrue(Rollover.objects.exists())

    def test_it_refuses_a_second_plan_for_the_same_year(self):
        self.plan(confirm="1")
        self.plan(confirm="1")
        self.assertEqual(Rollover.objects.count(), 1)
        self.assertEqual(Group.objects.filter(school_year=self.year, name="2A").count(), 1)

    def test_it_keeps_pupils_who_left_out(self):
        jansen = Pupil.objects.get(family=self.jansen)
        jansen.left_on = date(2026, 1, 1)
        jansen.save()
        self.plan(confirm="1")
        self.assertFalse(Rollover.objects.get().moves.filter(pupil=jansen).exists())

    def test_it_needs_a_name_for_a_group_that_moves_up(self):
        response = self.plan(**{f"name_{self.group_1a.pk}": ""}, confirm="1")
        self.assertEqual(response.status_code, 400)
        self.assertFalse(Rollover.objects.exists())

    def test_the_daily_command_starts_the_year_and_the_summaries_keep_their_year(self):
        self.plan(confirm="1")
        FamilyYearSummary.objects.create(
            family=self.jansen, school=self.jansen.school, school_year=self.year - 1
        )
        call_command("start_school_year", today=f"{self.year}-08-01")
        self.assertIsNotNone(Rollover.objects.get().applied_at)
        self.assertTrue(FamilyYearSummary.objects.filter(school_year=self.year - 1).exists())

    def test_a_leader_reads_but_cannot_plan(self):
        self.login(self.leader)
        self.assertEqual(self.client.get(self.url).status_code, 200)
        self.assertEqual(self.plan(confirm="1").status_code, 403)
        self.assertFalse(Rollover.objects.exists())

    def test_a_group_of_another_school_cannot_be_planned(self):
        other = make_group(self.other_school, "1Z")
        with self.assertRaises(actions.Refused):
            actions.plan_rollover(
                self.admin, self.school.pk, self.year, [actions.GroupPlan(other, "promote", "2Z")]
            )


class ApplyButtonTest(BaseTestCase):
    def test_the_administrator_moves_the_pupils_from_the_page_once_the_year_has_begun(self):
        year = current_school_year()
        rollover = actions.plan_rollover(
            self.admin, self.school.pk, year, [actions.GroupPlan(self.group_1a, "promote", "1X")]
        )
        url = reverse("administration:school_year")
        self.login(self.leader)
        self.assertNotContains(self.client.get(url), 'name="apply"')
        self.assertEqual(self.client.post(url, {"apply": "1"}).status_code, 403)
        self.login(self.admin)
        self.assertContains(self.client.get(url), 'name="apply"')
        self.client.post(url, {"apply": "1"})
        rollover.refresh_from_db()
        self.assertIsNotNone(rollover.applied_at)
        pupil = Pupil.objects.get(family=self.jansen)
        self.assertEqual(pupil.group.name, "1X")
