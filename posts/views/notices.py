"""情况通报: the secretary's notices to the branch, with read receipts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from machinery.pages import paginate
from machinery.xlsx import Sheet, sheets_xlsx, xlsx_response
from organizations import access
from organizations.selectors import breadcrumbs

from .. import selectors, services
from ..forms import NoticeForm
from ._common import add_errors, org_crumbs

RECEIPTS_PER_PAGE = 50


@login_required
def notices(request: HttpRequest, org_pk: int) -> HttpResponse:
    org = access.get_organization_for_user(request.user, org_pk)
    can_issue = access.is_secretary_of(request.user, org)
    summary = selectors.fulfilment_summary(org, selectors.year_from(request))
    form = NoticeForm(request.POST or None, initial={"title": _("%(year)s年亮岗履职情况通报") % {"year": summary["year"]},
                                                     "body": selectors.summary_text(summary)})
    if request.method == "POST":
        access.require(can_issue)
        if form.is_valid():
            try:
                notice = services.notice_issue(organization=org, by=request.user, **form.cleaned_data)
            except ValidationError as e:
                add_errors(form, e)
            else:
                messages.success(request, _("通报已发布"))
                return redirect(notice)
    return render(
        request,
        "posts/notices.html",
        {
            "org": org,
            "breadcrumbs": breadcrumbs(request.user, org),
            "page": paginate(request, selectors.notices_of(org)),
            "form": form if can_issue else None,
            "summary": summary,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    notice = selectors.get_notice_for_user(request.user, pk)
    member = access.own_member(request.user)
    if member is not None:
        services.notice_read(notice=notice, member=member)
    managing = access.is_visible(request.user, notice.organization)
    receipts = tally = None
    if managing:
        # a committee's circular holds a receipt per member of its subtree (thousands): one page at a time
        rows = notice.receipts.select_related("member").order_by("read_at", "member__name", "pk")
        receipts = paginate(request, rows, per_page=RECEIPTS_PER_PAGE)
        tally = notice.receipts.aggregate(total=Count("pk"), read=Count("pk", filter=Q(read_at__isnull=False)))
    return render(
        request,
        "posts/notice_detail.html",
        {"notice": notice, "receipts": receipts, "tally": tally,
         "breadcrumbs": org_crumbs(request.user, notice.organization)},
    )


@login_required
def notice_receipts_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """阅读回执 as on the notice's page, for those who see them there (the organization's secretaries and staff above);
    for anyone else there is no such table (404)."""
    notice = selectors.get_notice_for_user(request.user, pk)
    if not access.is_visible(request.user, notice.organization):
        raise Http404
    receipts = notice.receipts.select_related("member__organization").order_by("read_at", "member__name", "pk")
    read, unread = _("已读"), _("未读")
    rows = [
        [r.member.name, r.member.organization.name, read if r.read_at else unread, r.read_at]
        for r in receipts.iterator(chunk_size=2000)
    ]
    columns = [_("姓名"), _("所在支部"), _("阅读情况"), _("阅读时间")]
    data = sheets_xlsx([Sheet(_("阅读回执"), columns, rows, [12, 28, 10, 20])])
    return xlsx_response(data, _("阅读回执_%(title)s.xlsx") % {"title": notice.title})
