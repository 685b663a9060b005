from django.urls import reverse

from bondgenoot.audit.models import AuditEntry
from bondgenoot.contacts.models import NextStep
from bondgenoot.people.models import Guardian, Guardianship, Pupil
from bondgenoot.testing import BaseTestCase, add_contact, count_queries, grow, make_group


class FamilyListTest(BaseTestCase):
    url = reverse("people:families")

    def get(self, **params):
        return self.client.get(self.url, params)

    def search(self, **params):
        return self.client.post(self.url, params)

    def test_it_lists_a_mentors_own_families(self):
        self.login(self.mentor)
        response = self.get()
        self.assertContains(response, "Jansen")
        self.assertContains(response, "Yilmaz")
        self.assertNotContains(response, "El Amrani")
        self.assertNotContains(response, "Visser")

    def test_it_shows_languages_and_interpreter_need(self):
        self.login(self.care)
        response = self.search(q="amrani")
        self.assertContains(response, "Arabisch")
        self.assertContains(response, "tolk")

    def card(self, response, name: str) -> str:
        html = response.content.decode()
        start = html.index(f">{name}</a></h2>")
        return html[start : html.index("</li>", start)]

    def test_a_card_names_each_child_oldest_first_and_each_guardian_once(self):
        self.login(self.care)
        card = self.card(self.get(), "Yilmaz")
        # Lina (2B, born 2011) before Noah (1A, born 2012); both parents are linked to
        # both children and are named once each, with their languages.
        self.assertLess(card.index("Lina Yilmaz"), card.index("Noah Yilmaz"))
        self.assertIn('<span class="tag">2B</span>', card)
        self.assertEqual(card.count("Maria Yilmaz"), 1)
        self.assertEqual(card.count("Ahmed Yilmaz"), 1)
        self.assertIn("Turks", card)
        self.assertNotIn("tolk", card)

    def test_a_card_escapes_the_names_it_shows_and_links_to_the_family(self):
        # The card's lines are written in Python (people.cards): names stay text.
        Pupil.objects.filter(family=self.jansen).update(first_name="<b>Noah</b>")
        Guardian.objects.filter(guardianships__pupil__family=self.jansen).update(
            first_name="Anne & <i>"
        )
        self.login(self.mentor)
        response = self.get()
        card = self.card(response, "Jansen")
        self.assertIn("&lt;b&gt;Noah&lt;/b&gt; Jansen", card)
        self.assertIn("Anne &amp; &lt;i&gt;", card)
        self.assertNotIn("<b>", card)
        self.assertNotIn("<i>", card)
        url = reverse("people:family", args=[self.jansen.pk])
        self.assertContains(response, f'<h2><a href="{url}">Jansen</a></h2>', html=False)

    def test_a_card_without_guardians_says_so(self):
        Guardianship.objects.filter(pupil__family=self.jansen).delete()
        self.login(self.mentor)
        card = self.card(self.get(), "Jansen")
        self.assertIn('<p class="muted">Geen ouders of verzorgers bekend</p>', card)

    def test_a_guardian_of_two_families_has_their_languages_on_both_cards(self):
        # The Yilmaz mother is also the guardian of the El Amrani child (a new family).
        mother = Guardian.objects.get(last_name="Yilmaz", first_name="Maria")
        amrani = Pupil.objects.get(family=self.el_amrani)
        Guardianship.objects.create(pupil=amrani, guardian=mother, relation="stepparent")
        self.login(self.care)
        response = self.get()
        for name in ("Yilmaz", "El Amrani"):
            card = self.card(response, name)
            self.assertIn('Maria Yilmaz <span class="tag">Nederlands</span>', card)
            self.assertIn("Turks", card)

    def test_a_card_shows_the_ledger_in_short_tags_in_dutch(self):
        self.login(self.mentor)
        card = self.card(self.get(), "Jansen")
        self.assertIn("nog geen positief persoonlijk contact", card)
        add_contact(self.jansen, self.mentor, days_ago=3, tone="positive")
        NextStep.objects.create(
            family=self.jansen,
            what="Bellen",
            owner=self.mentor,
            due="2020-01-01",
            created_by=self.mentor,
        )
        card = self.card(self.get(), "Jansen")
        self.assertIn("positief contact 3 dagen geleden", card)
        self.assertIn('<span class="tag tag--warn">1 actie over tijd</span>', card)
        self.assertIn("Contact vastleggen", card)

    def test_it_counts_all_overdue_actions_and_shows_the_first_five(self):
        self.login(self.mentor)
        self.assertNotContains(
            self.client.get(self.url, HTTP_ACCEPT_LANGUAGE="en"), "overdue action"
        )
        for day in range(1, 8):
            NextStep.objects.create(
                family=self.jansen,
                what=f"Step {day}",
                owner=self.mentor,
                due=f"2020-01-0{day}",
                created_by=self.mentor,
            )
        NextStep.objects.create(  # another's step is not theirs to do
            family=self.jansen,
            what="Step 9",
            owner=self.care,
            due="2020-01-09",
            created_by=self.mentor,
        )
        response = self.client.get(self.url, HTTP_ACCEPT_LANGUAGE="en")
        self.assertContains(response, "You have 7 overdue actions.")
        self.assertContains(response, "Step 5 —")
        self.assertNotContains(response, "Step 6 —")
        self.assertNotContains(response, "Step 9 —")

    def test_a_card_shows_no_ledger_to_who_keeps_the_register(self):
        self.login(self.admin)
        card = self.card(self.get(), "Jansen")
        self.assertNotIn("positief", card)
        self.assertNotIn("Contact vastleggen", card)

    def test_it_lists_the_whole_school_for_a_care_coordinator(self):
        self.login(self.care)
        response = self.get()
        for name in ("Jansen", "El Amrani", "Yilmaz"):
            self.assertContains(response, name)
        self.assertNotContains(response, "Visser")

    def test_it_searches_pupils_and_guardians(self):
        self.login(self.care)
        response = self.search(q="amrani")
        self.assertContains(response, "El Amrani")
        self.assertNotContains(response, "Jansen")
        # A guardian's first name finds the family too.
        response = self.search(q="Ahmed jansen")
        self.assertContains(response, "Jansen")
        self.assertNotContains(response, "Yilmaz")

    def test_it_filters_by_group(self):
        self.login(self.care)
        response = self.get(group=self.group_2b.pk)
        self.assertContains(response, "El Amrani")
        self.assertContains(response, "Yilmaz")
        self.assertNotContains(response, "Jansen")

    def test_it_ignores_a_group_the_user_may_not_filter_on(self):
        self.login(self.mentor)
        response = self.get(group=self.other_group.pk)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Selecteer een geldige keuze")
        self.assertNotContains(response, "Visser")

    def test_it_sorts(self):
        self.login(self.care)
        body = self.get(sort="-name").content.decode()
        self.assertLess(body.index("Yilmaz"), body.index("Jansen"))
        body = self.get(sort="name").content.decode()
        self.assertLess(body.index("El Amrani"), body.index("Jansen"))
        body = self.get(sort="group").content.decode()
        self.assertLess(body.index("Jansen"), body.index("El Amrani"))  # 1A before 2B

    def test_it_returns_only_the_results_to_htmx(self):
        self.login(self.mentor)
        response = self.client.post(self.url, {"q": "jan"}, headers={"HX-Request": "true"})
        self.assertContains(response, 'id="results"')
        self.assertNotContains(response, "<html")

    def test_it_keeps_names_out_of_the_url_asvs_14_2_1(self):
        self.login(self.care)
        page = self.get().content.decode()
        self.assertIn('method="post"', page)
        self.assertNotIn("hx-push-url", page.split('id="family-filters"')[1].split("</form>")[0])
        # A name in the address is ignored; the same name posted filters the list.
        self.assertContains(self.get(q="amrani"), "Jansen")
        self.assertNotContains(self.search(q="amrani"), "Jansen")

    def test_it_pages_a_name_search_with_the_form(self):
        grow(self.school, self.group_1a, 30)
        self.login(self.mentor)
        response = self.search(q="e")
        self.assertContains(response, 'form="family-filters" name="page" value="2"')
        self.assertNotContains(response, "q=e")
        self.assertContains(self.search(q="e", page=2), "Pagina 2 van 2")

    def test_it_pages(self):
        grow(self.school, self.group_1a, 30)
        self.login(self.mentor)
        response = self.get()
        self.assertContains(response, "Pagina 1 van 2")
        self.assertContains(response, "32 gezinnen")
        second = self.get(page=2)
        self.assertContains(second, "Pagina 2 van 2")

    def test_it_is_not_for_roles_without_families(self):
        for user in (self.teacher, self.leader, self.keyfigure, self.partner):
            self.login(user)
            self.assertEqual(self.get().status_code, 403, user)

    def test_it_is_not_for_parents_yet(self):
        self.login(self.parent)
        self.assertEqual(self.get().status_code, 403)

    def test_it_requires_login(self):
        response = self.get()
        self.assertRedirects(response, reverse("accounts:login") + "?next=" + self.url)

    def test_it_does_not_audit_a_list_view(self):
        self.login(self.mentor)
        before = AuditEntry.objects.count()
        self.get()
        self.assertEqual(AuditEntry.objects.count(), before)

    def test_its_query_count_does_not_grow_with_data(self):
        self.login(self.care)
        self.get()  # warm up (session, content types)
        small = count_queries(lambda: self.search(q="e"))
        grow(self.school, self.group_1a, 40)
        grow(self.school, make_group(self.school, "3C"), 40, prefix="More")
        large = count_queries(lambda: self.search(q="e"))
        self.assertEqual(small, large)
        self.assertLessEqual(large, 19)
