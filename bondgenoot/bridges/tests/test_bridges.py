"""Introducing a key figure with the parent's consent: who may do what, what the key
figure sees, and that withdrawing consent ends their access at once."""

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from bondgenoot import access
from bondgenoot.audit.models import AuditEntry
from bondgenoot.bridges.models import Bridge, Consent, KeyFigure
from bondgenoot.contacts.models import Contact, FamilySummary
from bondgenoot.people.models import Guardian, Membership, Role, User
from bondgenoot.testing import BaseTestCase, add_contact, family_page


class BridgeTestCase(BaseTestCase):
    def setUp(self):
        self.mustafa = KeyFigure.objects.create(
            school=self.school,
            name="Mustafa Amezian",
            kind="youth_worker",
            organisation="Jongerenwerk Zuid",
            user=self.keyfigure,
            postcode_areas=["3081"],
            agreement_on=date(2026, 1, 1),
            confidentiality_signed=True,
        )
        self.mustafa.languages.set(["ar", "zgh"])
        self.mother = Guardian.objects.filter(guardianships__pupil__family=self.jansen).first()

    def introduce(self, user=None, family=None, key_figure=None):
        self.login(user or self.mentor)
        family = family or self.jansen
        return self.client.post(
            reverse("bridges:introduce", args=[family.pk, (key_figure or self.mustafa).pk])
        )

    def consent(self, bridge, **fields):
        data = {
            "guardian": str(self.mother.pk),
            "given_on": timezone.localdate().isoformat(),
            "how": "phone",
            "share_contact_person": "on",
            "explained": "on",
            **fields,
        }
        return self.client.post(reverse("bridges:consent", args=[bridge.pk]), data)

    def key_figure_status(self, bridge):
        self.login(self.keyfigure)
        return self.client.get(reverse("bridges:family", args=[bridge.pk])).status_code


class IntroduceAndConsentTest(BridgeTestCase):
    def test_a_key_figure_sees_a_family_only_after_consent(self):
        response = self.introduce()
        bridge = Bridge.objects.get()
        self.assertRedirects(response, reverse("bridges:bridge", args=[bridge.pk]))
        self.assertEqual(self.key_figure_status(bridge), 404)
        self.assertEqual(list(access.bridged_families(self.keyfigure)), [])

        self.login(self.mentor)
        self.assertRedirects(self.consent(bridge), reverse("bridges:bridge", args=[bridge.pk]))
        consent = Consent.objects.get()
        self.assertEqual(
            (consent.guardian, consent.how, consent.recorded_by),
            (self.mother, "phone", self.mentor),
        )
        self.assertEqual(self.key_figure_status(bridge), 200)
        self.assertEqual(list(access.bridged_families(self.keyfigure)), [self.jansen])
        audited = AuditEntry.objects.filter(object_type="bridges.consent", action="create")
        self.assertEqual(audited.get().family_id, str(self.jansen.pk))

    def test_withdrawing_consent_ends_access_at_once(self):
        self.introduce()
        bridge = Bridge.objects.get()
        self.login(self.mentor)
        self.consent(bridge)
        self.assertEqual(self.key_figure_status(bridge), 200)
        self.login(self.care)
        response = self.client.post(
            reverse("bridges:withdraw", args=[bridge.pk]), {"note": "Moeder belde."}
        )
        self.assertRedirects(response, reverse("bridges:bridge", args=[bridge.pk]))
        consent = Consent.objects.get()
        self.assertIsNotNone(consent.withdrawn_at)
        self.assertEqual(
            (consent.withdrawn_by, consent.withdrawal_note), (self.care, "Moeder belde.")
        )
        self.assertEqual(self.key_figure_status(bridge), 404)
        self.assertEqual(list(access.bridged_families(self.keyfigure)), [])
        mine = self.client.get(reverse("bridges:mine"))
        self.assertNotContains(mine, "Jansen")
        # Logging a contact is refused too.
        response = self.client.post(
            reverse("bridges:family", args=[bridge.pk]),
            {"purpose": "informal", "tone": "positive", "reached": "1"},
        )
        self.assertEqual(response.status_code, 404)
        self.assertFalse(Contact.objects.exists())

    def test_ending_the_link_ends_access_and_allows_a_new_introduction(self):
        self.introduce()
        bridge = Bridge.objects.get()
        self.consent(bridge)
        self.client.post(reverse("bridges:withdraw", args=[bridge.pk]), {"end": "1"})
        bridge.refresh_from_db()
        self.assertIsNotNone(bridge.ended_at)
        self.assertIsNotNone(Consent.objects.get().withdrawn_at)
        self.assertEqual(self.key_figure_status(bridge), 404)
        self.introduce()
        self.assertEqual(Bridge.objects.filter(ended_at__isnull=True).count(), 1)

    def test_a_deactivated_key_figure_loses_access(self):
        self.introduce()
        bridge = Bridge.objects.get()
        self.consent(bridge)
        KeyFigure.objects.filter(pk=self.mustafa.pk).update(active=False)
        self.assertEqual(self.key_figure_status(bridge), 404)

    def test_consent_must_come_from_a_parent_with_authority_and_not_in_the_future(self):
        self.introduce()
        bridge = Bridge.objects.get()
        stepparent = Guardian.objects.create(school=self.school, last_name="Stief")
        self.jansen.pupils.first().guardianships.create(
            guardian=stepparent, relation="stepparent", parental_authority=False
        )
        response = self.consent(bridge, guardian=str(stepparent.pk))
        self.assertEqual(response.status_code, 400)
        future = (timezone.localdate() + timedelta(days=2)).isoformat()
        response = self.consent(bridge, given_on=future)
        self.assertEqual(response.status_code, 400)
        response = self.consent(bridge, explained="")
        self.assertEqual(response.status_code, 400)
        self.assertFalse(Consent.objects.exists())
        self.assertEqual(self.key_figure_status(bridge), 404)

    def test_a_key_figure_without_an_agreement_cannot_be_introduced(self):
        KeyFigure.objects.filter(pk=self.mustafa.pk).update(confidentiality_signed=False)
        self.introduce()
        self.assertFalse(Bridge.objects.exists())

    def test_who_may_introduce(self):
        self.login(self.admin)
        self.assertEqual(self.introduce(self.admin).status_code, 403)
        for user in (self.teacher, self.leader, self.keyfigure, self.partner, self.outsider):
            self.assertEqual(self.introduce(user).status_code, 404, user)
        # A mentor only for families in their own groups.
        self.assertEqual(self.introduce(self.mentor, family=self.el_amrani).status_code, 404)
        # Key figures of another school cannot be linked.
        elsewhere = KeyFigure.objects.create(school=self.other_school, name="X", kind="caretaker")
        self.assertEqual(self.introduce(self.mentor, key_figure=elsewhere).status_code, 404)
        self.assertFalse(Bridge.objects.exists())
        self.assertEqual(self.introduce(self.care).status_code, 302)

    def test_the_bridge_page_is_for_those_who_work_with_the_family(self):
        self.introduce()
        bridge = Bridge.objects.get()
        url = reverse("bridges:bridge", args=[bridge.pk])
        for user, status in (
            (self.mentor, 200),
            (self.care, 200),
            (self.admin, 404),
            (self.teacher, 404),
            (self.leader, 404),
            (self.keyfigure, 404),
            (self.outsider, 404),
            (self.dual, 404),
        ):
            self.login(user)
            self.assertEqual(self.client.get(url).status_code, status, user)


class KeyFigureViewTest(BridgeTestCase):
    def setUp(self):
        super().setUp()
        self.bridge = Bridge.objects.create(
            family=self.jansen, key_figure=self.mustafa, introduced_by=self.mentor
        )
        self.scope = Consent.objects.create(
            bridge=self.bridge,
            guardian=self.mother,
            given_on=date(2026, 11, 1),
            how="in_person",
            share_contact_person=False,
            recorded_by=self.mentor,
        )
        self.jansen.contact_person = self.care
        self.jansen.save()
        add_contact(self.jansen, self.mentor, note="Vertrouwelijke notitie over thuis.")

    def page(self):
        self.login(self.keyfigure)
        return self.client.get(reverse("bridges:family", args=[self.bridge.pk]))

    def test_the_key_figure_sees_names_and_languages_but_no_records(self):
        page = self.page()
        self.assertContains(page, self.mother.full_name)
        self.assertContains(page, "Noah")
        self.assertNotContains(page, "Vertrouwelijke notitie")
        self.assertNotContains(page, self.mother.phone)
        self.assertNotContains(page, self.mother.email)
        self.assertNotContains(page, "3081")
        self.assertNotContains(page, self.care.first_name)  # not in this consent's scope
        entry = AuditEntry.objects.filter(actor_id=self.keyfigure.pk, action="view").last()
        self.assertEqual(entry.family_id, str(self.jansen.pk))

    def test_the_contact_person_is_shown_when_the_scope_allows(self):
        Consent.objects.filter(pk=self.scope.pk).update(share_contact_person=True)
        self.assertContains(self.page(), self.care.first_name)

    def test_the_staff_family_page_stays_closed_to_the_key_figure(self):
        self.login(self.keyfigure)
        for name in ("people:family", "contacts:timeline", "bridges:matches", "contacts:new"):
            response = self.client.get(reverse(name, args=[self.jansen.pk]))
            self.assertEqual(response.status_code, 404, name)

    def test_a_key_figure_logs_a_contact_that_counts_as_via_a_key_figure(self):
        self.login(self.keyfigure)
        response = self.client.post(
            reverse("bridges:family", args=[self.bridge.pk]),
            {"purpose": "acquaintance", "tone": "positive", "reached": "1", "note": "Koffie."},
        )
        self.assertRedirects(response, reverse("bridges:family", args=[self.bridge.pk]))
        contact = Contact.objects.get(author=self.keyfigure)
        self.assertEqual(
            (contact.channel, contact.key_figure, contact.dialogue, contact.family),
            ("key_figure", self.keyfigure, True, self.jansen),
        )
        summary = FamilySummary.objects.get(family=self.jansen)
        self.assertIsNotNone(summary.last_positive_personal_at)
        page = self.page()
        self.assertContains(page, "Koffie.")

    def test_a_bad_contact_keeps_what_was_typed(self):
        self.login(self.keyfigure)
        response = self.client.post(
            reverse("bridges:family", args=[self.bridge.pk]),
            {"purpose": "", "tone": "positive", "note": "Gesprek bij de moskee."},
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Gesprek bij de moskee.", status_code=400)
        self.assertFalse(Contact.objects.filter(author=self.keyfigure).exists())

    def test_another_key_figure_sees_nothing(self):
        other = User.objects.create_user("other-kf", password="x")
        Membership.objects.create(user=other, school=self.school, role=Role.KEY_FIGURE)
        self.login(other)
        response = self.client.get(reverse("bridges:family", args=[self.bridge.pk]))
        self.assertEqual(response.status_code, 404)
        self.assertNotContains(self.client.get(reverse("bridges:mine")), "Jansen")

    def test_the_key_figure_role_at_the_school_is_required(self):
        Membership.objects.filter(user=self.keyfigure).delete()
        self.login(self.keyfigure)
        response = self.client.get(reverse("bridges:family", args=[self.bridge.pk]))
        self.assertEqual(response.status_code, 404)

    def test_home_sends_a_key_figure_to_their_families(self):
        self.login(self.keyfigure)
        self.assertRedirects(self.client.get(reverse("home")), reverse("bridges:mine"))
        self.assertContains(self.client.get(reverse("bridges:mine")), "Jansen")


class FamilyPageTest(BridgeTestCase):
    def test_the_network_picture_and_suggestions_are_on_the_family_page(self):
        self.login(self.care)
        page = family_page(self.client, self.el_amrani.pk)
        self.assertContains(page, "<svg", count=1)
        self.assertContains(page, 'aria-labelledby="network-title network-desc"')
        self.assertEqual([m.key_figure for m in page.context["top_matches"]], [self.mustafa])
        Bridge.objects.create(
            family=self.el_amrani, key_figure=self.mustafa, introduced_by=self.care
        )
        page = family_page(self.client, self.el_amrani.pk)
        nodes = page.context["network"]["nodes"]
        self.assertEqual(
            [(n.name, n.kind) for n in nodes], [("Dual", "mentor"), ("Mustafa Amezian", "waiting")]
        )
        self.assertContains(page, "Mustafa Amezian")

    def test_a_long_family_name_fits_its_circle_and_stays_whole_in_the_title(self):
        from bondgenoot.bridges.network import FAMILY_LINE, FAMILY_LINES, name_lines

        for name in (
            "Van der Heijden van Oosterhout",
            "Abdirahman Mohamed Warsame",
            "Aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "El Amrani",
        ):
            lines = name_lines(name)
            self.assertLessEqual(len(lines), FAMILY_LINES, name)
            self.assertTrue(all(len(line) <= FAMILY_LINE for line in lines), lines)
            self.assertEqual(
                " ".join(lines).rstrip("…"),
                name[: len(" ".join(lines)) - 1] if lines[-1].endswith("…") else name,
            )
        self.el_amrani.name = "Van der Heijden van Oosterhout"
        self.el_amrani.save()
        self.login(self.care)
        page = family_page(self.client, self.el_amrani.pk)
        self.assertContains(page, "<title>Van der Heijden van Oosterhout</title>")
        self.assertContains(page, ">Van der</tspan>")
        self.assertContains(page, ">Heijden…</tspan>")

    def test_the_advice_names_key_figures_who_speak_the_familys_language(self):
        self.login(self.care)
        self.el_amrani.situation = "absent"
        self.el_amrani.save()
        panel = reverse("people:panel", args=[self.el_amrani.pk, "approach.situation"])
        advice = {a.id: a.text for a in self.client.get(panel).context["advice"]}
        self.assertIn("Mustafa Amezian (Jongerenwerk Zuid)", advice["absent-key-figures-language"])
        self.assertIn("3081", advice["absent-key-figures-language"])

    def test_the_advice_names_a_key_figure_already_linked_with_consent(self):
        self.login(self.care)
        self.el_amrani.situation = "absent"
        self.el_amrani.save()
        bridge = Bridge.objects.create(
            family=self.el_amrani, key_figure=self.mustafa, introduced_by=self.care
        )
        url = reverse("people:panel", args=[self.el_amrani.pk, "approach.situation"])
        advice = {a.id: a.text for a in self.client.get(url).context["advice"]}
        self.assertNotIn("absent-bridged", advice)  # waiting for consent
        mother = Guardian.objects.filter(guardianships__pupil__family=self.el_amrani).first()
        Consent.objects.create(
            bridge=bridge,
            guardian=mother,
            given_on=date(2026, 11, 1),
            how="phone",
            recorded_by=self.care,
        )
        advice = {a.id: a.text for a in self.client.get(url).context["advice"]}
        self.assertIn("Mustafa Amezian (Jongerenwerk Zuid)", advice["absent-bridged"])
