"""Bridge builders in a real Chromium: register a key figure, match, introduce, record
consent, the key figure logs a contact, consent is withdrawn. axe on every new page."""

from datetime import date

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from bondgenoot.bridges.models import Bridge, Consent, KeyFigure
from bondgenoot.contacts.models import Contact
from bondgenoot.people.models import Role
from bondgenoot.testing import make_user

from .conftest import assert_accessible, log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def key_figure(cast):
    user = make_user("sleutel", school=cast.school, roles=[Role.KEY_FIGURE], first_name="Mustafa")
    kf = KeyFigure.objects.create(
        school=cast.school,
        name="Mustafa Amezian",
        kind="youth_worker",
        organisation="Jongerenwerk Zuid",
        postcode_areas=["3081"],
        agreement_on=date(2026, 1, 1),
        confidentiality_signed=True,
        user=user,
    )
    kf.languages.set(["ar", "zgh", "nl"])
    KeyFigure.objects.create(
        school=cast.school,
        name="Joke de Vries",
        kind="neighbourhood_professional",
        postcode_areas=["3071"],
        agreement_on=date(2026, 1, 1),
        confidentiality_signed=True,
    )
    return kf


def test_match_introduce_consent_and_the_key_figure_logs_a_contact(
    page, browser, live_server, cast, key_figure
):
    log_in(page, live_server, "mentor")
    page.get_by_role("link", name="El Amrani", exact=True).click()
    expect(page.get_by_role("heading", name="Aanpak")).to_be_visible()
    expect(page.locator(".network svg")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Zoek een sleutelfiguur").click()
    first = page.locator(".match-list > li").first
    expect(first.get_by_role("heading")).to_contain_text("Mustafa Amezian")
    expect(first).to_contain_text("Spreekt Arabisch, Tamazight")
    expect(first).to_contain_text("3081")
    assert_accessible(page)

    first.get_by_role("button", name="Mustafa Amezian koppelen").click()
    expect(page.get_by_role("heading", name="Toestemming van de ouder vastleggen")).to_be_visible()
    assert_accessible(page)
    page.get_by_label(cast.amrani.pupils.first().guardianships.first().guardian.full_name).check()
    page.get_by_label("Telefonisch").check()
    page.locator("input[name=explained]").check()
    page.get_by_role("button", name="Toestemming opslaan").click()
    expect(page.get_by_role("heading", name="Toestemming gegeven")).to_be_visible()
    bridge = Bridge.objects.get()
    assert Consent.objects.get(bridge=bridge).withdrawn_at is None

    # The key figure, in their own browser.
    context = browser.new_context(locale="nl-NL", viewport={"width": 390, "height": 844})
    kf_page = context.new_page()
    kf_page.set_default_timeout(10_000)
    log_in(kf_page, live_server, "sleutel")
    expect(kf_page.get_by_role("heading", name="Mijn gezinnen")).to_be_visible()
    assert_accessible(kf_page)
    kf_page.get_by_role("link", name="El Amrani").click()
    assert_accessible(kf_page)
    kf_page.get_by_label("Kennismaken").check()
    kf_page.get_by_label("Positief", exact=True).check()
    kf_page.get_by_label("Korte notitie").fill("Koffie gedronken bij het buurthuis.")
    kf_page.get_by_role("button", name="Contact opslaan").click()
    expect(kf_page.get_by_text("Het contact is opgeslagen. Bedankt!")).to_be_visible()
    contact = Contact.objects.get()
    assert (contact.channel, contact.author, contact.family) == (
        "key_figure",
        key_figure.user,
        cast.amrani,
    )

    # The mentor withdraws consent: the key figure's page is gone at once.
    page.get_by_role("button", name="Toestemming intrekken").click()
    expect(page.get_by_role("heading", name="Toestemming van de ouder vastleggen")).to_be_visible()
    response = kf_page.goto(f"{live_server.url}/mijn-bruggen/{bridge.pk}/")
    assert response.status == 404
    assert page.foreign_requests == []
    context.close()


def test_an_administrator_registers_a_key_figure(page, live_server, cast):
    admin = make_user("beheer", school=cast.school, roles=[Role.ADMINISTRATOR])
    device = TOTPDevice.objects.create(user=admin, name="app", confirmed=True)
    log_in(page, live_server, "beheer")
    page.get_by_label("Code uit je authenticator-app").fill(
        f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    )
    page.get_by_role("button", name="Bevestigen").click()
    page.get_by_role("link", name="Sleutelfiguren").click()
    assert_accessible(page)
    page.get_by_role("link", name="Sleutelfiguur toevoegen").click()
    page.locator("#id_name").fill("Fatima Bouzid")
    page.locator("#id_postcode_areas").fill("3081, Zuid")
    page.locator("#id_kind").select_option(label="Buurtouder")
    page.get_by_label("Tamazight").check()
    page.get_by_role("button", name="Opslaan").click()
    # A bad area: the form says so and keeps everything typed.
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.locator("#id_name")).to_have_value("Fatima Bouzid")
    expect(page.get_by_label("Tamazight")).to_be_checked()
    assert_accessible(page)
    page.locator("#id_postcode_areas").fill("3081, 3082")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("cell", name="3081, 3082")).to_be_visible()
    assert KeyFigure.objects.get(name="Fatima Bouzid").postcode_areas == ["3081", "3082"]


def test_a_long_family_name_stays_inside_its_circle(page, live_server, cast):
    cast.amrani.name = "Van der Heijden van Oosterhout"
    cast.amrani.save()
    log_in(page, live_server, "mentor")
    page.goto(live_server.url + f"/gezinnen/{cast.amrani.pk}/")
    expect(page.locator(".network svg")).to_be_visible()
    # The name's lines, as drawn, inside the circle's box (the white text is unreadable
    # outside it); the whole name is the circle's title.
    inside = page.evaluate(
        """() => {
        const g = document.querySelector('.network-family');
        const c = g.querySelector('circle').getBBox();
        const t = g.querySelector('text').getBBox();
        return t.x >= c.x && t.x + t.width <= c.x + c.width
            && t.y >= c.y && t.y + t.height <= c.y + c.height;
    }"""
    )
    assert inside
    expect(page.locator(".network-family > title")).to_have_text("Van der Heijden van Oosterhout")
    assert_accessible(page)
