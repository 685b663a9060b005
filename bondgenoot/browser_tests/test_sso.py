"""Single sign-on in a real Chromium against a real OpenID Connect provider (the npm
package oidc-provider in a second process, bondgenoot/accounts/tests/oidc.py): the whole
redirect flow, axe on the login page, and no request to another site from our pages
(the way to the provider is a server redirect, a navigation)."""

from urllib.parse import urlparse

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from bondgenoot.accounts.tests.oidc import running_provider
from bondgenoot.audit.models import AuditEntry
from bondgenoot.people.models import Role
from bondgenoot.testing import make_user

from .conftest import assert_accessible

pytestmark = pytest.mark.browser


@pytest.fixture
def provider(live_server):
    callback = live_server.url + reverse("accounts:sso_callback")
    with (
        running_provider([callback]) as provider,
        provider.settings(SSO_MFA_AMR=frozenset({"mfa"}), SSO_MFA_ACR=frozenset()),
    ):
        yield provider


def sign_in_with_school_account(page, live_server, provider, account: str, amr: str = ""):
    navigations = []
    page.on(
        "request",
        lambda r: navigations.append((r.url, r.is_navigation_request(), r.frame.url)),
    )
    page.goto(f"{live_server.url}/account/inloggen/")
    page.get_by_role("link", name="Inloggen met je schoolaccount").click()
    expect(page.get_by_role("heading", name="Test identity provider")).to_be_visible()
    assert page.url.startswith(provider.issuer + "/interaction/")
    page.get_by_label("Account").fill(account)
    page.get_by_label("amr").fill(amr)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("networkidle")
    own = urlparse(live_server.url).netloc
    idp = urlparse(provider.issuer).netloc
    # Our pages load nothing from the provider: the only requests to it are navigations.
    for url, is_navigation, _frame in navigations:
        host = urlparse(url).netloc
        assert host in (own, idp), url
        if host == idp:
            assert is_navigation, url


def test_a_mentor_logs_in_with_the_school_account(page, live_server, provider, cast):
    page.goto(f"{live_server.url}/account/inloggen/")
    expect(page.get_by_role("link", name="Inloggen met je schoolaccount")).to_be_visible()
    assert_accessible(page)
    assert page.foreign_requests == []

    sign_in_with_school_account(page, live_server, provider, "MENTOR@example.org")
    expect(page.get_by_role("heading", name="Mijn gezinnen")).to_be_visible()
    assert urlparse(page.url).path == reverse("people:families")
    entry = AuditEntry.objects.get(action="login", actor_id=cast.mentor.pk)
    assert entry.detail["method"] == "sso"


def test_an_unknown_account_is_refused_with_a_plain_message(page, live_server, provider, cast):
    sign_in_with_school_account(page, live_server, provider, "nobody@example.org")
    assert urlparse(page.url).path == reverse("accounts:login")
    expect(page.get_by_text("Er is geen Bondgenoot-account voor dit schoolaccount")).to_be_visible()
    assert_accessible(page)
    entry = AuditEntry.objects.filter(action="login_failed").latest("seq")
    assert entry.detail["reason"] == "unknown_user"


def test_two_step_login_after_sso_unless_the_provider_asserts_mfa(
    page, live_server, provider, cast
):
    make_user("zorg", school=cast.school, roles=[Role.CARE_COORDINATOR])
    sign_in_with_school_account(page, live_server, provider, "zorg@example.org", amr="pwd")
    assert urlparse(page.url).path == reverse("accounts:two_factor")
    expect(page.get_by_text("We hebben een code gestuurd naar z…@example.org")).to_be_visible()

    page.context.clear_cookies()
    sign_in_with_school_account(page, live_server, provider, "zorg@example.org", amr="pwd,mfa")
    assert urlparse(page.url).path == reverse("people:families")
