"""A mentor logs in, searches a family and opens it — in a real Chromium, with axe."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import assert_accessible, log_in

pytestmark = pytest.mark.browser


def test_it_lets_a_mentor_find_and_open_a_family(page, live_server, cast):
    page.goto(f"{live_server.url}/account/inloggen/")
    assert_accessible(page)

    log_in(page, live_server, "mentor")
    expect(page.get_by_role("heading", name="Mijn gezinnen")).to_be_visible()
    expect(page.get_by_role("link", name="Jansen", exact=True)).to_be_visible()
    expect(page.get_by_text("Verborgen")).to_have_count(0)
    assert_accessible(page)

    # Typing filters the list through htmx, without a page load.
    page.get_by_label("Zoeken").fill("amr")
    expect(page.get_by_role("link", name="Jansen", exact=True)).to_have_count(0)
    # The search is a POST: the name stays out of the address bar (ASVS 14.2.1).
    expect(page).not_to_have_url(re.compile(r"amr"))
    page.get_by_role("link", name="El Amrani", exact=True).click()

    expect(page.get_by_role("heading", name="El Amrani", level=1)).to_be_visible()
    expect(page.get_by_text("heeft een tolk nodig")).to_be_visible()
    expect(page.get_by_text("Arabisch, Tamazight")).to_be_visible()
    assert_accessible(page)
    assert page.foreign_requests == []


def test_it_works_without_javascript(browser, live_server, cast):
    context = browser.new_context(java_script_enabled=False, locale="nl-NL")
    page = context.new_page()
    log_in(page, live_server, "mentor")
    page.get_by_label("Zoeken").fill("jansen")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.get_by_role("link", name="Jansen", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="El Amrani", exact=True)).to_have_count(0)
    context.close()


def test_it_fits_a_phone_screen(browser, live_server, cast):
    context = browser.new_context(
        viewport={"width": 375, "height": 740}, locale="nl-NL", is_mobile=True, has_touch=True
    )
    page = context.new_page()
    log_in(page, live_server, "mentor")
    page.get_by_role("link", name="Jansen", exact=True).click()
    expect(page.get_by_role("heading", name="Jansen", level=1)).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the page scrolls sideways on a phone ({width}px)"
    assert_accessible(page)
    context.close()


def test_it_switches_to_english(page, live_server, cast):
    log_in(page, live_server, "mentor")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="My families")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_the_accessibility_check_catches_a_real_violation(page, live_server):
    # Guards against an axe setup that silently passes everything.
    page.set_content("<html><body><img src='x.png'><input type='text'></body></html>")
    with pytest.raises(AssertionError, match="image-alt"):
        assert_accessible(page)
