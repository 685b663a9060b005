"""The parent's voice in a real Chromium on a phone-sized screen: a parent asks for a
conversation, adds their side of the story, writes what works at home, changes their
details, asks for a correction and downloads the export (the task runs inline here;
``parentvoice/tests/test_export_worker.py`` runs the real worker). axe on every page."""

import pytest
from playwright.sync_api import expect

from bondgenoot.contacts.models import NextStep
from bondgenoot.people.models import Guardian, Pupil
from bondgenoot.testing import add_contact, make_user

from .conftest import assert_accessible, log_in

pytestmark = pytest.mark.browser


def test_a_parent_uses_every_action_on_a_phone(browser, live_server, cast):
    pupil = Pupil.objects.get(family=cast.jansen)
    parent = make_user("ouder")
    guardian = Guardian.objects.filter(guardianships__pupil=pupil).order_by("pk").first()
    guardian.user = parent
    guardian.save()
    contact = add_contact(cast.jansen, cast.mentor, note="Fijn kennismakingsgesprek.")
    contact.pupils.set([pupil])

    context = browser.new_context(
        locale="nl-NL", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        log_in(page, live_server, "ouder")
        base = f"{live_server.url}/ouders/kind/{pupil.pk}/"
        page.goto(base)
        assert_accessible(page)

        page.get_by_role("link", name="Vraag een gesprek aan").click()
        assert_accessible(page)
        page.get_by_label("Waarover wilt u praten?").fill("Over het huiswerk.")
        page.get_by_label("Telefonisch").check()
        page.get_by_role("button", name="Verstuur mijn verzoek").click()
        expect(page.get_by_role("status")).to_contain_text("Dank u wel")
        assert NextStep.objects.get().owner == cast.mentor

        page.get_by_role("link", name="Zet uw kant van het verhaal bij een verslag").click()
        assert_accessible(page)
        page.get_by_role("link", name="Zet uw kant erbij").first.click()
        assert_accessible(page)
        page.get_by_label("Uw kant van het verhaal").fill("Wij vonden het ook fijn.")
        page.get_by_role("button", name="Bewaar mijn kant").click()
        expect(page.locator("blockquote")).to_contain_text("Wij vonden het ook fijn.")

        page.goto(base + "thuis/")
        assert_accessible(page)
        page.get_by_label("Wat vindt uw gezin belangrijk?").fill("Samen eten.")
        page.get_by_role("button", name="Opslaan").click()

        page.goto(base + "gegevens/")
        assert_accessible(page)
        page.get_by_label("Wanneer kan de school u bereiken?").fill("na 17.00 uur")
        page.get_by_role("button", name="Opslaan").click()
        expect(page.get_by_role("status")).to_contain_text("Opgeslagen")

        page.goto(base + "verzoek/")
        assert_accessible(page)
        page.get_by_label("Een fout in de feiten verbeteren").check()
        page.get_by_label("Leg uw verzoek uit").fill("De datum klopt niet.")
        page.get_by_role("button", name="Verstuur mijn verzoek").click()
        expect(page.locator("h1")).to_have_text("Een fout in de feiten verbeteren")
        assert_accessible(page)

        page.goto(base + "download/")
        assert_accessible(page)
        page.get_by_role("button", name="Maak mijn download").click()
        expect(page.get_by_role("link", name="Download de pdf (om te lezen)")).to_be_visible()
        assert_accessible(page)
        with page.expect_download() as download:
            page.get_by_role("link", name="Download het JSON-bestand (voor de computer)").click()
        assert download.value.suggested_filename.endswith(".json")
    finally:
        context.close()
