"""以上一年度计划为基础新建: start the year's plan from last year's (the plan only; posts offers plan and posts)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from organizations import access

from .. import forms, selectors, services
from ..enums import Step


def started_message(result: services.PlanStart) -> str:
    """The summary shown after a start (posts adds its own part)."""
    text = _("已以%(prev)s年度计划为基础新建%(year)s年度计划：沿用目标任务 %(n)s 项") % {
        "prev": result.previous.year, "year": result.plan.year, "n": len(result.items),
    }  # fmt: skip
    if result.to_reassign:
        text += _("，其中 %(n)s 项需重新指定责任人") % {"n": len(result.to_reassign)}
    text += _("。争创主题、特色工作和理论调研已沿用，可修改；六个步骤需重新开展。")
    if result.long_term:
        moved = "、".join(f"{t.get_level_display()}{t.title}（{t.due_year}年）" for t in result.long_term)
        text += _("长远目标已按现有荣誉确定为：%(targets)s。") % {"targets": moved}
    return text


@login_required
@require_POST
def plan_start(request: HttpRequest, org_pk: int) -> HttpResponse:
    org = access.get_organization_for_user(request.user, org_pk, to_edit=True)
    if not selectors.can_plan(org):
        raise Http404
    form = forms.YearStartForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择要新建计划的年度"))
        return redirect("targets:org_plans", org.pk)
    try:
        result = services.plan_start_from_previous(organization=org, year=form.cleaned_data["year"], by=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("targets:org_plans", org.pk)
    messages.success(request, started_message(result))
    return redirect("targets:step", result.plan.pk, Step.DECOMPOSITION)
