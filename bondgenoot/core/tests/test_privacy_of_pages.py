"""No page asks anything of a third party, and no page leaks data into its URLs."""

import re

from django.urls import reverse

from bondgenoot.testing import BaseTestCase

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

    def test_it_keeps_names_out_of_family_urls(self):
        url = reverse("people:family", args=[self.jansen.pk])
        self.assertNotIn("jansen", url.lower())
        self.assertRegex(url, r"^/gezinnen/[0-9a-f-]{36}/$")
