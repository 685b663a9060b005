"""The administrator's import pages (/beheer/import/): upload, preview, confirm, follow.

Access: holders of ``roster.import`` (administrators) at the school of the import. The
preview's examples hold names; they are shown on the page only, never in a URL or a log
(runs are found by UUID), and are thrown away when the import is done.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bondgenoot import access
from bondgenoot.core.http import AuthedHttpRequest
from bondgenoot.people.models import School

from . import actions
from .formats.generic_csv import DEFAULT_MAPPING, MappingError
from .forms import MappingForm, UploadForm
from .labels import counts_shown, examples_shown
from .models import ColumnMapping, ImportRun
from .records import RosterError

CAPABILITY = "roster.import"
OPEN = (ImportRun.Status.QUEUED, ImportRun.Status.RUNNING)


def _schools(request: AuthedHttpRequest) -> list[int]:
    schools = access.schools_for(request.user, CAPABILITY)
    if not schools:
        raise PermissionDenied
    return sorted(schools)


def _run(request: AuthedHttpRequest, pk) -> ImportRun:
    return access.get_or_404(
        ImportRun.objects.filter(school_id__in=_schools(request)).select_related("school"), pk
    )


@login_required
def start(request: AuthedHttpRequest) -> HttpResponse:
    schools = _schools(request)
    form = UploadForm(request.POST or None, request.FILES or None, schools=schools)
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        if form.is_valid():
            school = School.objects.get(pk=form.chosen_school_id())
            upload = form.cleaned_data["file"]
            extra = form.cleaned_data.get("guardians")
            try:
                run = actions.preview(
                    request.user,
                    school,
                    upload.read(),
                    upload.name,
                    (extra.read(), extra.name) if extra else None,
                )
            except (RosterError, MappingError) as error:
                problems = [str(p) for p in getattr(error, "problems", [])] or [str(error)]
            else:
                return redirect("roster:run", pk=run.pk)
        status = 400
    runs = (
        ImportRun.objects.filter(school_id__in=schools)
        .exclude(status=ImportRun.Status.DISCARDED)
        .select_related("school")
        .defer("data", "guardians_data", "examples")[:10]
    )
    return render(
        request,
        "roster/start.html",
        {"form": form, "problems": problems, "runs": runs, "several": len(schools) > 1},
        status=status,
    )


@login_required
def run_page(request: AuthedHttpRequest, pk) -> HttpResponse:
    run = _run(request, pk)
    template = "roster/run.html"
    if request.htmx and request.GET.get("part") == "status":
        template += "#status"
    return render(
        request,
        template,
        {
            "run": run,
            "is_open": run.status in OPEN,
            "counts": counts_shown(run.counts),
            "examples": examples_shown(run.examples),
        },
    )


@login_required
@require_POST
def confirm(request: AuthedHttpRequest, pk) -> HttpResponse:
    run = _run(request, pk)
    actions.confirm(request.user, run)
    return redirect("roster:run", pk=run.pk)


@login_required
@require_POST
def retry(request: AuthedHttpRequest, pk) -> HttpResponse:
    run = _run(request, pk)
    actions.retry(request.user, run)
    return redirect("roster:run", pk=run.pk)


@login_required
@require_POST
def discard(request: AuthedHttpRequest, pk) -> HttpResponse:
    run = _run(request, pk)
    actions.discard(request.user, run)
    messages.success(request, _("The file was not imported and has been thrown away."))
    return redirect("roster:start")


@login_required
def mapping(request: AuthedHttpRequest) -> HttpResponse:
    schools = _schools(request)
    chosen = request.POST.get("mapping-school") or request.GET.get("school", "")
    school_id = next((s for s in schools if str(s) == chosen), schools[0])
    saved = ColumnMapping.objects.filter(school_id=school_id).values_list("text", flat=True).first()
    form = MappingForm(
        request.POST or None,
        initial={"text": saved or DEFAULT_MAPPING, "school": school_id},
        schools=schools,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            school = School.objects.get(pk=form.chosen_school_id())
            actions.save_mapping(request.user, school, form.cleaned_data["text"])
            messages.success(request, _("The column mapping has been saved."))
            return redirect(f"{request.path}?school={school.pk}")
        status = 400
    return render(
        request,
        "roster/mapping.html",
        {"form": form, "school": School.objects.get(pk=school_id), "several": len(schools) > 1},
        status=status,
    )
