from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from bondgenoot.audit.models import AuditEntry
from bondgenoot.cases import actions
from bondgenoot.cases.models import AgendaItem, CaseAction, Discussion, ParentInvitation
from bondgenoot.network.workdays import add_working_days
from bondgenoot.people.models import Guardian, Pupil, Role
from bondgenoot.testing import BaseTestCase, make_user


class DiscussionTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.analyst = make_user("analyst", school=cls.school, roles=[Role.NETWORK_ANALYST])
        cls.discussion = actions.create_discussion(
            cls.care,
            cls.school.pk,
            {"kind": "zat", "starts_at": timezone.now() + timedelta(days=3), "place": "Kamer 4"},
            [cls.mentor, cls.partner],
        )
        cls.pupil = Pupil.objects.get(family=cls.jansen)
        cls.item = actions.add_item(cls.care, cls.discussion, cls.pupil, "Veel verzuim.")
        cls.mother = Guardian.objects.filter(guardianships__pupil=cls.pupil).first()

    def how(self, pupil=False):
        from bondgenoot.cases.views import invite_prefix

        return invite_prefix(self.item, pupil) + "-how"

    def url(self, name="cases:detail", **kw):
        return reverse(name, kwargs={"pk": self.discussion.pk, **kw})

    def consent(self, scope="table"):
        return actions.record_consent(
            self.care,
            self.item,
            guardian=self.mother,
            by_pupil=False,
            given_on=date.today(),
            how="in_person",
            scope=scope,
        )

    def test_it_shows_a_case_code_without_consent(self):
        self.login(self.partner)
        response = self.client.get(self.url())
        self.assertContains(response, self.item.case_code)
        self.assertNotContains(response, "Jansen")
        self.assertNotContains(response, "Noah")
        # positive control: the care coordinator sees the name
        self.login(self.care)
        self.assertContains(self.client.get(self.url()), "Noah Jansen")

    def test_it_names_the_pupil_with_consent_and_pseudonymises_at_once_on_withdrawal(self):
        consent = self.consent("table")
        self.login(self.partner)
        self.assertContains(self.client.get(self.url()), "Noah Jansen")
        actions.withdraw_consent(self.care, consent)
        response = self.client.get(self.url())
        self.assertNotContains(response, "Noah")
        self.assertContains(response, self.item.case_code)

    def test_it_keeps_the_name_from_partners_with_school_only_consent(self):
        self.consent("school")
        self.login(self.mentor)
        self.assertContains(self.client.get(self.url()), "Noah Jansen")
        self.login(self.partner)
        self.assertNotContains(self.client.get(self.url()), "Noah")

    def test_it_masks_names_written_under_consent_after_withdrawal(self):
        consent = self.consent("table")
        actions.save_minutes(
            self.care,
            self.item,
            facts="Noah vertelde over thuis.",
            parents_view="",
            next_review_on=None,
            notes="",
        )
        actions.withdraw_consent(self.care, consent)
        self.login(self.partner)
        response = self.client.get(self.url("cases:minutes", item_pk=self.item.pk))
        # partners may not open the minutes editor; the agenda shows the masked text
        self.assertEqual(response.status_code, 403)
        self.assertNotContains(self.client.get(self.url()), "Noah")

    def test_it_refuses_names_in_pseudonymised_minutes_and_keeps_the_text(self):
        self.login(self.care)
        typed = "Moeder Maria Janssen belde op 12 mei."
        response = self.client.post(
            self.url("cases:minutes", item_pk=self.item.pk),
            {"facts": typed, "parents_view": "", "notes": "", "next_review_on": ""},
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "<mark>Maria</mark>", html=False, status_code=400)
        self.assertContains(response, "<mark>Janssen</mark>", html=False, status_code=400)
        self.assertContains(response, typed, status_code=400)
        self.item.refresh_from_db()
        self.assertEqual(self.item.facts, "")
        # positive control: without names it is saved
        response = self.client.post(
            self.url("cases:minutes", item_pk=self.item.pk),
            {"facts": "Moeder belde.", "parents_view": "", "notes": "", "next_review_on": ""},
        )
        self.assertEqual(response.status_code, 302)

    def test_it_refuses_names_in_the_notes_partners_read_even_for_an_action(self):
        self.login(self.care)
        response = self.client.post(
            self.url("cases:notes"), {"discussion-notes": "Bespreken: Noah."}
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "<mark>Noah</mark>", html=False, status_code=400)
        response = self.client.post(
            self.url("cases:action", item_pk=self.item.pk),
            {"who": "school", "what": "Bel mevrouw Jansen", "due_on": "2027-01-10"},
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Bel mevrouw Jansen", status_code=400)
        self.assertFalse(CaseAction.objects.exists())

    def test_it_gives_a_partner_action_a_feedback_deadline_in_working_days(self):
        self.login(self.care)
        response = self.client.post(
            self.url("cases:action", item_pk=self.item.pk),
            {
                "who": "partner",
                "partner": self.partner.organisation_id,
                "what": "Huisbezoek plannen",
                "due_on": "2027-01-10",
                "feedback_days": "3",
            },
        )
        self.assertEqual(response.status_code, 302)
        action = CaseAction.objects.get()
        self.assertEqual(action.feedback_due, add_working_days(timezone.localdate(), 3))

    def test_it_lets_only_participants_and_care_read_and_audits_each_read(self):
        for user in (self.teacher, self.leader, self.admin, self.outsider, self.analyst):
            self.login(user)
            self.assertEqual(self.client.get(self.url()).status_code, 404, user)
        self.login(self.mentor)
        before = AuditEntry.objects.filter(
            action="view", object_type__icontains="discussion"
        ).count()
        self.assertEqual(self.client.get(self.url()).status_code, 200)
        after = AuditEntry.objects.filter(
            action="view", object_type__icontains="discussion"
        ).count()
        self.assertEqual(after, before + 1)

    def test_it_refuses_changes_by_participants(self):
        self.login(self.mentor)
        response = self.client.post(self.url("cases:notes"), {"discussion-notes": "x"})
        self.assertEqual(response.status_code, 403)

    def test_it_invites_the_parents_with_a_private_link_in_their_language(self):
        self.login(self.care)
        response = self.client.post(
            self.url("cases:invite", item_pk=self.item.pk), {self.how(): "email"}
        )
        self.assertEqual(response.status_code, 302)
        invitations = ParentInvitation.objects.filter(item=self.item)
        self.assertEqual(invitations.count(), 2)
        invitation = invitations.first()
        self.client.logout()
        page = self.client.get(reverse("cases:answer", args=[invitation.token]))
        self.assertEqual(page["Cache-Control"], "no-store")
        self.assertContains(page, "Komt u?")
        response = self.client.post(
            reverse("cases:answer", args=[invitation.token]),
            {"answer": "yes", "wants_interpreter": "on", "question": ""},
        )
        self.assertContains(response, "Fijn dat u komt")
        invitation.refresh_from_db()
        self.assertEqual((invitation.answer, invitation.wants_interpreter), ("yes", True))

    def set_age(self, years: int) -> None:
        born = timezone.localdate(self.discussion.starts_at).replace(day=1) - timedelta(
            days=int(365.25 * years) + 40
        )
        Pupil.objects.filter(pk=self.pupil.pk).update(date_of_birth=born)
        self.item.pupil.refresh_from_db()

    def test_it_invites_the_pupil_from_12_with_their_own_link_and_words(self):
        self.set_age(13)
        self.login(self.care)
        self.assertContains(self.client.get(self.url()), "Ook de leerling uitnodigen")
        url = self.url("cases:invite_pupil", item_pk=self.item.pk)
        self.assertEqual(self.client.post(url, {self.how(pupil=True): "personal"}).status_code, 302)
        self.assertEqual(self.client.post(url, {self.how(pupil=True): "personal"}).status_code, 302)
        invitation = ParentInvitation.objects.get(item=self.item)  # one, however often asked
        self.assertTrue(invitation.for_pupil)
        self.assertIsNone(invitation.guardian)
        self.assertTrue(
            AuditEntry.objects.filter(object_id=str(invitation.pk), action="create").exists()
        )
        self.assertNotContains(self.client.get(self.url()), "Ook de leerling uitnodigen")
        self.client.logout()
        answer = reverse("cases:answer", args=[invitation.token])
        page = self.client.get(answer)
        self.assertContains(page, "Uitnodiging: gesprek over jou")
        self.assertNotContains(page, "wants_interpreter")
        response = self.client.post(answer, {"answer": "no", "question": ""})
        self.assertContains(response, "Je mentor zoekt samen met jou een ander moment.")
        # the parents' invitations stay theirs
        actions.invite_parents(self.care, self.item, "personal")
        self.assertEqual(ParentInvitation.objects.filter(item=self.item).count(), 3)

    def test_it_does_not_invite_a_pupil_under_12(self):
        self.set_age(11)
        self.login(self.care)
        self.assertNotContains(self.client.get(self.url()), "Ook de leerling uitnodigen")
        url = self.url("cases:invite_pupil", item_pk=self.item.pk)
        self.assertEqual(self.client.post(url, {self.how(pupil=True): "personal"}).status_code, 400)
        self.assertFalse(ParentInvitation.objects.exists())
        self.set_age(12)  # control: at 12 it is possible
        self.assertEqual(self.client.post(url, {self.how(pupil=True): "personal"}).status_code, 302)
        # only the care coordinator invites
        self.login(self.mentor)
        self.assertIn(
            self.client.post(url, {self.how(pupil=True): "personal"}).status_code, (403, 404)
        )

    def test_it_refuses_new_invitations_for_a_discussion_in_the_past(self):
        Discussion.objects.filter(pk=self.discussion.pk).update(
            starts_at=timezone.now() - timedelta(days=1)
        )
        self.login(self.care)
        response = self.client.post(
            self.url("cases:invite", item_pk=self.item.pk), {self.how(): "personal"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(ParentInvitation.objects.exists())

    def test_it_shows_the_published_summary_to_the_parent_only_with_consent(self):
        invitation = ParentInvitation.objects.create(
            item=self.item, guardian=self.mother, how="personal", invited_by=self.care
        )
        actions.save_summary(
            self.care, self.item, "We spraken af dat Noah elke week praat met de mentor.", True
        )
        url = reverse("cases:answer", args=[invitation.token])
        self.assertNotContains(self.client.get(url), "elke week")
        self.consent("school")
        self.assertContains(self.client.get(url), "elke week")

    def test_it_offers_the_summary_to_the_parent_portal(self):
        from bondgenoot import access

        actions.save_summary(self.care, self.item, "Samen afgesproken.", True)
        self.assertFalse(access.summaries_for_parent(self.parent, self.pupil).exists())
        self.consent()
        self.assertTrue(access.summaries_for_parent(self.parent, self.pupil).exists())
        self.assertFalse(access.summaries_for_parent(self.mentor, self.pupil).exists())

    def test_the_parent_reads_the_summary_in_the_portal_in_their_language_with_consent(self):
        from django.urls import reverse

        from bondgenoot.portal.models import ParentPreference

        actions.save_summary(self.care, self.item, "Samen afgesproken: elke week bellen.", True)
        actions.save_translation(self.care, self.item, "tr", "Birlikte karar verdik.")
        self.login(self.parent)
        page = reverse("portal:child", args=[self.pupil.pk])
        self.assertNotContains(self.client.get(page), "elke week bellen")  # no consent yet
        self.consent()
        self.assertContains(self.client.get(page), "elke week bellen")
        self.assertContains(self.client.get(page), "Wat we samen hebben afgesproken")
        # The parent's own invitation is on the page too, answered on its own page.
        actions.invite_parents(self.care, self.item, "personal")
        mine = ParentInvitation.objects.get(item=self.item, guardian__user=self.parent)
        self.assertContains(self.client.get(page), reverse("cases:answer", args=[mine.token]))
        others = ParentInvitation.objects.exclude(pk=mine.pk).filter(item=self.item)
        self.assertTrue(others.exists())
        for other in others:
            self.assertNotContains(self.client.get(page), other.token)
        ParentPreference.objects.update_or_create(user=self.parent, defaults={"language": "tr"})
        turkish = self.client.get(page)
        self.assertContains(turkish, "Birlikte karar verdik.")
        self.assertNotContains(turkish, "elke week bellen")

    def test_it_checks_the_summary_with_the_tone_coach(self):
        self.login(self.care)
        response = self.client.post(
            self.url("cases:summary", item_pk=self.item.pk),
            {
                "summary": "Uw zoon is een probleemleerling. Dit moet per direct stoppen!",
                "check": "1",
            },
        )
        self.assertEqual(response.status_code, 302)
        page = self.client.get(self.url("cases:minutes", item_pk=self.item.pk))
        self.assertContains(page, 'class="tone-report"')
        self.assertContains(page, "<mark>probleemleerling</mark>", html=False)

    def test_it_shows_the_discussion_in_the_chronology(self):
        self.login(self.care)
        response = self.client.get(reverse("network:chronology", args=[self.pupil.pk]))
        self.assertContains(response, reverse("cases:detail", args=[self.discussion.pk]))

    def test_it_adds_pupils_by_number_and_refuses_names_in_the_note(self):
        self.login(self.care)
        other = Pupil.objects.get(family=self.el_amrani)
        response = self.client.post(
            self.url("cases:item_add"),
            {"item-pupil_number": other.pupil_number, "item-notes": "El Amrani"},
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "<mark>Amrani</mark>", html=False, status_code=400)
        response = self.client.post(
            self.url("cases:item_add"),
            {"item-pupil_number": other.pupil_number, "item-notes": "Verzuim"},
        )
        self.assertEqual(response.status_code, 302)
        self.assertTrue(AgendaItem.objects.filter(pupil=other).exists())
