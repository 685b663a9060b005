"""No page asks anything of a third party, and no page leaks data into its URLs."""

import re
from urllib.parse import unquote

from django.urls import reverse

from bondgenoot.testing import BaseTestCase

URL_ATTRIBUTE = re.compile(r"""(?:href|action|hx-get|hx-post|hx-push-url)\s*=\s*["']([^"']+)["']""")
EXTERNAL = re.compile(r"""(?:src|href|action)\s*=\s*["'](?:https?:)?//""", re.I)


class NoThirdPartyRequestsTest(BaseTestCase):
    def pages(self):
        return [
            reverse("people:families"),
            reverse("people:family", args=[self.jansen.pk]),
            reverse("audit:log"),
        ]

    def test_it_only_references_its_own_origin(self):
        for url in (reverse("accounts:login"), reverse("accounts:password_reset")):
            response = self.client.get(url)
            self.assertIsNone(EXTERNAL.search(response.content.decode()), url)
        self.login(self.care)
        for url in self.pages():
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200, url)
            self.assertIsNone(EXTERNAL.search(response.content.decode()), url)

    def test_it_sends_a_strict_content_security_policy(self):
        response = self.client.get(reverse("accounts:login"))
        policy = response["Content-Security-Policy"]
        self.assertIn("default-src 'self'", policy)
        self.assertIn("frame-ancestors 'none'", policy)
        self.assertNotIn("unsafe-inline", policy)
        self.assertEqual(response["Referrer-Policy"], "same-origin")

    def test_it_keeps_names_out_of_the_links_on_its_pages(self):
        """Every link, form action and htmx URL on the main pages, for every staff role,
        carries ids, never a family's, pupil's or guardian's name."""
        from bondgenoot.people.models import Family, Guardian, Pupil

        names = {n.lower() for n in Family.objects.values_list("name", flat=True)}
        for first, last in [
            *Pupil.objects.values_list("first_name", "last_name"),
            *Guardian.objects.values_list("first_name", "last_name"),
        ]:
            names |= {first.lower(), last.lower()}
        names = {n for n in names if len(n) > 2}
        pages = [
            reverse("home"),
            reverse("people:families"),
            reverse("people:family", args=[self.jansen.pk]),
            reverse("people:family", args=[self.yilmaz.pk]),
            reverse("contacts:timeline", args=[self.jansen.pk]),
        ]
        links_seen = 0
        for user in (self.mentor, self.care, self.admin, self.teacher, self.leader):
            self.login(user)
            for page in pages:
                response = self.client.get(page)
                if response.status_code != 200:
                    continue
                for url in URL_ATTRIBUTE.findall(response.content.decode()):
                    if url.startswith(("mailto:", "tel:")):
                        continue  # the user's own mail or phone app, not a request to us
                    links_seen += 1
                    decoded = unquote(url).lower()
                    for name in names:
                        self.assertNotRegex(
                            decoded, rf"(?<![a-z]){re.escape(name)}(?![a-z])", (user, page, url)
                        )
        # Positive control: the pages were read and had links (the family pages above
        # link to the timeline, the contact form and more).
        self.assertGreater(links_seen, 50)
        family_url = reverse("people:family", args=[self.jansen.pk])
        self.assertRegex(family_url, r"^/gezinnen/[0-9a-f-]{36}/$")
