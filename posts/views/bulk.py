"""待审核的承诺 reviewed in bulk: tick several, approve them or return each with its own reason; each row's outcome."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from machinery.pages import paginate
from organizations import access

from .. import selectors, services
from ..enums import Criterion
from ..models import Commitment
from ._common import org_crumbs

MAX_ID_DIGITS = 18


def _int_or_none(value: str) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() and len(value) <= MAX_ID_DIGITS else None


def _decisions(request, action: str) -> list[services.ReviewDecision] | None:
    raw = request.POST.getlist("pick")
    if any(_int_or_none(v) is None for v in raw) or len(raw) != len(set(raw)):
        return None
    return [
        services.ReviewDecision(
            commitment_id=int(v), version=_int_or_none(request.POST.get(f"version_{v}", "")), action=action,
            reason=request.POST.get(f"reason_{v}", "").strip(), failed=request.POST.getlist(f"failed_{v}"),
        )  # fmt: skip
        for v in raw
    ]


def _page(request, org, *, entered: dict | None = None, failures: list | None = None, status: int = 200):
    page = paginate(request, selectors.pending_reviews(org, request.user))
    entered, errors = entered or {}, {o.commitment.pk: o.message for o in failures or []}
    rows = []
    for c in page.object_list:
        d = entered.get(c.pk)
        rows.append({
            "c": c, "picked": d is not None, "reason": d.reason if d else "", "failed": d.failed if d else [],
            "error": errors.get(c.pk, ""),
        })  # fmt: skip
    shown = {r["c"].pk for r in rows}
    return render(
        request,
        "posts/review_queue.html",
        {
            "org": org, "breadcrumbs": org_crumbs(request.user, org), "page": page, "rows": rows,
            "criteria": Criterion.choices,
            # refused rows no longer in the queue (approved by someone else meanwhile, …): named in the summary
            "gone": [o for o in failures or [] if o.commitment.pk not in shown],
        },  # fmt: skip
        status=status,
    )


@login_required
def review_queue(request: HttpRequest, org_pk: int) -> HttpResponse:
    org = access.get_organization_for_user(request.user, org_pk)
    if request.method != "POST":
        return _page(request, org)
    action = request.POST.get("action", "")
    if action not in (services.APPROVE, services.RETURN):
        return HttpResponseBadRequest(_("请选择通过或退回"))
    decisions = _decisions(request, action)
    if decisions is None:
        return HttpResponseBadRequest(_("提交的承诺不正确"))
    if not decisions:
        messages.error(request, _("请先勾选要审核的承诺"))
        return _page(request, org, status=400)
    try:
        outcomes = services.commitments_review(organization=org, decisions=decisions, by=request.user)
    except Commitment.DoesNotExist:
        raise Http404 from None  # a commitment outside the organization's subtree: crafted, never sent by the page
    done = [o for o in outcomes if o.done]
    failed = [o for o in outcomes if not o.done]
    verb = _("通过") if action == services.APPROVE else _("退回")
    summary = _("已%(verb)s %(n)s 项承诺") % {"verb": verb, "n": len(done)}
    if not failed:
        messages.success(request, summary)
        return redirect(request.get_full_path())
    messages.warning(request, summary + _("；%(n)s 项未处理，原因见各行") % {"n": len(failed)})
    entered = {o.commitment.pk: o.decision for o in failed}
    return _page(request, org, entered=entered, failures=failed, status=400 if not done else 200)
