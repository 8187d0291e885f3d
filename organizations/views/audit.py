"""审计日志 of a committee: who changed which record in its subtree (before → after), logins and failed logins, and
exports of personal data; filterable, exportable (the export itself is recorded)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from machinery.xlsx import Sheet, sheets_xlsx, xlsx_response

from .. import access, selectors
from ..audit import EXPORT_ROWS, PER_PAGE, audit_rows, records_download
from ..forms import AuditFilterForm
from ..models import Organization

MAX_PAGE = 100


def _committee(request: HttpRequest, pk: int) -> Organization:
    org = access.get_organization_for_user(request.user, pk)
    access.require(access.is_staff_of(request.user, org))
    return org


def _filters(request: HttpRequest) -> tuple[AuditFilterForm, dict]:
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    return form, {k: v for k, v in filters.items() if v}


@login_required
def audit(request: HttpRequest, pk: int) -> HttpResponse:
    org = _committee(request, pk)
    form, filters = _filters(request)
    page = request.GET.get("page", "1")
    number = min(int(page), MAX_PAGE) if page.isdigit() and int(page) > 0 else 1
    rows, more = audit_rows(org, filters, offset=(number - 1) * PER_PAGE)
    query = urlencode({k: str(v) for k, v in filters.items()})
    return render(
        request,
        "organizations/audit.html",
        {
            "org": org,
            "breadcrumbs": selectors.breadcrumbs(request.user, org),
            "form": form,
            "rows": [row.for_page() for row in rows],
            "number": number,
            "previous": number - 1 if number > 1 else None,
            "next": number + 1 if more and number < MAX_PAGE else None,
            "query": query,
            "retention": settings.AUDIT_RETENTION_DAYS,
        },
    )


@login_required
@records_download(gettext_lazy("审计日志"))
def audit_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    org = _committee(request, pk)
    _form, filters = _filters(request)
    rows, _more = audit_rows(org, filters, limit=EXPORT_ROWS)
    columns = [_("时间"), _("人员"), _("类别"), _("记录"), _("变更（原 → 新）")]
    data = [
        [
            timezone.localtime(r.at),
            r.who,
            r.kind_label,
            r.record,
            "\n".join(
                f"{label}：{before} → {after}" if before else f"{label}：{after}" for label, before, after in r.changes
            ),
        ]
        for r in rows
    ]
    day = timezone.localdate().strftime("%Y%m%d")
    return xlsx_response(
        sheets_xlsx([Sheet(_("审计日志"), columns, data, [18, 14, 16, 30, 60])]),
        _("审计日志_%(org)s_%(day)s.xlsx") % {"org": org.name, "day": day},
    )
