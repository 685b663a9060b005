"""Importing a district's OneRoster export (issue 17): how long the first import and an
unchanged re-import take.

    python bench/import.py [--pupils 30000] [--schools 20] [--keep DIR]

Writes a made-up OneRoster 1.2 zip (20 schools, 30,000 pupils, about 55,000 guardians,
about 3,000 teachers, homeroom classes of 30), migrates a fresh SQLite database and runs
``manage.py import_roster`` three times in a subprocess: the first import, the same file
again (must change nothing), and the file with 2% of the pupils left and 1% of the
guardians' addresses changed. Reports seconds per run and the ratio to the first import.
Targets (issue 17): first import at most 2 minutes, unchanged re-import at most 1.
Not a test; on a loaded machine compare the ratios.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIRST = [
    "Noor",
    "Daan",
    "Sem",
    "Yara",
    "Lucas",
    "Emma",
    "Mohamed",
    "Fatima",
    "Milan",
    "Zoë",
    "Ayşe",
    "Olek",
    "Sara",
    "Finn",
    "Lina",
    "Adam",
    "Julia",
    "Ilyas",
    "Tess",
    "Bram",
]
LAST = [
    "Bakker",
    "Jansen",
    "de Vries",
    "van Dijk",
    "El Idrissi",
    "Yilmaz",
    "Smit",
    "Visser",
    "Kowalenko",
    "Meijer",
    "de Boer",
    "Mulder",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
]


def table(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def export(pupils: int, schools: int, seed: int, leave: float = 0.0, moved: float = 0.0) -> bytes:
    rng = random.Random(seed)
    orgs, classes, users, roles, enrollments, demographics = [], [], [], [], [], []
    user_header = [
        "sourcedId",
        "status",
        "dateLastModified",
        "enabledUser",
        "username",
        "userIds",
        "givenName",
        "familyName",
        "middleName",
        "identifier",
        "email",
        "sms",
        "phone",
        "agentSourcedIds",
        "grades",
    ]
    per_school = pupils // schools
    change = random.Random(seed + 1)
    for s in range(schools):
        org = f"org-{s}"
        orgs.append([org, "", "", f"School {s}", "school", f"{10 + s:02d}ZZ"])
        groups = [f"cls-{s}-{g}" for g in range(per_school // 30)]
        for g, cls in enumerate(groups):
            classes.append(
                [
                    cls,
                    "",
                    "",
                    f"{1 + g % 6}{chr(65 + g // 6 % 26)}{g // 156 or ''}",
                    "homeroom",
                    org,
                    str(7 + g % 6),
                ]
            )
        for t in range(150):
            tid = f"tea-{s}-{t}"
            users.append(
                [
                    tid,
                    "",
                    "",
                    "true",
                    "",
                    "",
                    rng.choice(FIRST),
                    rng.choice(LAST),
                    "",
                    "",
                    f"t{s}.{t}@school{s}.example",
                    "",
                    "",
                    "",
                    "",
                ]
            )
            roles.append([f"r-{tid}", "", "", tid, "primary", "teacher", org])
            if t < len(groups):
                enrollments.append([f"e-{tid}", "", "", groups[t], org, tid, "teacher", "true"])
        p = 0
        while p < per_school:
            # About 1.85 guardians per pupil, as in the district scale (30,000 : 55,000).
            siblings = min(rng.choices([1, 2, 3], [92, 7, 1])[0], per_school - p)
            last = rng.choice(LAST)
            parents = []
            for k in range(rng.choices([1, 2, 3], [8, 82, 10])[0]):
                gid = f"par-{s}-{p}-{k}"
                parents.append(gid)
                phone = f"06{rng.randrange(10**8):08d}"
                given = rng.choice(FIRST)
                sex = rng.choice(["female", "male"])
                email = f"{gid}@example.org" if change.random() >= moved else f"{gid}@new.example"
                users.append(
                    [gid, "", "", "true", "", "", given, last, "", "", email, phone, "", "", ""]
                )
                roles.append([f"r-{gid}", "", "", gid, "primary", "parent", org])
                demographics.append([gid, "", "", "", sex])
            for _ in range(siblings):
                sid = f"stu-{s}-{p}"
                p += 1
                # Draw everything first, so a leaver leaves the rest of the file as it was.
                given, group = rng.choice(FIRST), rng.choice(groups)
                year, month, day = (
                    2010 + rng.randrange(6),
                    1 + rng.randrange(12),
                    1 + rng.randrange(28),
                )
                born = f"{year}-{month:02d}-{day:02d}"
                if change.random() < leave:
                    continue
                users.append(
                    [
                        sid,
                        "",
                        "",
                        "true",
                        "",
                        "",
                        given,
                        last,
                        "",
                        f"{s}{p:06d}",
                        "",
                        "",
                        "",
                        ",".join(parents),
                        "07",
                    ]
                )
                roles.append([f"r-{sid}", "", "", sid, "primary", "student", org])
                enrollments.append([f"e-{sid}", "", "", group, org, sid, "student", "false"])
                demographics.append([sid, "", "", born, ""])
    files = {
        "manifest.csv": table(
            ["propertyName", "value"],
            [["manifest.version", "1.0"], ["oneroster.version", "1.2"], ["file.users", "bulk"]],
        ),
        "orgs.csv": table(
            ["sourcedId", "status", "dateLastModified", "name", "type", "identifier"], orgs
        ),
        "academicSessions.csv": table(
            ["sourcedId", "status", "dateLastModified", "title", "type", "schoolYear"],
            [["sy", "", "", "2026-2027", "schoolYear", "2027"]],
        ),
        "classes.csv": table(
            [
                "sourcedId",
                "status",
                "dateLastModified",
                "title",
                "classType",
                "schoolSourcedId",
                "grades",
            ],
            classes,
        ),
        "users.csv": table(user_header, users),
        "roles.csv": table(
            [
                "sourcedId",
                "status",
                "dateLastModified",
                "userSourcedId",
                "roleType",
                "role",
                "orgSourcedId",
            ],
            roles,
        ),
        "enrollments.csv": table(
            [
                "sourcedId",
                "status",
                "dateLastModified",
                "classSourcedId",
                "schoolSourcedId",
                "userSourcedId",
                "role",
                "primary",
            ],
            enrollments,
        ),
        "demographics.csv": table(
            ["sourcedId", "status", "dateLastModified", "birthDate", "sex"], demographics
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pupils", type=int, default=30000)
    parser.add_argument("--schools", type=int, default=20)
    parser.add_argument("--keep", type=Path, help="keep the database and zips here")
    args = parser.parse_args()
    tmp = args.keep or Path(tempfile.mkdtemp(prefix="bondgenoot-import-bench-"))
    tmp.mkdir(parents=True, exist_ok=True)
    first = tmp / "district.zip"
    changed = tmp / "district-changed.zip"
    first.write_bytes(export(args.pupils, args.schools, seed=17))
    changed.write_bytes(export(args.pupils, args.schools, seed=17, leave=0.02, moved=0.01))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bondgenoot.settings",
        "DEBUG": "1",
        "SQLITE_PATH": str(tmp / "db.sqlite3"),
    }
    env.pop("DATABASE_URL", None)
    (tmp / "db.sqlite3").unlink(missing_ok=True)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    times = []
    for label, path in [
        ("first import", first),
        ("same file again", first),
        ("2% left, 1% changed", changed),
    ]:
        start = time.perf_counter()
        cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        result = subprocess.run(
            [sys.executable, "manage.py", "import_roster", str(path)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        if result.returncode:
            sys.exit(f"{label}: failed\n{result.stderr[-3000:]}")
        seconds = time.perf_counter() - start
        cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (
            cpu_after.ru_stime - cpu_before.ru_stime
        )
        times.append(seconds)
        ratio = seconds / times[0]
        print(f"{label}: {seconds:.1f} s wall, {cpu:.1f} s CPU ({ratio:.2f} of the first)")
        print("   ", result.stdout.strip()[:400])
    print(f"zip size {first.stat().st_size / 1e6:.1f} MB; data in {tmp}")


if __name__ == "__main__":
    main()
