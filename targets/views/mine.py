"""我负责的目标任务: the Annex 1 rows whose 责任人 is the signed-in member (what their reminders point to)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from machinery.pages import paginate
from organizations import access

from ..models import TargetItem


@login_required
def my_items(request: HttpRequest) -> HttpResponse:
    member = access.own_member(request.user)
    if member is None:
        raise Http404
    items = (
        TargetItem.objects.filter(responsible_member=member)
        .select_related("plan__organization")
        .order_by("-plan__year", "deadline", "pk")
    )
    return render(request, "targets/my_items.html", {"member": member, "page": paginate(request, items)})
