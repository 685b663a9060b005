"""The administrator's main flows in a real Chromium, axe on every page: a new staff
member with a second role, offboarding a mentor (hand over, then deactivate: their
session ends), moving a pupil to another group."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from bondgenoot.administration.models import Placement
from bondgenoot.people.models import Membership, Pupil, Role, User
from bondgenoot.testing import make_user

from .conftest import assert_accessible, log_in

pytestmark = pytest.mark.browser


def second_step(page, user):
    # The authenticator exists before the login (a first one needs an emailed code, which
    # test_two_factor covers), so the login asks for a code from it.
    device = TOTPDevice.objects.get(user=user)
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    page.locator("input[name=token]").fill(f"{code:06d}")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state("networkidle")


def test_new_staff_offboarding_and_moving_a_pupil(browser, page, live_server, cast):
    admin = make_user("beheer", school=cast.school, roles=[Role.ADMINISTRATOR])
    TOTPDevice.objects.create(user=admin, name="app", confirmed=True)
    log_in(page, live_server, "beheer")
    second_step(page, admin)
    page.get_by_role("link", name="Beheer", exact=True).click()
    expect(page.get_by_role("heading", name="Beheer", exact=True)).to_be_visible()
    assert_accessible(page)

    # 1. A new colleague with two roles.
    page.get_by_role("link", name="Accounts en rollen").first.click()
    assert_accessible(page)
    page.get_by_role("link", name="Nieuw account voor een medewerker").click()
    page.get_by_label("Voornaam").fill("Fatima")
    page.get_by_label("Achternaam").fill("Bakker")
    page.get_by_label("E-mail").fill("fatima@school.example")
    page.get_by_label("Mentor").check()
    page.get_by_label("Zorgcoördinator").check()
    assert_accessible(page)
    page.get_by_role("button", name="Account maken en uitnodiging sturen").click()
    expect(page.get_by_role("heading", name="Fatima Bakker")).to_be_visible()
    assert_accessible(page)
    fatima = User.objects.get(email="fatima@school.example")
    assert set(Membership.objects.filter(user=fatima).values_list("role", flat=True)) == {
        Role.MENTOR,
        Role.CARE_COORDINATOR,
    }

    # 2. The mentor of 1A leaves: hand over, then deactivate. Their session ends.
    mentor_context = browser.new_context(locale="nl-NL")
    mentor_page = mentor_context.new_page()
    log_in(mentor_page, live_server, "mentor")
    expect(mentor_page.get_by_role("link", name="Jansen", exact=True)).to_be_visible()

    page.goto(f"{live_server.url}/beheer/accounts/{cast.mentor.pk}/")
    page.get_by_role("link", name="Gezinnen en acties overdragen").click()
    expect(page.get_by_text("1A")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Overdragen aan").select_option(label="Fatima Bakker")
    page.get_by_role("button", name="Alles overdragen").click()
    expect(page.get_by_text("Alles is overgedragen aan Fatima Bakker.")).to_be_visible()
    assert list(cast.school.groups.get(name="1A").mentors.all()) == [fatima]
    page.get_by_role("button", name="Deactiveren: deze persoon is weg").click()
    expect(page.get_by_text("Het account is gedeactiveerd.")).to_be_visible()
    assert_accessible(page)
    mentor_page.goto(f"{live_server.url}/gezinnen/")
    expect(mentor_page).to_have_url(f"{live_server.url}/account/inloggen/?next=/gezinnen/")
    mentor_context.close()

    # 3. Move a pupil to another group; the history shows both groups.
    pupil = Pupil.objects.get(family=cast.jansen)
    page.get_by_role("link", name="Leerlingen en ouders").first.click()
    assert_accessible(page)
    page.get_by_role("link", name=pupil.full_name).click()
    assert_accessible(page)
    page.get_by_label("Nieuwe klas").select_option(label="2B")
    page.get_by_role("button", name="Naar deze klas").click()
    expect(
        page.get_by_text("Naar 2B. De vorige klas blijft in de geschiedenis staan.")
    ).to_be_visible()
    assert_accessible(page)
    assert [p.group.name for p in Placement.objects.filter(pupil=pupil).order_by("pk")] == [
        "1A",
        "2B",
    ]
    assert not page.foreign_requests
