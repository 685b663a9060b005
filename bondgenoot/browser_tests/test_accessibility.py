"""Accessibility beyond the axe run on each page: axe at phone width (390 px) as well
as 1280 px (also on the pages of roles no flow test walks: protocols, patterns, the
import), no duplicate ids after the htmx swaps that add forms, and the main tasks by
keyboard alone (record a contact, send a message)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from bondgenoot import access
from bondgenoot.contacts.models import Contact
from bondgenoot.messaging.models import Message
from bondgenoot.network.models import SignalMonthCount
from bondgenoot.patterns import figures
from bondgenoot.people.models import Guardian, Role
from bondgenoot.protocols import actions as protocol_actions
from bondgenoot.roster import actions as roster_actions
from bondgenoot.roster.tests.base import oneroster_zip
from bondgenoot.testing import make_user

from .conftest import PASSWORD, assert_accessible, log_in
from .test_network import second_step

pytestmark = pytest.mark.browser

DUPLICATE_IDS = """() => {
  const seen = {}; const twice = [];
  for (const el of document.querySelectorAll('[id]')) {
    if (seen[el.id]) twice.push(el.id); seen[el.id] = true;
  }
  return twice;
}"""


def tab_to(page, selector: str, limit: int = 120) -> None:
    """Press Tab until the element matching ``selector`` has focus (keyboard only)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_axe_at_phone_and_desktop_width(page, live_server, cast):
    log_in(page, live_server, "mentor")
    paths = ["/gezinnen/", f"/gezinnen/{cast.jansen.pk}/", "/acties/", "/berichten/"]
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        for path in paths:
            page.goto(live_server.url + path)
            assert_accessible(page)


def test_axe_on_the_protocol_patterns_and_import_pages(browser, live_server, cast):
    """Each page as the role that uses it: the care coordinator writes a protocol, a
    mentor and a parent comment, the network analyst reads the patterns, the
    administrator imports the roster."""
    care = make_user("zorg", school=cast.school, roles=[Role.CARE_COORDINATOR])
    admin = make_user("beheer", school=cast.school, roles=[Role.ADMINISTRATOR])
    analyst = make_user("analist", school=cast.school, roles=[Role.NETWORK_ANALYST])
    pupil = cast.jansen.pupils.first()
    mother = Guardian.objects.filter(guardianships__pupil=pupil).first()
    mother.user = make_user("moeder")
    mother.save()
    values = {"title": "Signalen", "for_staff": True, "for_parents": True}
    version = protocol_actions.open_draft(
        care, cast.school.pk, values, "Wat we doen.\n\nWe bellen eerst de ouders.", "Kort."
    )
    for paragraph in version.paragraphs.all():
        protocol_actions.add_comment(cast.mentor, paragraph, "staff", "Graag binnen een dag.")
        protocol_actions.add_comment(mother.user, paragraph, "parent", "Bel ook de vader.")
    for category, n in (("absence", 14), ("bullying", 3)):
        SignalMonthCount.objects.create(
            school=cast.school,
            month=figures.completed_months()[-1],
            category=category,
            area="3081",
            count=n,
        )
    cast.school.brin = "99XX"  # the school in the import fixture
    cast.school.save()
    run = roster_actions.preview(admin, cast.school, oneroster_zip(), "export.zip")
    protocol = reverse("protocols:detail", args=[version.protocol_id])
    parent_pages = [
        reverse("protocols:parent_list", args=[pupil.pk]),
        reverse("protocols:parent_version", args=[pupil.pk, version.pk]),
    ]
    pages = {
        care: [reverse("protocols:list"), reverse("protocols:new"), protocol],
        cast.mentor: [reverse("protocols:list"), protocol],
        analyst: [reverse("patterns:page")],
        admin: [
            reverse("patterns:analysts"),
            reverse("roster:start"),
            reverse("roster:mapping"),
            reverse("roster:run", args=[run.pk]),
        ],
        mother.user: parent_pages,
    }
    for user, paths in pages.items():
        context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        if user == mother.user:
            page.goto(live_server.url + reverse("portal:sign_in"))
            page.locator("input[name=identifier]").fill(user.email)
            page.locator("input[name=password]").fill(PASSWORD)
            page.locator("main form button[type=submit]").first.click()
            page.wait_for_load_state("networkidle")
        else:
            log_in(page, live_server, user.username)
            if access.requires_two_factor(user):
                second_step(page, user)
        for width, height in ((1280, 900), (390, 844)):
            page.set_viewport_size({"width": width, "height": height})
            for path in paths:
                response = page.goto(live_server.url + path)
                assert response.status == 200, (user.username, path)
                assert page.url == live_server.url + path  # not sent to a sign-in page
                assert page.evaluate(DUPLICATE_IDS) == [], path
                assert_accessible(page)
        if user == care:
            # The tone check of the summary: the report, and its short text spoken.
            page.goto(live_server.url + protocol)
            page.locator("textarea[name=publish-summary]").fill(
                "Het OPP wordt binnenkort besproken."
            )
            page.locator("button[name=check]").click()
            expect(page.locator(".tone-report mark").first).to_have_text("OPP")
            expect(page.locator("#tone-status[role=status]")).to_have_text(
                "2 opmerkingen in je tekst"
            )
            assert_accessible(page)
        context.close()


def test_no_duplicate_ids_with_two_inline_contact_forms_open(page, live_server, cast):
    log_in(page, live_server, "mentor")
    page.goto(live_server.url + "/gezinnen/")
    for family in (cast.jansen, cast.amrani):
        page.locator(f"a[hx-get='/gezinnen/{family.pk}/contact/']").click()
        expect(page.locator(f"#contact-form-{family.pk}")).to_be_visible()
    assert page.evaluate(DUPLICATE_IDS) == []
    # Searching swaps the results: still one #results, and the count is announced.
    page.locator("#id_q").fill("Jan")
    expect(page.locator("#results-status")).to_contain_text("1")
    assert page.evaluate(DUPLICATE_IDS) == []


def test_record_a_contact_and_send_a_message_by_keyboard(page, live_server, cast):
    log_in(page, live_server, "mentor")
    page.goto(f"{live_server.url}/gezinnen/{cast.jansen.pk}/contact/")
    # Fill every required choice with the keyboard: Space checks the focused radio.
    for name in ("channel", "purpose", "tone"):
        tab_to(page, f"form.contact-form input[name={name}]")
        page.keyboard.press("Space")
    tab_to(page, "form.contact-form button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator(f"#contact-form-{cast.jansen.pk}[role=status]")).to_be_focused()
    assert Contact.objects.filter(family=cast.jansen).count() == 1

    page.goto(f"{live_server.url}/berichten/nieuw/?gezin={cast.jansen.pk}")
    tab_to(page, "#id_subject")
    page.keyboard.type("Fijne vakantie")
    tab_to(page, "#id_body")
    page.keyboard.type("Beste ouders, wij wensen u een fijne vakantie.")
    tab_to(page, "button[name=send]")
    page.keyboard.press("Enter")
    expect(page.locator("#send-bar")).to_be_visible()  # sent: the delivery progress
    assert Message.objects.count() == 1
