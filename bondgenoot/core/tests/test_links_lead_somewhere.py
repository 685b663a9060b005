"""Pages a new user meets lead somewhere: start pages per role, the agreements link on the
care queue, the share form's consent fields, partners' dates, the campaign on the start
page."""

from __future__ import annotations

from django.test import override_settings
from django.urls import reverse

from bondgenoot.core.tests.pages import MainPagesTestCase
from bondgenoot.network import actions as network_actions
from bondgenoot.network.models import Share, Signal
from bondgenoot.people.models import Organisation
from bondgenoot.testing import log_in


class StartPagesTestCase(MainPagesTestCase):
    def test_a_partner_starts_in_their_inbox(self):
        log_in(self.client, self.partner)
        self.assertRedirects(self.client.get(reverse("home")), reverse("network:partner"))
        inbox = self.client.get(reverse("network:partner"))
        self.assertNotContains(inbox, "Er is nog niets gedeeld")
        self.assertEqual(len(inbox.context["shares"]), Share.objects.count())

    def test_a_school_leader_starts_at_the_monitor(self):
        log_in(self.client, self.leader)
        self.assertRedirects(self.client.get(reverse("home")), reverse("contacts:monitor"))
        # Positive control: a mentor still starts at their families.
        log_in(self.client, self.mentor)
        self.assertRedirects(self.client.get(reverse("home")), reverse("people:families"))

    @override_settings(TRUST_CAMPAIGN_WEEKS=60)
    def test_the_mentors_start_page_points_to_the_open_campaign(self):
        log_in(self.client, self.mentor)
        page = self.client.get(reverse("people:families"))
        self.assertContains(page, reverse("contacts:campaign"))
        self.assertContains(page, 'id="start-campaign-bar"')
        campaign = page.context["campaign"]
        self.assertEqual(campaign["total"], 2)  # Jansen and Yilmaz (group 1A)
        self.assertEqual(campaign["done"] + campaign["remaining"], 2)

    @override_settings(TRUST_CAMPAIGN_WEEKS=0)
    def test_a_closed_campaign_is_not_on_the_start_page(self):
        log_in(self.client, self.mentor)
        page = self.client.get(reverse("people:families"))
        self.assertNotContains(page, 'id="start-campaign-bar"')


class AgreementsPageTestCase(MainPagesTestCase):
    def test_the_care_coordinator_reads_the_agreements_from_the_queue(self):
        log_in(self.client, self.care)
        queue = self.client.get(reverse("network:list"))
        self.assertContains(queue, reverse("network:agreements"))
        page = self.client.get(reverse("network:agreements"))
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, "Leerplicht")
        self.assertIsNone(page.context["form"])  # reads, does not change
        post = self.client.post(reverse("network:agreements"), {"category": "absence"})
        self.assertEqual(post.status_code, 403)

    def test_the_administrator_changes_them_and_a_mentor_does_not_see_them(self):
        log_in(self.client, self.admin)
        self.assertIsNotNone(self.client.get(reverse("network:agreements")).context["form"])
        log_in(self.client, self.mentor)
        self.assertEqual(self.client.get(reverse("network:agreements")).status_code, 403)


class ShareFormTestCase(MainPagesTestCase):
    def signal_page(self):
        signal = Signal.objects.filter(pupil__family=self.jansen).first()
        log_in(self.client, self.care)
        return self.client.get(reverse("network:signal", args=[signal.pk]))

    def test_it_asks_no_consent_when_the_agreement_needs_none(self):
        page = self.signal_page()
        self.assertContains(page, "Leerplicht")
        self.assertNotContains(page, 'name="consent_guardian"')
        self.assertNotContains(page, 'name="consent_on"')

    def test_it_asks_consent_when_an_agreement_needs_it(self):
        network_actions.save_agreement(
            self.admin,
            self.school.pk,
            "absence",
            Organisation.objects.get(name="Jongerenwerk Zuid"),
            {
                "legal_basis": "consent",
                "consent_from": "parents",
                "fields": ["category"],
                "feedback_days": 5,
                "convenant": "",
                "active": True,
            },
        )
        page = self.signal_page()
        self.assertContains(page, 'name="consent_guardian"')
        self.assertContains(page, "Jongerenwerk Zuid)</legend>")  # only for that partner


class PartnerDatesTestCase(MainPagesTestCase):
    def test_partners_read_dates_the_dutch_way(self):
        share = Share.objects.first()
        share.payload = {**share.payload, "observed_on": "2013-11-09"}
        share.save()
        log_in(self.client, self.partner)
        page = self.client.get(reverse("network:partner_share", args=[share.pk]))
        self.assertContains(page, "9 november 2013")
        self.assertNotContains(page, "2013-11-09")
