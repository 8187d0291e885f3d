"""Roster import pages: template download, demo roster, upload + check, preview + apply, error file back."""

from __future__ import annotations

import random

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .. import access, roster, selectors, services
from ..forms import RosterUploadForm
from ..models import Member, Organization, RosterImport
from ..roster import book as roster_book
from ..roster import kept as roster_kept

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    response["Cache-Control"] = "private, no-store"
    return response


def _branch_for_secretary(request, pk: int) -> Organization:
    org = access.get_organization_for_user(request.user, pk)
    access.require(org.is_branch and access.is_secretary_of(request.user, org))
    return org


@login_required
def roster_template(request: HttpRequest) -> HttpResponse:
    return _xlsx(roster_book.workbook_bytes(roster_book.build_workbook()), "roster-template.xlsx")


def demo_rows(org: Organization, *, extra: int = 5) -> list[list]:
    """The branch's roster as it stands plus a few new teachers: a file the branch secretary can import."""
    rows = [roster_book.member_row(m) for m in Member.objects.filter(organization=org, is_active=True).order_by("pk")]
    rng = random.Random(org.pk)
    for i in range(extra):
        rows.append(
            [
                f"N{org.pk:04d}{i + 1:02d}",
                rng.choice("王陈林黄张李") + rng.choice(["嘉怡", "子轩", "思远", "雨涵", "浩然", "欣怡"]),
                rng.choice(["男", "女"]),
                rng.choice(["中共党员", "预备党员", "群众"]),
                "新任教师",
                "教职员工",
                "高一年段",
                f"1370595{org.pk % 1000:03d}{i}",
                "",
                "",
                str(1990 + i),
                "否",
                "",
            ]
        )
    return rows


def spoil(rows: list[list]) -> list[list]:
    """A copy of the rows with three mistakes (for trying the check): a bad gender, a bad status, a bad date."""
    rows = [list(r) for r in rows]
    col = {h: i for i, h in enumerate(roster.HEADERS)}
    for k, (header, value) in enumerate([("性别", "未知"), ("政治面貌", "党员"), ("入党日期", "去年七月")]):
        if k < len(rows):
            rows[k][col[header]] = value
    return rows


@login_required
def roster_demo(request: HttpRequest, pk: int) -> HttpResponse:
    org = _branch_for_secretary(request, pk)
    rows = demo_rows(org)
    bad = request.GET.get("bad") == "1"
    wb = roster_book.build_workbook(spoil(rows) if bad else rows)
    return _xlsx(roster_book.workbook_bytes(wb), f"roster-demo-{org.pk}{'-bad' if bad else ''}.xlsx")


@login_required
def roster_import(request: HttpRequest, pk: int) -> HttpResponse:
    org = _branch_for_secretary(request, pk)
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.roster_import_check(
                organization=org, uploaded_by=request.user, upload=form.cleaned_data["file"]
            )
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            return redirect("organizations:roster_import_detail", pk=record.pk)
    recent = RosterImport.objects.filter(organization=org, uploaded_by=request.user).defer("rows")[:10]
    return render(
        request,
        "organizations/roster_import.html",
        {
            "org": org,
            "form": form,
            "recent": recent,
            "headers": roster.COLUMNS,
            "max_rows": roster.MAX_ROWS,
            "max_mb": roster.MAX_MB,
            "breadcrumbs": selectors.breadcrumbs(request.user, org),
        },
    )


SHOWN = 200  # names listed per group on the preview; the counts are always complete


def _preview(plan: dict) -> dict:
    labels = {fname: header for header, fname, _c, _r in roster.COLUMNS}
    labels["is_active"] = _("恢复在册")
    return {
        "n_new": len(plan["new"]),
        "n_updated": len(plan["updated"]),
        "n_missing": len(plan["missing"]),
        "unchanged": plan["unchanged"],
        "new": plan["new"][:SHOWN],
        "updated": [(m, [labels.get(k, k) for k in changes]) for m, changes in plan["updated"][:SHOWN]],
        "missing": plan["missing"][:SHOWN],
    }


def _record_for_user(request, pk: int, *, with_rows: bool = True) -> RosterImport:
    # an import is seen only by the person who uploaded it, inside their subtree
    qs = RosterImport.objects.filter(uploaded_by=request.user).select_related("organization")
    return access.get_for_user(qs if with_rows else qs.defer("rows"), request.user, pk)


@login_required
def roster_import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # the apply step reads the record again under a lock; only the preview needs the checked rows here
    record = _record_for_user(request, pk, with_rows=request.method != "POST")
    org = record.organization
    if request.method == "POST":
        try:
            summary = services.roster_import_apply(
                record=record, mark_missing_left=request.POST.get("mark_left") == "1"
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(
                request,
                _("导入完成：新增 %(c)s 人，更新 %(u)s 人，标记离册 %(l)s 人")
                % {"c": summary["created"], "u": summary["changed"], "l": summary["left"]},
            )
        return redirect("organizations:roster_import_detail", pk=record.pk)
    preview = None
    if record.state == RosterImport.State.READY:
        try:
            preview = _preview(roster.plan(org, roster_kept.parse_checked(record)))
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
    return render(
        request,
        "organizations/roster_import_detail.html",
        {
            "org": org,
            "record": record,
            "preview": preview,
            "breadcrumbs": selectors.breadcrumbs(request.user, org),
        },
    )


@login_required
def roster_import_errors(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record_for_user(request, pk, with_rows=False)
    parsed = roster.parse_stored(record)
    return _xlsx(roster_book.error_workbook(parsed), f"roster-errors-{record.pk}.xlsx")
