"""A real OpenID Connect provider for the single sign-on tests, and a browser-less walk
through its sign-in page.

The provider is the npm package oidc-provider, run by the machine's node from
``oidc_provider/`` (installed by ``make install`` with ``npm ci``). When node or the
package is missing the tests fail with what to do; they never skip.
"""

from __future__ import annotations

import json
import os
import secrets
import selectors
import shutil
import signal
import subprocess
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlparse

import requests
from django.test import override_settings

from bondgenoot.accounts import sso

HERE = Path(__file__).resolve().parent / "oidc_provider"
CLIENT_ID = "bondgenoot"


class ProviderMissing(AssertionError):
    pass


@dataclass
class Provider:
    issuer: str
    client_id: str
    client_secret: str
    process: subprocess.Popen

    def settings(self, **extra):
        """Bondgenoot's settings for single sign-on with this provider."""
        return override_settings(
            SSO_ISSUER=self.issuer,
            SSO_ENABLED=True,
            OIDC_RP_CLIENT_ID=self.client_id,
            OIDC_RP_CLIENT_SECRET=self.client_secret,
            OIDC_RP_SCOPES="openid email",
            **extra,
        )


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        raise ProviderMissing(
            "The single sign-on tests need node (20 or newer) to run a real OpenID Connect "
            "provider: apt-get install -y nodejs npm, then make install."
        )
    if not (HERE / "node_modules" / "oidc-provider").is_dir():
        raise ProviderMissing(
            f"The npm package oidc-provider is not installed in {HERE}: run make install "
            "(it runs npm ci there)."
        )
    return node


@contextmanager
def running_provider(redirect_uris: list[str]):
    """Start the provider on a free loopback port; stop it (and wait) afterwards."""
    secret = secrets.token_urlsafe(32)
    clients = [{"client_id": CLIENT_ID, "client_secret": secret, "redirect_uris": redirect_uris}]
    env = {**os.environ, "OIDC_CLIENTS": json.dumps(clients), "NODE_NO_WARNINGS": "1"}
    process = subprocess.Popen(
        [_node(), str(HERE / "provider.js")],
        cwd=HERE,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group, stopped as a whole below
    )
    try:
        issuer = _wait_until_ready(process)
        sso.forget_discovery()
        yield Provider(issuer, CLIENT_ID, secret, process)
    finally:
        sso.forget_discovery()
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        if process.stdout:
            process.stdout.close()


def _wait_until_ready(process: subprocess.Popen, timeout: float = 30) -> str:
    selector = selectors.DefaultSelector()
    assert process.stdout is not None
    selector.register(process.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + timeout
    line = b""
    while time.monotonic() < deadline and not line.endswith(b"\n"):
        if process.poll() is not None:
            break
        if selector.select(timeout=0.5):
            line += process.stdout.read1(1024)  # type: ignore[attr-defined]
    selector.close()
    text = line.decode(errors="replace").strip()
    if not text.startswith("ready "):
        raise ProviderMissing(
            f"The test OpenID Connect provider did not start (node said {text!r}); "
            "run make install."
        )
    return text.split(" ", 1)[1]


def sign_in_at_provider(
    authorize_url: str, login: str, *, amr: str = "", acr: str = "", stop_at: str
) -> str:
    """Play the browser at the provider: open the authorisation URL, fill in its
    sign-in page, and follow redirects until the provider sends the browser back to
    ``stop_at`` (our callback). Returns that URL (with code and state)."""
    browser = requests.Session()
    url = authorize_url
    posted = False
    for _ in range(10):
        if url.startswith(stop_at):
            return url
        response = browser.get(url, allow_redirects=False, timeout=10)
        if response.is_redirect:
            url = urljoin(url, response.headers["Location"])
            continue
        assert response.status_code == 200, (response.status_code, response.text[:300])
        assert not posted, "the provider showed its sign-in page twice"
        action = urlparse(url).path
        response = browser.post(
            urljoin(url, action),
            data={"login": login, "amr": amr, "acr": acr},
            allow_redirects=False,
            timeout=10,
        )
        posted = True
        assert response.is_redirect, (response.status_code, response.text[:300])
        url = urljoin(url, response.headers["Location"])
    raise AssertionError(f"the provider never sent the browser back (last at {url})")
