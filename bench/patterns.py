"""The network analyst's patterns page at district scale, in one process.

    .venv/bin/python bench/patterns.py [--schools 20] [-n 40]

What the page reads, at the size of a district (20 schools of 1,500 pupils): families
and pupils, the trust monitor's summary rows (one ``FamilySummary`` and one
``FamilyYearSummary`` per family), ``SignalMonthCount`` for twelve months (every
category × about 30 postcode areas × school), and three meetings per school with an
invitation per family and an attendance for a third. Contacts and signals themselves
are not made: the page never reads them (it reads the summary tables), which is the
point of the design. The data is made with ``bulk_create`` in a throwaway SQLite file
(``bench/data/patterns-<schools>.sqlite3``), then both pages are requested ``-n`` times
with Django's test client for an analyst named for every school: p50 and p95 of the
patterns page (its figures cached for 5 minutes, see ``patterns.figures.cached``), their
ratio to the trivial page ("My account") in the same run, and the page right after the
cache was emptied.
Target (issue 16): p95 ratio at most 4.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def setup(path: Path) -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "bondgenoot.settings",
            "SQLITE_PATH": str(path),
            "SECRET_KEY": "bench-only",
            "SITE_URL": "http://testserver",
            "DEBUG": "0",
            "ALLOWED_HOSTS": "testserver",
            "SECURE_COOKIES": "0",
            "MANIFEST_STATIC": "0",
        }
    )
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()


def build(schools: int, rng: random.Random) -> None:
    from django.core.management import call_command
    from django.utils import timezone

    from bondgenoot.contacts.models import FamilySummary, FamilyYearSummary
    from bondgenoot.meetings.models import Attendance, Invitation, Meeting
    from bondgenoot.network.models import Category, SignalMonthCount
    from bondgenoot.patterns.figures import completed_months
    from bondgenoot.people.models import Family, Guardian, Pupil, Role, School, User
    from bondgenoot.people.schoolyear import current_school_year

    call_command("migrate", verbosity=0)
    analyst = User.objects.create(username="analist-bench", first_name="Anouk")
    organiser = User.objects.create(username="organiser-bench")
    year = current_school_year()
    months = completed_months()
    categories = [c for c, _l in Category.choices]
    now = timezone.now()
    for s in range(schools):
        school = School.objects.create(name=f"School {s + 1:02d}", city="Rotterdam")
        analyst.memberships.create(school=school, role=Role.NETWORK_ANALYST)
        families = Family.objects.bulk_create(
            Family(school=school, name=f"Gezin {s}-{i}") for i in range(1100)
        )
        Pupil.objects.bulk_create(
            Pupil(
                school=school,
                family=families[i % len(families)],
                first_name="Kind",
                last_name=f"{s}-{i}",
                pupil_number=f"{s:02d}{i:05d}",
                date_of_birth=date(2012, 1, 1) + timedelta(days=i % 2000),
            )
            for i in range(1500)
        )
        guardians = Guardian.objects.bulk_create(
            Guardian(school=school, last_name=f"Ouder {s}-{i}") for i in range(len(families))
        )
        FamilySummary.objects.bulk_create(
            FamilySummary(family=f, unreached_streak=rng.choice([0, 0, 0, 1, 2, 3]))
            for f in families
        )
        FamilyYearSummary.objects.bulk_create(
            FamilyYearSummary(
                family=f,
                school_year=year,
                first_positive_personal_at=now if rng.random() < 0.6 else None,
            )
            for f in families
        )
        areas = [f"30{rng.randrange(10, 99)}" for _ in range(30)]
        SignalMonthCount.objects.bulk_create(
            (
                SignalMonthCount(school=school, month=m, category=c, area=a, count=n)
                for m in months
                for c in categories
                for a in set(areas)
                if (n := rng.choice([0, 0, 0, 1, 1, 2, 3, 5, 8, 13]))
            ),
            ignore_conflicts=True,
        )
        for k in range(3):
            start = now - timedelta(days=20 * (k + 1))
            meeting = Meeting.objects.create(
                school=school,
                kind="theme",
                title=f"Avond {k}",
                starts_at=start,
                ends_at=start + timedelta(hours=2),
                place="Aula",
                created_by=organiser,
            )
            Invitation.objects.bulk_create(
                Invitation(
                    meeting=meeting,
                    family=f,
                    guardian=g,
                    how="personal",
                    invited_by=organiser,
                    answer=rng.choice(["", "yes", "no"]),
                )
                for f, g in zip(families, guardians, strict=True)
            )
            Attendance.objects.bulk_create(
                Attendance(meeting=meeting, family=f, checked_in_by=organiser)
                for f in families[::3]
            )


def timed(client, path: str, n: int) -> list[float]:
    client.get(path)  # warm up
    samples = []
    for _ in range(n):
        started = time.perf_counter()
        response = client.get(path)
        samples.append(time.perf_counter() - started)
        assert response.status_code == 200, (path, response.status_code)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--schools", type=int, default=20)
    parser.add_argument("-n", "--requests", type=int, default=40)
    args = parser.parse_args()
    data = ROOT / "bench" / "data"
    data.mkdir(parents=True, exist_ok=True)
    path = data / f"patterns-{args.schools}.sqlite3"
    fresh = not path.exists()
    setup(path)
    if fresh:
        started = time.monotonic()
        build(args.schools, random.Random(16))
        print(f"built {args.schools} schools in {time.monotonic() - started:.0f} s")
    from django.test import Client

    from bondgenoot.people.models import User

    client = Client()
    client.force_login(User.objects.get(username="analist-bench"))
    rows = {}
    for _round in range(2):  # interleaved, so load on the machine hits both alike
        for name, url in (("baseline: my account", "/account/"), ("patterns", "/patronen/")):
            rows.setdefault(name, []).extend(timed(client, url, args.requests // 2))
    # Right after the cache expired (or a contact was written): the figures computed afresh.
    from django.core.cache import cache

    cold = []
    for _ in range(5):
        cache.clear()
        started = time.perf_counter()
        client.get("/patronen/")
        cold.append(time.perf_counter() - started)
    base = rows["baseline: my account"]
    p95 = {k: statistics.quantiles(v, n=20)[-1] for k, v in rows.items()}
    p50 = {k: statistics.median(v) for k, v in rows.items()}
    print(f"patterns, uncached: median of 5 {statistics.median(cold) * 1000:.0f} ms")
    print(f"\n{args.schools} schools, SQLite, in-process, {len(base)} requests per page")
    for name in rows:
        print(
            f"{name:22} p50 {p50[name] * 1000:7.1f} ms  p95 {p95[name] * 1000:7.1f} ms"
            f"  p95 ratio {p95[name] / p95['baseline: my account']:.2f}"
        )


if __name__ == "__main__":
    main()
