"""Meetings in a real Chromium: a mother answers an invitation in Arabic on her phone,
and a mentor checks families in at the door in at most two taps. axe on both pages."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from bondgenoot.meetings import actions
from bondgenoot.meetings.models import Attendance, Invitation, Meeting
from bondgenoot.meetings.texts import texts

from .conftest import assert_accessible, log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def meeting(cast):
    start = timezone.now() + timedelta(hours=1)
    meeting = Meeting.objects.create(
        school=cast.school,
        kind="theme",
        title="Groepsdruk",
        theme="peer_pressure",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        place="Aula",
        created_by=cast.mentor,
    )
    meeting.families.set([cast.amrani, cast.jansen])
    return meeting


def test_a_mother_answers_in_arabic_on_a_phone(browser, live_server, cast, meeting):
    actions.invite_personally(cast.mentor, meeting, cast.amrani, "phone")
    invitation = Invitation.objects.get(family=cast.amrani)
    t = texts("ar")
    context = browser.new_context(
        locale="ar", viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    )
    phone = context.new_page()
    foreign = []
    phone.on("request", lambda r: foreign.append(r.url) if "localhost" not in r.url else None)
    phone.goto(f"{live_server.url}/uitnodiging/{invitation.token}/")
    expect(phone.locator(".reply-page")).to_have_attribute("dir", "rtl")
    assert_accessible(phone)
    phone.locator("label", has_text=t["yes"]).tap()
    phone.get_by_label(t["people"]).fill("2")
    phone.locator("label", has_text=t["want_interpreter"]).tap()
    phone.get_by_role("button", name=t["send"]).tap()
    expect(phone.get_by_role("status")).to_have_text(t["thanks_yes"])
    invitation.refresh_from_db()
    assert (invitation.answer, invitation.people, invitation.wants_interpreter) == ("yes", 2, True)
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert foreign == []
    context.close()


def test_check_in_at_the_door_in_two_taps(browser, live_server, cast, meeting):
    context = browser.new_context(
        locale="nl-NL", viewport={"width": 1024, "height": 768}, has_touch=True
    )
    tablet = context.new_page()
    log_in(tablet, live_server, "mentor")
    tablet.goto(f"{live_server.url}/bijeenkomsten/{meeting.pk}/binnenkomst/")
    tablet.locator("#id_q").fill("Amr")  # typing is not a tap; results come by themselves
    button = tablet.locator(f"#family-{cast.amrani.pk} button")
    expect(button).to_be_visible()
    assert_accessible(tablet)
    button.tap()  # tap 1 (the search field was tap 0: it has the focus already)
    expect(tablet.locator(f"#family-{cast.amrani.pk} .tag--ok")).to_be_visible()
    attendance = Attendance.objects.get()
    assert (attendance.family, attendance.walk_in) == (cast.amrani, True)
    assert_accessible(tablet)
    context.close()
