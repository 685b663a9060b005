"""The contact ledger in a real Chromium: campaign, contact form, worklist, monitor."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from bondgenoot.contacts.models import Contact, NextStep
from bondgenoot.people.models import Role
from bondgenoot.testing import make_family, make_user

from .conftest import assert_accessible, log_in

pytestmark = pytest.mark.browser


def test_a_mentor_logs_a_positive_call_from_the_campaign_list(page, live_server, cast):
    log_in(page, live_server, "mentor")
    interactions = 0

    page.get_by_role("link", name="Eerste contact").click()
    interactions += 1
    bar = page.locator("#campaign-bar")
    expect(bar).to_have_attribute("value", "0")
    expect(page.get_by_text("0 van de 2 gezinnen")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Gebeld: positief — Jansen").click()
    interactions += 1

    expect(bar).to_have_attribute("value", "1")
    expect(page.get_by_text("1 van de 2 gezinnen")).to_be_visible()
    expect(page.get_by_role("button", name="Gebeld: positief — Jansen")).to_have_count(0)
    # Focus moves to the row's confirmation (with its undo), never to <body>, and the
    # status region that stays in the page speaks it once.
    saved = "Opgeslagen: een positief gesprek met Jansen."
    row = page.locator(f"#campaign-{cast.jansen.pk}")
    expect(row).to_be_focused()
    expect(row).to_contain_text(saved)
    expect(page.locator("#campaign-status")).to_have_text(saved)
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Ongedaan maken — Jansen")).to_be_focused()
    assert interactions <= 5
    contact = Contact.objects.get()
    assert (contact.family, contact.tone, contact.channel) == (cast.jansen, "positive", "phone")
    assert page.foreign_requests == []


def test_a_mentor_logs_a_contact_with_the_keyboard_on_the_family_page(page, live_server, cast):
    log_in(page, live_server, "mentor")
    page.get_by_role("link", name="El Amrani", exact=True).click()
    assert_accessible(page)
    form = page.locator("form.contact-form")
    form.get_by_label("Huisbezoek").check()
    form.get_by_label("Kennismaken").check()
    form.get_by_label("Positief", exact=True).press("Space")
    form.get_by_role("button", name="Contact opslaan").press("Enter")
    expect(page.get_by_text("Het contact is opgeslagen.")).to_be_visible()
    # The timeline refreshes itself (htmx) without a page load.
    expect(page.locator("#timeline .timeline strong", has_text="Huisbezoek")).to_be_visible()
    assert Contact.objects.filter(family=cast.amrani, channel="home_visit").exists()


def test_the_ledger_pages_pass_axe(page, live_server, cast):
    make_user("leider", school=cast.school, roles=[Role.SCHOOL_LEADER])
    for n in range(7):  # a leader sees figures only about ten families or more
        make_family(cast.school, cast.jansen.pupils.first().group, name=f"Extra {n}")
    NextStep.objects.create(
        family=cast.jansen,
        owner=cast.mentor,
        created_by=cast.mentor,
        what="Terugbellen",
        due=timezone.localdate() - timedelta(days=1),
    )
    log_in(page, live_server, "mentor")
    page.get_by_role("link", name="Mijn acties", exact=True).click()
    expect(page.get_by_text("Terugbellen", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name=re.compile(r"Klaar\s*: Terugbellen")).click()
    expect(page.locator("#main .steps").get_by_text("· klaar")).to_be_visible()
    assert NextStep.objects.get().done_at is not None
    page.get_by_role("link", name="Monitor").click()
    expect(page.get_by_role("heading", name="Vertrouwensmonitor")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Uitloggen").click()
    log_in(page, live_server, "leider")
    page.goto(f"{live_server.url}/monitor/")
    expect(page.locator("svg.chart")).to_have_count(2)
    assert_accessible(page)
    assert page.foreign_requests == []
