"""Annex 1 and 2 of an organization: the download page, xlsx and PDF, and background PDFs for long tables."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from machinery.uploads import protected_download
from organizations import access
from organizations.selectors import breadcrumbs

from .. import services
from ..exports import tables
from ..exports.pdf import BACKGROUND_PAGES, pdf_bytes
from ..exports.xlsx import xlsx_bytes
from ..forms import YearForm
from ..models import ExportJob
from .common import XLSX, attachment, year_of

BUILDERS = {"annex1": tables.annex1, "annex2": tables.annex2}
XLSX_BACKGROUND_ROWS = 20_000
NAMES = {"annex1": "附件1_年度工作目标分解表", "annex2": "附件2_年度党员亮岗履职一览表"}


@login_required
def annexes(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.get_organization_for_user(request.user, pk)
    year = year_of(request)
    return render(
        request,
        "reports/annexes.html",
        {
            "org": org,
            "breadcrumbs": breadcrumbs(request.user, org),
            "year": year,
            "filter": YearForm(initial={"year": year}),
            "annex1_rows": tables.annex1(org, year).row_count,
            "annex2_rows": tables.annex2(org, year).row_count,
            "jobs": ExportJob.objects.filter(requested_by=request.user, organization=org, kind__in=list(BUILDERS))[:5],
        },
    )


def _filename(kind: str, org, year: int, ext: str) -> str:
    return f"{NAMES[kind]}_{org.name}_{year}年.{ext}"


def _xlsx(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """Streams in the request up to XLSX_BACKGROUND_ROWS rows (a city-wide Annex 2 can be far longer)."""
    org = access.get_organization_for_user(request.user, pk)
    year = year_of(request)
    table = BUILDERS[kind](org, year)
    if table.row_count > XLSX_BACKGROUND_ROWS:
        job = services.export_job_create(
            requested_by=request.user, organization=org, kind=kind, params={"year": year, "format": "xlsx"}
        )
        return redirect("reports:export_job", pk=job.pk)
    return attachment(xlsx_bytes([table]), _filename(kind, org, year, "xlsx"), XLSX)


def _pdf(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """A short PDF comes back at once; a long one (> 20 pages) is made in the background and polled for."""
    org = access.get_organization_for_user(request.user, pk)
    year = year_of(request)
    table = BUILDERS[kind](org, year)
    if table.estimated_pages > BACKGROUND_PAGES:
        job = services.export_job_create(
            requested_by=request.user, organization=org, kind=kind, params={"year": year}
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
def annex2_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    return _xlsx(request, pk, "annex2")


@login_required
def annex2_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _pdf(request, pk, "annex2")


def _job_for(request: HttpRequest, pk: int) -> ExportJob:
    """Only the person who asked for the export, and only while they still see the organization."""
    job = get_object_or_404(
        access.scope(ExportJob.objects.select_related("organization"), request.user), pk=pk
    )
    if job.requested_by_id != request.user.pk:
        raise Http404
    return job


@login_required
def export_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_for(request, pk)
    if request.htmx:  # the polled part only
        return render(request, "reports/_export_job.html", {"job": job})
    return render(
        request,
        "reports/export_job.html",
        {
            "job": job,
            "org": job.organization,
            "breadcrumbs": breadcrumbs(request.user, job.organization),
            "is_consolidation": job.kind == services.CONSOLIDATION,
        },
    )


@login_required
def export_download(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_for(request, pk)
    if job.state != ExportJob.State.DONE or not job.file:
        raise Http404
    return protected_download(request, job.file, job.filename)
