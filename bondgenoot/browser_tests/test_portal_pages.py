"""Every page of the parent portal and of the parent's voice, at phone width (390 px):
axe finds nothing serious, and every link, button and field on it can be reached with the
Tab key alone. Parent pages in Arabic (right to left), the staff pages of both apps in
Dutch. No request leaves the origin."""

from datetime import date

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from bondgenoot.network.models import Signal
from bondgenoot.parentvoice import actions as voice_actions
from bondgenoot.people.models import Guardian, Guardianship, Organisation, Pupil, Role
from bondgenoot.portal import actions
from bondgenoot.portal.models import ShareConsent
from bondgenoot.portal.texts import texts
from bondgenoot.testing import add_contact, make_agreement, make_bridge, make_key_figure, make_user

from .conftest import PASSWORD, assert_accessible, log_in
from .test_accessibility import DUPLICATE_IDS

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}

# Every element a keyboard user must reach, marked with a key; a radio group counts once
# (Tab enters a group once; the arrow keys move within it). Hidden elements (a closed
# <details>, display:none) are not counted; the skip link is (it shows on focus).
MARK = """() => {
  const sel = 'a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]),'
    + ' select:not([disabled]), textarea:not([disabled]), summary';
  const keys = new Set();
  for (const [i, el] of [...document.querySelectorAll(sel)].entries()) {
    const shown = el.classList.contains('skip-link')
      || el.checkVisibility({contentVisibilityAuto: true, visibilityProperty: true});
    if (!shown || el.closest('[inert]')) continue;
    const key = el.type === 'radio' ? 'radio:' + el.name : 'el:' + i;
    el.dataset.kbd = key;
    keys.add(key);
  }
  return [...keys];
}"""


def assert_keyboard_reachable(page) -> None:
    wanted = set(page.evaluate(MARK))
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    reached: set[str] = set()
    for _ in range(len(wanted) + 15):
        page.keyboard.press("Tab")
        key = page.evaluate("() => document.activeElement && document.activeElement.dataset.kbd")
        if key:
            reached.add(key)
        if reached >= wanted:
            return
    missing = page.evaluate(
        "keys => keys.map(k => document.querySelector(`[data-kbd='${k}']`)"
        ".outerHTML.slice(0, 120))",
        sorted(wanted - reached),
    )
    raise AssertionError(f"not reachable by Tab on {page.url}: {missing}")


def check(page, *, lang: str | None = "ar") -> None:
    if lang:
        expect(page.locator("html")).to_have_attribute("lang", lang)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"], (
        f"wider than a phone: {page.url}"
    )
    assert page.evaluate(DUPLICATE_IDS) == [], page.url
    assert_accessible(page)
    assert_keyboard_reachable(page)
    assert not page.foreign_requests, page.foreign_requests


@pytest.fixture
def world(cast):
    """A mother with authority over two children (the child picker), a contact, a signal
    with a proposed share, a key figure's bridge with her consent, a request about the
    record; a care coordinator of the school."""
    noah = Pupil.objects.get(family=cast.jansen)
    mother = Guardian.objects.filter(guardianships__pupil=noah).order_by("pk").first()
    mother.written_language_id = "ar"
    mother.user = make_user("moeder")
    mother.save()
    Guardianship.objects.create(
        pupil=Pupil.objects.get(family=cast.amrani), guardian=mother, relation="mother"
    )
    contact = add_contact(cast.jansen, cast.mentor, note="Fijn gesprek")
    contact.pupils.set([noah])
    signal = Signal.objects.create(
        school=cast.school, pupil=noah, category="wellbeing", observed_on=date(2026, 10, 1),
        observation="Zit vaak alleen", author=cast.mentor,
    )  # fmt: skip
    care = make_user("zorg", school=cast.school, roles=[Role.CARE_COORDINATOR])
    admin = make_user("beheer", school=cast.school, roles=[Role.ADMINISTRATOR])
    version = make_agreement(
        admin, cast.school, Organisation.objects.create(name="Wijkteam", kind="youth_team"),
        category="wellbeing", legal_basis="consent", consent_from="parents",
    )  # fmt: skip
    ask = actions.ask_share_consent(care, signal, version)
    kf = make_key_figure(cast.school, user=make_user("sleutel", school=cast.school,
                         roles=[Role.KEY_FIGURE]), languages=["ar"])  # fmt: skip
    make_bridge(cast.jansen, kf, cast.mentor, consent_from=mother)
    made = voice_actions.ask_about_record(
        mother.user, noah, mother, kind="correction", text="De datum klopt niet.",
        form_key="pages-test-key-00001", contact=contact,
    )  # fmt: skip
    return {"noah": noah, "mother": mother, "contact": contact, "signal": signal,
            "care": care, "ask": ask, "request": made}  # fmt: skip


def test_every_parent_page_on_a_phone_in_arabic(page, live_server, cast, world):
    page.set_viewport_size(PHONE)
    base = live_server.url
    mother = world["mother"].user

    # Before signing in: sign-in, the letter's code, a fresh and a used activation link,
    # a fresh and a used sign-in link.
    from bondgenoot.lib.private_links import LANGUAGE_COOKIE

    page.context.add_cookies([{"name": LANGUAGE_COOKIE, "value": "ar", "url": base}])
    other_guardian = (
        Guardian.objects.filter(guardianships__pupil=world["noah"])
        .exclude(pk=world["mother"].pk)
        .first()
    )
    fresh = actions.invite(cast.mentor, other_guardian, "letter")
    used = actions.invite(cast.mentor, other_guardian, "letter")
    actions.activate(used, None, "ander@example.org", PASSWORD)
    link = actions.make_sign_in_link(mother, "ar")
    gone_link = actions.make_sign_in_link(mother, "ar")
    actions.use_sign_in_link(gone_link)
    for url in (
        reverse("portal:sign_in"),
        reverse("portal:code"),
        reverse("portal:activate", args=[fresh.token]),
        reverse("portal:activate", args=[used.token]),
        reverse("portal:link", args=[link.token]),
        reverse("portal:link", args=[gone_link.token]),
    ):
        page.goto(base + url)
        check(page)

    # Signed in (password), the parent's pages.
    page.goto(base + reverse("portal:sign_in"))
    page.locator("input[name=identifier]").fill(mother.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state("networkidle")
    expect(page).to_have_url(base + reverse("portal:home"))
    noah, contact, signal = world["noah"].pk, world["contact"].pk, world["signal"].pk
    pages = [
        reverse("portal:home"),  # the child picker: two children
        reverse("portal:child", args=[noah]),
        reverse("portal:recorded", args=[noah]),
        reverse("portal:signals", args=[noah]),
        reverse("portal:consents", args=[noah]),  # a bridge and a proposed share
        reverse("portal:looked", args=[noah]),
        reverse("portal:account"),
        reverse("portal:two_step"),  # setting up the parent's own second step
        reverse("parentvoice:index", args=[noah]),
        reverse("parentvoice:conversation", args=[noah]),
        reverse("parentvoice:records", args=[noah]),
        reverse("parentvoice:contact_view", args=[noah, contact]),
        reverse("parentvoice:signal_view", args=[noah, signal]),
        reverse("parentvoice:request_new", args=[noah]),
        reverse("parentvoice:request", args=[noah, world["request"].pk]),
        reverse("parentvoice:home", args=[noah]),
        reverse("parentvoice:details", args=[noah]),
        reverse("parentvoice:export", args=[noah]),
    ]
    for url in pages:
        page.goto(base + url)
        assert page.url == base + url  # not sent to the sign-in page
        check(page)
        expect(page.locator("html")).to_have_attribute("dir", "rtl")

    # A form with errors (the error summary and the marked field) and a 404.
    page.goto(base + reverse("parentvoice:details", args=[noah]))
    page.locator("input[name=email]").fill("geen-adres")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("[data-error-summary]")).to_be_visible()
    check(page)
    response = page.goto(base + reverse("parentvoice:index", args=[signal]))
    assert response.status == 404
    check(page)

    # Saying no to the proposed share, by keyboard only.
    page.goto(base + reverse("portal:consents", args=[noah]))
    decline = page.locator(f"form[action$='/delen/{world['ask'].pk}/nee/'] button")
    expect(decline).to_be_visible()
    for _ in range(150):
        page.keyboard.press("Tab")
        if decline.evaluate("b => b === document.activeElement"):
            break
    else:
        raise AssertionError("Tab never reached the decline button")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text(texts("ar")["share_declined"])
    assert ShareConsent.objects.get(pk=world["ask"].pk).declined_at is not None
    check(page)


def test_every_staff_page_of_the_portal_on_a_phone(page, live_server, cast, world):
    page.set_viewport_size(PHONE)
    base = live_server.url
    group = cast.school.groups.get(name="1A")
    batch = actions.invite_group(cast.mentor, group, "letter")
    actions.invite(cast.mentor, world["mother"], "letter")

    log_in(page, live_server, "mentor")
    for url in (
        reverse("portal:invite_group"),
        reverse("portal:batch", args=[batch.pk]),
        reverse("portal:batch_letters", args=[batch.pk]),
        reverse("portal:family_letters", args=[cast.jansen.pk]),
    ):
        page.goto(base + url)
        check(page, lang=None)

    page.context.clear_cookies()
    log_in(page, live_server, "zorg")
    device = TOTPDevice.objects.create(user=world["care"], name="app", confirmed=True)
    page.reload()
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    page.locator("input[name=token]").fill(f"{code:06d}")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state("networkidle")
    for url in (
        reverse("portal:restrict", args=[cast.jansen.pk]),
        reverse("portal:share_consent", args=[world["signal"].pk]),  # the parent's answer
        reverse("parentvoice:queue"),
        reverse("parentvoice:handle", args=[world["request"].pk]),
    ):
        page.goto(base + url)
        check(page, lang=None)
