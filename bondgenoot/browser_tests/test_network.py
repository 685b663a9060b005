"""The care and safety network in a real Chromium: a teacher records a signal, the care
coordinator shares it under an agreement, the partner gives feedback. axe on each page."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from bondgenoot.network import actions
from bondgenoot.network.models import Feedback, Share, Signal
from bondgenoot.people.models import Organisation, Role
from bondgenoot.testing import make_group, make_user

from .conftest import assert_accessible, log_in

pytestmark = pytest.mark.browser


def second_step(page, user):
    # An authenticator set up earlier (setting one up first needs an emailed code, see
    # accounts/tests/test_two_factor.py): the page asks for its code.
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    page.reload()
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    page.locator("input[name=token]").fill(f"{code:06d}")
    page.locator("form button[type=submit]").last.click()


def test_record_share_and_partner_feedback(browser, live_server, cast):
    office = Organisation.objects.create(name="Leerplicht Zuid", kind="attendance")
    teacher = make_user("docent", school=cast.school, roles=[Role.TEACHER])
    make_group(cast.school, "3C", teachers=[teacher])
    cast.jansen.pupils.update(group=cast.school.groups.get(name="3C"))
    care = make_user("zorg", school=cast.school, roles=[Role.CARE_COORDINATOR])
    partner = make_user("leerplicht", school=cast.school, roles=[Role.PARTNER], organisation=office)
    actions.save_agreement(
        make_user("beheer", school=cast.school, roles=[Role.ADMINISTRATOR]),
        cast.school.pk,
        "absence",
        office,
        {
            "legal_basis": "legal_duty",
            "consent_from": "none",
            "fields": ["pupil_name", "category", "observation"],
            "feedback_days": 5,
            "convenant": "Convenant Leerplicht",
            "active": True,
        },
    )
    pupil = cast.jansen.pupils.first()

    def context():
        c = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
        return c, c.new_page()

    # 1. The teacher records what they saw.
    ctx, page = context()
    log_in(page, live_server, "docent")
    page.goto(f"{live_server.url}/signalen/nieuw/?leerling={pupil.pk}")
    assert_accessible(page)
    page.locator("#id_category").select_option("absence")
    page.locator("#id_observation").fill("Noah was drie keer niet in het eerste uur.")
    page.locator("#id_pupil_words").fill("Ik breng mijn zusje naar school.")
    page.locator("#id_parents_informed_0").check()
    page.locator("form.card button[type=submit]").click()
    expect(page.locator("h1")).to_be_visible()
    signal = Signal.objects.get()
    assert signal.author == teacher
    ctx.close()

    # 2. The care coordinator shares it with the attendance office.
    ctx, page = context()
    log_in(page, live_server, "zorg")
    second_step(page, care)
    page.goto(f"{live_server.url}/signalen/{signal.pk}/")
    assert_accessible(page)
    page.get_by_label("Leerplicht Zuid").check()
    page.locator("form[action$='/delen/'] button[type=submit]").click()
    expect(page.locator(".message").first).to_be_visible()
    share = Share.objects.get()
    assert set(share.payload) == {"pupil_name", "category", "observation"}
    ctx.close()

    # 3. The partner reads only the agreed fields and gives feedback.
    ctx, page = context()
    log_in(page, live_server, "leerplicht")
    second_step(page, partner)
    page.goto(f"{live_server.url}/partner/")
    assert_accessible(page)
    page.locator(f"a[href='/partner/{share.pk}/']").click()
    expect(page.get_by_text("Noah was drie keer niet")).to_be_visible()
    expect(page.get_by_text("zusje")).to_have_count(0)
    assert_accessible(page)
    page.locator("input[name=status][value=taken_up]").check()
    page.locator("#id_note").fill("Gesprek met moeder gepland.")
    page.locator("form button[type=submit]").last.click()
    expect(page.get_by_text("Gesprek met moeder gepland.")).to_be_visible()
    assert Feedback.objects.get().status == "taken_up"
    ctx.close()
