"""Pages of the year's calendar: the city sets it up, committees and schools narrow it, everyone below reads it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from machinery.pages import app_offers
from machinery.params import year_param
from organizations import access
from organizations.enums import MANAGING_ROLES
from organizations.forms import add_service_errors
from organizations.models import Organization
from organizations.selectors import breadcrumbs, children

from . import selectors
from .enums import WindowKind
from .forms import CalendarForm, WindowForm, YearOpenForm
from .services import calendar_set_up, window_clear, window_set, year_open


def get_calendar_organization(user, pk: int) -> Organization:
    """An organization in the user's subtree, or the member's own organization (read-only); else 404."""
    org = access.visible_organizations(user).filter(pk=pk).first()
    if org is not None:
        return org
    member = access.own_member(user)
    if member is not None and member.is_active and member.organization_id == pk:
        return member.organization
    raise Http404


def can_set_calendar(user, org: Organization) -> bool:
    """The top of the tree: its committee staff set the whole calendar. Below it, committees and schools (whoever may
    change the organization) narrow windows; a branch reads the windows in force."""
    if org.depth == 1:
        return access.is_city_staff(user) and access.can_edit(user, org)
    if org.is_branch:
        return False
    return access.can_edit(user, org)


def _calendar_url(org: Organization, year: int) -> str:
    return f"{reverse('years:calendar', args=[org.pk])}?year={year}"


def _home_organization(user) -> Organization | None:
    top = sorted((g for g in access.grants(user) if g.role in MANAGING_ROLES), key=lambda g: (g.depth, g.path))
    if top:
        return Organization.objects.filter(pk=top[0].organization_id).first()
    member = access.own_member(user)
    return member.organization if member is not None and member.is_active else None


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The work years (open or archived) and, for the city committee's staff, opening the next one."""
    years = selectors.work_years()
    home = _home_organization(request.user)
    can_open = access.is_city_staff(request.user)
    upcoming = selectors.next_year(years)
    return render(
        request,
        "years/index.html",
        {
            "years": years,
            "home": home,
            "current": selectors.current_year(),
            "can_open": can_open,
            "next_year": upcoming,
            "open_form": YearOpenForm(initial={"year": upcoming}) if can_open else None,
        },
    )


@login_required
@require_POST
def open_year(request: HttpRequest) -> HttpResponse:
    """Open the next work year: the calendar is copied with its dates moved, the last year is archived."""
    access.require(access.is_city_staff(request.user))
    form = YearOpenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择要开启的年度"))
        return redirect("years:index")
    try:
        work = year_open(year=form.cleaned_data["year"], by=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(
            request,
            _("已开启%(year)s年度，日历已按上一年度顺延，%(last)s年度已归档（只读）")
            % {"year": work.year, "last": work.year - 1},
        )
    return redirect("years:index")


@login_required
def calendar(request: HttpRequest, pk: int) -> HttpResponse:
    """The windows in force for the organization in ?year=. The city's staff set all eight in one form (all or
    nothing); committees and schools narrow one window inside their parent's, or drop their narrowing."""
    user = request.user
    org = get_calendar_organization(user, pk)
    year = year_param(request, selectors.current_year())
    work_years = selectors.work_years()
    work = next((w for w in work_years if w.year == year), None)
    archived = work is not None and work.is_archived
    allowed = can_set_calendar(user, org)
    windows, bounds = selectors.windows_and_bounds(org, year)  # the windows in force and the parent's, one query
    is_top = org.depth == 1
    calendar_form = CalendarForm(windows=windows) if is_top and allowed and not archived else None
    window_forms: dict[str, WindowForm] = {}
    status = 200
    if request.method == "POST":
        access.require(allowed)
        if is_top:
            calendar_form = CalendarForm(request.POST, windows=windows)
            if calendar_form.is_valid():
                try:
                    calendar_set_up(organization=org, year=year, dates=calendar_form.dates(), by=user)
                except ValidationError as exc:
                    add_service_errors(calendar_form, exc)
                else:
                    messages.success(request, _("已保存%(year)s年度日历") % {"year": year})
                    return redirect(_calendar_url(org, year))
            status = 400
        else:
            kind = request.POST.get("kind", "")
            if kind not in WindowKind.values:
                messages.error(request, _("请选择要设置的时间窗"))
                return redirect(_calendar_url(org, year))
            if request.POST.get("action") == "clear":
                try:
                    window_clear(organization=org, year=year, kind=kind, by=user)
                except ValidationError as exc:
                    messages.error(request, "；".join(exc.messages))
                else:
                    messages.success(
                        request, _("已取消本级对%(label)s的调整，执行上级时间") % {"label": WindowKind(kind).label}
                    )
                return redirect(_calendar_url(org, year))
            form = WindowForm(request.POST, prefix=kind)
            if form.is_valid():
                try:
                    window_set(organization=org, year=year, kind=kind, by=user, **form.cleaned_data)
                except ValidationError as exc:
                    add_service_errors(form, exc)
                else:
                    messages.success(request, _("已保存%(label)s时间") % {"label": WindowKind(kind).label})
                    return redirect(_calendar_url(org, year))
            window_forms[kind] = form
            status = 400
    bounds = bounds or {}
    rows = []
    for kind in WindowKind:
        w = windows[kind.value]
        form = None
        if allowed and not is_top and not archived:
            form = window_forms.get(kind.value) or WindowForm(
                prefix=kind.value, initial={"opens_on": w.opens_on, "closes_on": w.closes_on}
            )
        rows.append(
            {"kind": kind.value, "window": w, "state": w.state(), "bound": bounds.get(kind.value), "form": form}
        )
    kids = list(children(org)) if not org.is_branch else []
    years = sorted({y.year for y in work_years} | {selectors.current_year(), year}, reverse=True)
    return render(
        request,
        "years/calendar.html",
        {
            "org": org,
            "breadcrumbs": breadcrumbs(user, org) if access.is_visible(user, org) else [],
            "year": year,
            "years": years,
            "work": work,
            "archived": archived,
            "allowed": allowed,
            "is_top": is_top,
            "rows": rows,
            "calendar_form": calendar_form,
            "children": kids,
            "links": app_offers("calendar_links", request, org, year),
        },
        status=status,
    )
