"""A crawler per role: from the start page, follow every link and form action the role is
shown (GET only) to a fixed depth. Every link answers 200, or redirects to a page that
does; never 403, 404 or 500. A form that posts is not a page: its action may answer a
GET with 405, but never with 403, 404 or 500 (the form would lead nowhere)."""

from __future__ import annotations

from collections import deque
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit

from bondgenoot.core.tests.pages import MainPagesTestCase
from bondgenoot.testing import log_in

DEPTH = 3
MAX_PAGES = 120  # per role; the test data is small, so this is every distinct page
SKIP_PREFIXES = ("/static/", "/i18n/", "/account/uitloggen/")
NEVER = {403, 404, 500}


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        # (method, action, hidden fields): a posting form's hidden fields say what it is
        # about (?gezin=…), so its action is opened with them.
        self.forms: list[tuple[str, str, dict]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag == "form":
            self.forms.append(((a.get("method") or "get").lower(), a.get("action") or "", {}))
        if (
            tag == "input"
            and a.get("type") == "hidden"
            and self.forms
            and a.get("name") not in (None, "csrfmiddlewaretoken")
        ):
            self.forms[-1][2][a["name"]] = a.get("value") or ""


class CrawlTestCase(MainPagesTestCase):
    def local(self, base: str, href: str) -> str | None:
        if href.startswith(("mailto:", "tel:", "#", "javascript:")):
            return None
        url = urlsplit(urljoin(base, href))
        if url.netloc not in ("", "testserver") or url.path.startswith(SKIP_PREFIXES):
            return None
        return url.path + (f"?{url.query}" if url.query else "")

    def follow(self, url: str) -> tuple[int, str, str]:
        """(status of the first answer, final url, html) following redirects."""
        response = self.client.get(url)
        first = response.status_code
        hops = 0
        while response.status_code in (301, 302, 303, 307, 308) and hops < 5:
            url = self.local(url, response["Location"]) or ""
            self.assertTrue(url, f"redirect off the site from {url}")
            response = self.client.get(url)
            hops += 1
        body = ""
        if response.get("Content-Type", "").startswith("text/html"):
            body = response.content.decode()
        return (first if response.status_code == 200 else response.status_code), url, body

    def crawl(self, user) -> dict:
        log_in(self.client, user)
        seen: set[str] = set()
        problems: list[str] = []
        queue = deque([("/", 0, "start")])
        pages = 0
        while queue and pages < MAX_PAGES:
            url, depth, origin = queue.popleft()
            if url in seen:
                continue
            seen.add(url)
            status, final, html = self.follow(url)
            pages += 1
            if status != 200 and status not in (301, 302, 303, 307, 308):
                problems.append(f"{status} {url} (linked from {origin})")
                continue
            if depth >= DEPTH or not html:
                continue
            parser = Links()
            parser.feed(html)
            for href in parser.links:
                target = self.local(final, href)
                if target and target not in seen:
                    queue.append((target, depth + 1, final))
            for method, action, hidden in parser.forms:
                target = self.local(final, action) or final
                if method != "get" and hidden:
                    target += ("&" if "?" in target else "?") + urlencode(hidden)
                if method == "get":
                    if target not in seen:
                        queue.append((target, depth + 1, final))
                elif target not in seen:
                    seen.add(target)
                    answer = self.client.get(target).status_code
                    if answer in NEVER:
                        problems.append(f"{answer} form action {target} (on {final})")
        return {"pages": pages, "problems": problems}

    def assert_crawl(self, user, at_least: int) -> None:
        result = self.crawl(user)
        self.assertEqual(result["problems"], [], user.username)
        self.assertGreaterEqual(result["pages"], at_least, user.username)

    def test_the_mentor_meets_no_dead_end(self):
        self.assert_crawl(self.mentor, 15)

    def test_the_teacher_meets_no_dead_end(self):
        self.assert_crawl(self.teacher, 3)

    def test_the_care_coordinator_meets_no_dead_end(self):
        self.assert_crawl(self.care, 20)

    def test_the_school_leader_meets_no_dead_end(self):
        self.assert_crawl(self.leader, 5)

    def test_the_administrator_meets_no_dead_end(self):
        self.assert_crawl(self.admin, 5)

    def test_the_key_figure_meets_no_dead_end(self):
        self.assert_crawl(self.keyfigure, 3)

    def test_the_partner_meets_no_dead_end(self):
        self.assert_crawl(self.partner, 3)

    def test_a_mentor_and_school_leader_meets_no_dead_end(self):
        self.assert_crawl(self.dual, 10)

    def test_it_notices_a_dead_link(self):
        # The crawler itself: a page that links to a 404 is reported.
        from unittest import mock

        original = self.follow

        def broken(url):
            status, final, html = original(url)
            if final == "/gezinnen/":
                html = html.replace("</main>", '<a href="/bestaat-niet/">x</a></main>')
            return status, final, html

        with mock.patch.object(self, "follow", broken):
            result = self.crawl(self.mentor)
        self.assertIn("404 /bestaat-niet/ (linked from /gezinnen/)", result["problems"])
