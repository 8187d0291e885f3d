"""The staff poll: settings and codes for the secretary, a printable QR sheet, and the public voting page."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from .. import selectors, services
from ..forms import BallotForm, CodesForm, PollForm
from ..models import Poll, PollCode
from ..services.polls import poll_is_accepting, poll_scale, poll_started
from ..services.windows import Action, window_refusal
from .common import attach, org_context

SHEET_MAX = 200


def vote_url(request: HttpRequest, poll: Poll, code: str = "") -> str:
    """The poll's public voting page; with a code, the code rides in the #fragment (browsers never send it, so no
    access log pairs it with a time) and vote.js fills it into the form."""
    url = request.build_absolute_uri(reverse("evaluations:vote", args=[poll.public_key]))
    return f"{url}#{code}" if code else url


@login_required
def poll(request: HttpRequest, pk: int) -> HttpResponse:
    period = selectors.get_period_for_user(request.user, pk, to_manage=True)
    poll_obj, _created = Poll.objects.get_or_create(period=period)
    started = poll_started(poll_obj)  # the minimum, anonymity and opening time are then shown read-only
    form, codes_form = PollForm(instance=poll_obj, locked=started), CodesForm()
    if request.method == "POST":
        if "count" in request.POST:
            codes_form = CodesForm(request.POST)
            if codes_form.is_valid():
                try:
                    made = services.poll_codes_generate(poll=poll_obj, count=codes_form.cleaned_data["count"])
                except ValidationError as e:
                    attach(codes_form, e)
                else:
                    messages.success(request, _("已生成 %(n)s 个投票码") % {"n": len(made)})
                    return redirect("evaluations:poll", period.pk)
        else:
            form = PollForm(request.POST, instance=Poll.objects.get(pk=poll_obj.pk), locked=started)
            if form.is_valid():
                fields = {k: v for k, v in form.cleaned_data.items() if k in PollForm.Meta.fields}
                if form.save_unless_stale(lambda: services.poll_update(poll=poll_obj, **fields)):
                    messages.success(request, _("测评设置已保存"))
                    return redirect("evaluations:poll", period.pk)
    totals = selectors.period_totals(period)
    unused = PollCode.objects.filter(poll=poll_obj, used=False)
    return render(
        request,
        "evaluations/poll.html",
        org_context(
            request,
            period.organization,
            period=period,
            poll=poll_obj,
            started=started,
            scale=poll_scale(poll_obj),
            form=form,
            codes_form=codes_form,
            totals=totals,
            links=[(c.code, vote_url(request, poll_obj, c.code)) for c in unused[:SHEET_MAX]],
            unused_count=totals["codes"] - totals["ballots"],
        ),
        status=400 if form.errors or codes_form.errors else 200,
    )


@login_required
def poll_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """A printable sheet: one cut-out slip per unused code, with its QR code and the code to type."""
    period = selectors.get_period_for_user(request.user, pk, to_manage=True)
    poll_obj, _created = Poll.objects.get_or_create(period=period)
    slips = []
    page = vote_url(request, poll_obj)  # printed apart from the code; the QR code carries the code in its #fragment
    for c in PollCode.objects.filter(poll=poll_obj, used=False)[:SHEET_MAX]:
        qr = segno.make(vote_url(request, poll_obj, c.code), error="m").svg_data_uri(scale=3, border=2)
        slips.append({"code": c.code, "url": page, "qr": qr})
    return render(
        request, "evaluations/poll_sheet.html", org_context(request, period.organization, period=period, slips=slips)
    )


@never_cache
def vote(request: HttpRequest, key: str) -> HttpResponse:
    """Public by design: anyone holding a one-time code votes once, without an account. The URL carries the poll's
    key only; the code comes in the POST body (typed, or filled in from the link's #fragment by vote.js)."""
    poll_obj = selectors.get_poll_for_voting(key)
    period = poll_obj.period
    context = {"poll": poll_obj, "period": period, "org_name": period.organization.name}
    used = request.method == "POST" and PollCode.objects.filter(
        poll=poll_obj, code=str(request.POST.get("code", "")).strip().upper(), used=True
    ).exists()
    if used:
        return render(request, "evaluations/vote_refused.html", {**context, "reason": "used"}, status=410)
    if not poll_is_accepting(poll_obj):
        # outside the period's window: say which window (the same words the service refuses a crafted POST with)
        message = window_refusal(period, action=Action.VOTE) if period.is_open else None
        return render(
            request, "evaluations/vote_refused.html", {**context, "reason": "closed", "message": message}, status=410
        )
    members = list(services.period_members(period).select_related("organization"))
    scale = poll_scale(poll_obj)
    form = BallotForm(members=members, scale=scale, anonymous=poll_obj.anonymous)
    if request.method == "POST":
        form = BallotForm(request.POST, members=members, scale=scale, anonymous=poll_obj.anonymous)
        if form.is_valid():
            try:
                services.ballot_cast(
                    poll=poll_obj,
                    code=form.cleaned_data["code"],
                    choices=form.choices(),
                    members=members,
                    signed_name=form.cleaned_data.get("signed_name", ""),
                )
            except ValidationError as e:
                if "已使用" in " ".join(e.messages):
                    return render(request, "evaluations/vote_refused.html", {**context, "reason": "used"}, status=410)
                attach(form, e)
            else:
                return render(request, "evaluations/vote_done.html", context)
    return render(
        request,
        "evaluations/vote.html",
        {**context, "form": form, "scale": scale},
        status=400 if form.errors else 200,
    )
