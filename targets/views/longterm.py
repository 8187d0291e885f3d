"""长远目标: the proposal from recorded honours, the secretary's adjustment, and the outcome."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from organizations import access
from organizations.selectors import breadcrumbs

from .. import forms, selectors, services
from ..models import LongTermTarget
from .common import apply_error


def _context(request, org, bound: dict | None = None) -> dict:
    bound = bound or {}
    this_year = timezone.localdate().year
    rows = selectors.long_term_proposals(org)
    for row in rows:
        target = row["target"]
        key = (row["track"], row["title"])
        row["form"] = bound.get(key) or forms.LongTermForm(
            prefix=f"{row['track']}-{row['title']}",
            initial={
                "level": target.level if target else row["proposed"],
                "due_year": target.due_year if target else this_year + 3,
            },
        )
        if target:
            row["outcome_form"] = bound.get(("outcome", target.pk)) or forms.OutcomeForm(
                instance=target, prefix=f"t{target.pk}"
            )
    return {
        "org": org,
        "breadcrumbs": breadcrumbs(request.user, org),
        "rows": rows,
        "can_edit": access.can_edit(request.user, org),
    }


@login_required
def longterm(request: HttpRequest, org_pk: int) -> HttpResponse:
    org = access.get_organization_for_user(request.user, org_pk)
    if not selectors.can_plan(org):
        raise Http404
    return render(request, "targets/longterm.html", _context(request, org))


@login_required
@require_POST
def longterm_set(request: HttpRequest, org_pk: int) -> HttpResponse:
    org = access.get_organization_for_user(request.user, org_pk, to_edit=True)
    if not selectors.can_plan(org):
        raise Http404
    rows = {(r["track"], r["title"]): r for r in selectors.long_term_proposals(org)}
    key = (request.POST.get("track", ""), request.POST.get("title", ""))
    if key not in rows:
        raise Http404
    form = forms.LongTermForm(request.POST, prefix=f"{key[0]}-{key[1]}")
    if form.is_valid():
        try:
            services.long_term_target_set(
                organization=org, track=key[0], title=key[1], by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("已保存长远目标：%(title)s") % {"title": key[1]})
            return redirect("targets:longterm", org.pk)
    return render(request, "targets/longterm.html", _context(request, org, {key: form}), status=400)


@login_required
@require_POST
def longterm_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    target = access.get_for_user(LongTermTarget.objects.select_related("organization"), request.user, pk, to_edit=True)
    form = forms.OutcomeForm(request.POST, instance=LongTermTarget.objects.get(pk=target.pk), prefix=f"t{target.pk}")
    if form.is_valid():
        if form.save_unless_stale(lambda: services.long_term_target_record_outcome(
            target=target, outcome=form.cleaned_data["outcome"], note=form.cleaned_data["outcome_note"], by=request.user,
        )):
            messages.success(request, _("已登记结果"))
            return redirect("targets:longterm", target.organization_id)
    ctx = _context(request, target.organization, {("outcome", target.pk): form})
    return render(request, "targets/longterm.html", ctx, status=400)
