"""Setting up two-step login in a real Chromium: the emailed code comes first, then the
QR code (issue 13, finding 4). axe on both pages."""

import re

import pytest
from django.core import mail
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from bondgenoot.people.models import Role
from bondgenoot.testing import make_user

from .conftest import assert_accessible, log_in

pytestmark = pytest.mark.browser


def test_a_care_coordinator_proves_the_email_before_the_qr_code(page, live_server, cast):
    make_user("zorg", school=cast.school, roles=[Role.CARE_COORDINATOR])
    log_in(page, live_server, "zorg")
    expect(page.get_by_text("We hebben een code gestuurd naar z…@example.org")).to_be_visible()
    expect(page.locator("svg")).to_have_count(0)
    assert_accessible(page)

    page.get_by_label("Code uit de e-mail").fill("000000")
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.get_by_text("Deze code is niet goed of verlopen")).to_be_visible()
    assert_accessible(page)

    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    page.get_by_label("Code uit de e-mail").fill(code)
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.get_by_role("img", name=re.compile("QR"))).to_be_visible()
    assert_accessible(page)
    assert TOTPDevice.objects.filter(user__username="zorg", confirmed=False).exists()
    assert page.foreign_requests == []
