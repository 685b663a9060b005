"""Inviting a whole school to a meeting (issue 6): how long the background task takes.

    python bench/invite.py [--scale school]

Copies the seeded SQLite database of that scale (bench/data/, made by bench/pages.py
or here), plans a whole-school theme evening and runs the background task's two steps
in-process, as the worker does: preparing the invitations (plan, one invitation and
one rendered delivery per parent, bulk inserts) and delivering them (text messages and
emails as files through the development backends, a calendar file with every email).
Reports counts, wall-clock and CPU times and time per invitation, and checks the audit
chain afterwards; the ratio between the two steps is what to compare between machines.
On a loaded machine compare CPU times, or run the old and the new code alternately.
Not a test.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = r"""
import time
from datetime import timedelta
from django.utils import timezone
from bondgenoot.meetings.actions import prepare_invitations, _message
from bondgenoot.meetings.models import Meeting
from bondgenoot.messaging.delivery import deliver_all
from bondgenoot.people.models import School, User

school = School.objects.order_by("pk").first()
organiser = User.objects.get(username="zorg")
start = timezone.now() + timedelta(days=14)
meeting = Meeting.objects.create(school=school, kind="theme", theme="social_media",
    title="Sociale media thuis", starts_at=start, ends_at=start + timedelta(hours=2),
    place="Aula", whole_school=True, created_by=organiser)
message = _message(organiser, meeting, meeting.title, "bench")
from django.urls import reverse
reverse("meetings:answer", args=["x"])  # the URL configuration loads once per worker
c0, t0 = time.process_time(), time.perf_counter()
count = prepare_invitations(meeting, message)
c1, t1 = time.process_time(), time.perf_counter()
deliver_all(message.pk)
c2, t2 = time.process_time(), time.perf_counter()
sent = message.deliveries.filter(status="sent").count()
from django.db.models import Count
by = dict(message.deliveries.values_list("channel").annotate(n=Count("pk")))
print(f"invitations: {count} (delivered {sent}; by channel {by})")
print(f"prepare: {t1 - t0:.1f} s ({1000 * (t1 - t0) / count:.2f} ms per invitation)")
print(f"deliver: {t2 - t1:.1f} s ({1000 * (t2 - t1) / count:.2f} ms per invitation)")
print(f"deliver / prepare: {(t2 - t1) / (t1 - t0):.1f}")
print(f"in all: {t2 - t0:.1f} s; CPU time {c1 - c0:.1f} s + {c2 - c1:.1f} s = {c2 - c0:.1f} s")
from bondgenoot.audit.log import verify
checked, problems = verify()
print(f"audit chain: {checked} entries, {len(problems)} problems")
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", choices=["demo", "school"], default="school")
    args = parser.parse_args()
    data = ROOT / "bench" / "data" / f"{args.scale}.sqlite3"
    tmp = Path(tempfile.mkdtemp(prefix="bondgenoot-bench-"))
    env = {
        **os.environ,
        "DEBUG": "1",
        "SQLITE_PATH": str(data),
        "OUTBOX_DIR": str(tmp / "outbox"),
        "MAILER": "outbox",
    }
    env.pop("DATABASE_URL", None)

    def manage(*cmd):
        return subprocess.run(
            [sys.executable, "manage.py", *cmd],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    data.parent.mkdir(parents=True, exist_ok=True)
    manage("migrate", "--noinput", "-v0")
    manage("seed", "--scale", args.scale, "--if-empty")
    copy = tmp / "db.sqlite3"
    shutil.copy(data, copy)  # the bench data stays as seeded
    env["SQLITE_PATH"] = str(copy)
    print(f"{args.scale} scale, SQLite")
    print("\n".join(manage("shell", "-c", SCRIPT).strip().splitlines()[-6:]))
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
