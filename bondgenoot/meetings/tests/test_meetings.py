"""Meetings: per role, written invitations with a valid calendar file, answers without
an account (one family's link never touches another's), check-in, reach, reminders and
follow-up."""

from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar

from bondgenoot.bridges.models import Consent
from bondgenoot.contacts.models import Contact
from bondgenoot.meetings import actions, reach
from bondgenoot.meetings.ics import calendar_for
from bondgenoot.meetings.models import Attendance, Invitation, Meeting
from bondgenoot.meetings.texts import texts
from bondgenoot.meetings.views import check_in_search
from bondgenoot.messaging.models import Delivery
from bondgenoot.people.languages import language_name
from bondgenoot.people.models import Family, Guardian
from bondgenoot.testing import BaseTestCase


class MeetingTestCase(BaseTestCase):
    def make_meeting(self, days=7, **fields):
        start = timezone.now().replace(microsecond=0) + timedelta(days=days)
        values = {
            "school": self.school,
            "kind": "theme",
            "title": "Sociale media thuis",
            "theme": "social_media",
            "starts_at": start,
            "ends_at": start + timedelta(hours=2),
            "place": "Aula",
            "whole_school": True,
            "created_by": self.care,
            **fields,
        }
        return Meeting.objects.create(**values)

    def invite_all(self, meeting, user=None):
        self.login(user or self.care)
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(reverse("meetings:invite_all", args=[meeting.pk]))


class OrganiseTest(MeetingTestCase):
    def test_who_may_plan_and_see_meetings(self):
        meeting = self.make_meeting()
        for user, listing, detail in (
            (self.mentor, 200, 200),
            (self.care, 200, 200),
            (self.leader, 200, 200),
            (self.teacher, 403, 404),
            (self.admin, 403, 404),
            (self.keyfigure, 403, 404),
            (self.outsider, 200, 404),
        ):
            self.login(user)
            self.assertEqual(self.client.get(reverse("meetings:list")).status_code, listing, user)
            url = reverse("meetings:detail", args=[meeting.pk])
            self.assertEqual(self.client.get(url).status_code, detail, user)

    def test_a_mentor_plans_for_their_own_groups_and_bad_input_is_kept(self):
        self.login(self.mentor)
        start = (timezone.now() + timedelta(days=3)).strftime("%Y-%m-%dT19:00")
        data = {
            "kind": "informal",
            "title": "Koffieochtend 1A",
            "starts_at": start,
            "ends_at": start.replace("19:00", "18:00"),
            "place": "Kantine",
            "groups": [self.group_1a.pk],
            "whole_school": "on",
        }
        response = self.client.post(reverse("meetings:new"), data)
        self.assertEqual(response.status_code, 400)
        self.assertIn("ends_at", response.context["form"].errors)
        self.assertContains(response, "Koffieochtend 1A", status_code=400)
        self.assertNotIn("whole_school", response.context["form"].fields)
        data["ends_at"] = start.replace("19:00", "20:30")
        response = self.client.post(reverse("meetings:new"), data)
        meeting = Meeting.objects.get()
        self.assertRedirects(response, reverse("meetings:detail", args=[meeting.pk]))
        self.assertFalse(meeting.whole_school)  # not a mentor's choice
        self.assertEqual(list(meeting.groups.all()), [self.group_1a])
        # A group of another mentor is not offered.
        data["groups"] = [self.group_2b.pk]
        self.assertEqual(self.client.post(reverse("meetings:new"), data).status_code, 400)


class WrittenInvitationTest(MeetingTestCase):
    def test_everyone_in_the_audience_is_invited_once_in_their_language(self):
        meeting = self.make_meeting()
        Guardian.objects.filter(guardianships__pupil__family=self.jansen).update(
            preferred_channels=["email"]
        )
        self.invite_all(meeting)
        invitations = Invitation.objects.filter(meeting=meeting)
        # Jansen 2, El Amrani 1, Yilmaz 2 parents with authority.
        self.assertEqual(invitations.count(), 5)
        self.assertEqual(Delivery.objects.filter(status="sent").count(), 5)
        arabic = invitations.get(family=self.el_amrani)
        self.assertEqual(arabic.language, "ar")
        sms = (Path(settings.OUTBOX_DIR) / "sms" / f"{arabic.delivery_id}.json").read_text()
        self.assertIn(arabic.token, sms)
        self.assertIn(texts("ar")["invite_body"].split("{")[0].strip()[:10], sms)
        # Emails carry a calendar file that parses back (RFC 5545).
        email = mail.outbox[0]
        _name, content, mimetype = email.attachments[0]
        self.assertTrue(mimetype.startswith("text/calendar"))
        event = Calendar.from_ical(content).walk("VEVENT")[0]
        self.assertEqual(str(event["summary"]), "Sociale media thuis")
        self.assertEqual(event.decoded("dtstart"), meeting.starts_at)
        # Inviting again adds nobody.
        meeting.refresh_from_db()
        actions.prepare_invitations(meeting, meeting.invitation_message)
        self.assertEqual(invitations.count(), 5)

    def test_a_mentor_cannot_invite_the_whole_school(self):
        meeting = self.make_meeting()
        self.assertEqual(self.invite_all(meeting, self.mentor).status_code, 403)

    def test_the_calendar_file_is_valid(self):
        meeting = self.make_meeting(description="Met koffie, thee en een tolk.")
        cal = Calendar.from_ical(calendar_for(meeting, "https://example.org/u/x"))
        self.assertEqual(str(cal["version"]), "2.0")
        self.assertTrue(str(cal["prodid"]))
        event = cal.walk("VEVENT")[0]
        for field in ("uid", "dtstamp", "dtstart", "dtend", "summary", "location"):
            self.assertIn(field.upper(), event)
        self.assertEqual(event.decoded("dtend"), meeting.ends_at)


class AnswerTest(MeetingTestCase):
    def setUp(self):
        self.meeting = self.make_meeting(capacity=3)
        self.invite_all(self.meeting)
        self.client.logout()
        self.mine = Invitation.objects.filter(family=self.jansen).order_by("pk").first()
        self.theirs = Invitation.objects.get(family=self.el_amrani)

    def url(self, invitation):
        return reverse("meetings:answer", args=[invitation.token])

    def test_a_parent_answers_without_an_account(self):
        page = self.client.get(self.url(self.mine))
        self.assertContains(page, "Sociale media thuis")
        response = self.client.post(
            self.url(self.mine),
            {"answer": "yes", "people": "2", "wants_interpreter": "on", "question": "Mag oma mee?"},
        )
        self.assertContains(response, texts("nl")["thanks_yes"])
        self.mine.refresh_from_db()
        self.assertEqual(
            (self.mine.answer, self.mine.people, self.mine.wants_interpreter, self.mine.question),
            ("yes", 2, True, "Mag oma mee?"),
        )

    def test_one_familys_link_neither_shows_nor_changes_another_familys_answer(self):
        self.client.post(self.url(self.theirs), {"answer": "no", "people": "1"})
        page = self.client.get(self.url(self.mine))
        self.assertNotContains(page, "El Amrani")
        self.assertNotContains(page, self.theirs.token)
        self.client.post(self.url(self.mine), {"answer": "yes", "people": "1"})
        self.theirs.refresh_from_db()
        self.assertEqual(self.theirs.answer, "no")

    def test_the_page_is_in_the_parents_language_right_to_left_for_arabic(self):
        page = self.client.get(self.url(self.theirs))
        self.assertContains(page, 'dir="rtl"')
        self.assertContains(page, texts("ar")["send"])

    def test_a_full_meeting_refuses_more_yes(self):
        self.client.post(self.url(self.theirs), {"answer": "yes", "people": "3"})
        response = self.client.post(self.url(self.mine), {"answer": "yes", "people": "1"})
        self.assertEqual(response.status_code, 409)
        self.mine.refresh_from_db()
        self.assertEqual(self.mine.answer, "")
        self.client.post(self.url(self.mine), {"answer": "maybe", "people": "1"})
        self.mine.refresh_from_db()
        self.assertEqual(self.mine.answer, "maybe")

    def test_links_expire_after_the_meeting_and_unknown_links_are_404(self):
        Meeting.objects.filter(pk=self.meeting.pk).update(
            starts_at=timezone.now() - timedelta(hours=3),
            ends_at=timezone.now() - timedelta(hours=1),
        )
        self.assertEqual(self.client.get(self.url(self.mine)).status_code, 410)
        self.assertEqual(self.client.post(self.url(self.mine), {"answer": "yes"}).status_code, 410)
        self.assertEqual(self.client.get("/uitnodiging/nope/").status_code, 404)

    def test_a_missing_choice_is_asked_again(self):
        response = self.client.post(self.url(self.mine), {"people": "2"})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, texts("nl")["choose"], status_code=400)


class CheckInTest(MeetingTestCase):
    def setUp(self):
        self.meeting = self.make_meeting(days=0, whole_school=False)
        self.meeting.groups.set([self.group_1a])
        actions.invite_personally(self.mentor, self.meeting, self.jansen, "phone")

    def test_the_search_answers_in_one_query_invited_families_first(self):
        with CaptureQueriesContext(connection) as queries:
            rows = check_in_search(self.meeting, "a")
        self.assertEqual(len(queries), 1)
        self.assertEqual(rows[0]["name"], "Jansen")
        self.assertTrue(rows[0]["invited"])
        self.assertIn("El Amrani", [r["name"] for r in rows])  # walk-in possible
        self.assertNotIn("Visser", [r["name"] for r in rows])  # another school

    def test_marking_present_takes_one_tap_and_counts_as_a_contact(self):
        self.login(self.care)
        url = reverse("meetings:check_in_family", args=[self.meeting.pk, self.el_amrani.pk])
        self.client.post(url, HTTP_HX_REQUEST="true")
        self.client.post(url, HTTP_HX_REQUEST="true")  # a second tap
        attendance = Attendance.objects.get()
        self.assertTrue(attendance.walk_in)
        contact = Contact.objects.get(family=self.el_amrani)
        self.assertEqual(
            (contact.channel, contact.tone, contact.dialogue, contact.purpose),
            ("meeting", "positive", True, "theme_meeting"),
        )

    def test_who_may_check_in(self):
        url = reverse("meetings:check_in", args=[self.meeting.pk])
        for user, status in (
            (self.mentor, 200),
            (self.care, 200),
            (self.leader, 403),
            (self.outsider, 404),
        ):
            self.login(user)
            self.assertEqual(self.client.post(url, {"q": "jan"}).status_code, status, user)

    def test_a_mentor_finds_and_marks_only_families_they_work_with(self):
        self.login(self.mentor)
        url = reverse("meetings:check_in", args=[self.meeting.pk])
        names = [r["name"] for r in self.client.post(url, {"q": "an"}).context["results"]]
        self.assertIn("Jansen", names)
        self.assertNotIn("El Amrani", names)  # group 2B, not this mentor's
        other = reverse("meetings:check_in_family", args=[self.meeting.pk, self.el_amrani.pk])
        self.assertEqual(self.client.post(other).status_code, 404)
        self.assertFalse(Attendance.objects.exists())

    def test_check_in_only_on_the_day(self):
        Meeting.objects.filter(pk=self.meeting.pk).update(
            starts_at=timezone.now() + timedelta(days=3),
            ends_at=timezone.now() + timedelta(days=3, hours=2),
        )
        self.login(self.care)
        url = reverse("meetings:check_in", args=[self.meeting.pk])
        self.assertEqual(self.client.get(url).status_code, 403)


class ReachAndFollowUpTest(MeetingTestCase):
    def test_reach_reminders_and_follow_up(self):
        meeting = self.make_meeting(days=1)
        self.invite_all(meeting)
        yes = Invitation.objects.get(family=self.el_amrani)
        actions.record_answer(yes, "yes", 1, False, "")
        no = Invitation.objects.filter(family=self.jansen).first()
        actions.record_answer(no, "no", 1, False, "")
        with self.captureOnCommitCallbacks(execute=True):
            reminded = actions.send_reminders()
        self.assertEqual(reminded, 4)  # everyone but the parent who said no
        self.assertEqual(actions.send_reminders(), 0)

        actions.check_in(self.care, meeting, self.el_amrani)
        figures = reach.meeting_reach(meeting, Family.objects.all())
        self.assertEqual(reach.meeting_reach(meeting)["by_language"], [])  # fewer than 5
        self.assertEqual(
            figures["totals"], {"invited": 3, "answered": 2, "came": 1, "personal_came": 0}
        )
        by_language = {r.label: r for r in figures["by_language"]}
        self.assertEqual(by_language[str(language_name("ar"))].came, 1)

        Meeting.objects.filter(pk=meeting.pk).update(
            starts_at=timezone.now() - timedelta(hours=3),
            ends_at=timezone.now() - timedelta(hours=1),
        )
        meeting.refresh_from_db()
        next_meeting = self.make_meeting(days=30, title="Groepsdruk", theme="peer_pressure")
        with self.captureOnCommitCallbacks(execute=True):
            thanks, invited = actions.send_follow_up(self.care, meeting, next_meeting)
        self.assertEqual((thanks, invited), (1, 4))
        thanks_delivery = Delivery.objects.get(
            message__audience=_("the parents who came to %(title)s (thanks)")
            % {"title": meeting.title}
        )
        self.assertEqual(thanks_delivery.language, "ar")
        self.assertEqual(actions.send_follow_up(self.care, meeting, next_meeting), (0, 0))

        year = reach.year_reach(self.care)
        self.assertEqual({f.name for f in year["never"]}, {"Jansen", "Yilmaz"})
        self.assertEqual(year["never_count"], 2)
        self.login(self.leader)
        page = self.client.get(reverse("meetings:year_reach"))
        self.assertNotContains(page, "Yilmaz")
        self.assertContains(page, '<span class="stat__value">2</span>', html=False)

    def test_a_personal_invitation_is_a_contact(self):
        meeting = self.make_meeting()
        self.login(self.mentor)
        self.client.post(
            reverse("meetings:invite_family", args=[self.jansen.pk]),
            {"meeting": meeting.pk, "channel": "phone"},
        )
        self.assertEqual(set(Invitation.objects.values_list("how", flat=True)), {"personal"})
        contact = Contact.objects.get(family=self.jansen)
        self.assertEqual((contact.channel, contact.dialogue), ("phone", True))
        self.login(self.teacher)
        response = self.client.post(
            reverse("meetings:invite_family", args=[self.jansen.pk]),
            {"meeting": meeting.pk, "channel": "phone"},
        )
        self.assertEqual(response.status_code, 404)


class KeyFigureInvitationTest(MeetingTestCase):
    def setUp(self):
        from datetime import date

        from bondgenoot.bridges.models import Bridge, Consent, KeyFigure

        self.meeting = self.make_meeting()
        kf = KeyFigure.objects.create(
            school=self.school,
            name="Mustafa",
            kind="youth_worker",
            user=self.keyfigure,
            agreement_on=date(2026, 1, 1),
            confidentiality_signed=True,
        )
        self.bridge = Bridge.objects.create(
            family=self.el_amrani, key_figure=kf, introduced_by=self.care
        )
        mother = Guardian.objects.get(guardianships__pupil__family=self.el_amrani)
        self.consent = Consent.objects.create(
            bridge=self.bridge,
            guardian=mother,
            given_on=date(2026, 11, 1),
            how="phone",
            recorded_by=self.care,
            share_meetings=False,
        )
        self.url = reverse("bridges:invite", args=[self.bridge.pk, self.meeting.pk])

    def test_only_with_the_meetings_scope(self):
        self.login(self.keyfigure)
        page = self.client.get(reverse("bridges:family", args=[self.bridge.pk]))
        self.assertNotContains(page, "Sociale media thuis")
        self.assertEqual(self.client.post(self.url).status_code, 404)
        Consent.objects.filter(pk=self.consent.pk).update(share_meetings=True)
        page = self.client.get(reverse("bridges:family", args=[self.bridge.pk]))
        self.assertContains(page, "Sociale media thuis")
        # Another family's invitation does not count as this family's.
        actions.invite_personally(self.care, self.meeting, self.jansen, "phone")
        page = self.client.get(reverse("bridges:family", args=[self.bridge.pk]))
        self.assertContains(page, self.url)
        self.assertNotContains(page, '<span class="tag tag--ok">uitgenodigd</span>')
        self.client.post(self.url)
        invitation = Invitation.objects.get(family=self.el_amrani)
        self.assertEqual((invitation.how, invitation.invited_by), ("personal", self.keyfigure))
        page = self.client.get(reverse("bridges:family", args=[self.bridge.pk]))
        self.assertNotContains(page, self.url)
        self.assertContains(page, '<span class="tag tag--ok">uitgenodigd</span>')
        contact = Contact.objects.get(family=self.el_amrani)
        self.assertEqual((contact.channel, contact.key_figure), ("key_figure", self.keyfigure))


class WriteToInviteesTest(MeetingTestCase):
    def test_a_message_to_the_invitees_reaches_only_families_the_writer_works_with(self):
        meeting = self.make_meeting()
        actions.invite_personally(self.care, meeting, self.jansen, "phone")
        actions.invite_personally(self.care, meeting, self.el_amrani, "phone")
        self.login(self.mentor)
        page = self.client.get(reverse("messaging:compose") + f"?bijeenkomst={meeting.pk}")
        self.assertEqual(page.context["families"], 1)  # Jansen; El Amrani is not in 1A
        self.login(self.care)
        page = self.client.get(reverse("messaging:compose") + f"?bijeenkomst={meeting.pk}")
        self.assertEqual(page.context["families"], 2)
