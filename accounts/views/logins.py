"""Issuing logins in bulk (a secretary or committee staff for their subtree), the printable sheet of codes, and
stopping or restarting a login."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from machinery.pages import paginate_open
from notifications.channels import Channel, enabled_channels
from organizations import access
from organizations import selectors as org_selectors

from .. import selectors, services
from ..models import IssueBatch

STATUSES = [
    ("none", gettext_lazy("无账号")), ("pending", gettext_lazy("待激活")), ("active", gettext_lazy("已激活")),
    ("stopped", gettext_lazy("已停用")),
]  # fmt: skip


def _sheet_key(batch_pk: int) -> str:
    return f"accounts.sheet.{batch_pk}"


@login_required
def logins(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.get_organization_for_user(request.user, pk, to_edit=True)
    text = request.GET.get("q", "").strip()[:50]
    status = request.GET.get("status", "")
    page = paginate_open(request, selectors.members_for_logins(org, text=text, status=status))
    rows = [{"member": m, "status": selectors.login_status(m)} for m in page]
    return render(
        request,
        "accounts/logins.html",
        {
            "org": org,
            "page": page,
            "rows": rows,
            "q": text,
            "status": status,
            "statuses": STATUSES,
            "status_names": dict(STATUSES),
            "extra_query": urlencode({k: v for k, v in {"q": text, "status": status}.items() if v}),
            "sms_offered": Channel.SMS in enabled_channels(),
            "breadcrumbs": org_selectors.breadcrumbs(request.user, org),
        },
    )


@login_required
@require_POST
def logins_issue(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.get_organization_for_user(request.user, pk, to_edit=True)
    ids = [i for i in request.POST.getlist("member") if str(i).isdigit() and len(str(i)) < 18]
    try:
        batch, issued = services.logins_issue(
            by=request.user, organization=org, member_ids=ids, send=request.POST.get("send") == "1"
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("accounts:logins", pk=org.pk)
    request.session[_sheet_key(batch.pk)] = [
        {
            "name": i.member.name,
            "branch": i.member.organization.name,
            "username": i.username,
            "code": i.code,
            "sent_via": i.sent_via,
        }  # fmt: skip
        for i in issued
    ]
    sent = sum(1 for i in issued if i.sent_via)
    messages.success(
        request, _("已为%(n)d人发放激活码（其中%(s)d人已发送短信或邮件），请打印激活单") % {"n": len(issued), "s": sent}
    )
    return redirect("accounts:sheet", pk=batch.pk)


@never_cache
@login_required
def sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable A4 sheet of one batch: a slip per member with login name, code and a QR code of the activation
    page. Codes are kept only in the issuer's session (the database holds hashes): the sheet can be printed from the
    session that issued them; later, a new code has to be issued."""
    batch = get_object_or_404(access.scope(IssueBatch.objects.select_related("organization"), request.user), pk=pk)
    access.require(access.can_edit(request.user, batch.organization))
    if batch.issued_by_id != request.user.pk:
        raise Http404
    rows = request.session.get(_sheet_key(batch.pk))
    base = request.build_absolute_uri(reverse("accounts:activate"))
    slips = []
    for row in rows or []:
        url = f"{base}?{urlencode({'u': row['username']})}"
        slips.append({**row, "url": base, "qr": segno.make(url, error="m").svg_data_uri(scale=3, border=2)})
    return render(
        request,
        "accounts/sheet.html",
        {"org": batch.organization, "batch": batch, "slips": slips, "expired": rows is None},
    )


@login_required
@require_POST
def login_state(request: HttpRequest, pk: int) -> HttpResponse:
    member = access.get_member_for_user(request.user, pk)
    access.require(access.can_edit(request.user, member.organization))
    action = request.POST.get("action")
    try:
        if action == "deactivate":
            services.login_deactivate(by=request.user, member=member)
            messages.success(request, _("已停用 %(name)s 的登录账号") % {"name": member.name})
        elif action == "reactivate":
            services.login_reactivate(by=request.user, member=member)
            messages.success(request, _("已恢复 %(name)s 的登录账号") % {"name": member.name})
        else:
            messages.error(request, _("未知操作"))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect(reverse("accounts:logins", args=[member.organization_id]))
