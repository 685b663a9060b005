"""Live regions speak a short status text ("2 opmerkingen in je tekst", "12 regels
gevonden"), not a whole report or list: a screen reader reads all of a live region's
new text after each change. Swapped-in or re-rendered content carries its short text in
``data-announce``; ``static/js/a11y.js`` puts it in a ``role="status"`` element outside
that content."""

from __future__ import annotations

from datetime import timedelta
from html.parser import HTMLParser

from django.urls import reverse
from django.utils import timezone

from bondgenoot.cases import actions as case_actions
from bondgenoot.core.tests.pages import main_pages
from bondgenoot.core.tests.test_query_counts import QueryCountTestCase
from bondgenoot.people.models import Pupil
from bondgenoot.protocols import actions as protocol_actions
from bondgenoot.testing import with_panels

SHORT = 150  # characters: a sentence, not a report
VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
# Two findings (jargon, passive), in the composer's test too (browser_tests/test_messages.py).
SUMMARY = "Het OPP wordt binnenkort besproken."


class LiveRegionParser(HTMLParser):
    """The text in each live region (``aria-live`` or ``role="status"``), and the
    short texts in ``data-announce`` with the region each goes to."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, int | None]] = []  # (tag, index of its region)
        self.regions: list[dict] = []
        self.announces: list[tuple[str, str]] = []  # (text, region id)

    def handle_starttag(self, tag, attrs) -> None:
        a = dict(attrs)
        if "data-announce" in a:
            self.announces.append((a["data-announce"] or "", a.get("data-announce-to") or ""))
        region = None
        if "aria-live" in a or a.get("role") == "status":
            region = len(self.regions)
            self.regions.append({"id": a.get("id"), "text": ""})
        if tag not in VOID:
            self.stack.append((tag, region))

    def handle_startendtag(self, tag, attrs) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data) -> None:
        for _tag, region in self.stack:
            if region is not None:
                self.regions[region]["text"] += data


def read(html: str) -> LiveRegionParser:
    parser = LiveRegionParser()
    parser.feed(html)
    parser.close()
    return parser


class LiveRegionsTest(QueryCountTestCase):
    def assert_brief(self, html: str, where) -> LiveRegionParser:
        parser = read(html)
        for region in parser.regions:
            text = " ".join(region["text"].split())
            self.assertLessEqual(len(text), SHORT, (where, region["id"], text[:200]))
        region_ids = {r["id"] for r in parser.regions}
        for text, target in parser.announces:
            self.assertIn(target, region_ids, (where, text))
        return parser

    def test_no_live_region_on_a_main_page_holds_more_than_a_sentence(self):
        regions = 0
        for user, url in main_pages(self):
            self.login(user)
            response = with_panels(self.client, self.client.get(url))
            regions += len(self.assert_brief(response.content.decode(), url).regions)
        self.assertGreater(regions, 3)  # positive control: the pages have live regions

    def test_the_audit_log_announces_how_many_entries_it_found(self):
        self.login(self.admin)
        response = self.client.get(reverse("audit:log"), HTTP_HX_REQUEST="true")
        ((text, target),) = read(response.content.decode()).announces
        self.assertRegex(text, r"^\d+ regels? gevonden$")
        self.assertEqual(target, "results-status")

    def test_the_tone_coach_announces_the_same_short_text_on_every_page(self):
        # The composer (the panel swapped in while typing), the case discussion's
        # minutes (the summary checked) and a protocol's summary checked for publication.
        pupil = Pupil.objects.filter(family=self.jansen).first()
        discussion = case_actions.create_discussion(
            self.care,
            self.school.pk,
            {"kind": "zat", "starts_at": timezone.now() + timedelta(days=3), "place": "A"},
            [],
        )
        item = case_actions.add_item(self.care, discussion, pupil, "Veel verzuim.")
        version = protocol_actions.open_draft(
            self.care, self.school.pk, {"title": "Signalen", "for_staff": True}, "Een.", ""
        )
        self.login(self.mentor)
        # The composer's region is in the page, outside the panel swapped in.
        page = self.client.get(reverse("messaging:compose") + f"?gezin={self.jansen.pk}")
        panel = self.client.post(reverse("messaging:tone"), {"body": SUMMARY})
        self.assertIn('id="tone-panel"', panel.content.decode())
        self.login(self.care)
        self.client.post(
            reverse("cases:summary", args=[discussion.pk, item.pk]),
            {"summary": SUMMARY, "check": "1"},
        )
        minutes = self.client.get(reverse("cases:minutes", args=[discussion.pk, item.pk]))
        protocol = self.client.post(
            reverse("protocols:publish", args=[version.protocol_id]),
            {"publish-text": "Een.", "publish-summary": SUMMARY, "check": ""},
        )
        for name, responses in (
            ("composer", [page, panel]),
            ("minutes", [minutes]),
            ("protocol", [protocol]),
        ):
            html = ""
            for response in responses:
                self.assertEqual(response.status_code, 200, name)
                html += response.content.decode()
            self.assertIn("<mark", html, name)  # positive control: the report is there
            parser = self.assert_brief(html, name)
            spoken = [(text, to) for text, to in parser.announces if text]  # not the empty panel
            self.assertEqual(spoken, [("2 opmerkingen in je tekst", "tone-status")], name)
            self.assertIn({"id": "tone-status", "text": ""}, parser.regions, name)
