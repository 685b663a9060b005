"""Load and a database outage: mixed roles against gunicorn on loopback (issue 13).

    scripts/test-postgres python bench/load.py                      # 10 minutes
    scripts/test-postgres python bench/load.py --duration 120 --restart-db
    make load LOAD_ARGS="--duration 120 --restart-db"

Seeds the database (``--scale``, default district) unless it has data, starts gunicorn
on 127.0.0.1 and runs ``--clients`` (8) threads for ``--duration`` seconds, each a user
in a role: mentors read their families, family pages and worklist and log contacts;
a teacher reads; a school leader reads the monitor; parents answer invitations through
their links; one mentor sends a group message now and then. Every request is timed.

With ``--restart-db`` the PostgreSQL server (started by scripts/test-postgres) is
stopped halfway for ``--outage`` seconds and started again. During the outage pages
must answer a clean 503 (our page, no traceback); afterwards the same gunicorn must
serve again (CONN_HEALTH_CHECKS) — its recovery time is reported. A contact posted
during the outage is posted again, with the same form (and so the same idempotency
key), until it is saved; at the end each such key must have exactly one contact.

Reports errors (goal 0: a 5xx other than the outage's 503s, a connection error, an
unexpected status), p50, p95 and throughput, per kind of request. Loopback only, bounded
(at most 16 clients and 30 minutes); not a test and not in CI.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pages import PYTHON, ROOT, Client, free_port, manage

PASSWORD = "bondgenoot-demo"
TOKENS = """
from django.utils import timezone
from bondgenoot.meetings.models import Invitation
from bondgenoot.people.models import Role, User
tokens = list(Invitation.objects.filter(meeting__ends_at__gt=timezone.now())
              .values_list("token", flat=True)[:300])
mentors = list(User.objects.filter(memberships__role=Role.MENTOR, is_active=True)
               .values_list("username", flat=True).distinct()[:6])
# Generated mentors have no known password: give these the demo one (bench data only).
for user in User.objects.filter(username__in=mentors):
    user.set_password("bondgenoot-demo")
    user.save(update_fields=["password"])
print("TOKENS", " ".join(tokens))
print("MENTORS", " ".join(mentors))
"""
KEYS = """
import sys
from bondgenoot.contacts.models import Contact
keys = [k for k in open(sys.argv[-1]).read().split() if k]
from collections import Counter
rows = Counter(str(k) for k in Contact.objects.filter(idempotency_key__in=keys)
               .values_list("idempotency_key", flat=True))
print("KEYS", len(keys), "ONE", sum(1 for k in keys if rows[k] == 1),
      "NONE", sum(1 for k in keys if rows[k] == 0), "MORE", sum(1 for k in keys if rows[k] > 1))
"""


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.samples: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []
        self.outage_503 = 0
        self.bad_503 = 0
        self.last_failure = 0.0
        self.first_success_after: float | None = None

    def add(self, kind: str, ms: float):
        with self.lock:
            self.samples[kind].append(ms)

    def error(self, text: str):
        with self.lock:
            self.errors.append(text)


class Timed(Client):
    """A logged-in browser that times every request and follows redirects."""

    def __init__(self, base, stats: Stats, outage: threading.Event):
        super().__init__(base)
        self.stats, self.outage = stats, outage

    def request(self, kind: str, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        req = urllib.request.Request(
            self.base + path, data=body, headers={"Referer": self.base + path}
        )
        start = time.perf_counter()
        try:
            with self.opener.open(req, timeout=30) as response:
                status, text = response.status, response.read().decode(errors="replace")
        except urllib.error.HTTPError as exc:
            status, text = exc.code, exc.read().decode(errors="replace")
        except OSError as exc:
            self.stats.error(f"{kind}: {exc}")
            return 0, ""
        ms = (time.perf_counter() - start) * 1000
        if status == 503:
            if "even niet bereikbaar" in text and "Traceback" not in text:
                with self.stats.lock:
                    self.stats.outage_503 += 1
                    self.stats.last_failure = time.monotonic()
            else:
                with self.stats.lock:
                    self.stats.bad_503 += 1
                self.stats.error(f"{kind}: a 503 that is not our page")
        elif status >= 500:
            self.stats.error(f"{kind}: {status} {path}")
        else:
            self.stats.add(kind, ms)
            if self.outage.is_set() is False and self.stats.last_failure:
                with self.stats.lock:
                    if self.stats.first_success_after is None:
                        self.stats.first_success_after = time.monotonic()
        return status, text

    def csrf(self, text: str) -> str:
        m = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text)
        return m.group(1) if m else ""


def mentor_loop(client: Timed, families: list[str], rng, stop, keys: list, keys_lock):
    while not stop.is_set():
        family = rng.choice(families)
        choice = rng.random()
        if choice < 0.35:
            client.request("read: my families", "/gezinnen/")
        elif choice < 0.6:
            client.request("read: family page", f"/gezinnen/{family}/")
        elif choice < 0.7:
            client.request("read: worklist", "/acties/")
        else:
            status, text = client.request("read: contact form", f"/gezinnen/{family}/contact/")
            key = re.search(r'name="idempotency_key" value="([^"]+)"', text)
            if status != 200 or not key:
                continue
            data = {
                "csrfmiddlewaretoken": client.csrf(text),
                "idempotency_key": key.group(1),
                "channel": "phone",
                "purpose": "acquaintance",
                "tone": "positive",
                "reached": "1",
                "note": "Belastingtest",
            }
            # The same form again until it is saved: a retry after an outage or timeout.
            for _attempt in range(120):
                status, _ = client.request(
                    "write: log a contact", f"/gezinnen/{family}/contact/", data
                )
                if status in (200, 302):
                    with keys_lock:
                        keys.append(key.group(1))
                    break
                if stop.is_set() and status == 0:
                    break
                time.sleep(1)


def reader_loop(client: Timed, paths: list[tuple[str, str]], rng, stop):
    while not stop.is_set():
        kind, path = rng.choice(paths)
        client.request(kind, path)


def parent_loop(client: Timed, tokens: list[str], rng, stop):
    while not stop.is_set() and tokens:
        token = rng.choice(tokens)
        status, text = client.request("parent: open answer link", f"/uitnodiging/{token}/")
        if status != 200:
            continue
        client.request(
            "parent: answer",
            f"/uitnodiging/{token}/",
            {
                "csrfmiddlewaretoken": client.csrf(text),
                "answer": rng.choice(["yes", "no", "maybe"]),
                "people": "1",
            },
        )
        time.sleep(rng.uniform(0.2, 1.0))  # a parent reads before answering again


def group_message_loop(client: Timed, group: str, rng, stop):
    while not stop.wait(rng.uniform(20, 40)):
        path = f"/berichten/nieuw/?groep={group}"
        status, text = client.request("read: composer", path)
        if status != 200:
            continue
        client.request(
            "write: group message",
            path,
            {
                "csrfmiddlewaretoken": client.csrf(text),
                "groep": group,
                "subject": "Belastingtest",
                "body": "Beste ouders, dit is een test.",
                "purpose": "practical",
                "send": "1",
            },
        )


def restart_db(outage: threading.Event, seconds: float, log: list):
    pgdata, pgbin, port = (os.environ.get(k) for k in ("TEST_PGDATA", "TEST_PGBIN", "TEST_PGPORT"))
    if not pgdata:
        raise SystemExit("--restart-db needs the server of scripts/test-postgres")
    as_pg = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    opts = (
        f"-c listen_addresses=127.0.0.1 -p {port} -k {pgdata} -c fsync=off -c full_page_writes=off"
    )
    outage.set()
    log.append(("stop", time.monotonic()))
    subprocess.run(
        [*as_pg, f"{pgbin}/pg_ctl", "-D", pgdata, "-m", "fast", "-w", "stop"],
        check=True,
        capture_output=True,
    )
    time.sleep(seconds)
    subprocess.run(
        [*as_pg, f"{pgbin}/pg_ctl", "-D", pgdata, "-l", f"{pgdata}/log", "-w", "-o", opts, "start"],
        check=True,
        capture_output=True,
    )
    log.append(("start", time.monotonic()))
    outage.clear()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", choices=["demo", "school", "district"], default="district")
    parser.add_argument("--duration", type=int, default=600, help="seconds (at most 1800)")
    parser.add_argument("--clients", type=int, default=8, help="at most 16")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--restart-db", action="store_true")
    parser.add_argument("--outage", type=float, default=10.0, help="seconds the server is down")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    args.duration = min(args.duration, 1800)
    args.clients = max(4, min(args.clients, 16))
    if not os.environ.get("DATABASE_URL"):
        raise SystemExit("Run it against PostgreSQL: scripts/test-postgres python bench/load.py")

    env = {
        **os.environ,
        "SECRET_KEY": "bench-only",
        # Required without DEBUG since issue 14 (links in messages); the run stopped at
        # its first migrate without it.
        "SITE_URL": "http://127.0.0.1:8000",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_COOKIES": "0",
        "MANIFEST_STATIC": "0",
        "DEBUG": "0",
        "LOGIN_FAILURE_LIMIT": "1000",
        "ALLOW_DEMO_ACCOUNTS": "1",
        "HSTS_SECONDS": "0",
        "MAILER": "outbox",
        "OUTBOX_DIR": str(ROOT / "var" / "bench-outbox"),
        "THROTTLE_LINK_POSTS_PER_IP": "1000000",  # every parent comes from 127.0.0.1 here
        "THROTTLE_LINK_POSTS": "1000000",
    }
    manage(env, "migrate", "--noinput", "-v0")
    started = time.monotonic()
    out = manage(env, "seed", "--scale", args.scale, "--if-empty", "--seed", str(args.seed))
    if "not loaded again" not in out:
        print(f"seeded {args.scale} in {time.monotonic() - started:.0f} s")
    info = manage(env, "shell", "-c", TOKENS)
    tokens = re.search(r"^TOKENS (.*)$", info, re.M).group(1).split()
    mentors = re.search(r"^MENTORS (.*)$", info, re.M).group(1).split()

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
            "--timeout",
            "60",
        ],
        cwd=ROOT,
        env=env,
    )
    stats, outage, stop = Stats(), threading.Event(), threading.Event()
    keys: list[str] = []
    keys_lock = threading.Lock()
    events: list = []
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                urllib.request.urlopen(base + "/account/inloggen/")
                break
            except OSError:
                time.sleep(0.1)
        rng = random.Random(args.seed)

        def logged_in(username):
            client = Timed(base, stats, outage)
            client.login(username, PASSWORD)
            return client

        threads = []
        mentor_names = (["mentor"] + [m for m in mentors if m != "mentor"])[
            : max(1, args.clients - 4)
        ]
        for i in range(args.clients - 4):
            client = logged_in(mentor_names[i % len(mentor_names)])
            _s, body = client.request("read: my families", "/gezinnen/")
            families = sorted(set(re.findall(r'href="/gezinnen/([0-9a-f-]{36})/"', body)))
            threads.append(
                threading.Thread(
                    target=mentor_loop,
                    args=(client, families, random.Random(rng.random()), stop, keys, keys_lock),
                )
            )
        teacher = logged_in("docent")
        threads.append(
            threading.Thread(
                target=reader_loop,
                args=(
                    teacher,
                    [("read: teacher home", "/"), ("read: signals", "/signalen/")],
                    random.Random(rng.random()),
                    stop,
                ),
            )
        )
        leader = logged_in("directie")
        threads.append(
            threading.Thread(
                target=reader_loop,
                args=(
                    leader,
                    [
                        ("read: monitor", "/monitor/"),
                        ("read: signal counts", "/signalen/overzicht/"),
                    ],
                    random.Random(rng.random()),
                    stop,
                ),
            )
        )
        for _ in range(2):
            parent = Timed(base, stats, outage)
            threads.append(
                threading.Thread(
                    target=parent_loop, args=(parent, tokens, random.Random(rng.random()), stop)
                )
            )
        sender = logged_in("mentor")
        _s, body = sender.request("read: my families", "/gezinnen/")
        group = re.search(r'name="group".*?<option value="(\d+)"', body, re.S)
        if group:
            threads.append(
                threading.Thread(
                    target=group_message_loop,
                    args=(sender, group.group(1), random.Random(rng.random()), stop),
                )
            )
        t0 = time.monotonic()
        for t in threads:
            t.start()
        restarter = None
        if args.restart_db:
            timer = threading.Timer(
                args.duration / 2, lambda: restart_db(outage, args.outage, events)
            )
            timer.start()
            restarter = timer
        time.sleep(args.duration)
        stop.set()
        for t in threads:
            t.join(timeout=120)
        if restarter:
            restarter.join()
        elapsed = time.monotonic() - t0
    finally:
        server.terminate()
        server.wait()

    keys_file = ROOT / "var" / "bench-keys.txt"
    keys_file.write_text("\n".join(keys))
    check = manage(env, "shell", "-c", KEYS.replace("sys.argv[-1]", repr(str(keys_file))))
    key_line = re.search(r"^KEYS .*$", check, re.M).group(0)
    report(args, stats, elapsed, events, key_line)


def report(args, stats: Stats, elapsed: float, events: list, key_line: str) -> None:
    total = sum(len(v) for v in stats.samples.values())
    print(
        f"\nload: {args.clients} clients, {args.scale} scale, PostgreSQL, gunicorn "
        f"{args.workers} workers, {elapsed:.0f} s"
    )
    print(f"{'request':28} {'n':>6} {'p50 ms':>8} {'p95 ms':>8}")
    rows = {}
    for kind in sorted(stats.samples):
        s = sorted(stats.samples[kind])
        p95 = statistics.quantiles(s, n=20)[-1] if len(s) >= 20 else max(s)
        rows[kind] = {"n": len(s), "p50": statistics.median(s), "p95": p95}
        print(f"{kind:28} {len(s):6} {statistics.median(s):8.1f} {p95:8.1f}")
    everything = sorted(x for v in stats.samples.values() for x in v)
    p95_all = statistics.quantiles(everything, n=20)[-1]
    print(f"{'all':28} {total:6} {statistics.median(everything):8.1f} {p95_all:8.1f}")
    print(f"throughput: {total / elapsed:.1f} requests/s")
    print(
        f"errors: {len(stats.errors)}" + (f" (first: {stats.errors[:3]})" if stats.errors else "")
    )
    result = {
        "requests": total,
        "throughput": total / elapsed,
        "errors": len(stats.errors),
        "pages": rows,
        "contacts": key_line,
    }
    if events:
        stop_at = dict(events)["stop"]
        start_at = dict(events)["start"]
        recovered = (stats.first_success_after or start_at) - start_at
        print(
            f"outage: server down {start_at - stop_at:.1f} s; clean 503 pages: {stats.outage_503}; "
            f"other 503s: {stats.bad_503}; first success {recovered:.1f} s after the restart "
            "(same gunicorn)"
        )
        result["outage"] = {
            "down": start_at - stop_at,
            "clean_503": stats.outage_503,
            "bad_503": stats.bad_503,
            "recovered_after": recovered,
        }
    print(f"contacts by idempotency key: {key_line}  (goal: ONE = KEYS, NONE = MORE = 0)")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / f"load-{args.scale}.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
