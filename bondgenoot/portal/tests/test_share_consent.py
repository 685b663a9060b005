"""Online consent for a share whose agreement needs it: the care coordinator asks, the
parent sees the proposal and consents in the portal, the care coordinator shares."""

from datetime import date

from django.http import Http404
from django.urls import reverse

from bondgenoot import access
from bondgenoot.audit.models import AuditEntry
from bondgenoot.network.models import Share, Signal
from bondgenoot.people.models import Guardian, Guardianship, Organisation, Pupil
from bondgenoot.portal import actions
from bondgenoot.portal.models import RestrictionReason, ShareConsent
from bondgenoot.testing import BaseTestCase, make_agreement, make_user


class ShareConsentCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.noah = Pupil.objects.get(family=cls.jansen)
        cls.mother = Guardian.objects.get(user=cls.parent)
        cls.version = make_agreement(
            cls.admin,
            cls.school,
            Organisation.objects.get(name="Leerplicht"),
            category="wellbeing",
            legal_basis="consent",
            consent_from="parents",
            convenant="Wijkteam",
        )
        cls.signal = Signal.objects.create(
            school=cls.school,
            pupil=cls.noah,
            category="wellbeing",
            observed_on=date(2026, 3, 1),
            observation="Zit vaak alleen",
            author=cls.mentor,
        )

    def staff_url(self, signal=None):
        return reverse("portal:share_consent", args=[(signal or self.signal).pk])

    def give_url(self, ask, pupil=None):
        return reverse("portal:give_share", args=[(pupil or self.noah).pk, ask.pk])


class TestShareConsent(ShareConsentCase):
    def test_it_goes_from_asking_to_consent_to_sharing(self):
        self.login(self.care)
        self.assertContains(self.client.get(self.staff_url()), "Leerplicht")
        data = {"version": str(self.version.pk), "action": "share"}
        self.assertEqual(self.client.post(self.staff_url(), data).status_code, 404)  # not asked
        self.client.post(self.staff_url(), {"version": str(self.version.pk), "action": "ask"})
        ask = ShareConsent.objects.get(signal=self.signal)
        response = self.client.post(self.staff_url(), data)
        self.assertEqual(response.status_code, 400)  # no consent yet
        self.assertFalse(Share.objects.exists())

        self.login(self.parent)
        page = self.client.get(reverse("portal:consents", args=[self.noah.pk]))
        self.assertContains(page, "Voorstellen om te delen")
        self.assertContains(page, self.give_url(ask))
        self.assertEqual(self.client.post(self.give_url(ask)).status_code, 302)
        self.assertEqual(self.client.post(self.give_url(ask)).status_code, 302)  # replay
        ask.refresh_from_db()
        self.assertEqual(ask.guardian, self.mother)
        page = self.client.get(reverse("portal:consents", args=[self.noah.pk]))
        self.assertNotContains(page, self.give_url(ask))

        self.login(self.care)
        self.assertContains(self.client.get(self.staff_url()), "gaf online toestemming")
        self.assertEqual(self.client.post(self.staff_url(), data).status_code, 302)
        share = Share.objects.get()
        self.assertEqual(share.consent_guardian, self.mother)
        self.assertIsNotNone(share.consent_on)

    def test_it_gives_another_familys_parent_404(self):
        ask = actions.ask_share_consent(self.care, self.signal, self.version)
        other = Pupil.objects.get(family=self.el_amrani)
        self.login(self.parent)
        other_signal = Signal.objects.create(
            school=self.school,
            pupil=other,
            category="wellbeing",
            observed_on=date(2026, 3, 1),
            observation="x",
            author=self.mentor,
        )
        theirs = actions.ask_share_consent(self.care, other_signal, self.version)
        with self.assertRaises(Http404):
            access.get_parent_share_consent(self.parent, theirs.pk)
        self.assertEqual(access.get_parent_share_consent(self.parent, ask.pk), ask)
        self.assertEqual(self.client.post(self.give_url(theirs)).status_code, 404)
        self.assertEqual(self.client.post(self.give_url(theirs, other)).status_code, 404)
        self.assertEqual(self.client.post(self.give_url(ask, other)).status_code, 404)
        self.assertIsNone(ShareConsent.objects.get(pk=theirs.pk).given_at)
        self.assertEqual(self.client.post(self.give_url(ask)).status_code, 302)  # control
        self.assertIsNotNone(ShareConsent.objects.get(pk=ask.pk).given_at)

    def test_it_hides_a_proposal_about_a_restricted_signal(self):
        ask = actions.ask_share_consent(self.care, self.signal, self.version)
        actions.restrict(self.care, reason=RestrictionReason.MELDCODE, signal=self.signal)
        self.login(self.parent)
        self.assertEqual(self.client.post(self.give_url(ask)).status_code, 404)
        page = self.client.get(reverse("portal:consents", args=[self.noah.pk]))
        self.assertNotContains(page, "Voorstellen om te delen")

    def test_it_lets_only_care_coordinators_ask(self):
        self.login(self.mentor)
        self.assertEqual(self.client.get(self.staff_url()).status_code, 404)
        self.login(self.outsider)
        self.assertEqual(self.client.get(self.staff_url()).status_code, 404)
        self.login(self.care)
        self.assertEqual(self.client.get(self.staff_url()).status_code, 200)

    def test_it_refuses_a_parent_when_the_pupil_decides_from_16(self):
        version = make_agreement(
            self.admin,
            self.school,
            Organisation.objects.get(name="Leerplicht"),
            category="online",
            legal_basis="consent",
            consent_from="pupil",
        )
        signal = Signal.objects.create(
            school=self.school,
            pupil=self.noah,
            category="online",
            observed_on=date(2026, 3, 1),
            observation="x",
            author=self.mentor,
        )
        ask = actions.ask_share_consent(self.care, signal, version)
        Pupil.objects.filter(pk=self.noah.pk).update(date_of_birth=date(2000, 1, 1))
        self.login(self.parent)
        self.assertEqual(self.client.post(self.give_url(ask)).status_code, 404)
        self.assertIsNone(ShareConsent.objects.get(pk=ask.pk).given_at)


class TestDeclineShare(ShareConsentCase):
    """A parent with authority says no to a proposed share: an audited action, the care
    coordinator sees it, and the share does not happen."""

    def decline_url(self, ask, pupil=None):
        return reverse("portal:decline_share", args=[(pupil or self.noah).pk, ask.pk])

    def test_it_records_the_no_and_the_share_does_not_happen(self):
        ask = actions.ask_share_consent(self.care, self.signal, self.version)
        self.login(self.parent)
        page = self.client.get(reverse("portal:consents", args=[self.noah.pk]))
        self.assertContains(page, self.decline_url(ask))
        self.assertEqual(self.client.post(self.decline_url(ask)).status_code, 302)
        ask.refresh_from_db()
        self.assertEqual(ask.guardian, self.mother)
        self.assertIsNotNone(ask.declined_at)
        self.assertIsNone(ask.given_at)
        entry = AuditEntry.objects.get(object_id=str(ask.pk), action=AuditEntry.Action.UPDATE)
        self.assertEqual(entry.actor_id, self.parent.pk)
        self.assertIs(entry.detail["consent"], False)
        self.assertEqual(entry.family_id, str(self.jansen.pk))
        page = self.client.get(reverse("portal:consents", args=[self.noah.pk]))
        self.assertContains(page, "De school deelt dit signaal niet")  # the notice, once
        self.assertContains(page, "Nee gezegd op")
        self.assertNotContains(page, self.decline_url(ask))
        self.assertNotContains(page, self.give_url(ask))
        # A replay, and consenting after the no, change nothing: the first answer stands.
        self.assertEqual(self.client.post(self.decline_url(ask)).status_code, 302)
        self.assertEqual(self.client.post(self.give_url(ask)).status_code, 302)
        ask.refresh_from_db()
        self.assertIsNone(ask.given_at)
        self.assertEqual(
            AuditEntry.objects.filter(object_id=str(ask.pk), action="update").count(), 1
        )

        self.login(self.care)
        page = self.client.get(self.staff_url())
        self.assertContains(page, "zei online nee")
        self.assertNotContains(page, 'value="share"')
        data = {"version": str(self.version.pk), "action": "share"}
        response = self.client.post(self.staff_url(), data)
        self.assertEqual(response.status_code, 400)
        self.assertFalse(Share.objects.exists())
        with self.assertRaises(actions.Refused) as refused:
            actions.share_with_online_consent(self.care, ask, parents_informed=True)
        self.assertEqual(refused.exception.code, "declined")

    def test_the_other_parent_cannot_overturn_the_first_answer(self):
        ask = actions.ask_share_consent(self.care, self.signal, self.version)
        father = (
            Guardian.objects.filter(guardianships__pupil=self.noah).exclude(pk=self.mother.pk).get()
        )
        father.user = make_user("father")
        father.save()
        self.login(self.parent)
        self.client.post(self.decline_url(ask))
        self.login(father.user)
        self.assertEqual(self.client.post(self.give_url(ask)).status_code, 302)
        ask.refresh_from_db()
        self.assertIsNone(ask.given_at)
        self.assertEqual(ask.guardian, self.mother)

    def test_it_refuses_a_parent_without_authority_and_another_family(self):
        ask = actions.ask_share_consent(self.care, self.signal, self.version)
        # another family's parent, also on their own child's page
        other_child = Pupil.objects.get(family=self.el_amrani)
        theirs = Guardian.objects.get(guardianships__pupil=other_child)
        theirs.user = make_user("other_parent")
        theirs.save()
        self.login(theirs.user)
        self.assertEqual(self.client.post(self.decline_url(ask)).status_code, 404)
        self.assertEqual(self.client.post(self.decline_url(ask, other_child)).status_code, 404)
        # the parent's own proposal through another child's page (a child they may see)
        Guardianship.objects.create(pupil=other_child, guardian=self.mother, relation="mother")
        self.login(self.parent)
        self.assertEqual(self.client.post(self.decline_url(ask, other_child)).status_code, 404)
        # this parent without authority over Noah
        Guardianship.objects.filter(guardian=self.mother, pupil=self.noah).update(
            parental_authority=False
        )
        self.assertEqual(self.client.post(self.decline_url(ask)).status_code, 404)
        ask.refresh_from_db()
        self.assertTrue(ask.is_open)
        self.assertFalse(AuditEntry.objects.filter(object_id=str(ask.pk), action="update"))
        # positive control: with authority back, the same post is the parent's answer
        Guardianship.objects.filter(guardian=self.mother, pupil=self.noah).update(
            parental_authority=True
        )
        self.assertEqual(self.client.post(self.decline_url(ask)).status_code, 302)
        ask.refresh_from_db()
        self.assertIsNotNone(ask.declined_at)

    def test_the_action_refuses_a_guardian_without_authority(self):
        ask = actions.ask_share_consent(self.care, self.signal, self.version)
        Guardianship.objects.filter(guardian=self.mother).update(parental_authority=False)
        with self.assertRaises(actions.Refused) as refused:
            actions.decline_share_consent(self.parent, self.mother, ask)
        self.assertEqual(refused.exception.code, "authority")
        Guardianship.objects.filter(guardian=self.mother).update(parental_authority=True)
        self.assertIsNotNone(
            actions.decline_share_consent(self.parent, self.mother, ask).declined_at
        )
