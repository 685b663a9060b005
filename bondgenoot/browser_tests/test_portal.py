"""The parent portal in a real Chromium on a phone-sized screen, in Arabic: a parent
activates from a printed letter's link, sees the record, withdraws a consent, asks for a
conversation (the mentor sees the next step), downloads the export that a real worker
built, and the key figure loses access on their next request. axe on every page, and no
request leaves the origin."""

from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from bondgenoot.bridges.models import Consent
from bondgenoot.contacts.models import NextStep
from bondgenoot.lib.private_links import LANGUAGE_COOKIE
from bondgenoot.network.models import Signal
from bondgenoot.parentvoice.models import ExportJob
from bondgenoot.people.models import Guardian, Pupil, Role
from bondgenoot.portal import actions
from bondgenoot.portal.texts import texts
from bondgenoot.testing import add_contact, make_bridge, make_key_figure, make_user

from .conftest import PASSWORD, assert_accessible, log_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def family(cast):
    """The El Amrani family (written language Arabic): a contact about the child, a
    signal, and a key figure who sees the family with the mother's consent."""
    pupil = Pupil.objects.get(family=cast.amrani)
    mother = Guardian.objects.get(guardianships__pupil=pupil)
    contact = add_contact(cast.amrani, cast.mentor, note="Fijn gesprek over de eerste weken")
    contact.pupils.set([pupil])
    Signal.objects.create(
        school=cast.school,
        pupil=pupil,
        category="absence",
        observed_on=date(2026, 10, 1),
        observation="Twee ochtenden te laat",
        author=cast.mentor,
    )
    user = make_user("sleutel", school=cast.school, roles=[Role.KEY_FIGURE])
    kf = make_key_figure(cast.school, user=user, languages=["ar"])
    bridge = make_bridge(cast.amrani, kf, cast.mentor, consent_from=mother)
    return {"pupil": pupil, "mother": mother, "bridge": bridge}


def check(page, live_server) -> None:
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert_accessible(page)
    assert not page.foreign_requests, page.foreign_requests


def test_a_parent_activates_sees_the_record_and_withdraws_a_consent(
    page, browser, live_server, cast, family, settings
):
    t = texts("ar")
    page.set_viewport_size(PHONE)
    activation = actions.invite(cast.mentor, family["mother"], "letter")
    assert activation.channel == "letter" and activation.language == "ar"

    # The letter's link (the QR code leads here too).
    page.goto(live_server.url + reverse("portal:activate", args=[activation.token]))
    expect(page.get_by_role("heading", name=t["activate_title"])).to_be_visible()
    check(page, live_server)
    if page.locator("input[name=email]").count():
        page.locator("input[name=email]").fill("moeder@example.org")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=password_again]").fill(PASSWORD)
    page.get_by_role("button", name=t["activate_button"]).click()

    # One child: straight to the child's page.
    expect(page.get_by_role("link", name=t["nav_record"])).to_be_visible()
    check(page, live_server)
    for name in ("nav_record", "nav_signals", "nav_looked", "nav_account", "nav_consents"):
        page.get_by_role("link", name=t[name]).click()
        page.wait_for_load_state("networkidle")
        check(page, live_server)
        if name == "nav_record":
            expect(page.get_by_text("Fijn gesprek over de eerste weken")).to_be_visible()
        if name == "nav_signals":
            expect(page.get_by_text("Twee ochtenden te laat")).to_be_visible()
        if name == "nav_account":
            page.go_back()

    # The key figure sees the family now (the positive control).
    other = browser.new_context(locale="nl-NL")
    kf_page = other.new_page()
    log_in(kf_page, live_server, "sleutel")
    kf_url = live_server.url + reverse("bridges:family", args=[family["bridge"].pk])
    assert kf_page.goto(kf_url).status == 200

    # Withdraw the consent: one click, and it counts at once.
    page.get_by_role("button", name=t["withdraw"]).click()
    expect(page.get_by_text(t["withdrawn_done"])).to_be_visible()
    check(page, live_server)
    assert Consent.objects.get(bridge=family["bridge"]).withdrawn_at is not None

    # The parent asks for a conversation (from the child's page, in Arabic) ...
    v = t["voice"]
    page.get_by_role("link", name=t["nav_child"]).click()
    page.get_by_role("link", name=v["ask_conversation"]).click()
    check(page, live_server)
    page.get_by_label(v["topic_label"]).fill("الواجبات المنزلية")
    page.get_by_label(v["by_phone"]).check()
    page.get_by_role("button", name=v["send_request"]).click()
    expect(page.get_by_role("status")).to_have_text(v["conversation_sent"])
    check(page, live_server)
    # ... and the mentor sees the next step on the family's page.
    step = NextStep.objects.get(family=cast.amrani)
    assert step.owner == cast.mentor
    mentor_context = browser.new_context(locale="nl-NL")
    mentor_page = mentor_context.new_page()
    log_in(mentor_page, live_server, "mentor")
    mentor_page.goto(live_server.url + reverse("people:family", args=[cast.amrani.pk]))
    expect(mentor_page.get_by_text("الواجبات المنزلية").first).to_be_visible()
    mentor_context.close()

    # The parent downloads the export: the web request only queues the job; a real worker
    # (the database tasks backend and ``db_worker``) builds it while the page polls.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    page.get_by_role("link", name=t["nav_child"]).click()
    page.get_by_role("link", name=v["download"]).click()
    check(page, live_server)
    page.get_by_role("button", name=v["export_make"]).click()
    expect(page.get_by_text(v["export_making"])).to_be_visible()
    check(page, live_server)
    assert ExportJob.objects.get().status == ExportJob.Status.QUEUED
    call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", verbosity=0)
    assert ExportJob.objects.get().status == ExportJob.Status.DONE
    # htmx polls the status: the links appear without a reload.
    expect(page.get_by_role("link", name=v["download_pdf"])).to_be_visible(timeout=15_000)
    check(page, live_server)
    with page.expect_download() as pdf:
        page.get_by_role("link", name=v["download_pdf"]).click()
    assert pdf.value.suggested_filename.endswith(".pdf")
    with page.expect_download() as data:
        page.get_by_role("link", name=v["download_json"]).click()
    assert data.value.suggested_filename.endswith(".json")
    with open(data.value.path(), encoding="utf-8") as f:
        exported = f.read()
    assert "Fijn gesprek over de eerste weken" in exported

    # The key figure's next request: the family's page is gone.
    other = browser.new_context(locale="nl-NL")
    kf_page = other.new_page()
    log_in(kf_page, live_server, "sleutel")
    response = kf_page.goto(live_server.url + reverse("bridges:family", args=[family["bridge"].pk]))
    assert response.status == 404
    other.close()


def test_the_sign_in_and_code_pages_are_accessible_in_arabic(page, live_server, cast):
    page.set_viewport_size(PHONE)
    page.context.add_cookies([{"name": LANGUAGE_COOKIE, "value": "ar", "url": live_server.url}])
    for name in ("portal:sign_in", "portal:code"):
        page.goto(live_server.url + reverse(name))
        check(page, live_server)
