"""At the door: who said yes, the search emptied after a check-in, undo for a few minutes
(audited); the campaign's one tap can be undone too; the meeting page links to its
letters; reach counts families under the meeting's own groups and tells same-surname
families apart; a mentor's year count agrees with the list."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

from django.urls import reverse
from django.utils import timezone

from bondgenoot.audit.models import AuditEntry
from bondgenoot.contacts.models import Contact
from bondgenoot.meetings import actions, reach
from bondgenoot.meetings.models import Attendance, Invitation
from bondgenoot.people.models import Guardian
from bondgenoot.testing import make_family

from .test_meetings import MeetingTestCase


class CheckInTest(MeetingTestCase):
    def setUp(self):
        self.meeting = self.make_meeting(days=0)
        guardian = Guardian.objects.filter(guardianships__pupil__family=self.jansen).first()
        Invitation.objects.create(
            meeting=self.meeting, family=self.jansen, guardian=guardian, how="email", answer="yes"
        )
        self.login(self.care)

    def test_it_shows_who_said_yes(self):
        page = self.client.post(reverse("meetings:check_in", args=[self.meeting.pk]), {"q": "jans"})
        self.assertEqual(page.context["results"][0]["said_yes"], True)
        self.assertContains(page, "zei ja")
        self.assertContains(page, "1 gezin zei ja")

    def test_marking_present_empties_the_search(self):
        url = reverse("meetings:check_in_family", args=[self.meeting.pk, self.jansen.pk])
        page = self.client.post(url, HTTP_HX_REQUEST="true")
        html = page.content.decode()
        self.assertIn('id="check-in-form"', html)
        self.assertIn('hx-swap-oob="true"', html)
        self.assertIn('name="q" id="id_q" value=""', html)
        self.assertIn(
            reverse("meetings:check_in_undo", args=[self.meeting.pk, self.jansen.pk]), html
        )

    def test_a_check_in_can_be_undone_for_a_few_minutes(self):
        actions.check_in(self.care, self.meeting, self.jansen)
        self.assertEqual(Contact.objects.filter(family=self.jansen).count(), 1)
        page = self.client.get(reverse("meetings:check_in", args=[self.meeting.pk]))
        self.assertEqual([a.family for a in page.context["undoable"]], [self.jansen])
        url = reverse("meetings:check_in_undo", args=[self.meeting.pk, self.jansen.pk])
        self.assertRedirects(
            self.client.post(url), reverse("meetings:check_in", args=[self.meeting.pk])
        )
        self.assertFalse(Attendance.objects.exists())
        self.assertFalse(Contact.objects.filter(family=self.jansen).exists())
        undo = AuditEntry.objects.filter(action=AuditEntry.Action.DELETE)
        self.assertEqual(undo.count(), 2)  # the attendance and its ledger contact
        self.assertTrue(all(e.detail.get("undo") for e in undo))

    def test_it_cannot_be_undone_later_or_by_someone_else(self):
        actions.check_in(self.care, self.meeting, self.jansen)
        url = reverse("meetings:check_in_undo", args=[self.meeting.pk, self.jansen.pk])
        self.login(self.mentor)  # may check in at the door, but did not tap this one
        self.client.post(url)
        self.assertTrue(Attendance.objects.exists())
        self.login(self.care)
        later = timezone.now() + timedelta(minutes=6)
        with mock.patch("django.utils.timezone.now", return_value=later):
            self.client.post(url)
        self.assertTrue(Attendance.objects.exists())
        self.client.post(url)  # positive control: in time, by who tapped
        self.assertFalse(Attendance.objects.exists())


class CampaignUndoTest(MeetingTestCase):
    def test_the_campaign_tap_can_be_undone(self):
        self.login(self.mentor)
        self.client.post(reverse("contacts:campaign_log", args=[self.jansen.pk]))
        contact = Contact.objects.get(family=self.jansen)
        page = self.client.get(reverse("contacts:campaign"))
        self.assertEqual(page.context["just_logged"], [contact])
        self.client.post(reverse("contacts:campaign_undo", args=[contact.pk]))
        self.assertFalse(Contact.objects.filter(pk=contact.pk).exists())
        entry = AuditEntry.objects.get(action=AuditEntry.Action.DELETE)
        self.assertTrue(entry.detail["undo"])

    def test_not_after_a_few_minutes(self):
        self.login(self.mentor)
        self.client.post(reverse("contacts:campaign_log", args=[self.jansen.pk]))
        contact = Contact.objects.get(family=self.jansen)
        later = timezone.now() + timedelta(minutes=6)
        with mock.patch("django.utils.timezone.now", return_value=later):
            page = self.client.post(reverse("contacts:campaign_undo", args=[contact.pk]))
        self.assertRedirects(
            page, reverse("contacts:edit", args=[contact.pk]), fetch_redirect_response=False
        )
        self.assertTrue(Contact.objects.filter(pk=contact.pk).exists())


class LettersLinkTest(MeetingTestCase):
    def test_the_meeting_page_links_to_its_letters(self):
        guardian = Guardian.objects.get(guardianships__pupil__family=self.el_amrani)
        guardian.phone, guardian.email = "", ""
        guardian.street, guardian.postcode = "Dorpsweg 1", "3081 AB"
        guardian.save()
        meeting = self.make_meeting()
        self.invite_all(meeting)
        meeting.refresh_from_db()
        page = self.client.get(reverse("meetings:detail", args=[meeting.pk]))
        self.assertGreaterEqual(page.context["letters"], 1)
        self.assertContains(
            page, reverse("messaging:letters", args=[meeting.invitation_message_id])
        )


class ReachTest(MeetingTestCase):
    def test_answers_count_under_the_meetings_own_group(self):
        # Yilmaz has children in 1A and 2B; the meeting is for 1A only.
        meeting = self.make_meeting(whole_school=False)
        meeting.groups.set([self.group_1a])
        for family in (self.yilmaz, self.jansen):
            guardian = Guardian.objects.filter(guardianships__pupil__family=family).first()
            Invitation.objects.create(
                meeting=meeting, family=family, guardian=guardian, how="email", answer="yes"
            )
        figures = reach.meeting_reach(meeting, named_families=self.school.families.all())
        self.assertEqual([r.label for r in figures["by_group"]], ["1A"])
        self.assertEqual(figures["by_group"][0].answered, 2)

    def test_families_with_one_surname_are_told_apart(self):
        twin = make_family(self.school, self.group_2b, name="Jansen")
        meeting = self.make_meeting()
        for family in (self.jansen, twin):
            guardian = Guardian.objects.filter(guardianships__pupil__family=family).first()
            Invitation.objects.create(
                meeting=meeting, family=family, guardian=guardian, how="email"
            )
        self.login(self.care)
        page = self.client.get(reverse("meetings:reach", args=[meeting.pk]))
        self.assertContains(page, "Noah 1A")
        self.assertContains(page, "Noah 2B")

    def test_a_mentors_year_count_agrees_with_the_list(self):
        meeting = self.make_meeting(days=-1)
        meeting.starts_at = timezone.now() - timedelta(days=1)
        meeting.save()
        for family in (self.jansen, self.el_amrani, self.yilmaz):
            guardian = Guardian.objects.filter(guardianships__pupil__family=family).first()
            Invitation.objects.create(
                meeting=meeting, family=family, guardian=guardian, how="email"
            )
        mine = reach.year_reach(self.mentor)  # 1A: Jansen and Yilmaz, not El Amrani (2B)
        self.assertEqual(mine["never_count"], len(mine["never"]))
        self.assertEqual({f.name for f in mine["never"]}, {"Jansen", "Yilmaz"})
        whole = reach.year_reach(self.care)  # positive control: the whole school
        self.assertEqual(whole["never_count"], 3)
