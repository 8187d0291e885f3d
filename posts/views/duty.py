"""组织履岗: the duty log with evidence files, and the duty report (述职报告)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from machinery.uploads import protected_download
from organizations.audit import records_download

from .. import selectors, services
from ..forms import DutyLogForm, DutyReportForm
from ..models import DutyEvidence, DutyReport
from ._common import add_errors, org_crumbs
from .commitments import detail_context


@login_required
@require_POST
def duty_log_add(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = selectors.get_commitment_for_user(request.user, pk, own=True)
    form = DutyLogForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.duty_log_add(commitment=commitment, by=request.user, **form.cleaned_data)
        except ValidationError as e:
            add_errors(form, e if hasattr(e, "error_dict") else ValidationError({"files": e.messages}))
        else:
            messages.success(request, _("履岗情况已登记"))
            return redirect(commitment)
    context = detail_context(request, commitment, log_form=form)
    return render(request, "posts/commitment_detail.html", context, status=400)


@login_required
@require_POST
def duty_log_delete(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.get_log_entry_for_user(request.user, pk, own=True)
    commitment = entry.commitment
    services.duty_log_delete(entry=entry)
    messages.success(request, _("已删除该条履岗登记"))
    return redirect(commitment)


def _evidence_org(pk: int):
    rows = DutyEvidence.objects.filter(pk=pk)
    return rows.values_list("entry__commitment__claim__member__organization", flat=True).first()


def _report_org(pk: int):
    return DutyReport.objects.filter(pk=pk).values_list("member__organization", flat=True).first()


@login_required
@records_download(gettext_lazy("履岗佐证材料"), lambda request, pk: _evidence_org(pk))
def evidence_download(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = selectors.get_evidence_for_user(request.user, pk)
    return protected_download(request, evidence.file, evidence.name)


@login_required
def report_edit(request: HttpRequest) -> HttpResponse:
    """The signed-in member writes (or rewrites) a duty report for a period."""
    member = selectors.own_member_or_403(request.user)
    initial = {"year": selectors.year_from(request), "period": request.GET.get("period", "year")}
    existing = DutyReport.objects.filter(member=member, **initial).first() if request.method == "GET" else None
    if existing:
        initial["text"] = existing.text
    form = DutyReportForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.duty_report_save(member=member, **form.cleaned_data)
        except ValidationError as e:
            add_errors(form, e if hasattr(e, "error_dict") else ValidationError({"file": e.messages}))
        else:
            messages.success(request, _("述职报告已保存"))
            return redirect("posts:report_detail", pk=report.pk)
    return render(
        request,
        "posts/report_form.html",
        {"form": form, "member": member, "reports": selectors.member_reports(member)},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.get_report_for_user(request.user, pk)
    return render(
        request,
        "posts/report_detail.html",
        {
            "report": report,
            "member": report.member,
            "is_owner": report.member.user_id == request.user.pk,
            "breadcrumbs": org_crumbs(request.user, report.member.organization),
        },
    )


@login_required
@records_download(gettext_lazy("述职报告"), lambda request, pk: _report_org(pk))
def report_download(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.get_report_for_user(request.user, pk)
    return protected_download(request, report.file, report.file_name or None)
