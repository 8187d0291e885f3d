"""接受群众监督: the public opinions an organization answers — the list, unanswered first, and the answer."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from machinery.pages import paginate
from organizations import access
from organizations.selectors import breadcrumbs

from .. import forms, selectors, services
from ..models import Opinion


def _render(request, org, bound: dict | None = None, status: int = 200) -> HttpResponse:
    bound = bound or {}
    page = paginate(request, selectors.public_opinions_of(org))
    can_answer = access.is_secretary_of(request.user, org)
    for opinion in page:
        opinion.form = bound.get(opinion.pk) or forms.OpinionAnswerForm(
            prefix=f"o{opinion.pk}", initial={"reply": opinion.reply, "publish": opinion.reply_published}
        )
    return render(
        request,
        "targets/public_opinions.html",
        {
            "org": org,
            "breadcrumbs": breadcrumbs(request.user, org),
            "page": page,
            "can_answer": can_answer,
            "overdue_since": selectors.overdue_since(timezone.localdate()),
            "reply_days": selectors.reply_days(),
        },
        status=status,
    )


@login_required
def public_opinions(request: HttpRequest, org_pk: int) -> HttpResponse:
    org = access.get_organization_for_user(request.user, org_pk)
    return _render(request, org)


@login_required
@require_POST
def opinion_answer(request: HttpRequest, pk: int) -> HttpResponse:
    opinion = access.get_for_user(Opinion.objects.select_related("organization", "plan"), request.user, pk)
    org = opinion.organization
    if not access.is_secretary_of(request.user, org):
        raise PermissionDenied
    form = forms.OpinionAnswerForm(request.POST, prefix=f"o{opinion.pk}")
    if form.is_valid():
        try:
            services.opinion_answer(
                opinion=opinion,
                by=request.user,
                reply=form.cleaned_data["reply"],
                publish=form.cleaned_data["publish"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已答复") if not form.cleaned_data["publish"] else _("已答复并在公开页公布"))
            return redirect("targets:public_opinions", org.pk)
    return _render(request, org, {opinion.pk: form}, status=400)
