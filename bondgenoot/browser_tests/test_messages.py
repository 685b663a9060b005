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


def test_a_key_figure_translates_the_mentors_text(page, browser, live_server, cast):
    """The mentor asks a key figure who bridges the family (with consent) to translate;
    the key figure sees only the text; the translation comes back into the composer and
    goes out translated by a person."""
    from bondgenoot.people.models import Guardian, Role
    from bondgenoot.testing import make_bridge, make_key_figure, make_user

    user = make_user("sleutel", school=cast.school, roles=[Role.KEY_FIGURE])
    entry = make_key_figure(cast.school, "Mustafa Amezian", user=user, languages=["ar"])
    mother = Guardian.objects.get(guardianships__pupil__family=cast.amrani)
    make_bridge(cast.amrani, entry, cast.mentor, consent_from=mother)

    log_in(page, live_server, "mentor")
    page.goto(f"{live_server.url}/berichten/nieuw/?gezin={cast.amrani.pk}")
    page.locator("#id_subject").fill("Kennismaken")
    page.locator("#id_body").fill("Ik wil u graag leren kennen. Wanneer kunt u langskomen?")
    expect(page.locator("#vertaler-ar")).to_contain_text("Mustafa Amezian (een sleutelfiguur)")
    page.get_by_role("button", name="Vraag om een vertaling").click()
    asked = page.get_by_role("status").filter(has_text="Mustafa Amezian gevraagd")
    expect(asked).to_be_focused()
    assert_accessible(page)

    context = browser.new_context(locale="nl-NL", viewport={"width": 390, "height": 844})
    kf_page = context.new_page()
    kf_page.set_default_timeout(10_000)
    log_in(kf_page, live_server, "sleutel")
    kf_page.goto(f"{live_server.url}/vertalen/")
    kf_page.get_by_role("link", name="Kennismaken").click()
    expect(kf_page.get_by_text("Wanneer kunt u langskomen?")).to_be_visible()
    assert "El Amrani" not in kf_page.content()
    assert_accessible(kf_page)
    kf_page.get_by_label("Onderwerp, vertaald").fill("تعارف")
    kf_page.get_by_label("Bericht, vertaald").fill("أود التعرف عليكم. متى يمكنكم الحضور؟")
    kf_page.get_by_role("button", name="Vertaling terugsturen").click()
    expect(kf_page.get_by_role("status")).to_contain_text("De vertaling is terug")
    context.close()

    asked.get_by_role("link", name="Je vraag om een vertaling").click()
    assert_accessible(page)
    page.get_by_role("button", name="Zet het in mijn bericht").click()
    expect(page.get_by_text("vertaald door een sleutelfiguur")).to_be_visible()
    expect(page.locator("#language-notice")).to_have_count(0)  # nobody reads Dutch now
    page.locator("button[name=send]").click()
    expect(page.locator("#send-bar")).to_have_attribute("value", "1")
    message = Message.objects.get()
    assert message.translations["ar"]["status"] == "person"
    delivery = Delivery.objects.get(message=message)
    assert (delivery.language, delivery.subject) == ("ar", "تعارف")
    assert page.foreign_requests == []
