"""The public page (no login): what an organization published to the masses or society, a QR code to its stable
address, and a form for opinions and objections that land in step 1."""

from __future__ import annotations

import datetime
import functools
import io
import secrets

import segno
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_ratelimit.decorators import ratelimit

from machinery.pages import app_offers
from organizations.models import Organization

from .. import forms, selectors, services

CHALLENGE_KEY = "targets_public_challenge"
RATE = "5/h"
ANSWERS_SHOWN = 30


def _public_org(org_pk: int) -> Organization:
    return get_object_or_404(Organization.objects.only("pk", "name", "path", "kind", "school_name"), pk=org_pk)


def _challenge(request, org_pk: int) -> tuple[str, int]:
    """A fresh arithmetic question for this visitor, kept in the session (one answer per question)."""
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    store = request.session.get(CHALLENGE_KEY, {})
    store[str(org_pk)] = a + b
    request.session[CHALLENGE_KEY] = store
    return f"{a} + {b}", a + b


def _sections(org: Organization) -> list[str]:
    """What other apps publish for this organization (AppConfig.public_sections(org)), rendered with their context."""
    return [mark_safe(render_to_string(s["template"], s.get("context", {}))) for s in app_offers("public_sections", org)]


@functools.lru_cache(maxsize=512)
def _qr_svg(url: str) -> str:
    """The QR code of a public address as inline SVG: a function of the address alone, so drawn once per process."""
    return segno.make(url, error="m").svg_inline(scale=4, dark="#000", light="#fff")


def _items(publication) -> list[dict]:
    """The published rows as they were published, with dates as dates (for 2026年12月20日)."""
    if publication is None:
        return []
    rows = []
    for row in publication.snapshot.get("items", []):
        row = dict(row)
        try:
            row["deadline"] = datetime.date.fromisoformat(row.get("deadline", ""))
        except ValueError:
            pass
        rows.append(row)
    return rows


@never_cache
@ratelimit(key="ip", rate=RATE, method="POST", block=False)
def public(request: HttpRequest, org_pk: int) -> HttpResponse:
    org = _public_org(org_pk)
    publication = selectors.public_publication(org)
    status = 200
    if request.method == "POST":
        expected = request.session.get(CHALLENGE_KEY, {}).pop(str(org.pk), None)
        request.session.modified = True
        if getattr(request, "limited", False):
            messages.error(request, _("留言太频繁，请稍后再试"))
            return redirect("targets:public", org.pk)
        form = forms.PublicOpinionForm(request.POST, expected=expected)
        if form.is_valid():
            try:
                services.opinion_submit_public(
                    organization=org,
                    content=form.cleaned_data["content"],
                    author=form.cleaned_data["author"],
                    about=form.cleaned_data["about"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("感谢您的意见，我们会认真研究并答复"))
                return redirect("targets:public", org.pk)
        # Only a form shown again gets a new question: an answer once used never matches a question it did not see.
        form.ask(_challenge(request, org.pk)[0])
        about = request.POST.get("about", "")
        status = 400
    else:
        about = request.GET.get("about", "")
        question, _answer = _challenge(request, org.pk)
        form = forms.PublicOpinionForm(question=question, initial={"about": about})
    url = request.build_absolute_uri(reverse("targets:public", args=[org.pk]))
    return render(
        request,
        "targets/public.html",
        {
            "public_org": org,
            "publication": publication,
            "snapshot": publication.snapshot if publication else None,
            "items": _items(publication),
            "form": form,
            "about": services.public_opinion_subject(org, about) if about else "",
            "answers": list(selectors.published_answers(org)[:ANSWERS_SHOWN]),
            "url": url,
            "qr_svg": mark_safe(_qr_svg(url)),
            "sections": _sections(org),
        },
        status=status,
    )


def public_qr(request: HttpRequest, org_pk: int) -> HttpResponse:
    """The QR code as a PNG to print (points at the organization's stable public address)."""
    org = _public_org(org_pk)
    url = request.build_absolute_uri(reverse("targets:public", args=[org.pk]))
    buf = io.BytesIO()
    segno.make(url, error="m").save(buf, kind="png", scale=10, border=4)
    response = HttpResponse(buf.getvalue(), content_type="image/png")
    response["Content-Disposition"] = f'inline; filename="qr-{org.pk}.png"'
    return response
