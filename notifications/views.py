from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from machinery.pages import paginate

from . import selectors, services


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("unread") == "1"
    notices = selectors.notices_for(request.user)
    if unread_only:
        notices = notices.filter(read_at__isnull=True)
    return render(
        request,
        "notifications/inbox.html",
        {"page": paginate(request, notices), "unread_only": unread_only},
    )


@login_required
def badge(request: HttpRequest) -> HttpResponse:
    """The number of unread notices, for the navigation's badge (fetched after the page loads: no page pays for it)."""
    response = render(request, "notifications/_badge.html", {"count": selectors.unread_count(request.user)})
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def open_notice(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow a notice to the thing it is about, marking it read on the way."""
    notice = selectors.get_notice_for_user(request.user, pk)
    services.notice_mark_read(notice=notice, user=request.user)
    if notice.url and url_has_allowed_host_and_scheme(notice.url, allowed_hosts={request.get_host()}):
        return redirect(notice.url)
    return render(request, "notifications/notice.html", {"notice": notice})


@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    notice = selectors.get_notice_for_user(request.user, pk)
    services.notice_mark_read(notice=notice, user=request.user)
    if request.htmx:
        return render(request, "notifications/_notice_row.html", {"notice": notice})
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = services.notices_mark_all_read(user=request.user)
    messages.success(request, _("已将 %(count)d 条通知标为已读") % {"count": count})
    return redirect("notifications:inbox")
