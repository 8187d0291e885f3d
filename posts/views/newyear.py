"""以上一年度为基础新建: this year's plan and posts from last year's in one step, or only the posts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from organizations import access
from targets.enums import Step
from targets.forms import YearStartForm
from targets.views.newyear import started_message

from .. import services


def copied_message(result: services.PostsCopy, from_year: int) -> str:
    text = _("沿用%(year)s年度岗位 %(n)s 个，保留在岗人员 %(k)s 人") % {
        "year": from_year, "n": len(result.posts), "k": len(result.claims),
    }  # fmt: skip
    if result.left_off:
        names = "、".join(sorted({name for name, _post in result.left_off}))
        text += _("（已不在册、未保留：%(names)s）") % {"names": names}
    if result.skipped:
        text += _("；本年度已有同名岗位，未复制：%(names)s") % {"names": "、".join(result.skipped)}
    return text + _("。承诺不沿用，请在岗人员重新填写本年度承诺。")


def _back(request: HttpRequest, org, year: int | None) -> HttpResponse:
    if request.POST.get("back") == "posts":
        return redirect(f"{reverse('posts:org_posts', args=[org.pk])}?year={year or ''}")
    return redirect("targets:org_plans", org.pk)


def _refused(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@login_required
@require_POST
def year_start(request: HttpRequest, org_pk: int) -> HttpResponse:
    """One button: targets' plan_start_from_previous, then posts_copy_from_year, in one transaction."""
    org = access.get_organization_for_user(request.user, org_pk, to_edit=True)
    form = YearStartForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择要新建的年度"))
        return _back(request, org, None)
    year = form.cleaned_data["year"]
    try:
        result = services.year_start_from_previous(organization=org, year=year, by=request.user)
    except ValidationError as exc:
        _refused(request, exc)
        return _back(request, org, year)
    messages.success(request, started_message(result.plan))
    if result.posts is not None:
        messages.success(request, copied_message(result.posts, year - 1))
    return redirect("targets:step", result.plan.plan.pk, Step.DECOMPOSITION)


@login_required
@require_POST
def posts_copy_year(request: HttpRequest, org_pk: int) -> HttpResponse:
    """Only the posts: last year's posts into the year (its plan, if any, was made another way)."""
    org = access.get_organization_for_user(request.user, org_pk, to_edit=True)
    form = YearStartForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择要新建的年度"))
        return redirect("posts:org_posts", org.pk)
    year = form.cleaned_data["year"]
    try:
        result = services.posts_copy_from_year(organization=org, from_year=year - 1, to_year=year, by=request.user)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, copied_message(result, year - 1))
    return redirect(f"{reverse('posts:org_posts', args=[org.pk])}?year={year}")
