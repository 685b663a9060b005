"""No main page has an id twice: a duplicate id makes a label, a legend or an
``aria-describedby`` point at the wrong field (clicking "Op school" in the invitation
checked "Huisbezoek" in the contact form). Also after the htmx swaps that add forms to a
page ("Mijn gezinnen" with two inline contact forms open)."""

from __future__ import annotations

from django.urls import reverse

from bondgenoot.core.tests.pages import duplicates, main_pages, parse
from bondgenoot.core.tests.test_query_counts import QueryCountTestCase
from bondgenoot.testing import family_page, with_panels


class UniqueIdsTest(QueryCountTestCase):
    def test_it_has_no_duplicate_id_on_any_main_page(self):
        seen = 0
        for user, url in main_pages(self):
            self.login(user)
            # As the browser shows it: with the parts htmx loads on demand.
            response = with_panels(self.client, self.client.get(url))
            self.assertEqual(response.status_code, 200, (user.username, url))
            parser = parse(response.content.decode())
            self.assertEqual(duplicates(parser), [], (user.username, url))
            seen += sum(parser.ids.values())
        self.assertGreater(seen, 500)  # positive control: the pages have ids

    def test_it_gives_the_family_pages_forms_their_own_ids(self):
        self.login(self.care)
        html = family_page(self.client, self.jansen.pk).content.decode()
        # Both forms are on the page (positive control), each with its own channel ids.
        self.assertIn('action="' + reverse("meetings:invite_family", args=[self.jansen.pk]), html)
        self.assertIn(f'id="contact-form-{self.jansen.pk}"', html)
        self.assertEqual(duplicates(parse(html)), [])

    def test_it_has_no_duplicate_id_with_two_inline_contact_forms_open(self):
        self.login(self.mentor)
        page = self.client.get(reverse("people:families")).content.decode()
        forms = [
            self.client.get(reverse("contacts:new", args=[family.pk]), HTTP_HX_REQUEST="true")
            for family in (self.jansen, self.yilmaz)
        ]
        for response in forms:
            self.assertEqual(response.status_code, 200)
            self.assertIn("<form", response.content.decode())
        # A failed save re-renders the form inline, still with its own ids.
        failed = self.client.post(
            reverse("contacts:new", args=[self.yilmaz.pk]), {}, HTTP_HX_REQUEST="true"
        )
        for extra in ([], [failed]):
            fragments = [page] + [r.content.decode() for r in forms[:1] + (extra or forms[1:])]
            self.assertEqual(duplicates(parse(*fragments)), [])
        # The same form twice would clash: the check sees a duplicate (positive control).
        twice = parse(page, forms[0].content.decode(), forms[0].content.decode())
        self.assertIn(f"contact-form-{self.jansen.pk}", duplicates(twice))
