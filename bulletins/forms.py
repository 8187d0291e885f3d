from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from machinery.locking import MAX_VERSION, STALE_MESSAGE, VersionedFormMixin

from .models import Brief


class CircularForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=100)
    body = forms.CharField(label=_("通报内容"), widget=forms.Textarea(attrs={"rows": 14}))


class BriefForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Brief
        fields = ["title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 12})}


def _version_field() -> forms.IntegerField:
    messages = {"required": STALE_MESSAGE, "invalid": STALE_MESSAGE}
    return forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=MAX_VERSION, error_messages=messages)


class PublishForm(forms.Form):
    public = forms.BooleanField(label=_("同时在公开页发布（社会公众可见）"), required=False)
    version = _version_field()


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("退回理由"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))
    version = _version_field()
