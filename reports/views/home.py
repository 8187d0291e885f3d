"""The home page: the list of what this user must do next (待办), gathered from every app's to-do selectors, with a
compact view of their subtree's progress for committee staff. The navigation's badge counts the same list."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from bulletins import todo as bulletins_todo
from evaluations.selectors import todo as evaluations_todo
from inspections import todo as inspections_todo
from notifications.selectors import unread_count
from organizations import access
from organizations.enums import MANAGING_ROLES
from organizations.models import RoleAssignment
from organizations.todo import TodoItem, sort_key
from posts.selectors import todo as posts_todo
from posts.selectors import unread_notices
from targets import todo as targets_todo

from .. import dashboard_cache
from .. import todo as reports_todo


def todo_items(user, *, today: datetime.date, cache: bool = False) -> list[TodoItem]:
    """Everything this user must do next, overdue and nearest deadlines first. A fixed number of queries per role the
    user holds, whatever the number of members, commitments, periods or reports in their subtree.

    With `cache`, the work found in the records (everything but the unread counts) is kept per user and day in the
    dashboard cache, whose generation goes up on any write of a model the list reads (reports.dashboard_cache.WATCHED;
    tests/test_home_todo_cache.py holds the list to it): the home page and the navigation's badge, asked on every
    page, then cost a few queries until something changes."""
    if cache:
        key = ("todo", user.pk, today.isoformat(), get_language())
        items = dashboard_cache.cached(key, lambda: work_items(user, today=today))
    else:
        items = work_items(user, today=today)
    items = list(items)
    member = access.own_member(user)
    if member is not None:
        notices = unread_notices(member).count()
        if notices:
            items.append(TodoItem(kind="posts.notice", title=_("阅读情况通报：%(n)s条未读") % {"n": notices},
                                  count=notices, url=reverse("posts:mine"), action=_("去阅读")))
    unread = unread_count(user)
    if unread:
        items.append(TodoItem(kind="notifications.unread", title=_("阅读通知：%(n)s条未读") % {"n": unread},
                              count=unread, url=reverse("notifications:inbox"), action=_("去阅读")))
    return sorted(items, key=sort_key(today))


def work_items(user, *, today: datetime.date) -> list[TodoItem]:
    """The work the records ask of this user (todo_items() without the unread counts), in no particular order."""
    grants = access.grants(user)
    items: list[TodoItem] = []
    member = access.own_member(user)
    if member is not None:
        items += posts_todo.member_todo(member, today=today)
        items += evaluations_todo.member_todo(member, today=today)
        items += targets_todo.member_todo(member, today=today)
    if access.has_role(user, *MANAGING_ROLES):
        items += posts_todo.reviewer_todo(user, today=today)
        items += evaluations_todo.secretary_todo(grants, today=today)
        items += evaluations_todo.judged_above_todo(user, today=today)
        items += targets_todo.secretary_todo(grants, today=today)
        items += inspections_todo.secretary_todo(grants, today=today)
        items += inspections_todo.committee_todo(grants, today=today)
        items += bulletins_todo.secretary_todo(grants, today=today)
        items += reports_todo.unit_todo(user, today=today)
        items += reports_todo.late_units_todo(user, today=today)
    return items


def _rows(items: list[TodoItem], today: datetime.date) -> list[dict]:
    rows = []
    for item in items:
        days = item.days_left(today)
        if days is None:
            when, tone = "", "secondary"
        elif days < 0:
            when, tone = _("已逾期 %(days)s 天") % {"days": -days}, "danger"
        elif days == 0:
            when, tone = _("今天截止"), "warning-emphasis"
        else:
            when, tone = _("还有 %(days)s 天") % {"days": days}, "warning-emphasis" if days <= 7 else "secondary"
        rows.append({"item": item, "when": when, "tone": tone})
    return rows


@login_required
def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    user = request.user
    items = todo_items(user, today=today, cache=True)
    assignments = RoleAssignment.objects.filter(user=user).select_related("organization").order_by("organization__path")
    return render(
        request,
        "reports/home.html",
        {
            "rows": _rows(items, today),
            "today": today,
            "has_summary": reports_todo.has_staff_summary(user),
            "assignments": assignments,
            "own_member": access.own_member(user),
        },
    )


@login_required
def home_badge(request: HttpRequest) -> HttpResponse:
    """The number of to-do items, for the navigation's badge (fetched after the page loads: no page pays for it)."""
    count = len(todo_items(request.user, today=timezone.localdate(), cache=True))
    response = render(request, "reports/_home_badge.html", {"count": count})
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def home_summary(request: HttpRequest) -> HttpResponse:
    """Committee staff's progress figures on the home page, fetched after the page loads (the rating progress of a
    whole subtree is the costliest part of the page, and the work list should not wait for it)."""
    summary = reports_todo.staff_summary(request.user, today=timezone.localdate())
    response = render(request, "reports/_home_summary.html", {"summary": summary})
    response["Cache-Control"] = "private, no-store"
    return response
