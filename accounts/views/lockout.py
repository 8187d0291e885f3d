"""Code entry is locked like the login form: failures are counted by django-axes under the name typed (and the
address), and requests are rate-limited per address with django-ratelimit."""

from __future__ import annotations

from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth.signals import user_login_failed
from django.shortcuts import render

RATE = "20/10m"


def locked(request, name: str) -> bool:
    return AxesProxyHandler.is_locked(request, credentials={"username": name})


def failed(request, name: str) -> None:
    user_login_failed.send(sender=__name__, credentials={"username": name}, request=request)


def locked_page(request):
    return render(request, "registration/locked_out.html", status=429)


def limited_page(request, template: str, context: dict):
    from django.utils.translation import gettext as _

    context["form"].add_error(None, _("尝试太频繁，请稍后再试"))
    return render(request, template, context, status=429)
