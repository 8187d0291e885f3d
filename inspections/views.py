"""Pages of 年初有布置、年中有巡查、年终有讲评表彰: the committee's year, an inspection and its items to fix."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from machinery.forms import add_service_errors
from machinery.pages import paginate
from organizations import access
from organizations import selectors as org_selectors
from organizations.enums import COMMITTEE_KINDS
from years.selectors import windows_for

from . import selectors, services
from .enums import CheckArea
from .forms import CloseForm, FixItemForm, FollowUpForm, InspectionForm, YearReviewForm

TABS = (("plan", _("布置")), ("inspect", _("巡查")), ("review", _("讲评表彰")))


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else timezone.localdate().year


def _may_inspect(user, org) -> bool:
    return org.kind in COMMITTEE_KINDS and access.is_staff_of(user, org)


def _crumbs(request, org) -> dict:
    return {"org": org, "breadcrumbs": org_selectors.breadcrumbs(request.user, org)}


@login_required
def year_view(request: HttpRequest, org_pk: int) -> HttpResponse:
    """One organization's year: 布置 (the calendar in force), 巡查 (inspections, closure rate), 讲评表彰."""
    org = access.get_organization_for_user(request.user, org_pk)
    year = _year(request)
    tab = request.GET.get("tab") if request.GET.get("tab") in dict(TABS) else "inspect"
    may = _may_inspect(request.user, org)
    context = {**_crumbs(request, org), "year": year, "tab": tab, "tabs": TABS, "may_inspect": may}
    if tab == "plan":
        context["windows"] = list(windows_for(org, year).values())
    elif tab == "inspect":
        context["page"] = paginate(request, selectors.inspections_in(request.user, org, year))
        context["closure"] = selectors.closure(org, year)
        context["areas"] = dict(CheckArea.choices)
    else:
        review = selectors.year_review(org, year)
        context.update(selectors.awards(org, year))
        context["review"] = review
        context["form"] = YearReviewForm(instance=review) if may else None
    return render(request, "inspections/year.html", context)


@login_required
@require_POST
def review_save(request: HttpRequest, org_pk: int) -> HttpResponse:
    org = access.get_organization_for_user(request.user, org_pk, to_edit=True)
    access.require(_may_inspect(request.user, org))
    year = _year(request)
    form = YearReviewForm(request.POST, instance=selectors.year_review(org, year))
    if form.is_valid() and form.save_unless_stale(
        lambda: services.year_review_save(organization=org, year=year, by=request.user, text=form.cleaned_data["text"])
    ):
        messages.success(request, _("年终讲评已保存"))
        return redirect(reverse("inspections:year", args=[org.pk]) + f"?year={year}&tab=review")
    context = {**_crumbs(request, org), "year": year, "tab": "review", "tabs": TABS, "may_inspect": True,
               "form": form, "review": selectors.year_review(org, year), **selectors.awards(org, year)}  # fmt: skip
    return render(request, "inspections/year.html", context, status=400)


@login_required
def inspection_create(request: HttpRequest, org_pk: int) -> HttpResponse:
    committee = access.get_organization_for_user(request.user, org_pk, to_edit=True)
    access.require(_may_inspect(request.user, committee))
    units = org_selectors.units_below(committee, grassroots_only=False)
    search_url = reverse("organizations:organization_search", args=[committee.pk])
    form = InspectionForm(request.POST or None, units=units, search_url=search_url)
    if request.method == "POST" and form.is_valid():
        try:
            inspection = services.inspection_record(committee=committee, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("巡查记录已保存，请登记整改事项"))
            return redirect(inspection)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "inspections/inspection_form.html", {**_crumbs(request, committee), "form": form}, status=status
    )


def _detail(request, inspection, **forms) -> dict:
    items = selectors.items_of(inspection)
    bad_item, bad_form = forms.get("bad_item"), forms.get("bad_form")
    for item in items:  # each item's forms with ids of their own
        item.follow_form = FollowUpForm(auto_id=f"id_f{item.pk}_%s")
        item.close_form = CloseForm(auto_id=f"id_c{item.pk}_%s")
        if item.pk == bad_item:
            bad_form.auto_id = f"id_{'f' if 'note' in bad_form.fields else 'c'}{item.pk}_%s"
            setattr(item, "follow_form" if "note" in bad_form.fields else "close_form", bad_form)
    staff = access.is_staff_of(request.user, inspection.committee)
    return {
        **_crumbs(request, inspection.organization),
        "inspection": inspection,
        "areas": [CheckArea(c).label for c in inspection.checked if c in CheckArea.values],
        "items": items,
        "may_manage": staff and inspection.committee.kind in COMMITTEE_KINDS,
        "may_follow_up": staff or access.is_secretary_of(request.user, inspection.organization),
        "item_form": forms.get("item_form") or FixItemForm(),
    }


@login_required
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = selectors.get_inspection_for_user(request.user, pk)
    return render(request, "inspections/inspection_detail.html", _detail(request, inspection))


@login_required
@require_POST
def item_add(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = selectors.get_inspection_for_user(request.user, pk)
    access.require(access.is_staff_of(request.user, inspection.committee))
    form = FixItemForm(request.POST)
    if form.is_valid():
        try:
            services.fix_item_add(inspection=inspection, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已添加整改事项"))
            return redirect(inspection)
    return render(
        request, "inspections/inspection_detail.html", _detail(request, inspection, item_form=form), status=400
    )


@login_required
@require_POST
def follow_up_add(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.get_item_for_user(request.user, pk)
    access.require(services.may_follow_up(request.user, item))
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            services.follow_up_add(item=item, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已登记整改进展"))
            return redirect(reverse("inspections:detail", args=[item.inspection_id]) + f"#item-{item.pk}")
    context = _detail(request, item.inspection, bad_item=item.pk, bad_form=form)
    return render(request, "inspections/inspection_detail.html", context, status=400)


@login_required
@require_POST
def item_close(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.get_item_for_user(request.user, pk)
    access.require(access.is_staff_of(request.user, item.inspection.committee))
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.fix_item_close(item=item, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("整改事项已销号"))
            return redirect(reverse("inspections:detail", args=[item.inspection_id]) + f"#item-{item.pk}")
    context = _detail(request, item.inspection, bad_item=item.pk, bad_form=form)
    return render(request, "inspections/inspection_detail.html", context, status=400)
