"""Every SVG on the main pages parses and carries plain numbers, in Dutch too.

Dutch formats write decimals with a comma (``320,0``); inside an SVG attribute that is
not a number, so the browser draws nothing. The pages are opened in Dutch and every
``<svg>`` is parsed as XML; every coordinate-like attribute must be a float as SVG
reads it.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from django.urls import reverse
from django.utils import translation

from bondgenoot.core.tests.pages import MainPagesTestCase
from bondgenoot.testing import log_in, with_panels

NUMERIC = {"x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "r", "dy", "width", "height"}
SVG = re.compile(r"<svg\b.*?</svg>", re.S)


class SvgNumbersTestCase(MainPagesTestCase):
    def svgs(self, user, url: str) -> list[ET.Element]:
        log_in(self.client, user)
        with translation.override("nl"):
            response = with_panels(
                self.client,
                self.client.get(url, HTTP_ACCEPT_LANGUAGE="nl"),
                HTTP_ACCEPT_LANGUAGE="nl",
            )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Language"], "nl")
        html = response.content.decode()
        found = []
        for text in SVG.findall(html):
            if "xmlns=" not in text[:200]:
                text = text.replace("<svg", '<svg xmlns="http://www.w3.org/2000/svg"', 1)
            found.append(ET.fromstring(text))
        return found

    def assert_plain_numbers(self, svg: ET.Element) -> int:
        checked = 0
        for element in svg.iter():
            for name, value in element.attrib.items():
                if name in NUMERIC and not value.endswith("%"):
                    float(value)  # raises on "320,0"
                    checked += 1
                if name == "viewBox":
                    [float(part) for part in value.split()]
                    checked += 1
                if name == "points":
                    for pair in value.split():
                        x, y = pair.split(",")
                        float(x), float(y)
                    checked += 1
        return checked

    def assert_page(self, user, url: str, *, at_least: int = 1) -> None:
        svgs = self.svgs(user, url)
        self.assertGreaterEqual(len(svgs), at_least, url)
        for svg in svgs:
            self.assertGreater(self.assert_plain_numbers(svg), 0)

    def test_it_draws_the_network_picture_in_dutch(self):
        self.assert_page(self.mentor, reverse("people:family", args=[self.jansen.pk]))

    def test_it_draws_the_monitor_charts_in_dutch(self):
        self.assert_page(self.mentor, reverse("contacts:monitor"), at_least=2)

    def test_it_draws_the_reach_charts_in_dutch(self):
        self.assert_page(self.care, reverse("meetings:reach", args=[self.meeting.pk]), at_least=3)
        self.assert_page(self.care, reverse("meetings:year_reach"), at_least=0)

    def test_it_fails_on_a_decimal_comma(self):
        # The check itself: a localised coordinate is caught.
        svg = ET.fromstring('<svg xmlns="http://www.w3.org/2000/svg"><line x1="320,0"/></svg>')
        with self.assertRaises(ValueError):
            self.assert_plain_numbers(svg)
