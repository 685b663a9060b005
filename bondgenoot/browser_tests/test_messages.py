"""Messages in a real Chromium: the tone coach while typing, one-click suggestions, a
template sent in the family's language, and a mother answering in Arabic on her phone."""

import pytest
from playwright.sync_api import expect

from bondgenoot.messaging.models import Delivery, Message, Reply

from .conftest import assert_accessible, log_in

pytestmark = pytest.mark.browser


def test_write_with_the_tone_coach_and_send_a_template(page, live_server, cast):
    log_in(page, live_server, "mentor")
    page.get_by_role("link", name="El Amrani", exact=True).click()
    page.locator("a[href*='/berichten/nieuw/']").click()
    body = page.locator("#id_body")
    body.click()
    body.press_sequentially("Het OPP wordt binnenkort besproken.", delay=5)
    # The coach answers while typing (htmx, debounced): the jargon is marked.
    expect(page.locator("#tone-panel mark.tone--jargon")).to_have_text("OPP")
    expect(page.locator("#tone-panel .tone-finding--passive")).to_be_visible()
    # The short status text is spoken from a region that stays in the page: the same
    # element before and after the panel is swapped, its text set once per change.
    status = page.locator("#tone-status")
    expect(status).to_have_attribute("role", "status")
    expect(status).to_have_text("2 opmerkingen in je tekst")
    page.evaluate("window.__toneStatus = document.getElementById('tone-status')")
    assert_accessible(page)
    page.locator("#tone-panel button[name=accept]").first.click()
    expect(page.locator("#id_body")).to_have_value(
        "Het plan voor de ontwikkeling van uw kind wordt binnenkort besproken."
    )
    # After taking the suggestion, focus is back in the text, not on <body>.
    expect(page.locator("#id_body")).to_be_focused()
    expect(status).to_have_text("1 opmerking in je tekst")
    assert page.evaluate("window.__toneStatus === document.getElementById('tone-status')")

    page.locator("#id_template").select_option("positive_news")
    page.locator("button[name=use_template]").click()
    expect(page.locator("#id_subject")).not_to_have_value("")
    page.locator("button[name=send]").click()
    expect(page.locator("#send-bar")).to_have_attribute("value", "1")  # one mother
    assert_accessible(page)
    message = Message.objects.get()
    assert message.translated
    for path in ("/berichten/", "/berichten/sjablonen/"):
        page.goto(live_server.url + path)
        assert_accessible(page)
    arabic = Delivery.objects.get(family=cast.amrani)
    assert (arabic.language, arabic.channel, arabic.status) == ("ar", "sms", "sent")
    assert page.foreign_requests == []


def test_a_mother_answers_in_arabic_on_her_phone(browser, live_server, cast):
    from bondgenoot.messaging.actions import create_message
    from bondgenoot.messaging.library import reply_texts, templates
    from bondgenoot.messaging.planning import plan
    from bondgenoot.people.models import Family

    nl = templates()["acquaintance"].texts["nl"]
    reachable, _ = plan(Family.objects.filter(pk=cast.amrani.pk))
    create_message(
        cast.mentor,
        cast.school.pk,
        subject=nl.subject,
        body=nl.body,
        purpose="acquaintance",
        template_key="acquaintance",
        translated=True,
        values={},
        audience="El Amrani",
        recipients=reachable,
    )
    delivery = Delivery.objects.get()
    assert delivery.status == "sent"
    context = browser.new_context(
        locale="ar", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    phone = context.new_page()
    phone.goto(f"{live_server.url}/antwoord/{delivery.reply_token}/")
    texts = reply_texts("ar")
    expect(phone.locator(".reply-page")).to_have_attribute("dir", "rtl")
    expect(phone.get_by_role("heading", level=1)).to_have_text(texts["title"])
    assert_accessible(phone)
    phone.get_by_label(texts["label"]).fill("شكرا، ابني سعيد في المدرسة")
    phone.get_by_role("button", name=texts["send"]).tap()
    expect(phone.get_by_role("status")).to_contain_text(texts["thanks"])
    assert Reply.objects.get().body == "شكرا، ابني سعيد في المدرسة"
    # Nothing sideways: no horizontal scrolling on a phone.
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    context.close()
