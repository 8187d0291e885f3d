"""Step 3 任务分解 edited as one table: add, change, reorder and remove Annex 1 rows, one save; copy last year's."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from machinery.forms import add_service_errors
from machinery.locking import is_stale_error

from .. import selectors, services
from ..enums import Step
from ..grid import ItemGridFormSet, grid_initial
from ..models import TargetItem
from .common import plan_context

PREFIX = "rows"


def _page(request, plan, formset, *, status=200) -> HttpResponse:
    ctx = plan_context(request, plan) | {
        "formset": formset,
        "previous": services.previous_plan(plan),
        "step": Step.DECOMPOSITION,
    }
    return render(request, "targets/items_grid.html", ctx, status=status)


@login_required
def items_grid(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_for_user(request.user, pk, to_edit=True)
    items = list(plan.items.all())
    initial = grid_initial(items)
    if request.method != "POST":
        return _page(request, plan, ItemGridFormSet(initial=initial, prefix=PREFIX))
    formset = ItemGridFormSet(request.POST, initial=initial, prefix=PREFIX)
    if not formset.is_valid():
        return _page(request, plan, formset, status=400)
    picked = formset.rows()
    try:
        result = services.items_save_grid(plan=plan, rows=[row for _i, row in picked], by=request.user)
    except TargetItem.DoesNotExist:
        raise Http404 from None  # a row id that is not a row of this plan: crafted, never sent by the page
    except services.GridErrors as exc:
        by_pk = {i.pk: i for i in items}
        data = request.POST.copy()
        for position, error in exc.rows.items():
            index, row = picked[position]
            form = formset.forms[index]
            add_service_errors(form, error)
            if is_stale_error(error) and row.item_id in by_pk:
                # the newer row as stored, shown beside the user's input; a second save is a deliberate overwrite
                form.current = by_pk[row.item_id]
                data[form.add_prefix("version")] = form.current.version
        for form in formset.forms:
            form.data = data
        messages.error(request, exc.messages[0])
        return _page(request, plan, formset, status=400)
    except ValidationError as exc:
        formset._non_form_errors = formset.error_class(exc.messages)
        return _page(request, plan, formset, status=400)
    messages.success(
        request,
        _("目标分解表已保存：新增 %(c)s 项，修改 %(u)s 项，删除 %(d)s 项")
        % {"c": result.created, "u": result.updated, "d": result.deleted},
    )
    return redirect("targets:items_grid", plan.pk)


@login_required
@require_POST
def items_copy(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_for_user(request.user, pk, to_edit=True)
    try:
        copies = services.items_copy_from_previous(plan=plan, by=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已从上一年度沿用 %(n)s 项目标任务，请核对后保存") % {"n": len(copies)})
    return redirect("targets:items_grid", plan.pk)
