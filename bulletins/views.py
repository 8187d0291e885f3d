"""Pages of 情况通报 (a committee's notice to its subtree, drafted from the records) and 简报 (typical units' good
practice, approved and published by the committee that designated them)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from machinery.forms import add_service_errors
from machinery.locking import is_stale_error
from machinery.pages import paginate
from organizations import access
from organizations import selectors as org_selectors
from organizations.enums import COMMITTEE_KINDS
from organizations.models import DemonstrationUnit, Organization
from posts.selectors import notices_of
from years.enums import PeriodKind

from . import selectors, services
from .enums import BriefState
from .forms import BriefForm, CircularForm, PublishForm, ReturnForm


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else timezone.localdate().year


def _crumbs(request, org) -> dict:
    crumbs = org_selectors.breadcrumbs(request.user, org) if access.is_visible(request.user, org) else []
    return {"org": org, "breadcrumbs": crumbs}


@login_required
def circulars(request: HttpRequest, org_pk: int) -> HttpResponse:
    """A committee's 情况通报: those issued (with how many read them) and, for its staff, the next one drafted from
    the records of a rating period — results, late units, inspection findings — to edit before issuing."""
    org = access.get_organization_for_user(request.user, org_pk)
    if org.kind not in COMMITTEE_KINDS:
        raise Http404
    may = selectors.may_issue_circular(request.user, org)
    today = timezone.localdate()
    year = _year(request)
    kind = request.GET.get("kind") if request.GET.get("kind") in PeriodKind.values else None
    kind = kind or selectors.latest_kind(year, today)
    form, facts = None, None
    if may:
        facts = selectors.circular_facts(org, year, kind, today)
        form = CircularForm(request.POST or None, initial=selectors.circular_draft(org, facts))
    if request.method == "POST":
        access.require(may)
        if form.is_valid():
            try:
                notice = services.circular_issue(committee=org, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("情况通报已发布，所辖单位的党员将收到通知"))
                return redirect(notice)
    page = paginate(request, notices_of(org))
    latest = page[0] if page and page.number == 1 else None
    context = {**_crumbs(request, org), "form": form, "facts": facts, "year": year, "kind": kind,
               "kinds": PeriodKind.choices, "page": page, "latest": latest,
               "units": selectors.read_by_unit(latest, org)}  # fmt: skip
    return render(request, "bulletins/circulars.html", context, status=400 if request.method == "POST" else 200)


@login_required
def briefs(request: HttpRequest, org_pk: int) -> HttpResponse:
    """简报 page of an organization: the issues it published (for everyone its subtree holds), and, for those who
    manage it, write-ups waiting or returned and the typical unit's offer to send one."""
    org = get_object_or_404(Organization, pk=org_pk)
    if not access.reaches(request.user, org):
        raise Http404
    managing = access.is_visible(request.user, org)
    year = timezone.localdate().year
    designations = list(selectors.designations_of(org, year)) if managing else []
    context = {
        **_crumbs(request, org),
        "published": paginate(request, selectors.published_briefs(org)),
        "own": list(selectors.own_briefs(org)[:20]) if managing else [],
        "pending": list(selectors.pending_briefs(request.user, org)[:50]) if managing else [],
        "may_submit": any(selectors.may_submit(request.user, d) for d in designations),
    }
    return render(request, "bulletins/briefs.html", context)


def _create_form(data, designations: list[DemonstrationUnit]) -> BriefForm:
    form = BriefForm(data)
    form.fields["demonstration"] = forms.ModelChoiceField(
        label=_("报送给（确定本单位为典型的单位）"),
        queryset=DemonstrationUnit.objects.filter(pk__in=[d.pk for d in designations]),
        initial=designations[0].pk if designations else None,
        empty_label=None,
    )
    form.fields["demonstration"].label_from_instance = lambda d: f"{d.designated_by.name}（{d.year}年 {d.aspect}）"
    form.order_fields(["demonstration", "title", "body"])
    return form


@login_required
def brief_create(request: HttpRequest, org_pk: int) -> HttpResponse:
    org = access.get_organization_for_user(request.user, org_pk, to_edit=True)
    year = timezone.localdate().year
    designations = [d for d in selectors.designations_of(org, year) if selectors.may_submit(request.user, d)]
    form = _create_form(request.POST or None, designations) if designations else None
    if request.method == "POST":
        access.require(form is not None)
        if form.is_valid():
            data = form.cleaned_data
            try:
                brief = services.brief_submit(demonstration=data["demonstration"], by=request.user, year=year,
                                              title=data["title"], body=data["body"])  # fmt: skip
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("已报送，等待审核后编入简报"))
                return redirect(brief)
    status = 400 if request.method == "POST" else 200
    return render(request, "bulletins/brief_form.html", {**_crumbs(request, org), "form": form}, status=status)


def _detail(request, brief, **forms) -> dict:
    may_decide = selectors.may_decide(request.user, brief) and brief.state == BriefState.SUBMITTED
    return {
        **_crumbs(request, brief.organization),
        "brief": brief,
        "may_decide": may_decide,
        "may_revise": brief.state == BriefState.RETURNED and selectors.may_submit(request.user, brief.demonstration),
        "publish_form": forms.get("publish_form") or PublishForm(initial={"version": brief.version}),
        "return_form": forms.get("return_form") or ReturnForm(initial={"version": brief.version}),
    }


@login_required
def brief_detail(request: HttpRequest, pk: int) -> HttpResponse:
    brief = selectors.get_brief_for_user(request.user, pk)
    return render(request, "bulletins/brief_detail.html", _detail(request, brief))


@login_required
def brief_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The unit revises a returned write-up and sends it again."""
    brief = selectors.get_brief_for_user(request.user, pk)
    access.require(access.is_visible(request.user, brief.organization))
    access.require(selectors.may_submit(request.user, brief.demonstration))
    form = BriefForm(request.POST or None, instance=brief)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.brief_revise(brief=brief, by=request.user, title=data["title"], body=data["body"],
                                  expected_version=data["version"])  # fmt: skip
        except ValidationError as exc:
            if is_stale_error(exc):
                current = type(brief).objects.get(pk=brief.pk)
                form.refresh_version(current)
                form.stale = [(_("标题"), current.title), (_("正文"), current.body)]
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已修改并重新报送"))
            return redirect(brief)
    status = 400 if request.method == "POST" else 200
    context = {**_crumbs(request, brief.organization), "form": form, "brief": brief}
    return render(request, "bulletins/brief_form.html", context, status=status)


@login_required
@require_POST
def brief_publish(request: HttpRequest, pk: int) -> HttpResponse:
    brief = selectors.get_brief_for_user(request.user, pk)
    access.require(selectors.may_decide(request.user, brief))
    form = PublishForm(request.POST)
    if form.is_valid():
        try:
            services.brief_publish(brief=brief, by=request.user, public=form.cleaned_data["public"],
                                   expected_version=form.cleaned_data["version"])  # fmt: skip
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已编入简报并发布"))
            return redirect(brief)
    brief.refresh_from_db()
    return render(request, "bulletins/brief_detail.html", _detail(request, brief, publish_form=form), status=400)


@login_required
@require_POST
def brief_return(request: HttpRequest, pk: int) -> HttpResponse:
    brief = selectors.get_brief_for_user(request.user, pk)
    access.require(selectors.may_decide(request.user, brief))
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.brief_return(brief=brief, by=request.user, reason=form.cleaned_data["reason"],
                                  expected_version=form.cleaned_data["version"])  # fmt: skip
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已退回修改"))
            return redirect(brief)
    brief.refresh_from_db()
    return render(request, "bulletins/brief_detail.html", _detail(request, brief, return_form=form), status=400)
