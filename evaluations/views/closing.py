"""Closing a period: who is complete, who is marked 未参加, who still lacks a part (with a form to mark each), and
the button that closes and publishes. Nothing missing is a zero."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import selectors, services
from ..assessors import absence_refusals
from ..enums import Part
from ..forms import AbsenceForm
from ..models import EvaluationPeriod, PartAbsence
from ..services.absences import period_poll, poll_counts, polled_members
from .common import attach, org_context


def _row_form(member_pk: int, part: str, bound: AbsenceForm | None = None) -> AbsenceForm:
    if bound is not None:
        return bound
    return AbsenceForm(initial={"member": member_pk, "part": part}, auto_id=f"id_absence_{member_pk}_{part}_%s")


def _closing_page(request: HttpRequest, period: EvaluationPeriod, *, bad: AbsenceForm | None = None) -> HttpResponse:
    # the poll is read once (with the period, when read for this page): for the parts present and the page's line
    poll = getattr(period, "poll", None) if hasattr(period, "poll_used_codes") else period_poll(period)
    counted = poll_counts(poll)
    states = services.period_parts(period, counted_poll=counted, poll_members=polled_members(poll, counted))
    # who may mark follows who assesses: her own parts (and a secretary's, for her organization) show who marks them
    refusals = absence_refusals(period=period, members=[s.member for s in states], user=request.user)
    bad_key = None
    if bad is not None and bad.is_bound:
        bad_key = (str(bad.data.get("member", "")), str(bad.data.get("part", "")))
    missing_rows, placed = [], False
    for s in states:
        for part in s.missing:
            key = (str(s.member.pk), part)
            form = bad if key == bad_key else None
            placed = placed or form is not None
            missing_rows.append({"member": s.member, "part": Part(part), "form": _row_form(s.member.pk, part, form),
                                 "refusal": refusals[s.member.pk]})
    marked = [s for s in states if not s.missing and s.absent]
    for s in marked:
        s.refusal = refusals[s.member.pk]
    return render(
        request,
        "evaluations/period_closing.html",
        org_context(
            request,
            period.organization,
            period=period,
            total=len(states),
            complete=sum(1 for s in states if s.complete),
            marked=marked,
            missing_members=sum(1 for s in states if s.missing),
            missing_rows=missing_rows,
            no_part=[s for s in states if not s.has_any_part and not s.missing],
            poll=poll,
            poll_counts=counted,
            stray_form=bad if bad is not None and not placed else None,
        ),
        status=400 if bad is not None else 200,
    )


@login_required
def period_closing(request: HttpRequest, pk: int) -> HttpResponse:
    """The close page: the counts, the members still missing a part, and the confirmation."""
    period = selectors.get_period_for_user(request.user, pk, to_manage=True, with_poll=True)
    return _closing_page(request, period)


@login_required
@require_POST
def absence_mark(request: HttpRequest, pk: int) -> HttpResponse:
    period = selectors.get_period_for_user(request.user, pk, to_manage=True)
    key = "_".join(str(request.POST.get(f, ""))[:12] for f in ("member", "part"))
    form = AbsenceForm(request.POST, auto_id=f"id_absence_{''.join(c for c in key if c.isalnum() or c == '_')}_%s")
    if form.is_valid():
        member = services.period_members(period).filter(pk=form.cleaned_data["member"]).first()
        if member is None:
            form.add_error(None, _("该人员不在本考评期的参评名单中"))
        else:
            try:
                services.absence_mark(
                    period=period, member=member, part=form.cleaned_data["part"],
                    reason=form.cleaned_data["reason"], note=form.cleaned_data["note"], by=request.user,
                )
            except ValidationError as e:
                attach(form, e)
            else:
                messages.success(
                    request,
                    _("已将%(name)s的%(part)s标记为未参加") % {"name": member.name, "part": Part(form.cleaned_data["part"]).label},
                )
                return redirect("evaluations:period_closing", period.pk)
    return _closing_page(request, period, bad=form)


@login_required
@require_POST
def absence_clear(request: HttpRequest, pk: int) -> HttpResponse:
    period = selectors.get_period_for_user(request.user, pk, to_manage=True)
    raw = request.POST.get("absence", "")
    absence = PartAbsence.objects.filter(period=period, pk=int(raw)).first() if raw.isdigit() else None
    if absence is None:
        messages.error(request, _("未找到该未参加记录"))
    else:
        try:
            services.absence_clear(absence=absence, by=request.user)
        except ValidationError as e:
            for msg in e.messages:
                messages.error(request, msg)
        else:
            messages.success(request, _("已撤销未参加标记"))
    return redirect("evaluations:period_closing", period.pk)
