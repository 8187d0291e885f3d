"""Annex 1 and 2 of an organization: the download page, xlsx and PDF, and background PDFs for long tables.

Only a PDF of a couple of pages (measured from its text: exports/paging.py) is made in the request; a longer one is
made by the Celery worker while the job page shows its progress."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from machinery.uploads import protected_download
from organizations import access
from organizations.audit import record_export, records_download
from organizations.selectors import breadcrumbs
from targets.models import TargetItem

from .. import jobs
from ..exports import tables
from ..exports.paging import estimate_pages
from ..exports.pdf import BACKGROUND_PAGES, pdf_bytes
from ..exports.xlsx import xlsx_bytes
from ..forms import YearForm
from ..models import ExportJob
from .common import XLSX, attachment, year_of

BUILDERS = {"annex1": tables.annex1, "annex2": tables.annex2}
XLSX_BACKGROUND_ROWS = 10_000  # about a second of writing (the demo city, 7,118 rows: 0.8 s)
NAMES = jobs.NAMES
PERSONAL_KINDS = {"annex2", jobs.MEMBERS}  # background exports that list people by name


def unclaimed_of(request: HttpRequest, org) -> bool:
    """Whether Annex 2 lists members on no post: ?unclaimed=1 or 0, else the organization's default (listed for a
    school or branch, left out for a county or the city)."""
    value = request.GET.get("unclaimed")
    if value in ("0", "1"):
        return value == "1"
    return tables.annex2_unclaimed_default(org)


def _build(kind: str, org, year: int, request: HttpRequest):
    if kind == "annex2":
        return tables.annex2(org, year, unclaimed=unclaimed_of(request, org))
    return BUILDERS[kind](org, year)


def _params(kind: str, org, year: int, request: HttpRequest, **more) -> dict:
    params = {"year": year, **more}
    if kind == "annex2":
        params["unclaimed"] = unclaimed_of(request, org)
    return params


@login_required
def annexes(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.get_organization_for_user(request.user, pk)
    year = year_of(request)
    unclaimed = unclaimed_of(request, org)
    return render(
        request,
        "reports/annexes.html",
        {
            "org": org,
            "breadcrumbs": breadcrumbs(request.user, org),
            "year": year,
            "filter": YearForm(initial={"year": year}),
            # Annex 1 lists the items of the organization's one plan of the year: their number is one count
            "annex1_rows": TargetItem.objects.filter(plan__organization=org, plan__year=year).count(),
            # a county's or the city's number is the planner's estimate (约): counting every row costs seconds there
            "annex2_rows": tables.annex2_count(org, year, unclaimed=unclaimed, estimate=org.kind in tables.WIDE_KINDS),
            "annex2_estimated": org.kind in tables.WIDE_KINDS,
            "unclaimed": unclaimed,
            "wide": org.kind in tables.WIDE_KINDS,
            "jobs": ExportJob.objects.filter(requested_by=request.user, organization=org, kind__in=list(BUILDERS))[:5],
        },
    )


def _filename(kind: str, org, year: int, ext: str) -> str:
    return f"{NAMES[kind]}_{org.name}_{year}年.{ext}"


def _xlsx(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """Written in the request up to XLSX_BACKGROUND_ROWS rows (a city-wide Annex 2 can be far longer)."""
    org = access.get_organization_for_user(request.user, pk)
    year = year_of(request)
    table = _build(kind, org, year, request)
    if table.row_count > XLSX_BACKGROUND_ROWS:
        job = jobs.export_job_create(
            requested_by=request.user,
            organization=org,
            kind=kind,
            params=_params(kind, org, year, request, format="xlsx"),
        )
        return redirect("reports:export_job", pk=job.pk)
    return attachment(xlsx_bytes([table]), _filename(kind, org, year, "xlsx"), XLSX)


def _pdf(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """A PDF of up to BACKGROUND_PAGES pages comes back at once; a longer one is made in the background. A table whose
    row count alone proves it long is not read here at all."""
    org = access.get_organization_for_user(request.user, pk)
    year = year_of(request)
    table = _build(kind, org, year, request)
    if estimate_pages(table, limit=BACKGROUND_PAGES) > BACKGROUND_PAGES:
        job = jobs.export_job_create(
            requested_by=request.user, organization=org, kind=kind, params=_params(kind, org, year, request)
        )
        return redirect("reports:export_job", pk=job.pk)
    return attachment(pdf_bytes([table]), _filename(kind, org, year, "pdf"), "application/pdf")


@login_required
def annex1_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    return _xlsx(request, pk, "annex1")


@login_required
def annex1_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _pdf(request, pk, "annex1")


@login_required
@records_download(NAMES["annex2"])
def annex2_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    return _xlsx(request, pk, "annex2")


@login_required
@records_download(NAMES["annex2"])
def annex2_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _pdf(request, pk, "annex2")


def _job_for(request: HttpRequest, pk: int) -> ExportJob:
    """Only the person who asked for the export, and only while they still see the organization."""
    job = get_object_or_404(access.scope(ExportJob.objects.select_related("organization"), request.user), pk=pk)
    if job.requested_by_id != request.user.pk:
        raise Http404
    return job


@login_required
def export_job(request: HttpRequest, pk: int) -> HttpResponse:
    """The job's progress, polled by htmx while it is made; a job whose worker died is queued again or failed here
    too, not only by the periodic sweep."""
    job = _job_for(request, pk)
    if job.state in {ExportJob.State.PENDING, ExportJob.State.RUNNING}:
        job = jobs.export_job_reap(job=job)
    if request.htmx:  # the polled part only
        return render(request, "reports/_export_job.html", {"job": job})
    return render(
        request,
        "reports/export_job.html",
        {
            "job": job,
            "org": job.organization,
            "breadcrumbs": breadcrumbs(request.user, job.organization),
            "is_consolidation": job.kind == jobs.CONSOLIDATION,
        },
    )


@login_required
def export_download(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_for(request, pk)
    if job.state != ExportJob.State.DONE or not job.file:
        raise Http404
    response = protected_download(request, job.file, job.filename)
    if job.kind in PERSONAL_KINDS:  # lists of people: the download is recorded for the audit log
        record_export(request, organization=job.organization_id, what=job.filename)
    return response
