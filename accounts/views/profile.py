"""The signed-in person's own page: login name, bound phone and email, preferred notification channel."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from machinery.forms import add_service_errors
from notifications.models import ChannelPreference
from notifications.outbox import channel_preference_set
from organizations import access

from ..forms import ChannelForm


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    pref = ChannelPreference.objects.filter(user=request.user).first()
    initial = {"channel": pref.channel if pref else "email", "wecom_userid": pref.wecom_userid if pref else "",
               "dingtalk_userid": pref.dingtalk_userid if pref else ""}  # fmt: skip
    form = ChannelForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            channel_preference_set(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已保存"))
            return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile.html",
        {"form": form, "member": access.own_member(request.user)},
        status=400 if form.errors else 200,
    )
