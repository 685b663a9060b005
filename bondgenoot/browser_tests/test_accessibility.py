"""Accessibility beyond the axe run on each page: axe at phone width (390 px) as well
as 1280 px, no duplicate ids after the htmx swaps that add forms, and the main tasks by
keyboard alone (record a contact, send a message)."""

import pytest
from playwright.sync_api import expect

from bondgenoot.contacts.models import Contact
from bondgenoot.messaging.models import Message

from .conftest import assert_accessible, log_in

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
