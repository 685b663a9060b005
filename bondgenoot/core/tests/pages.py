"""The main pages of the app per role, read for the accessibility checks (unique ids,
``aria-describedby`` and ``aria-labelledby`` that point at elements that exist).

The pages are fetched with the Django test client and parsed with the standard
library's HTML parser, so an id in a comment or a script does not count.
"""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser

from django.urls import reverse

from bondgenoot.core.tests.test_query_counts import QueryCountTestCase
from bondgenoot.testing import BaseTestCase

POINTERS = ("aria-describedby", "aria-labelledby")


class IdParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: Counter[str] = Counter()
        self.pointers: list[tuple[str, str, str]] = []  # (attribute, target, tag)

    def handle_starttag(self, tag, attrs) -> None:
        for name, value in attrs:
            if name == "id" and value:
                self.ids[value] += 1
            elif name in POINTERS and value:
                for target in value.split():
                    self.pointers.append((name, target, tag))

    handle_startendtag = handle_starttag


def parse(*fragments: str) -> IdParser:
    parser = IdParser()
    for html in fragments:
        parser.feed(html)
    parser.close()
    return parser


def duplicates(parser: IdParser) -> list[str]:
    return sorted(i for i, n in parser.ids.items() if n > 1)


def dangling(parser: IdParser) -> list[str]:
    return [
        f"{attr}={target} on <{tag}>"
        for attr, target, tag in parser.pointers
        if target not in parser.ids
    ]


def main_pages(case) -> list[tuple[object, str]]:
    """(user, url) for every main page, for the role that sees it fullest. ``case`` is a
    ``QueryCountTestCase`` (its data: contacts, steps, a bridge, a signal, a meeting and
    a message); adds a protocol open for comment, a network analyst with figures and an
    import waiting for confirmation."""
    from bondgenoot.network.models import Signal
    from bondgenoot.people.models import Pupil

    pupil = Pupil.objects.filter(family=case.jansen).first()
    signal = Signal.objects.first()
    share = signal.shares.first()
    contact = case.jansen.contacts.order_by("created_at").first()
    m, c, a, lead = case.mentor, case.care, case.admin, case.leader
    pages = [
        (m, reverse("people:families")),
        (m, reverse("people:families") + "?q=jan"),
        (m, reverse("people:family", args=[case.jansen.pk])),
        (c, reverse("people:family", args=[case.jansen.pk])),
        (c, reverse("people:family", args=[case.yilmaz.pk])),
        (m, reverse("contacts:new", args=[case.jansen.pk])),
        (m, reverse("contacts:edit", args=[contact.pk])),
        (m, reverse("contacts:timeline", args=[case.jansen.pk])),
        (m, reverse("contacts:worklist")),
        (lead, reverse("contacts:monitor")),
        (m, reverse("contacts:campaign")),
        (c, reverse("bridges:registry")),
        (c, reverse("bridges:new")),
        (c, reverse("bridges:edit", args=[case.kf.pk])),
        (m, reverse("bridges:matches", args=[case.jansen.pk])),
        (m, reverse("bridges:bridge", args=[case.bridge.pk])),
        (case.keyfigure, reverse("bridges:mine")),
        (case.keyfigure, reverse("bridges:family", args=[case.bridge.pk])),
        (m, reverse("messaging:list")),
        (m, reverse("messaging:compose") + f"?gezin={case.jansen.pk}"),
        (m, reverse("messaging:library")),
        (m, reverse("messaging:detail", args=[case.message.pk])),
        (c, reverse("meetings:list")),
        (c, reverse("meetings:new")),
        (c, reverse("meetings:year_reach")),
        (c, reverse("meetings:detail", args=[case.meeting.pk])),
        (c, reverse("meetings:reach", args=[case.meeting.pk])),
        (c, reverse("network:list")),
        (case.teacher, reverse("network:new") + f"?leerling={pupil.pk}"),
        (c, reverse("network:counts")),
        (c, reverse("network:signal", args=[signal.pk])),
        (c, reverse("network:chronology", args=[pupil.pk])),
        (c, reverse("network:break_glass")),
        (case.partner, reverse("network:partner")),
        (a, reverse("network:agreements")),
        (a, reverse("audit:log")),
        (m, reverse("accounts:account")),
    ]
    pages += _protocol_pages(case, pupil) + _analyst_and_import_pages(case)
    if share is not None:
        pages.append((case.partner, reverse("network:partner_share", args=[share.pk])))
    return pages


def _protocol_pages(case, pupil) -> list[tuple[object, str]]:
    """A draft for staff and parents with a comment of each: its writer sees every
    comment with a reply form, a reader and the parent only their own."""
    from bondgenoot.protocols import actions

    text = "Wat we doen bij een signaal.\n\nWe bellen eerst de ouders."
    values = {"title": "Signalen", "for_staff": True, "for_parents": True}
    version = actions.open_draft(case.care, case.school.pk, values, text, "We bellen u.")
    for paragraph in version.paragraphs.all():
        actions.add_comment(case.mentor, paragraph, "staff", "Graag binnen een dag.")
        actions.add_comment(case.parent, paragraph, "parent", "Bel ook de vader.")
    detail = reverse("protocols:detail", args=[version.protocol_id])
    return [
        (case.care, reverse("protocols:list")),
        (case.care, reverse("protocols:new")),
        (case.care, detail),
        (case.mentor, detail),
        (case.parent, reverse("protocols:parent_list", args=[pupil.pk])),
        (case.parent, reverse("protocols:parent_version", args=[pupil.pk, version.pk])),
    ]


def _analyst_and_import_pages(case) -> list[tuple[object, str]]:
    """The network analyst's patterns page (with last month's figures) and the
    administrator's import pages (with a OneRoster upload to confirm)."""
    from bondgenoot.network.models import SignalMonthCount
    from bondgenoot.patterns import figures
    from bondgenoot.people.models import Role
    from bondgenoot.roster import actions
    from bondgenoot.roster.tests.base import oneroster_zip
    from bondgenoot.testing import make_user

    analyst = make_user("analyst", school=case.school, roles=[Role.NETWORK_ANALYST])
    month = figures.completed_months()[-1]
    for category, n in (("absence", 14), ("bullying", 3), ("home", 12)):
        SignalMonthCount.objects.create(
            school=case.school, month=month, category=category, area="3081", count=n
        )
    case.school.brin = "99XX"  # the school in the fixture
    case.school.save()
    run = actions.preview(case.admin, case.school, oneroster_zip(), "export.zip")
    return [
        (analyst, reverse("patterns:page")),
        (case.admin, reverse("patterns:analysts")),
        (case.admin, reverse("roster:start")),
        (case.admin, reverse("roster:mapping")),
        (case.admin, reverse("roster:run", args=[run.pk])),
    ]


# --- the data of the query-count tests, for tests that open the main pages ---------


class MainPagesTestCase(BaseTestCase):
    # Borrowed, not inherited: inheriting would run every query-count test again.
    setUp = QueryCountTestCase.setUp
    add_family_data = QueryCountTestCase.add_family_data
    make_meeting = QueryCountTestCase.make_meeting
    make_message = QueryCountTestCase.make_message
