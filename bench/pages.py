"""Page latency under gunicorn, as ratios to a trivial logged-in page.

    python bench/pages.py --scale district            # SQLite (cached in bench/data/)
    DATABASE_URL=postgres://... python bench/pages.py --scale district

Seeds the database once per scale (SQLite files are kept in bench/data/), starts
gunicorn, logs in as the demo accounts and requests every page N times in turn.
Reports p50 and p95 per page and their ratio to "My account" (a trivial logged-in
page that renders the same layout). Absolute times depend on the machine; the ratios
are what we compare. Not a test: nothing here fails a build.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def manage(env: dict, *args: str) -> str:
    return subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout


def prepare(scale: str, env: dict) -> None:
    manage(env, "migrate", "--noinput", "-v0")
    started = time.monotonic()
    out = manage(env, "seed", "--scale", scale, "--if-empty")
    if "not loaded again" not in out:
        print(f"seeded {scale} in {time.monotonic() - started:.0f} s")


TWO_FACTOR_USERS = ("zorg", "partner")


def bench_authenticators(env: dict) -> dict[str, str]:
    """In the bench database only: a confirmed authenticator with a known key for the
    demo care coordinator and partner (they must pass two-step login), so the bench can
    log in as them, and one message of the mentor's. Returns username -> hex key."""
    script = (
        "import json\n"
        "from django_otp.plugins.otp_totp.models import TOTPDevice\n"
        "from bondgenoot.people.models import User\n"
        "keys = {}\n"
        f"for name in {TWO_FACTOR_USERS!r}:\n"
        "    user = User.objects.get(username=name)\n"
        "    device = TOTPDevice.objects.filter(user=user, name='bench').first()\n"
        "    if device is None:\n"
        "        TOTPDevice.objects.filter(user=user).delete()\n"
        "        device = TOTPDevice.objects.create(user=user, name='bench', confirmed=True)\n"
        "    keys[name] = device.key\n"
        "from bondgenoot import access\n"
        "from bondgenoot.messaging.actions import create_message\n"
        "from bondgenoot.messaging.models import Message\n"
        "from bondgenoot.messaging.planning import plan\n"
        "mentor = User.objects.get(username='mentor')\n"
        "if not Message.objects.filter(author=mentor).exists():\n"
        "    # The seed writes no messages: one group message of the mentor's, whose\n"
        "    # deliveries stay queued (no worker runs here).\n"
        "    families = access.families_visible_to(mentor)\n"
        "    reachable, _ = plan(families)\n"
        "    create_message(mentor, families.first().school_id, subject='Bench',\n"
        "        body='Hallo {child}', purpose='practical', template_key='',\n"
        "        translated=False, values={}, audience='Bench', recipients=reachable)\n"
        "print(json.dumps(keys))\n"
    )
    return json.loads(manage(env, "shell", "-c", script).strip().splitlines()[-1])


class Client:
    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str, headers: dict | None = None) -> tuple[int, bytes]:
        request = urllib.request.Request(self.base + path, headers=headers or {})
        with self.opener.open(request) as response:
            return response.status, response.read()

    def post(self, path: str, data: dict) -> tuple[int, bytes]:
        token = next(c.value for c in self.jar if c.name == "csrftoken")
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **data}).encode()
        request = urllib.request.Request(
            self.base + path, data=body, headers={"Referer": self.base + path}
        )
        with self.opener.open(request) as response:
            return response.status, response.read()

    def login(self, username: str, password: str, totp_key: str | None = None) -> None:
        _status, body = self.get("/account/inloggen/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
        data = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token.decode(), "username": username, "password": password}
        ).encode()
        request = urllib.request.Request(
            self.base + "/account/inloggen/",
            data=data,
            headers={"Referer": self.base + "/account/inloggen/"},
        )
        with self.opener.open(request) as response:
            if "/inloggen/" in response.url:
                raise SystemExit(f"login as {username} failed")
        if totp_key:
            from django_otp.oath import totp

            for attempt in range(2):
                code = f"{totp(bytes.fromhex(totp_key)):06d}"
                try:
                    _status, body = self.post("/account/tweestaps/", {"token": code})
                    break
                except urllib.error.HTTPError as error:
                    # A code is accepted once: a run started within 30 seconds of the
                    # last one logs in with a used code. Wait for the next one.
                    if error.code != 400 or attempt:
                        raise
                    time.sleep(30 - time.time() % 30 + 1)
            if b'name="token"' in body:
                raise SystemExit(f"two-step login as {username} failed")


def timed(
    client: Client,
    path: str,
    n: int,
    data: dict | None = None,
    headers: dict | None = None,
    warm: int = 3,
) -> list[float]:
    def fetch():
        return client.post(path, data) if data is not None else client.get(path, headers)

    for _ in range(warm):
        fetch()
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        status, _body = fetch()
        samples.append((time.perf_counter() - start) * 1000)
        if status != 200:
            raise SystemExit(f"{path} answered {status}")
    return samples


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", choices=["demo", "school", "district"], default="school")
    parser.add_argument("-n", "--requests", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2)
    # The monitor's cache (settings.cache_from_url): shared through the database (the
    # default) or per process.
    parser.add_argument("--cache", choices=["database", "locmem"], default="database")
    parser.add_argument("--only", default="", help="pages whose name starts with this")
    args = parser.parse_args()

    env = {
        **os.environ,
        "SECRET_KEY": "bench-only",
        "SITE_URL": "http://127.0.0.1:8000",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_COOKIES": "0",
        "MANIFEST_STATIC": "0",
        "DEBUG": "0",
        "LOGIN_FAILURE_LIMIT": "1000",
        "ALLOW_DEMO_ACCOUNTS": "1",
    }
    db = "postgresql" if env.get("DATABASE_URL") else "sqlite"
    if db == "sqlite":
        (ROOT / "bench" / "data").mkdir(parents=True, exist_ok=True)
        env["SQLITE_PATH"] = str(ROOT / "bench" / "data" / f"{args.scale}.sqlite3")
    prepare(args.scale, env)
    args.totp_keys = bench_authenticators(env)
    results = run_pages(env, args, cache=True, only=(args.only,) if args.only else ())
    # The monitor once more without its cache: the cost right after a contact is written.
    # (Each run's ratios are to the baseline measured in that same run.)
    cold = run_pages(env, args, cache=False, only=("monitor",))
    results |= {
        f"{name}, uncached": value for name, value in cold.items() if name.startswith("monitor")
    }
    report(results, args, db)


def find(pattern: bytes, body: bytes, what: str) -> str:
    match = re.search(pattern, body)
    if match is None:
        raise SystemExit(f"bench: found no {what} to open")
    return match.group(1).decode()


HTMX = {"HX-Request": "true"}


def run_pages(env: dict, args, cache: bool, only: tuple = ()) -> dict:
    env = {**env, "CACHE_BACKEND": args.cache if cache else "dummy"}
    env.pop("CACHE_URL", None)
    port = free_port()
    server = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "bondgenoot.wsgi",
            "-w",
            str(args.workers),
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/account/inloggen/")
                break
            except OSError:
                time.sleep(0.1)
        clients: dict[str, Client] = {}

        def as_user(username: str) -> Client:
            if username not in clients:
                client = Client(base)
                client.login(username, "bondgenoot-demo", args.totp_keys.get(username))
                clients[username] = client
            return clients[username]

        mentor = as_user("mentor")
        leader = as_user("directie")
        pages: list[tuple] = [
            ("baseline: my account", mentor, "/account/"),
            ("monitor (mentor)", mentor, "/monitor/"),
            ("monitor (school leader)", leader, "/monitor/"),
        ]
        # The uncached pass asks the monitor only: no need to find the other pages.
        if not only or any(not prefix.startswith("monitor") for prefix in only):
            key_figure, parent = as_user("sleutelfiguur"), as_user("ouder")
            care, partner = as_user("zorg"), as_user("partner")
            _s, body = mentor.get("/gezinnen/?sort=name")
            family = find(rb'href="/gezinnen/([0-9a-f-]{36})/"', body, "family")
            name = find(rb'href="/gezinnen/[0-9a-f-]{36}/"[^>]*>\s*([^<]{4})', body, "name")
            _s, body = mentor.get("/berichten/")
            message = find(rb'href="/berichten/([0-9a-f-]{36})/"', body, "message")
            _s, body = key_figure.get("/mijn-bruggen/")
            bridge = find(rb'href="/mijn-bruggen/([0-9a-f-]{36})/"', body, "bridge")
            _s, body = parent.get("/ouders/?kies=1")
            child = find(rb'href="/ouders/kind/([0-9a-f-]{36})/"', body, "child")
            _s, body = care.get("/signalen/")
            signal = find(rb'href="/signalen/([0-9a-f-]{36})/"', body, "signal")
            _s, body = care.get(f"/signalen/{signal}/")
            pupil = find(rb'href="/leerlingen/([0-9a-f-]{36})/chronologie/"', body, "pupil")
            _s, body = partner.get("/partner/")
            share = find(rb'href="/partner/([0-9a-f-]{36})/"', body, "share")
            _s, body = care.get("/bijeenkomsten/")
            meeting = find(rb'href="/bijeenkomsten/([0-9a-f-]{36})/"', body, "meeting")
            fam = f"/gezinnen/{family}/"
            pages += [
                ("my families", mentor, "/gezinnen/"),
                ("my families, search", mentor, "/gezinnen/", {"q": name.strip()}),
                ("family page", mentor, fam),
                ("family page (care coordinator)", care, fam),
                ("  its advice (htmx)", mentor, fam + "deel/approach.situation/", HTMX),
                ("  its contact form (htmx)", mentor, f"/gezinnen/{family}/contact/", HTMX),
                ("  its bridges (htmx)", mentor, fam + "deel/bridges.family/", HTMX),
                ("  its timeline (htmx)", mentor, fam + "deel/contacts.timeline/", HTMX),
                ("timeline", mentor, fam + "tijdlijn/"),
                ("worklist", mentor, "/acties/"),
                ("campaign", mentor, "/eerste-contact/"),
                ("care queue", care, "/signalen/"),
                ("signal page", care, f"/signalen/{signal}/"),
                ("chronology", care, f"/leerlingen/{pupil}/chronologie/"),
                ("partner inbox", partner, "/partner/"),
                ("share page (partner)", partner, f"/partner/{share}/"),
                ("message list", mentor, "/berichten/"),
                ("message page", mentor, f"/berichten/{message}/"),
                ("meeting page", care, f"/bijeenkomsten/{meeting}/"),
                ("meeting reach", care, f"/bijeenkomsten/{meeting}/bereik/"),
                ("year reach", care, "/bijeenkomsten/bereik/"),
                ("key figure matches", mentor, fam + "sleutelfiguren/"),
                ("key figure registry", mentor, "/sleutelfiguren/"),
                ("key figure: families", key_figure, "/mijn-bruggen/"),
                ("key figure: family", key_figure, f"/mijn-bruggen/{bridge}/"),
                ("parent: start page", parent, "/ouders/"),
                ("parent: start page of a child", parent, f"/ouders/kind/{child}/"),
            ]
        # Interleaved: every round asks every page once, baseline included, so a change
        # in the machine's load (other processes) hits every page alike and the ratios
        # stay comparable. Pages that answer 404 (an older version) are left out.
        plan = []
        for name, client, path, *extra in pages:
            if only and not name.startswith(only) and not name.startswith("baseline"):
                continue
            data = extra[0] if extra and "HX-Request" not in extra[0] else None
            headers = extra[0] if extra and "HX-Request" in extra[0] else None
            try:
                timed(client, path, 0, data=data, headers=headers)  # warm up (3 requests)
            except urllib.error.HTTPError as error:
                if error.code != 404:
                    raise
                print(f"{name}: not on this version (404), skipped")
                continue
            plan.append((name, client, path, data, headers))
        samples: dict[str, list[float]] = {name: [] for name, *_rest in plan}
        for _round in range(args.requests):
            for name, client, path, data, headers in plan:
                samples[name] += timed(client, path, 1, data=data, headers=headers, warm=0)
        results = {
            name: {"p50": statistics.median(values), "p95": p95(values)}
            for name, values in samples.items()
        }
    finally:
        server.terminate()
        server.wait()
    base = results["baseline: my account"]
    for r in results.values():
        r["p50_ratio"] = r["p50"] / base["p50"]
        r["p95_ratio"] = r["p95"] / base["p95"]
    return results


def report(results: dict, args, db: str) -> None:
    print(
        f"\n{args.scale} scale on {db}, gunicorn {args.workers} workers, "
        f"{args.requests} rounds (each page once per round, interleaved), cache: {args.cache}"
    )
    print(f"{'page':36} {'p50 ms':>8} {'p95 ms':>8} {'p50 ratio':>10} {'p95 ratio':>10}")
    for name, r in results.items():
        print(
            f"{name:36} {r['p50']:8.1f} {r['p95']:8.1f} {r['p50_ratio']:10.2f} "
            f"{r['p95_ratio']:10.2f}"
        )
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / f"pages-{args.scale}-{db}.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
