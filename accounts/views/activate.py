"""Public pages for getting in: first login with an activation code, password reset by email and by SMS code."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_ratelimit.decorators import ratelimit

from machinery.forms import add_service_errors
from notifications.channels import Channel, enabled_channels

from .. import services
from ..forms import ActivateForm, SmsRequestForm, SmsResetForm
from . import lockout


@never_cache
@sensitive_post_parameters("code", "password1", "password2")
@ratelimit(key="ip", rate=lockout.RATE, method="POST", block=False)
def activate(request: HttpRequest) -> HttpResponse:
    """Public by design: whoever holds a login name and its activation code sets the password."""
    form = ActivateForm(request.POST or None, initial={"username": request.GET.get("u", "")[:150]})
    context = {"form": form}
    if request.method == "POST":
        if getattr(request, "limited", False):
            return lockout.limited_page(request, "accounts/activate.html", context)
        name = str(request.POST.get("username", ""))[:150]
        if lockout.locked(request, name):
            return lockout.locked_page(request)
        if form.is_valid():
            try:
                services.account_activate(**form.cleaned_data)
            except ValidationError as exc:
                if "code" in getattr(exc, "error_dict", {}):
                    lockout.failed(request, name)
                add_service_errors(form, exc)
            else:
                messages.success(request, _("账号已激活，请用登录名和新密码登录"))
                return redirect("login")
    return render(request, "accounts/activate.html", context, status=400 if form.errors else 200)


@never_cache
@ratelimit(key="ip", rate="10/h", method="POST", block=False)
@ratelimit(key="post:phone", rate="5/h", method="POST", block=False)
def sms_request(request: HttpRequest) -> HttpResponse:
    """Public by design: ask for a reset code by SMS; the answer never tells whether the number has a login."""
    offered = Channel.SMS in enabled_channels()
    form = SmsRequestForm(request.POST or None)
    context = {"form": form, "offered": offered}
    if request.method == "POST" and offered:
        if getattr(request, "limited", False):
            return lockout.limited_page(request, "accounts/sms_request.html", context)
        if form.is_valid():
            try:
                services.sms_reset_request(phone=form.cleaned_data["phone"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.info(request, _("如果该手机号绑定了登录账号，验证码已发出，请在10分钟内使用"))
                return redirect("accounts:sms_reset")
    return render(request, "accounts/sms_request.html", context, status=400 if form.errors else 200)


@never_cache
@sensitive_post_parameters("code", "password1", "password2")
@ratelimit(key="ip", rate=lockout.RATE, method="POST", block=False)
def sms_reset(request: HttpRequest) -> HttpResponse:
    """Public by design: the code sent by SMS sets a new password."""
    form = SmsResetForm(request.POST or None)
    context = {"form": form}
    if request.method == "POST":
        if getattr(request, "limited", False):
            return lockout.limited_page(request, "accounts/sms_reset.html", context)
        name = "sms:" + str(request.POST.get("phone", ""))[:20]
        if lockout.locked(request, name):
            return lockout.locked_page(request)
        if form.is_valid():
            try:
                services.password_reset_by_sms(**form.cleaned_data)
            except ValidationError as exc:
                if "code" in getattr(exc, "error_dict", {}):
                    lockout.failed(request, name)
                add_service_errors(form, exc)
            else:
                messages.success(request, _("密码已重设，请登录"))
                return redirect("login")
    return render(request, "accounts/sms_reset.html", context, status=400 if form.errors else 200)


@method_decorator(ratelimit(key="ip", rate="10/h", method="POST", block=False), name="post")
@method_decorator(ratelimit(key="post:email", rate="5/h", method="POST", block=False), name="post")
class PasswordResetView(auth_views.PasswordResetView):
    """Public by design: Django's reset by email (a one-time link), rate-limited per address and per mailbox."""

    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def post(self, request, *args, **kwargs):
        if getattr(request, "limited", False):
            form = self.get_form()
            form.is_valid()
            return lockout.limited_page(request, self.template_name, {"form": form})
        return super().post(request, *args, **kwargs)


password_reset = PasswordResetView.as_view()
password_reset_done = auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html")
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="accounts/password_reset_confirm.html", success_url=reverse_lazy("accounts:password_reset_complete")
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)
