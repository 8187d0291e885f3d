from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from notifications.channels import Channel, enabled_channels


class ActivateForm(forms.Form):
    username = forms.CharField(label=_("登录名"), max_length=150)
    code = forms.CharField(label=_("激活码"), max_length=32, help_text=_("见书记发给您的激活单或短信、邮件"))
    password1 = forms.CharField(label=_("设置密码"), widget=forms.PasswordInput, strip=False,
                                help_text=_("至少8位，不能全是数字，不能与登录名相近"))  # fmt: skip
    password2 = forms.CharField(label=_("再次输入密码"), widget=forms.PasswordInput, strip=False)
    phone = forms.CharField(label=_("手机号（用于短信找回密码，不公开）"), max_length=20, required=False)
    email = forms.EmailField(label=_("电子邮箱（用于邮件找回密码和接收提醒）"), required=False)


class SmsRequestForm(forms.Form):
    phone = forms.CharField(label=_("绑定的手机号"), max_length=20)


class SmsResetForm(forms.Form):
    phone = forms.CharField(label=_("绑定的手机号"), max_length=20)
    code = forms.CharField(label=_("短信验证码"), max_length=10)
    password1 = forms.CharField(label=_("新密码"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label=_("再次输入新密码"), widget=forms.PasswordInput, strip=False)


class ChannelForm(forms.Form):
    channel = forms.ChoiceField(label=_("首选通知方式"), widget=forms.RadioSelect,
                                help_text=_("提醒除站内通知外，只用这一种方式发送"))  # fmt: skip
    wecom_userid = forms.CharField(label=_("企业微信账号（UserID）"), max_length=64, required=False)
    dingtalk_userid = forms.CharField(label=_("钉钉账号（userid）"), max_length=64, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        offered = enabled_channels()
        self.fields["channel"].choices = [(c.value, c.label) for c in Channel if c.value in offered]
        if Channel.WECOM not in offered:
            del self.fields["wecom_userid"]
        if Channel.DINGTALK not in offered:
            del self.fields["dingtalk_userid"]
