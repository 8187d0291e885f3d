"""Annex 5 as a submission: the quarter's list, open, fill in, refresh, submit, return, accept, download."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from machinery.forms import add_service_errors
from machinery.locking import is_stale_error, stale_context
from machinery.pages import paginate
from organizations import access
from organizations.selectors import breadcrumbs

from .. import consolidation_data, selectors, services
from ..exports import tables
from ..exports.pdf import pdf_bytes
from ..exports.xlsx import xlsx_bytes
from ..forms import NarrativeForm, QuarterForm, ReturnForm, VersionForm
from ..models import FIGURES, NARRATIVE, ExportJob, Quarter
from .common import XLSX, attachment, year_quarter

# A consolidation of more reporting units than this is made by a background job. A city has a few dozen units (the
# demo city about 20), a province thousands; 50 units make a PDF of about 8 pages in about 2 s, 500 units an xlsx in
# about 0.2 s.
BACKGROUND_UNITS = {"xlsx": 500, "pdf": 50}


@login_required
def quarterly_list(request: HttpRequest) -> HttpResponse:
    """The quarter's reporting units and where each stands; units open their report here, the city reviews."""
    year, quarter = year_quarter(request)
    page = paginate(request, selectors.with_quarter_report(selectors.reporting_units(request.user), year, quarter))
    units = list(page)
    due = selectors.unit_due_dates(units, year, quarter)  # each unit's deadline in the year's calendar
    due_on = max(due.values(), default=None) or selectors.quarter_due_date(year, quarter)
    status = selectors.quarter_status(units, due)
    for row in status:
        row["can_fill"] = selectors.can_fill(request.user, row["unit"])
    can_review = selectors.can_review(request.user)
    jobs = ExportJob.objects.filter(requested_by=request.user, kind=services.CONSOLIDATION)[:5] if can_review else []
    return render(
        request,
        "reports/quarterly_list.html",
        {
            "year": year,
            "quarter": quarter,
            "quarter_label": Quarter(quarter).label,
            "due_on": due_on,
            "days_left": selectors.days_left(year, quarter, due=due_on),
            "rows": status,
            "page": page,
            "extra_query": f"year={year}&quarter={quarter}",
            "filter": QuarterForm(initial={"year": year, "quarter": quarter}),
            "can_review": can_review,
            "background_units": BACKGROUND_UNITS,
            "consolidation_jobs": jobs,
        },
    )


@login_required
@require_POST
def quarterly_open(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.get_organization_for_user(request.user, pk)
    access.require(selectors.can_fill(request.user, org))
    form = QuarterForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择正确的年度和季度"))
        return redirect("reports:quarterly_list")
    try:
        report = services.quarterly_report_open(organization=org, by=request.user, **form.cleaned_data)
    except ValidationError as e:
        messages.error(request, "；".join(e.messages))
        return redirect("reports:quarterly_list")
    return redirect(report)


def _detail(request: HttpRequest, report, *, form=None, return_form=None, status: int = 200, extra=None):
    can_fill = selectors.can_fill(request.user, report.organization)
    can_review = selectors.can_review(request.user)
    if form is None and can_fill and report.is_editable:
        form = NarrativeForm(instance=report)
    events = list(selectors.events_of(report))
    returns = [e for e in events if e.action == "returned"]
    context = {
        "return_reason": returns[-1].reason if returns and report.state == report.State.RETURNED else "",
        "report": report,
        "org": report.organization,
        "breadcrumbs": breadcrumbs(request.user, report.organization),
        "figures": [(label, getattr(report, name)) for name, label in FIGURES],
        "narrative": [(label, getattr(report, name)) for name, label in NARRATIVE],
        "events": events,
        "can_fill": can_fill,
        "can_review": can_review,
        "can_see_history": access.can_see_history(request.user, report.organization),
        "form": form,
        "return_form": return_form or ReturnForm(initial={"version": report.version}),
    }
    context.update(extra or {})
    return render(request, "reports/quarterly_detail.html", context, status=status)


@login_required
def quarterly_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """GET shows the report; POST saves the hand-written parts (the unit's staff, while draft or returned), and with
    action=submit (the 报送 button of the same form) saves and submits them, as quarterly_submit."""
    if request.method != "POST":
        return _detail(request, selectors.get_report_for_user(request.user, pk))
    return _save(request, pk, submit=request.POST.get("action") == "submit")


def _save(request: HttpRequest, pk: int, *, submit: bool) -> HttpResponse:
    report = selectors.get_report_for_user(request.user, pk, to_fill=True)
    form = NarrativeForm(request.POST, instance=report)
    if form.is_valid():
        data = {name: form.cleaned_data[name] for name in NarrativeForm.Meta.fields}
        write = services.quarterly_report_save_and_submit if submit else services.quarterly_report_update
        try:
            write(report=report, by=request.user, expected_version=form.cleaned_data["version"], **data)
        except ValidationError as e:
            report = selectors.get_report_for_user(request.user, pk)
            if is_stale_error(e):
                extra = stale_context(report, form)
                form.refresh_version(report)
                form.add_error(None, e)
                return _detail(request, report, form=form, status=409, extra=extra)
            add_service_errors(form, e)
        else:
            if submit:
                messages.success(request, _("已报送市委教育工委") + (_("（逾期报送）") if report.is_late else ""))
            else:
                messages.success(request, _("已保存"))
            return redirect(report)
    return _detail(request, selectors.get_report_for_user(request.user, pk), form=form, status=400)


def _act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    to_review = action in {"return", "accept"}
    report = selectors.get_report_for_user(request.user, pk, to_fill=not to_review, to_review=to_review)
    form = (ReturnForm if action == "return" else VersionForm)(request.POST)
    if not form.is_valid():
        if action == "return":
            return _detail(request, report, return_form=form, status=400)
        messages.error(request, _("缺少版本号，请刷新页面"))
        return redirect(report)
    version = form.cleaned_data["version"]
    try:
        if action == "refresh":
            services.quarterly_report_refresh(report=report, by=request.user, expected_version=version)
            done = _("统计数据已更新")
        elif action == "return":
            services.quarterly_report_return(
                report=report, by=request.user, reason=form.cleaned_data["reason"], expected_version=version
            )
            done = _("已退回修改")
        else:
            services.quarterly_report_accept(report=report, by=request.user, expected_version=version)
            done = _("已接收")
    except ValidationError as e:
        fresh = selectors.get_report_for_user(request.user, pk)
        if action == "return":
            form.add_error(None, e)
            return _detail(request, fresh, return_form=form, status=400)
        messages.error(request, "；".join(e.messages))
        return redirect(fresh)
    messages.success(request, done)
    return redirect(report)


@login_required
@require_POST
def quarterly_refresh(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "refresh")


@login_required
@require_POST
def quarterly_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """报送 from the form: what is written in it is saved and submitted in one transaction (never the text last
    saved); blank parts, bad input or a stale version submit nothing and come back beside the fields."""
    return _save(request, pk, submit=True)


@login_required
@require_POST
def quarterly_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "return")


@login_required
@require_POST
def quarterly_accept(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "accept")


def _filename(report, ext: str) -> str:
    return f"附件5_{report.organization.name}_{report.year}年第{report.quarter}季度.{ext}"


@login_required
def quarterly_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.get_report_for_user(request.user, pk)
    return attachment(xlsx_bytes([tables.annex5(report)]), _filename(report, "xlsx"), XLSX)


@login_required
def quarterly_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.get_report_for_user(request.user, pk)
    return attachment(pdf_bytes([tables.annex5(report)]), _filename(report, "pdf"), "application/pdf")


def _consolidation(request: HttpRequest, ext: str) -> HttpResponse:
    """A consolidation of up to BACKGROUND_UNITS units comes back at once; a larger one is made by a background job
    and the user is taken to its page, which shows the download when the file is ready."""
    access.require(selectors.can_review(request.user))
    year, quarter = year_quarter(request)
    if consolidation_data.unit_count(request.user) > BACKGROUND_UNITS[ext]:
        job = services.consolidation_export_create(requested_by=request.user, year=year, quarter=quarter, fmt=ext)
        return redirect("reports:export_job", pk=job.pk)
    sheets = consolidation_data.consolidation_tables(request.user, year, quarter)
    if ext == "xlsx":
        return attachment(xlsx_bytes(sheets), consolidation_data.filename(year, quarter, ext), XLSX)
    return attachment(pdf_bytes(sheets), consolidation_data.filename(year, quarter, ext), "application/pdf")


@login_required
def consolidation_xlsx(request: HttpRequest) -> HttpResponse:
    """The city committee's workbook for a quarter: a summary with totals, then the units' written parts."""
    return _consolidation(request, "xlsx")


@login_required
def consolidation_pdf(request: HttpRequest) -> HttpResponse:
    return _consolidation(request, "pdf")
