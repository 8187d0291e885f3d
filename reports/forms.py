from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from machinery.forms import IntegerField
from machinery.locking import VersionedFormMixin

from .models import Quarter, QuarterlyReport


def year_choices() -> list[tuple[int, str]]:
    this = timezone.localdate().year
    return [(y, f"{y}年") for y in range(this + 1, 2011, -1)]


class QuarterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("年度"), coerce=int, choices=year_choices)
    quarter = forms.TypedChoiceField(label=_("季度"), coerce=int, choices=Quarter.choices)


class NarrativeForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = QuarterlyReport
        fields = ["practices", "problems", "next_steps", "filled_by", "contact_phone"]
        widgets = {
            "practices": forms.Textarea(attrs={"rows": 5}),
            "problems": forms.Textarea(attrs={"rows": 4}),
            "next_steps": forms.Textarea(attrs={"rows": 4}),
        }


class VersionForm(forms.Form):
    version = IntegerField(widget=forms.HiddenInput, error_messages={"required": _("缺少版本号，请刷新页面")})


class ReturnForm(VersionForm):
    reason = forms.CharField(
        label=_("退回理由"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写退回理由")},
    )


class YearForm(forms.Form):
    year = forms.TypedChoiceField(label=_("年度"), coerce=int, choices=year_choices)
