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


class Client:
    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> tuple[int, bytes]:
        with self.opener.open(self.base + path) as response:
            return response.status, response.read()

    def login(self, username: str, password: str) -> None:
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


def timed(client: Client, path: str, n: int) -> list[float]:
    for _ in range(3):
        client.get(path)
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        status, _body = client.get(path)
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
    results = run_pages(env, args, cache=True, only=(args.only,) if args.only else ())
    # The monitor once more without its cache: the cost right after a contact is written.
    # (Each run's ratios are to the baseline measured in that same run.)
    cold = run_pages(env, args, cache=False, only=("monitor",))
    results |= {
        f"{name}, uncached": value for name, value in cold.items() if name.startswith("monitor")
    }
    report(results, args, db)


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
        mentor, leader, key_figure, parent = Client(base), Client(base), Client(base), Client(base)
        mentor.login("mentor", "bondgenoot-demo")
        leader.login("directie", "bondgenoot-demo")
        key_figure.login("sleutelfiguur", "bondgenoot-demo")
        parent.login("ouder", "bondgenoot-demo")  # lands in the parent portal
        _s, body = mentor.get("/gezinnen/?sort=name")
        family = re.search(rb'href="/gezinnen/([0-9a-f-]{36})/"', body).group(1).decode()
        _s, body = key_figure.get("/mijn-bruggen/")
        bridge = re.search(rb'href="/mijn-bruggen/([0-9a-f-]{36})/"', body).group(1).decode()
        _s, body = parent.get("/ouders/?kies=1")
        child = re.search(rb'href="/ouders/kind/([0-9a-f-]{36})/"', body).group(1).decode()
        pages = [
            ("baseline: my account", mentor, "/account/"),
            ("my families", mentor, "/gezinnen/"),
            ("family page", mentor, f"/gezinnen/{family}/"),
            ("timeline", mentor, f"/gezinnen/{family}/tijdlijn/"),
            ("worklist", mentor, "/acties/"),
            ("campaign", mentor, "/eerste-contact/"),
            ("monitor (mentor)", mentor, "/monitor/"),
            ("monitor (school leader)", leader, "/monitor/"),
            ("key figure matches", mentor, f"/gezinnen/{family}/sleutelfiguren/"),
            ("key figure registry", mentor, "/sleutelfiguren/"),
            ("key figure: families", key_figure, "/mijn-bruggen/"),
            ("key figure: family", key_figure, f"/mijn-bruggen/{bridge}/"),
            ("parent: start page of a child", parent, f"/ouders/kind/{child}/"),
        ]
        results = {}
        for name, client, path in pages:
            if only and not name.startswith(only) and not name.startswith("baseline"):
                continue
            samples = timed(client, path, args.requests)
            results[name] = {"p50": statistics.median(samples), "p95": p95(samples)}
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
        f"{args.requests} requests per page, cache: {args.cache}"
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
