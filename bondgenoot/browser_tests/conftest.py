"""Browser tests: a real Chromium (Debian's) driven by Playwright against a live server.

They run in their own pytest leg (``-m browser``) because Playwright's sync API owns
an event loop, which Django's async-safety check would otherwise refuse.
"""

from __future__ import annotations

import os
import threading
from types import SimpleNamespace
from urllib.parse import urlparse

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread
from playwright.sync_api import sync_playwright

from bondgenoot.people.models import Role
from bondgenoot.testing import make_family, make_group, make_school, make_user

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


class SerialWSGIServer(ThreadedWSGIServer):
    """The live server runs one request at a time (connections stay in their threads).
    The test database is SQLite in memory, shared with the test's thread; two requests
    writing at once (the family page's parts load in parallel, each writes its audit
    entry) make SQLite refuse one with "database table is locked" instead of waiting, as
    a file database would. Requests wait for each other, as behind one gunicorn sync
    worker."""

    def set_app(self, application):
        lock = threading.Lock()

        def one_at_a_time(environ, start_response):
            with lock:
                return list(application(environ, start_response))

        super().set_app(one_at_a_time)


LiveServerThread.server_class = SerialWSGIServer

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PASSWORD = "correct horse battery"


@pytest.fixture(scope="session")
def browser():
    path = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if not os.path.exists(path):
        pytest.fail(f"Chromium is missing at {path}: apt-get install -y chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.foreign_requests = []
    own_host = urlparse(live_server.url).netloc

    def watch(request):
        if urlparse(request.url).netloc not in (own_host, "") and not request.url.startswith(
            "data:"
        ):
            page.foreign_requests.append(request.url)

    page.on("request", watch)
    yield page
    context.close()


@pytest.fixture
def cast(transactional_db):
    school = make_school()
    mentor = make_user("mentor", school=school, roles=[Role.MENTOR], first_name="Sanne")
    other_mentor = make_user("other", school=school, roles=[Role.MENTOR])
    group = make_group(school, "1A", mentors=[mentor])
    other_group = make_group(school, "2B", mentors=[other_mentor])
    return SimpleNamespace(
        school=school,
        mentor=mentor,
        jansen=make_family(school, group, name="Jansen"),
        amrani=make_family(
            school,
            group,
            name="El Amrani",
            languages=("ar", "zgh"),
            written="ar",
            email=False,
            interpreter=True,
            guardians=1,
        ),
        hidden=make_family(school, other_group, name="Verborgen"),
    )


def log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/account/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state("networkidle")


def assert_accessible(page) -> None:
    """axe-core finds no serious or critical violation on the current page."""
    results = Axe().run(page)
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not serious, "\n".join(serious)
