"""The records of each step: each form posts here and lands back on its step page (errors shown in place)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from machinery.locking import is_stale_error
from machinery.uploads import protected_download
from organizations import access
from organizations.history import history_page

from .. import forms, selectors, services
from ..enums import Step
from ..models import Opinion, OpinionEvent, ProgressEntry, TargetItem
from .common import apply_error, plan_context, render_step


def _save(request, plan, step, key, form, write, success: str):
    """Validate `form`, call `write(cleaned_data)`; success → back to the step page, refusal → the page with errors."""
    if form.is_valid():
        try:
            write(form.cleaned_data)
        except ValidationError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, success)
            return redirect("targets:step", plan.pk, step)
    return render_step(request, plan, step, {key: form}, status=400)


@login_required
@require_POST
def event_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_for_user(request.user, pk, to_edit=True)
    form = forms.OpinionEventForm(request.POST)
    return _save(
        request, plan, Step.OPINIONS, "event", form,
        lambda data: services.opinion_event_create(plan=plan, by=request.user, **data),
        _("已登记征求意见活动"),
    )  # fmt: skip


@login_required
@require_POST
def opinion_add(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.object_for_user(OpinionEvent, request.user, pk, to_edit=True)
    plan = event.plan
    form = forms.OpinionForm(request.POST, prefix=f"e{event.pk}")
    if form.is_valid():
        try:
            services.opinion_add(plan=plan, event=event, **form.cleaned_data)
        except ValidationError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("已添加意见"))
            return redirect("targets:step", plan.pk, Step.OPINIONS)
    return render_step(request, plan, Step.OPINIONS, {("add", event.pk): form}, status=400)


@login_required
@require_POST
def opinion_sort(request: HttpRequest, pk: int) -> HttpResponse:
    opinion = selectors.object_for_user(Opinion, request.user, pk, to_edit=True)
    plan = opinion.plan
    form = forms.OpinionSortForm(request.POST, instance=Opinion.objects.get(pk=opinion.pk), prefix=f"o{opinion.pk}")
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k in forms.OpinionSortForm.Meta.fields}
        if form.save_unless_stale(lambda: services.opinion_sort(opinion=opinion, by=request.user, **data)):
            messages.success(request, _("已保存归类和答复"))
            return redirect("targets:step", plan.pk, Step.OPINIONS)
    return render_step(request, plan, Step.OPINIONS, {("sort", opinion.pk): form}, status=400)


@login_required
@require_POST
def meeting_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_for_user(request.user, pk, to_edit=True)
    form = forms.MeetingForm(request.POST, plan=plan)
    return _save(
        request, plan, Step.DECISION, "meeting", form,
        lambda data: services.meeting_create(plan=plan, by=request.user, **data),
        _("已登记议事决策会议"),
    )  # fmt: skip


@login_required
@require_POST
def item_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_for_user(request.user, pk, to_edit=True)
    form = forms.ItemForm(request.POST)

    def write(data):
        data.pop("version", None)
        services.item_create(plan=plan, by=request.user, **data)

    return _save(request, plan, Step.DECOMPOSITION, "item", form, write, _("已添加目标任务"))


def _item(request, pk, *, to_edit=False) -> TargetItem:
    return selectors.object_for_user(TargetItem, request.user, pk, to_edit=to_edit)


@login_required
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    return _render_item(request, item, forms.ProgressForm())


def _render_item(request, item, progress_form, status=200):
    ctx = plan_context(request, item.plan) | {
        "item": item,
        "entries": list(item.progress.select_related("recorded_by")),
        "progress_form": progress_form,
    }
    return render(request, "targets/item_detail.html", ctx, status=status)


@login_required
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk, to_edit=True)
    form = forms.ItemForm(request.POST or None, instance=item)
    stale = None
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k in services.ITEM_FIELDS}
        try:
            services.item_update(item=item, expected_version=form.cleaned_data["version"], by=request.user, **data)
        except ValidationError as exc:
            if is_stale_error(exc):
                stale = TargetItem.objects.get(pk=item.pk)
                form.data = form.data.copy()
                form.data["version"] = stale.version
            apply_error(form, exc)
        else:
            messages.success(request, _("目标任务已保存"))
            return redirect("targets:step", item.plan_id, Step.DECOMPOSITION)
    ctx = plan_context(request, item.plan) | {"form": form, "item": item, "stale": stale}
    return render(request, "targets/item_form.html", ctx, status=400 if form.is_bound else 200)


@login_required
@require_POST
def item_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk, to_edit=True)
    try:
        services.item_delete(item=item, by=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("已删除目标任务"))
    return redirect("targets:step", item.plan_id, Step.DECOMPOSITION)


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_for_user(request.user, pk, to_edit=True)
    form = forms.PublishForm(request.POST)
    return _save(
        request, plan, Step.PUBLIC_COMMITMENT, "publish", form,
        lambda data: services.plan_publish(plan=plan, by=request.user, **data),
        _("目标任务已公开"),
    )  # fmt: skip


@login_required
@require_POST
def progress_create(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk, to_edit=True)
    form = forms.ProgressForm(request.POST, request.FILES)
    if form.is_valid():
        data = dict(form.cleaned_data)
        evidence = data.pop("evidence_file", None)
        try:
            services.progress_record(item=item, by=request.user, evidence=evidence, **data)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                apply_error(form, exc)
            else:
                form.add_error("evidence_file" if evidence else None, exc)
        else:
            messages.success(request, _("已登记实施进展"))
            return redirect("targets:item_detail", item.pk)
    return _render_item(request, item, form, status=400)


@login_required
def evidence(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.object_for_user(ProgressEntry, request.user, pk, field="item__plan__organization")
    return protected_download(request, entry.evidence, entry.evidence_name or None)


@login_required
@require_POST
def joint_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_for_user(request.user, pk, to_edit=True)
    form = forms.JointActivityForm(request.POST)
    return _save(
        request, plan, Step.IMPLEMENTATION, "joint", form,
        lambda data: services.joint_activity_create(plan=plan, by=request.user, **data),
        _("已登记联帮带活动"),
    )  # fmt: skip


@login_required
@require_POST
def review_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_for_user(request.user, pk, to_edit=True)
    form = forms.ReviewForm(request.POST)
    return _save(
        request, plan, Step.EVALUATION, "review", form,
        lambda data: services.review_create(plan=plan, by=request.user, **data),
        _("已登记组织考评"),
    )  # fmt: skip


@login_required
def item_history(request: HttpRequest, pk: int) -> HttpResponse:
    """修改记录 of a target item (content, responsible person, deadline, status …)."""
    item = _item(request, pk)
    access.require(access.can_see_history(request.user, item.plan.organization))
    return history_page(
        request, item, title=_("目标任务修改记录"), back_url=item.get_absolute_url(), org=item.plan.organization
    )
