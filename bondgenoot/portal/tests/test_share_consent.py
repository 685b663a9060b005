"""Online consent for a share whose agreement needs it: the care coordinator asks, the
parent sees the proposal and consents in the portal, the care coordinator shares."""

from datetime import date

from django.http import Http404
from django.urls import reverse

from bondgenoot import access
from bondgenoot.network.models import Share, Signal
from bondgenoot.people.models import Guardian, Organisation, Pupil
from bondgenoot.portal import actions
from bondgenoot.portal.models import RestrictionReason, ShareConsent
from bondgenoot.testing import BaseTestCase, make_agreement


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
