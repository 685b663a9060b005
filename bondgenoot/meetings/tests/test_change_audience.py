"""Who a meeting is for can change after it was made: families that come in are invited
in their language, parents of families that drop out are told in theirs; the same
audience again changes nothing; every change is audited."""

from __future__ import annotations

from django.urls import reverse

from bondgenoot.audit.models import AuditEntry
from bondgenoot.meetings import actions, texts
from bondgenoot.meetings.models import Invitation
from bondgenoot.messaging.models import Delivery
from bondgenoot.people.channels import Channel

from .test_meetings import MeetingTestCase


class ChangeAudienceTest(MeetingTestCase):
    def setUp(self):
        self.meeting = self.make_meeting(days=10)
        self.url = reverse("meetings:audience", args=[self.meeting.pk])

    def post(self, **data):
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(self.url, {f"audience-{k}": v for k, v in data.items()})

    def invited_families(self):
        return set(
            Invitation.objects.filter(meeting=self.meeting).values_list("family_id", flat=True)
        )

    def test_dropping_a_group_tells_its_parents_and_adding_it_back_invites_them(self):
        self.invite_all(self.meeting)
        self.assertEqual(
            self.invited_families(), {self.jansen.pk, self.el_amrani.pk, self.yilmaz.pk}
        )
        before = set(Delivery.objects.values_list("pk", flat=True))
        arabic_invitation = Invitation.objects.get(meeting=self.meeting, family=self.el_amrani)

        response = self.post(groups=[self.group_1a.pk])  # no longer the whole school

        self.assertRedirects(response, reverse("meetings:detail", args=[self.meeting.pk]))
        # Yilmaz has a child in 1A too: stays. El Amrani (2B only) drops out.
        self.assertEqual(self.invited_families(), {self.jansen.pk, self.yilmaz.pk})
        told = Delivery.objects.exclude(pk__in=before)
        self.assertEqual(list(told.values_list("family_id", flat=True)), [self.el_amrani.pk])
        letter = told.get()
        arabic = texts.texts("ar")
        self.assertEqual(letter.language, "ar")
        self.assertTrue(letter.subject.startswith(arabic["withdrawn_subject"].split("{")[0]))
        self.assertIn(texts.when(self.meeting, "ar"), letter.body)
        self.assertEqual(letter.link, "")  # the old link goes with the invitation
        old_page = self.client.get(reverse("meetings:answer", args=[arabic_invitation.token]))
        self.assertEqual(old_page.status_code, 404)
        entry = AuditEntry.objects.filter(
            action=AuditEntry.Action.UPDATE, object_id=str(self.meeting.pk)
        ).latest("pk")
        self.assertEqual(entry.detail["removed"], 1)
        self.assertEqual(entry.detail["added"], 0)
        self.assertEqual(entry.detail["audience"]["groups"], [str(self.group_1a.pk)])
        self.meeting.refresh_from_db()
        self.assertFalse(self.meeting.whole_school)

        # The same audience again: nobody told, nothing audited.
        entries = AuditEntry.objects.count()
        deliveries = Delivery.objects.count()
        self.post(groups=[self.group_1a.pk])
        self.assertEqual(Delivery.objects.count(), deliveries)
        self.assertEqual(AuditEntry.objects.count(), entries)

        # 2B comes back: El Amrani is invited again, in Arabic, with a new link.
        before = set(Delivery.objects.values_list("pk", flat=True))
        self.post(groups=[self.group_1a.pk, self.group_2b.pk])
        self.assertEqual(
            self.invited_families(), {self.jansen.pk, self.el_amrani.pk, self.yilmaz.pk}
        )
        again = Delivery.objects.exclude(pk__in=before).get()
        self.assertEqual((again.family_id, again.language), (self.el_amrani.pk, "ar"))
        self.assertTrue(again.subject.startswith(arabic["invite_subject"].split("{")[0]))
        invitation = Invitation.objects.get(meeting=self.meeting, family=self.el_amrani)
        self.assertNotEqual(invitation.token, arabic_invitation.token)
        self.assertEqual(invitation.delivery_id, again.pk)
        self.assertEqual(again.status, Delivery.Status.SENT)

    def test_before_the_invitations_go_out_nobody_is_told(self):
        self.login(self.care)
        self.post(groups=[self.group_2b.pk])
        self.meeting.refresh_from_db()
        self.assertEqual(list(self.meeting.groups.all()), [self.group_2b])
        self.assertFalse(Delivery.objects.exists())
        self.assertFalse(Invitation.objects.exists())
        self.invite_all(self.meeting)
        self.assertEqual(self.invited_families(), {self.el_amrani.pk, self.yilmaz.pk})

    def test_an_invitation_still_waiting_is_not_sent_and_nobody_is_told(self):
        message = actions.queue_invitations(self.care, self.meeting)  # the task has not run
        actions.prepare_invitations(self.meeting, message)
        waiting = Delivery.objects.get(family=self.el_amrani)
        self.assertEqual(waiting.status, Delivery.Status.QUEUED)
        change = actions.change_audience(
            self.care,
            self.meeting,
            whole_school=False,
            year_levels=[],
            groups=[self.group_1a],
            families=[],
        )
        self.assertEqual((change.removed, change.told_removed), (1, 0))
        self.assertFalse(Delivery.objects.filter(family=self.el_amrani).exists())
        self.assertEqual(self.invited_families(), {self.jansen.pk, self.yilmaz.pk})

    def test_a_personal_invitation_stays(self):
        actions.invite_personally(self.care, self.meeting, self.el_amrani, Channel.PHONE)
        self.invite_all(self.meeting)
        self.assertIn(self.el_amrani.pk, self.invited_families())
        before = Delivery.objects.count()
        self.post(groups=[self.group_1a.pk])
        self.assertIn(self.el_amrani.pk, self.invited_families())
        self.assertEqual(Delivery.objects.count(), before)

    def test_hand_picked_families_come_and_go_for_the_mentor_who_organised_it(self):
        meeting = self.make_meeting(
            days=5, whole_school=False, created_by=self.mentor, title="Koffie 1A"
        )
        meeting.groups.set([self.group_1a])
        self.login(self.mentor)
        page = self.client.get(reverse("meetings:edit", args=[meeting.pk]))
        self.assertContains(page, 'name="audience-groups"')
        self.assertNotContains(page, 'name="audience-whole_school"')  # a mentor: own groups
        self.assertContains(page, "Jansen (Noah)")  # told apart by the children's names
        self.assertNotContains(page, "El Amrani")  # not a family this mentor works with
        url = reverse("meetings:audience", args=[meeting.pk])
        self.client.post(url, {"audience-families": [self.jansen.pk]})
        meeting.refresh_from_db()
        self.assertEqual(list(meeting.families.all()), [self.jansen])
        self.assertEqual(list(meeting.groups.all()), [])

    def test_an_empty_audience_is_refused_and_nothing_changes(self):
        self.login(self.care)
        response = self.client.post(self.url, {})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Kies voor wie het is", status_code=400)
        self.meeting.refresh_from_db()
        self.assertTrue(self.meeting.whole_school)

    def test_only_who_manages_the_meeting_changes_its_audience(self):
        for user, status in ((self.mentor, 403), (self.outsider, 404), (self.teacher, 404)):
            self.login(user)
            self.assertEqual(self.post(groups=[self.group_1a.pk]).status_code, status, user)
            self.meeting.refresh_from_db()
            self.assertTrue(self.meeting.whole_school)
        self.login(self.leader)  # positive control: a school leader manages it, without names
        page = self.client.get(reverse("meetings:edit", args=[self.meeting.pk]))
        self.assertNotContains(page, 'name="audience-families"')
        self.assertEqual(self.post(year_levels=[1]).status_code, 302)
        self.meeting.refresh_from_db()
        self.assertFalse(self.meeting.whole_school)
        self.assertEqual(self.meeting.year_levels, [1])

    def test_a_cancelled_meeting_keeps_its_audience(self):
        self.login(self.care)
        actions.cancel_meeting(self.care, self.meeting)
        self.assertEqual(self.post(groups=[self.group_1a.pk]).status_code, 403)
