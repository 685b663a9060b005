"""Every ``aria-describedby`` on a form page points at elements that exist, and every
help text and error list has the id a field points at (one field template for all)."""

from __future__ import annotations

import re

from django.urls import reverse

from bondgenoot.core.tests.pages import dangling, main_pages, parse
from bondgenoot.core.tests.test_query_counts import QueryCountTestCase
from bondgenoot.people.models import Pupil
from bondgenoot.testing import BaseTestCase

DESCRIBED_BY = re.compile(r'aria-describedby="([^"]*)"')
IDS = re.compile(r'\bid="([^"]+)"')


class DescribedByTest(BaseTestCase):
    def check(self, response) -> int:
        html = response.content.decode()
        ids = set(IDS.findall(html))
        pointers = 0
        for value in DESCRIBED_BY.findall(html):
            for target in value.split():
                pointers += 1
                self.assertIn(target, ids, f"aria-describedby points at a missing id: {target}")
        return pointers

    def test_it_points_only_at_ids_that_exist_on_form_pages(self):
        pupil = Pupil.objects.filter(family=self.jansen).first()
        pages = [
            (self.mentor, reverse("people:family", args=[self.jansen.pk])),
            (self.mentor, reverse("contacts:new", args=[self.jansen.pk])),
            (self.mentor, reverse("meetings:new")),
            (self.mentor, reverse("messaging:compose") + f"?gezin={self.jansen.pk}"),
            (self.care, reverse("bridges:new")),
            (self.teacher, reverse("network:new") + f"?leerling={pupil.pk}"),
        ]
        pointers = 0
        for user, url in pages:
            self.login(user)
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200, url)
            pointers += self.check(response)
        self.assertGreater(pointers, 3)  # positive control: help texts are described

    def test_it_describes_errors_after_a_failed_post(self):
        self.login(self.mentor)
        response = self.client.post(reverse("meetings:new"), {"title": ""})
        self.assertEqual(response.status_code, 400)
        html = response.content.decode()
        self.assertIn('aria-invalid="true"', html)
        self.assertGreater(self.check(response), 0)
        self.assertRegex(html, r'<ul class="errorlist" id="id_[a-z_]+_error">')


class PointersOnEveryPageTest(QueryCountTestCase):
    """Every ``aria-describedby`` and ``aria-labelledby`` on every main page (and in the
    forms htmx swaps in) points at an element that exists on that page."""

    def test_it_points_only_at_ids_that_exist_on_every_main_page(self):
        pointers = 0
        for user, url in main_pages(self):
            self.login(user)
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200, (user.username, url))
            parser = parse(response.content.decode())
            self.assertEqual(dangling(parser), [], (user.username, url))
            pointers += len(parser.pointers)
        self.assertGreater(pointers, 50)  # positive control: the pages have pointers

    def test_it_points_only_at_ids_that_exist_in_swapped_in_forms(self):
        self.login(self.mentor)
        url = reverse("contacts:new", args=[self.jansen.pk])
        for response in (
            self.client.get(url, HTTP_HX_REQUEST="true"),
            self.client.post(url, {}, HTTP_HX_REQUEST="true"),
        ):
            parser = parse(response.content.decode())
            self.assertGreater(len(parser.pointers), 0)
            self.assertEqual(dangling(parser), [])

    def test_it_sees_a_pointer_to_nothing(self):
        parser = parse('<p id="a">x</p><input aria-describedby="a b"><div aria-labelledby="c">')
        self.assertEqual(
            dangling(parser), ["aria-describedby=b on <input>", "aria-labelledby=c on <div>"]
        )
