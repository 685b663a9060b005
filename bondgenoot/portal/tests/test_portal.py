"""The parent portal: getting in, what a parent sees, consents, restriction, language."""

from datetime import date, timedelta

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from bondgenoot import access
from bondgenoot.bridges.models import Bridge, Consent, KeyFigure
from bondgenoot.contacts.models import Contact
from bondgenoot.lib import private_links
from bondgenoot.network.models import Signal
from bondgenoot.people.models import Guardian, Guardianship, Pupil
from bondgenoot.portal import actions
from bondgenoot.portal.models import Activation, Restriction, RestrictionReason
from bondgenoot.testing import (
    BaseTestCase,
    add_contact,
    count_queries,
    family_page,
    make_family,
)


class PortalCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.noah = Pupil.objects.get(family=cls.jansen)
        cls.mother = Guardian.objects.get(user=cls.parent)
        cls.father = (
            Guardian.objects.filter(guardianships__pupil=cls.noah).exclude(pk=cls.mother.pk).get()
        )
        cls.father.street = "Geheimstraat 9"
        cls.father.email = "vader-geheim@example.org"
        cls.father.phone = "0699999999"
        cls.father.save()
        cls.kf = KeyFigure.objects.create(
            school=cls.school,
            name="Samira",
            kind="youth_worker",
            user=cls.keyfigure,
            agreement_on=date(2024, 1, 1),
            confidentiality_signed=True,
        )
        cls.bridge = Bridge.objects.create(
            family=cls.jansen, key_figure=cls.kf, introduced_by=cls.mentor
        )
        cls.consent = Consent.objects.create(
            bridge=cls.bridge,
            guardian=cls.mother,
            given_on=date(2025, 1, 1),
            how="in_person",
            recorded_by=cls.mentor,
        )

    def url(self, name, *args):
        return reverse(f"portal:{name}", args=args)


class TestWhatAParentSees(PortalCase):
    def test_it_shows_the_childs_page_with_privacy_headers(self):
        self.login(self.parent)
        response = self.client.get(self.url("child", self.noah.pk))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Cache-Control"], "no-store")
        self.assertContains(response, "Noah")
        self.assertContains(response, "parentvoice", count=0)

    def test_it_gives_404_for_another_familys_child_everywhere(self):
        other = Pupil.objects.filter(family=self.el_amrani).get()
        self.login(self.parent)
        for name in ("child", "recorded", "signals", "consents", "looked"):
            self.assertEqual(self.client.get(self.url(name, other.pk)).status_code, 404, name)
            self.assertEqual(self.client.get(self.url(name, self.noah.pk)).status_code, 200, name)
        other_bridge = Bridge.objects.create(
            family=self.el_amrani, key_figure=self.kf, introduced_by=self.care
        )
        response = self.client.post(self.url("give", self.noah.pk, other_bridge.pk))
        self.assertEqual(response.status_code, 404)
        response = self.client.post(self.url("give", other.pk, other_bridge.pk))
        self.assertEqual(response.status_code, 404)

    def test_it_refuses_a_parent_without_authority(self):
        Guardianship.objects.filter(guardian=self.mother).update(parental_authority=False)
        self.login(self.parent)
        self.assertEqual(self.client.get(self.url("child", self.noah.pk)).status_code, 404)
        response = self.client.get(self.url("home"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "geen ouderlijk gezag")

    def test_the_start_page_of_a_parent_with_one_child_is_that_childs_page(self):
        self.login(self.parent)
        start = self.client.get(self.url("home"))
        self.assertEqual(start.status_code, 200)  # not a redirect: one round trip on a phone
        child = self.client.get(self.url("child", self.noah.pk))
        for response in (start, child):
            self.assertContains(response, f'href="{self.url("child", self.noah.pk)}" aria-current')
        # The picker stays one click away.
        self.assertNotContains(self.client.get(self.url("home") + "?kies=1"), "aria-current")

    def test_it_refuses_a_pupil_who_left(self):
        Pupil.objects.filter(pk=self.noah.pk).update(left_on=date(2024, 7, 1))
        self.login(self.parent)
        self.assertEqual(self.client.get(self.url("child", self.noah.pk)).status_code, 404)

    def test_it_never_shows_the_other_parents_address_or_contact_details(self):
        self.login(self.parent)
        for name in ("child", "recorded", "signals", "consents", "looked"):
            response = self.client.get(self.url(name, self.noah.pk))
            for secret in ("Geheimstraat", "vader-geheim@example.org", "0699999999"):
                self.assertNotContains(response, secret)

    def test_it_hides_a_contact_about_a_step_sibling_only(self):
        step = Pupil.objects.create(
            school=self.school,
            family=self.jansen,
            group=self.group_1a,
            first_name="Stief",
            last_name="Kind",
            date_of_birth=date(2013, 1, 1),
            pupil_number="9999",
        )
        Guardianship.objects.create(pupil=step, guardian=self.father, relation="father")
        about_step = add_contact(self.jansen, self.mentor, note="Alleen over stiefkind")
        about_step.pupils.set([step])
        about_noah = add_contact(self.jansen, self.mentor, note="Over Noah")
        about_noah.pupils.set([self.noah])
        self.login(self.parent)
        response = self.client.get(self.url("recorded", self.noah.pk))
        self.assertContains(response, "Over Noah")
        self.assertNotContains(response, "Alleen over stiefkind")
        self.assertEqual(self.client.get(self.url("child", step.pk)).status_code, 404)

    def test_it_hides_restricted_records_and_the_interpretation(self):
        contact = add_contact(self.jansen, self.mentor, note="Geheim gesprek")
        contact.pupils.set([self.noah])
        signal = Signal.objects.create(
            school=self.school,
            pupil=self.noah,
            category="absence",
            observed_on=date(2025, 3, 1),
            observation="Drie dagen afwezig",
            pupil_words="Ik moest op mijn broertje passen.",
            interpretation="Vermoedelijk thuis problemen",
            author=self.mentor,
        )
        self.login(self.parent)
        response = self.client.get(self.url("signals", self.noah.pk))
        self.assertContains(response, "Drie dagen afwezig")
        # The child's own words, as in the export (privacy.md); never the interpretation.
        self.assertContains(response, "De woorden van uw kind")
        self.assertContains(response, "Ik moest op mijn broertje passen.")
        self.assertNotContains(response, "Vermoedelijk")
        self.assertContains(self.client.get(self.url("recorded", self.noah.pk)), "Geheim gesprek")
        actions.restrict(self.care, reason=RestrictionReason.POLICE, contact=contact)
        actions.restrict(self.care, reason=RestrictionReason.MELDCODE, signal=signal)
        self.assertNotContains(
            self.client.get(self.url("recorded", self.noah.pk)), "Geheim gesprek"
        )
        hidden = self.client.get(self.url("signals", self.noah.pk))
        self.assertNotContains(hidden, "Drie dagen")
        self.assertNotContains(hidden, "broertje")
        Restriction.objects.update(lifted_at=timezone.now())
        actions.release_interpretation(self.care, signal)
        self.assertContains(self.client.get(self.url("signals", self.noah.pk)), "Vermoedelijk")

    def test_it_allows_the_pupils_own_request_only_from_16(self):
        contact = add_contact(self.jansen, self.mentor)
        contact.pupils.set([self.noah])
        with self.assertRaises(actions.Refused):
            actions.restrict(self.care, reason=RestrictionReason.PUPIL_REQUEST, contact=contact)
        Pupil.objects.filter(pk=self.noah.pk).update(date_of_birth=date(2000, 1, 1))
        self.noah.refresh_from_db()
        contact = Contact.objects.get(pk=contact.pk)
        actions.restrict(self.care, reason=RestrictionReason.PUPIL_REQUEST, contact=contact)
        self.login(self.parent)
        self.assertContains(self.client.get(self.url("consents", self.noah.pk)), "16")

    def test_it_lets_only_care_coordinators_restrict(self):
        contact = add_contact(self.jansen, self.mentor)
        data = {"record": f"contact:{contact.pk}", "reason": "police"}
        self.login(self.mentor)
        response = self.client.post(reverse("portal:restrict", args=[self.jansen.pk]), data)
        self.assertEqual(response.status_code, 404)
        self.login(self.care)
        response = self.client.post(reverse("portal:restrict", args=[self.jansen.pk]), data)
        self.assertEqual(response.status_code, 302)
        self.assertTrue(Restriction.objects.in_force().filter(contact=contact).exists())

    def test_it_shows_a_guardian_with_children_at_two_schools_a_picker(self):
        make_family(self.other_school, self.other_group, name="Tweede")
        second = Guardian.objects.filter(school=self.other_school, last_name="Tweede").first()
        second.user = self.parent
        second.save()
        self.login(self.parent)
        response = self.client.get(self.url("home"))
        self.assertContains(response, "De Kade")
        self.assertContains(response, "Maaslandcollege")


class TestConsents(PortalCase):
    def test_it_withdraws_at_once_and_the_key_figure_loses_access(self):
        self.assertTrue(access.consented_bridges(self.keyfigure).exists())
        self.login(self.parent)
        response = self.client.post(self.url("withdraw", self.noah.pk, self.consent.pk))
        self.assertEqual(response.status_code, 302)
        access.forget_roles(self.keyfigure)
        self.assertFalse(access.consented_bridges(self.keyfigure).exists())
        self.login(self.keyfigure)
        page = self.client.get(reverse("bridges:family", args=[self.bridge.pk]))
        self.assertEqual(page.status_code, 404)

    def test_it_cannot_withdraw_twice_or_unwithdraw_by_replaying(self):
        self.login(self.parent)
        self.client.post(self.url("withdraw", self.noah.pk, self.consent.pk))
        first = Consent.objects.get(pk=self.consent.pk).withdrawn_at
        self.client.post(self.url("withdraw", self.noah.pk, self.consent.pk))
        self.assertEqual(Consent.objects.get(pk=self.consent.pk).withdrawn_at, first)
        self.assertEqual(Consent.objects.filter(bridge=self.bridge).count(), 1)

    def test_it_gives_consent_online_once(self):
        Consent.objects.all().delete()
        self.login(self.parent)
        url = self.url("give", self.noah.pk, self.bridge.pk)
        self.client.post(url, {"contact_person": "on"})
        self.client.post(url, {"contact_person": "on"})
        consents = Consent.objects.filter(bridge=self.bridge)
        self.assertEqual(consents.count(), 1)
        self.assertEqual(consents.get().how, Consent.How.PORTAL)

    def test_it_refuses_withdrawing_another_parents_consent(self):
        theirs = Consent.objects.create(
            bridge=self.bridge,
            guardian=self.father,
            given_on=date(2025, 1, 1),
            how="phone",
            recorded_by=self.mentor,
        )
        self.login(self.parent)
        response = self.client.post(self.url("withdraw", self.noah.pk, theirs.pk))
        self.assertEqual(response.status_code, 404)
        self.assertIsNone(Consent.objects.get(pk=theirs.pk).withdrawn_at)


class TestGettingIn(PortalCase):
    def invite(self, guardian, channel="email"):
        return actions.invite(self.mentor, guardian, channel)

    def test_it_activates_once(self):
        activation = self.invite(self.father)
        url = self.url("activate", activation.token)
        data = {
            "email": "papa@example.org",
            "password": "lang genoeg ww",
            "password_again": "lang genoeg ww",
        }
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 302)
        self.father.refresh_from_db()
        self.assertIsNotNone(self.father.user)
        self.client.logout()
        response = self.client.get(url)
        self.assertEqual(response.status_code, 410)
        self.assertContains(response, "Vraag de school om een nieuwe link", status_code=410)

    def test_it_refuses_an_expired_link(self):
        activation = self.invite(self.father)
        Activation.objects.filter(pk=activation.pk).update(
            expires_at=timezone.now() - timedelta(minutes=1)
        )
        response = self.client.get(self.url("activate", activation.token))
        self.assertEqual(response.status_code, 410)

    def test_it_keeps_what_was_typed_on_a_bad_password(self):
        activation = self.invite(self.father)
        data = {"email": "papa@example.org", "password": "kort", "password_again": "kort"}
        response = self.client.post(self.url("activate", activation.token), data)
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "papa@example.org", status_code=400)
        self.assertContains(response, "minstens 10 tekens", status_code=400)

    def test_it_finds_the_activation_by_the_letters_code(self):
        activation = self.invite(self.father, "letter")
        self.assertEqual(activation.channel, "letter")
        response = self.client.post(
            self.url("code"), {"code": activation.code.lower().replace("-", " ")}
        )
        self.assertRedirects(
            response, self.url("activate", activation.token), fetch_redirect_response=False
        )

    def test_it_sends_the_invitation_in_the_written_language(self):
        self.father.written_language_id = "ar"
        self.father.save()
        activation = self.invite(self.father)
        actions.send(activation.pk)
        self.assertIn("بوابة", mail.outbox[-1].subject)

    def test_it_signs_in_with_email_and_password(self):
        self.parent.set_password("lang genoeg ww")
        self.parent.save()
        response = self.client.post(
            self.url("sign_in"), {"identifier": self.parent.email, "password": "lang genoeg ww"}
        )
        self.assertEqual(response.status_code, 302)
        response = self.client.post(
            self.url("sign_in"), {"identifier": self.parent.email, "password": "fout"}
        )
        self.assertEqual(response.status_code, 400)

    def test_it_throttles_password_guessing(self):
        for _ in range(5):
            self.client.post(
                self.url("sign_in"), {"identifier": self.parent.email, "password": "x"}
            )
        response = self.client.post(
            self.url("sign_in"),
            {"identifier": self.parent.email, "password": "correct horse battery"},
        )
        self.assertEqual(response.status_code, 429)

    def test_it_signs_in_with_a_one_time_link(self):
        self.client.post(
            self.url("sign_in"), {"action": "link", "link-identifier": self.parent.email}
        )
        body = mail.outbox[-1].body
        token = body.split("/inloggen/link/")[1].split("/")[0]
        url = self.url("link", token)
        self.assertEqual(self.client.get(url).status_code, 200)  # a scanner opening it uses nothing
        self.assertEqual(self.client.post(url).status_code, 302)
        self.client.logout()
        self.assertEqual(self.client.post(url).status_code, 410)

    def test_it_throttles_link_requests(self):
        for _ in range(5):
            self.client.post(
                self.url("sign_in"), {"action": "link", "link-identifier": "x@example.org"}
            )
        response = self.client.post(
            self.url("sign_in"), {"action": "link", "link-identifier": "x@example.org"}
        )
        self.assertEqual(response.status_code, 429)


class TestLanguage(PortalCase):
    def test_it_sticks_and_turns_arabic_right_to_left(self):
        self.login(self.parent)
        self.client.post(self.url("language"), {"language": "ar", "next": "/ouders/"})
        response = self.client.get(self.url("child", self.noah.pk))
        self.assertContains(response, 'dir="rtl"')
        self.assertContains(response, 'lang="ar"')
        self.assertContains(response, "المرشد")
        self.assertEqual(self.parent.parent_preference.language, "ar")

    def test_it_speaks_the_picked_language_on_the_answer_page_too(self):
        from bondgenoot.messaging.models import Delivery, Message

        message = Message.objects.create(
            school=self.school, author=self.mentor, subject="Hoi", body="Hallo"
        )
        delivery = Delivery.objects.create(
            message=message,
            family=self.jansen,
            guardian=self.mother,
            channel="email",
            address="x@example.org",
            language="nl",
            subject="Hoi",
            body="Hallo",
            reply_token=private_links.new_token(),
        )
        self.client.cookies[private_links.LANGUAGE_COOKIE] = "tr"
        response = self.client.get(reverse("messaging:reply", args=[delivery.reply_token]))
        self.assertContains(response, "Veli portalı")  # header
        self.assertContains(response, 'lang="tr"')


class TestQueryCounts(PortalCase):
    # Exact counts per page (session and user, roles, the page's own queries, the audit
    # entry of the reads), the same with 1 and with 15 of everything a page lists.
    # child: 12 + 4 for the case discussions (cases_portal): the parent's open invitations
    # and the published summaries, each asking the policy whether this is their child.
    # Every page: 1 for the languages the parent's schools offer (the picker), with their
    # schools' settings (school_settings.for_parent: the school's contact details on the
    # child's page, the staff-names setting of recorded and looked). recorded: 1 for the
    # authors' roles.
    # start and child: the list of the parent's children also tells the policy which are
    # theirs (access.remember_children, get_parent_pupil_among): one query less; and
    # which guardian record of the parent's is theirs for each child
    # (access.guardian_id_for): one more less.
    EXPECTED = {
        "start": 13,
        "child": 13,
        "recorded": 14,
        "signals": 15,
        "consents": 12,
        "looked": 9,
    }

    def grow(self, size):
        for n in range(size):
            c = add_contact(self.jansen, self.mentor, note="x")
            c.pupils.set([self.noah])
            c.guardians.set([self.mother])
            Signal.objects.create(
                school=self.school,
                pupil=self.noah,
                category="absence",
                observed_on=date(2025, 3, 1) + timedelta(days=n),
                observation="x",
                author=self.mentor,
            )
            kf = KeyFigure.objects.create(
                school=self.school,
                name=f"Kf {size}-{n}",
                kind="youth_worker",
                agreement_on=date(2024, 1, 1),
                confidentiality_signed=True,
            )
            Bridge.objects.create(family=self.jansen, key_figure=kf, introduced_by=self.mentor)

    def test_it_pins_the_childs_pages_at_two_sizes(self):
        self.login(self.parent)
        self.client.get(self.url("home"))  # the session's first save is not the page's
        for size in (1, 15):
            self.grow(size)
            counts = {
                name: self._count(self.url(name, self.noah.pk))
                for name in ("child", "recorded", "signals", "consents", "looked")
            }
            counts["start"] = self._count(self.url("home"))
            self.assertEqual(counts, self.EXPECTED, size)

    def _count(self, url):
        return count_queries(lambda: self.assertEqual(self.client.get(url).status_code, 200))


class TestRestrictionsPage(PortalCase):
    def test_it_shows_what_is_held_back_to_care_coordinators_only(self):
        contact = add_contact(self.jansen, self.mentor)
        actions.restrict(self.care, reason=RestrictionReason.POLICE, contact=contact)
        url = reverse("portal:restrict", args=[self.jansen.pk])
        self.login(self.mentor)
        self.assertEqual(self.client.get(url).status_code, 404)
        shown = family_page(self.client, self.jansen.pk)
        self.assertNotContains(shown, url)
        self.login(self.care)
        shown = family_page(self.client, self.jansen.pk)
        self.assertContains(shown, url)  # a plain link, no script needed
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Cache-Control"], "no-store")
        self.assertContains(response, "Een politieonderzoek")
        other = reverse("portal:restrict", args=[self.el_amrani.pk])
        self.login(self.outsider)
        self.assertEqual(self.client.get(url).status_code, 404)
        self.login(self.care)
        self.assertEqual(self.client.get(other).status_code, 200)

    def test_it_keeps_the_choice_on_a_bad_post(self):
        contact = add_contact(self.jansen, self.mentor)
        self.login(self.care)
        url = reverse("portal:restrict", args=[self.jansen.pk])
        response = self.client.post(url, {"record": f"contact:{contact.pk}", "reason": ""})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, f'value="contact:{contact.pk}" selected', status_code=400)
