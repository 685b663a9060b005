from django.urls import reverse

from bondgenoot.audit.models import AuditEntry
from bondgenoot.testing import BaseTestCase


class SetContactPersonTest(BaseTestCase):
    def url(self, family):
        return reverse("people:contact_person", args=[family.pk])

    def test_it_sets_the_contact_person_and_audits_it(self):
        self.login(self.care)
        response = self.client.post(self.url(self.jansen), {"contact_person": self.mentor.pk})
        self.assertRedirects(response, reverse("people:family", args=[self.jansen.pk]))
        self.jansen.refresh_from_db()
        self.assertEqual(self.jansen.contact_person, self.mentor)
        entry = AuditEntry.objects.filter(action="update").order_by("-seq").first()
        self.assertEqual(entry.family_id, str(self.jansen.pk))
        self.assertEqual(
            entry.detail, {"field": "contact_person", "from": None, "to": self.mentor.pk}
        )
        self.assertEqual(entry.route, "people:contact_person")

    def test_it_lets_a_mentor_clear_it(self):
        self.jansen.contact_person = self.care
        self.jansen.save()
        self.login(self.mentor)
        self.client.post(self.url(self.jansen), {"contact_person": ""})
        self.jansen.refresh_from_db()
        self.assertIsNone(self.jansen.contact_person)

    def test_it_refuses_someone_outside_the_school_as_contact_person(self):
        self.login(self.care)
        response = self.client.post(self.url(self.jansen), {"contact_person": self.outsider.pk})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Selecteer een geldige keuze", status_code=400)
        self.jansen.refresh_from_db()
        self.assertIsNone(self.jansen.contact_person)

    def test_it_is_forbidden_for_roles_that_only_read(self):
        for user in (self.admin,):
            self.login(user)
            self.assertEqual(self.client.post(self.url(self.jansen), {}).status_code, 403)

    def test_it_is_404_for_those_who_may_not_see_the_family(self):
        for user in (self.teacher, self.leader, self.outsider, self.keyfigure, self.parent):
            self.login(user)
            response = self.client.post(self.url(self.jansen), {"contact_person": ""})
            self.assertEqual(response.status_code, 404, user)

    def test_it_only_accepts_post(self):
        self.login(self.care)
        self.assertEqual(self.client.get(self.url(self.jansen)).status_code, 405)


class ContactPersonFormOnDemandTest(BaseTestCase):
    """The family page shows who the contact person is; the form to change it (the
    school's whole team as choices) comes on demand: a link that htmx follows, a page of
    its own without JavaScript. After a failed save the page shows it with its error."""

    def panel(self, htmx=True):
        url = reverse("people:panel", args=[self.jansen.pk, "people.contact_person"])
        return self.client.get(url, **({"HTTP_HX_REQUEST": "true"} if htmx else {}))

    def test_the_page_links_to_the_form_and_the_link_brings_it(self):
        self.login(self.mentor)
        page = self.client.get(reverse("people:family", args=[self.jansen.pk]))
        self.assertContains(page, "Contactpersoon wijzigen")
        self.assertNotContains(page, 'name="contact_person"')
        form = self.panel()
        self.assertContains(form, 'name="contact_person"')
        self.assertContains(form, "data-focus")  # the choice takes focus after the click
        self.assertContains(form, self.care.get_full_name())
        # Without JavaScript: the same form on a page of its own.
        self.assertContains(self.panel(htmx=False), "<h1>Jansen</h1>")

    def test_it_is_not_offered_to_who_may_not_change_it(self):
        self.login(self.admin)
        page = self.client.get(reverse("people:family", args=[self.jansen.pk]))
        self.assertNotContains(page, "Contactpersoon wijzigen")
        self.assertEqual(self.panel().status_code, 403)
        self.login(self.outsider)
        self.assertEqual(self.panel().status_code, 404)

    def test_a_failed_save_shows_the_form_with_what_was_chosen(self):
        self.login(self.care)
        response = self.client.post(
            reverse("people:contact_person", args=[self.jansen.pk]),
            {"contact_person": self.outsider.pk},
        )
        self.assertContains(response, 'name="contact_person"', status_code=400)
        self.assertContains(response, "Selecteer een geldige keuze", status_code=400)


class StaffChoicesTest(BaseTestCase):
    def test_it_offers_the_contact_person_choices_named_as_users_are(self):
        from bondgenoot.people.forms import contact_person_choices, staff_choices

        self.care.first_name, self.care.last_name = "", ""  # named by their username
        self.care.save()
        self.mentor.first_name, self.mentor.last_name = "Sanne", ""
        self.mentor.save()
        users = list(contact_person_choices(self.jansen))
        self.assertEqual(staff_choices(self.jansen), [(u.pk, str(u)) for u in users])
        self.assertIn((self.care.pk, "care"), staff_choices(self.jansen))
        self.assertIn((self.mentor.pk, "Sanne"), staff_choices(self.jansen))
        self.assertNotIn(self.outsider.pk, [pk for pk, _name in staff_choices(self.jansen)])
