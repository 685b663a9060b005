"""Panels of the family page that load on demand (``Panel.lazy``, ``people:panel``).

The page shows a placeholder (htmx loads the panel; without JavaScript it is a plain
link); the panel's own address asks the same access questions as the page and writes
the same audit entry, naming the panel.
"""

from __future__ import annotations

from django.urls import reverse

from bondgenoot.audit.models import AuditEntry
from bondgenoot.contacts.models import Contact
from bondgenoot.testing import BaseTestCase, add_contact

LAZY = ("approach.situation", "bridges.family", "contacts.timeline", "parentvoice.family")
HTMX = {"HTTP_HX_REQUEST": "true"}


class LazyPanelTest(BaseTestCase):
    def panel_url(self, name: str, family=None) -> str:
        return reverse("people:panel", args=[(family or self.jansen).pk, name])

    def test_it_shows_placeholders_that_load_the_panels(self):
        add_contact(self.jansen, self.mentor, note="Gesprek over de fiets")
        self.login(self.mentor)
        response = self.client.get(reverse("people:family", args=[self.jansen.pk]))
        self.assertEqual(response.status_code, 200)
        for name in LAZY:
            url = self.panel_url(name)
            self.assertContains(response, f'hx-get="{url}"')
        # Without JavaScript the timeline's placeholder links to the whole timeline page.
        self.assertContains(
            response, f'href="{reverse("contacts:timeline", args=[self.jansen.pk])}"'
        )
        # What the lazy panels show is not on the page itself.
        self.assertNotContains(response, "Gesprek over de fiets")
        self.assertNotContains(response, 'id="approach-heading"')
        # The contact form loads from its own address (which asks the policy itself).
        self.assertContains(response, f'hx-get="{reverse("contacts:new", args=[self.jansen.pk])}"')

    def test_it_serves_a_panel_to_htmx_and_audits_it(self):
        add_contact(self.jansen, self.mentor, note="Gesprek over de fiets")
        self.login(self.mentor)
        before = AuditEntry.objects.filter(action=AuditEntry.Action.VIEW).count()
        response = self.client.get(self.panel_url("contacts.timeline"), **HTMX)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Gesprek over de fiets")
        self.assertNotContains(response, "<html")
        entry = AuditEntry.objects.filter(action=AuditEntry.Action.VIEW).latest("seq")
        self.assertEqual(
            AuditEntry.objects.filter(action=AuditEntry.Action.VIEW).count(), before + 1
        )
        self.assertEqual(entry.actor_id, self.mentor.pk)
        self.assertEqual(entry.object_id, str(self.jansen.pk))
        self.assertEqual(entry.detail, {"panel": "contacts.timeline"})

    def test_it_serves_a_whole_page_without_javascript(self):
        self.login(self.mentor)
        response = self.client.get(self.panel_url("approach.situation"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "<html")
        self.assertContains(response, 'id="approach-heading"')
        self.assertContains(response, self.jansen.name)

    def test_it_refuses_a_family_the_user_does_not_see(self):
        # Positive control: the family's own mentor and the care coordinator get it.
        for user in (self.mentor, self.care):
            self.login(user)
            for name in LAZY:
                self.assertEqual(self.client.get(self.panel_url(name), **HTMX).status_code, 200)
        # A mentor at another school, a mentor of another group, a teacher: 404, as the
        # family page itself.
        for user in (self.outsider, self.dual, self.teacher):
            self.login(user)
            for name in LAZY:
                with self.subTest(user=user.username, panel=name):
                    response = self.client.get(self.panel_url(name), **HTMX)
                    self.assertEqual(response.status_code, 404)
                    self.assertNotContains(response, self.jansen.name, status_code=404)

    def test_it_refuses_a_panel_that_does_not_apply(self):
        # The administrator sees the family page (the register) but not the ledger, so
        # not the panels built on it: 403, and nothing of the family's contacts.
        add_contact(self.jansen, self.mentor, note="Gesprek over de fiets")
        self.login(self.admin)
        self.assertEqual(
            self.client.get(reverse("people:family", args=[self.jansen.pk])).status_code, 200
        )
        for name in LAZY:
            with self.subTest(panel=name):
                response = self.client.get(self.panel_url(name), **HTMX)
                self.assertEqual(response.status_code, 403)
                self.assertNotContains(response, "Gesprek over de fiets", status_code=403)
        self.assertFalse(
            AuditEntry.objects.filter(
                action=AuditEntry.Action.VIEW, actor_id=self.admin.pk, detail__has_key="panel"
            ).exists()
        )

    def test_it_serves_only_registered_lazy_panels(self):
        self.login(self.mentor)
        for name in ("contacts.ledger", "no.such.panel", "messaging.write"):
            with self.subTest(panel=name):
                self.assertEqual(self.client.get(self.panel_url(name), **HTMX).status_code, 404)

    def test_it_shows_a_filtered_timeline_with_the_page_without_javascript(self):
        # The timeline's filter and pages without JavaScript lead to the family page
        # with a query: then the timeline is on the page itself.
        add_contact(self.jansen, self.mentor, note="Gesprek over de fiets", tone="positive")
        self.login(self.mentor)
        url = reverse("people:family", args=[self.jansen.pk])
        response = self.client.get(url + "?tone=positive")
        self.assertContains(response, "Gesprek over de fiets")
        self.assertEqual(Contact.objects.filter(family=self.jansen).count(), 1)


class PlaceholderMarkupTest(BaseTestCase):
    """The placeholder is written in Python (people.panels.placeholder_html): the same
    element the template wrote, its label escaped."""

    def test_it_writes_both_kinds_of_placeholder(self):
        from bondgenoot.people.panels import Panel, panel_urls, placeholder_html

        pk = self.jansen.pk
        url = reverse("people:panel", args=[pk, "x.y"])
        timeline = reverse("contacts:timeline", args=[pk])

        def panel(**fields):
            return Panel(name="x.y", slot="bottom", order=1, applies=bool, template="t", **fields)

        on_load = placeholder_html(
            panel(lazy="Show <b>", link="contacts:timeline"), pk, panel_urls(pk)
        )
        self.assertEqual(
            on_load,
            f'<div class="lazy-panel" hx-get="{url}" hx-trigger="load" hx-swap="outerHTML">\n'
            f'  <p><a href="{timeline}">Show &lt;b&gt;</a></p>\n</div>\n',
        )
        on_click = placeholder_html(panel(lazy="Change", trigger="click"), pk, panel_urls(pk))
        self.assertEqual(
            on_click,
            f'<div class="lazy-panel">\n  <p><a href="{url}" hx-get="{url}"'
            ' hx-target="closest .lazy-panel" hx-swap="outerHTML">Change</a></p>\n</div>\n',
        )
