"""The year-end page: the four periods side by side and 民主评议党员 recorded for the page's members in one form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from machinery.pages import paginate
from organizations import selectors as org_selectors
from organizations.models import Member

from .. import selectors, services
from ..assessors import appraisal_refusals
from ..enums import GRADE_ORDER, GRADE_TO_CONCLUSION, AppraisalConclusion, Grade
from ..forms import AppraisalForm
from ..models import DemocraticAppraisal
from ..services.appraisals import year_end_period
from .common import org_context

MAX_ID_DIGITS = 18  # a 64-bit id has at most 19 digits; longer is never an id of ours


def _page(request, org, year, *, bound: dict | None = None, errors: dict | None = None, status: int = 200):
    members = org_selectors.members_of(request.user, org)
    page = paginate(request, members)
    rows = selectors.year_grid(org, year, list(page.object_list))
    member_ids = [r["member"].pk for r in rows]
    appraisals = {a.member_id: a for a in DemocraticAppraisal.objects.filter(year=year, member__in=member_ids)}
    can_manage = selectors.can_manage(request.user, org)
    refusal, refusals = None, {}
    if can_manage:
        period = year_end_period(org, year)
        refusal = services.appraisal_window_refusal(org, year, period=period)
        if not refusal:  # who may not be judged here matters only while conclusions can be recorded
            refusals = appraisal_refusals(period=period, members=[r["member"] for r in rows], user=request.user)
    bound, errors = bound or {}, errors or {}
    for row in rows:
        pk = row["member"].pk
        row["appraisal"] = appraisals.get(pk)
        final = row["cells"][-1]
        row["suggested"] = GRADE_TO_CONCLUSION[Grade(final.grade)] if final else ""
        row["refusal"] = refusals.get(pk, "") if can_manage else ""
        row["fingerprint"] = services.appraisal_fingerprint(row["appraisal"])
        stored = row["appraisal"]
        row["conclusion"], row["notes"] = bound.get(pk) or (
            (stored.conclusion, stored.notes) if stored else (row["suggested"], "")
        )
        row["error"] = errors.get(pk, "")
    done = DemocraticAppraisal.objects.filter(year=year, member__in=members).count()
    total = page.paginator.count
    done_elsewhere = done - len(appraisals)
    return render(
        request,
        "evaluations/year_end.html",
        org_context(
            request, org, year=year, page=page, rows=rows, kinds=selectors.year_kinds(),
            distribution=selectors.year_distribution(org, year), grades=[g.label for g in GRADE_ORDER],
            can_manage=can_manage, window_refusal=refusal, editable=can_manage and not refusal, conclusions=AppraisalConclusion.choices,
            default_conclusion=services.DEFAULT_CONCLUSION, default_label=AppraisalConclusion(services.DEFAULT_CONCLUSION).label,
            done=done, total=total, done_elsewhere=done_elsewhere,
        ),  # fmt: skip
        status=status,
    )


@login_required
def year_end(request: HttpRequest, org_pk: int, year: int) -> HttpResponse:
    return _page(request, selectors.get_org(request.user, org_pk), year)


def _ids(request) -> list[int] | None:
    raw = request.POST.getlist("member")
    if any(not (v.isdigit() and len(v) <= MAX_ID_DIGITS) for v in raw) or len(raw) != len(set(raw)):
        return None
    return [int(v) for v in raw]


@login_required
@require_POST
def appraisals(request: HttpRequest, org_pk: int, year: int) -> HttpResponse:
    """Save the 民主评议 conclusions of the page's members at once (or fill those without one with 合格 and save)."""
    org = selectors.get_org(request.user, org_pk, to_manage=True)
    ids = _ids(request)
    if ids is None:
        return HttpResponseBadRequest(_("提交的党员不正确"))
    members = {m.pk: m for m in org_selectors.members_of(request.user, org).filter(pk__in=ids)}
    if len(members) != len(ids):
        raise Http404  # a member outside the organization's subtree: crafted, never sent by the page
    rows = [
        services.AppraisalRow(
            member=members[pk], conclusion=request.POST.get(f"conclusion_{pk}", "").strip(),
            notes=request.POST.get(f"notes_{pk}", "").strip(), fingerprint=request.POST.get(f"fp_{pk}", ""),
        )  # fmt: skip
        for pk in ids
    ]
    fill = request.POST.get("action") == "fill"
    try:
        n = services.appraisals_record(organization=org, year=year, rows=rows, by=request.user, fill_default=fill)
    except Member.DoesNotExist:
        raise Http404 from None
    except services.AppraisalErrors as exc:
        messages.error(request, exc.messages[0])
        bound = {r.member.pk: (r.conclusion, r.notes) for r in rows}
        return _page(request, org, year, bound=bound, errors=exc.rows, status=400)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        bound = {r.member.pk: (r.conclusion, r.notes) for r in rows}
        return _page(request, org, year, bound=bound, status=400)
    messages.success(request, _("已记录 %(n)s 名党员的民主评议结论") % {"n": n})
    page = request.POST.get("page", "")
    url = reverse("evaluations:year_end", args=[org.pk, year])
    return redirect(url + (f"?page={page}" if page.isdigit() and len(page) < 6 else ""))


@login_required
@require_POST
def appraisal(request: HttpRequest, org_pk: int, year: int, member_pk: int) -> HttpResponse:
    """One member's conclusion (kept for links and scripts that post one row)."""
    org = selectors.get_org(request.user, org_pk, to_manage=True)
    member = get_object_or_404(org_selectors.members_of(request.user, org), pk=member_pk)
    form = AppraisalForm(request.POST)
    if form.is_valid():
        try:
            services.appraisal_record(organization=org, member=member, year=year, by=request.user, **form.cleaned_data)
        except ValidationError as e:
            messages.error(request, "；".join(e.messages))
        else:
            messages.success(request, _("已记录%(name)s的民主评议结论") % {"name": member.name})
    else:
        messages.error(request, _("请选择评议结论"))
    return redirect("evaluations:year_end", org.pk, year)
