"""Every change the roster import makes, each with its audit entry (counts, never names).

- ``import_file``: the command line (``manage.py import_roster``): read, compare, write
  in one transaction (or only compare, with ``dry_run``).
- ``preview`` / ``confirm`` / ``discard`` / ``run``: the administrator's page: the
  upload is read and compared (the preview), kept until it is confirmed, and then
  imported by the worker (``tasks.run_import``).

An import is one transaction: a crash halfway leaves nothing behind, and running it
again compares afresh with the database, so nothing is done twice.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from bondgenoot.audit.log import record
from bondgenoot.audit.models import AuditEntry
from bondgenoot.people.models import School, User

from . import apply
from .formats import generic_csv
from .formats.detect import read_roster
from .models import ColumnMapping, ImportRun
from .plan import Plan, make_plan
from .records import Roster

log = logging.getLogger(__name__)


def mapping_for(school: School | None) -> dict[str, Any]:
    """The school's saved column mapping, or the default one."""
    text = generic_csv.DEFAULT_MAPPING
    if school is not None:
        saved = ColumnMapping.objects.filter(school=school).values_list("text", flat=True).first()
        text = saved or text
    return generic_csv.load_mapping(text)


def save_mapping(actor: User | None, school: School, text: str) -> ColumnMapping:
    """Save a school's column mapping (``generic_csv.MappingError`` when it is wrong)."""
    generic_csv.load_mapping(text)
    mapping, created = ColumnMapping.objects.update_or_create(
        school=school, defaults={"text": text}
    )
    record(
        actor,
        AuditEntry.Action.CREATE if created else AuditEntry.Action.UPDATE,
        mapping,
        school_id=school.pk,
        detail={"event": "roster_mapping"},
    )
    return mapping


def _audit(actor: User | None, plan: Plan, roster: Roster, run: ImportRun | None) -> None:
    school_ids = sorted(s.pk for s in plan.schools.values())
    record(
        actor,
        AuditEntry.Action.CREATE,
        run,
        school_id=school_ids[0] if len(school_ids) == 1 else None,
        detail={
            "event": "roster_import",
            "format": roster.format,
            "schools": school_ids,
            "counts": plan.summary(),
            "warnings": len(plan.warnings),
        },
    )


def import_file(
    data: bytes,
    name: str,
    *,
    school: School | None = None,
    guardians: tuple[bytes, str] | None = None,
    actor: User | None = None,
    dry_run: bool = False,
    today: date | None = None,
) -> Plan:
    """Read, compare and (unless ``dry_run``) write; ``RosterError`` when the file cannot
    be imported, before anything is written."""
    today = today or timezone.localdate()
    roster = read_roster(data, name, mapping=mapping_for(school), guardians=guardians)
    with transaction.atomic():
        plan = make_plan(roster, school, create_schools=school is None, today=today)
        if not dry_run:
            apply.write(plan)
            _audit(actor, plan, roster, None)
    return plan


def preview(
    actor: User,
    school: School,
    data: bytes,
    name: str,
    guardians: tuple[bytes, str] | None = None,
) -> ImportRun:
    """Read and compare the upload (``RosterError`` when it cannot be imported) and keep
    it, with what it would change, until the administrator confirms."""
    roster = read_roster(data, name, mapping=mapping_for(school), guardians=guardians)
    plan = make_plan(roster, school, today=timezone.localdate())
    run = ImportRun.objects.create(
        school=school,
        by=actor,
        format=roster.format,
        data=data,
        file_name=name[:200],
        guardians_data=guardians[0] if guardians else None,
        guardians_file_name=guardians[1][:200] if guardians else "",
        counts=plan.summary(),
        examples=dict(plan.examples),
        warnings=[str(p) for p in plan.warnings],
    )
    return run


def confirm(actor: User, run: ImportRun) -> bool:
    """Queue a previewed import (once: a second click finds it queued already)."""
    from .tasks import run_import

    queued = ImportRun.objects.filter(pk=run.pk, status=ImportRun.Status.PREVIEW).update(
        status=ImportRun.Status.QUEUED, progress=0
    )
    if queued:
        transaction.on_commit(lambda: run_import.enqueue(str(run.pk)))
    return bool(queued)


def retry(actor: User, run: ImportRun) -> bool:
    """Queue a failed import again, or one whose worker died (still "running" after the
    lease); it compares afresh with the database, so nothing is done twice."""
    from .tasks import run_import

    lease = timezone.now() - timedelta(seconds=settings.ROSTER_IMPORT_LEASE_SECONDS)
    queued = (
        ImportRun.objects.filter(pk=run.pk, data__isnull=False)
        .filter(
            Q(status=ImportRun.Status.FAILED)
            | Q(status=ImportRun.Status.RUNNING, started_at__lt=lease)
        )
        .update(status=ImportRun.Status.QUEUED, progress=0)
    )
    if queued:
        transaction.on_commit(lambda: run_import.enqueue(str(run.pk)))
    return bool(queued)


def discard(actor: User, run: ImportRun) -> None:
    """Throw a preview away, with the file it kept."""
    ImportRun.objects.filter(pk=run.pk, status=ImportRun.Status.PREVIEW).update(
        status=ImportRun.Status.DISCARDED, data=None, guardians_data=None, examples={}
    )


def _progress(run_id: Any, percent: int) -> None:
    ImportRun.objects.filter(pk=run_id).update(progress=percent)


def run(run_id: str, *, fail_after: Callable[[], None] | None = None) -> None:
    """The worker's part: import a confirmed upload in one transaction. A run that is done
    is never done again; a crash leaves the run failed and the register as it was."""
    claimed = ImportRun.objects.filter(
        pk=run_id, status__in=[ImportRun.Status.QUEUED, ImportRun.Status.RUNNING]
    ).update(status=ImportRun.Status.RUNNING, progress=5, started_at=timezone.now())
    if not claimed:
        return
    import_run = ImportRun.objects.select_related("school", "by").get(pk=run_id)
    try:
        guardians = (
            (bytes(import_run.guardians_data), import_run.guardians_file_name)
            if import_run.guardians_data is not None
            else None
        )
        data = import_run.data
        if data is None:
            return  # a run without its file (thrown away): nothing to import
        roster = read_roster(
            bytes(data),
            import_run.file_name,
            mapping=mapping_for(import_run.school),
            guardians=guardians,
        )
        _progress(run_id, 20)
        with transaction.atomic():
            plan = make_plan(roster, import_run.school, today=timezone.localdate())
            apply.write(plan)
            if fail_after is not None:
                fail_after()
            if settings.ROSTER_IMPORT_PAUSE:
                time.sleep(settings.ROSTER_IMPORT_PAUSE)
            _audit(import_run.by, plan, roster, import_run)
            ImportRun.objects.filter(pk=run_id).update(
                status=ImportRun.Status.DONE,
                progress=100,
                counts=plan.summary(),
                warnings=[str(p) for p in plan.warnings],
                data=None,
                guardians_data=None,
                examples={},
                finished_at=timezone.now(),
            )
    except Exception:
        # Ids only: the file's contents never reach the log.
        log.exception("roster import %s failed", run_id)
        ImportRun.objects.filter(pk=run_id).update(
            status=ImportRun.Status.FAILED, finished_at=timezone.now()
        )
        raise
