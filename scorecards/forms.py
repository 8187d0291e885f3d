"""The scheme form: a weight and a threshold (达标值) per indicator, or 采用上级方案."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from machinery.forms import IntegerField

from .indicators import INDICATORS


class SchemeForm(forms.Form):
    inherit = forms.BooleanField(label=_("采用上级党委的方案"), required=False)
    version = IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, items: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        items = items or {}
        for ind in INDICATORS:
            item = items.get(ind.code, {"weight": 0, "threshold": ind.threshold})
            self.fields[f"weight_{ind.code}"] = forms.IntegerField(
                label=_("%(label)s 权重") % {"label": ind.label}, min_value=0, max_value=100,
                initial=item["weight"],
                error_messages={"required": _("请填写权重（不计分填 0）"), "invalid": _("请填写整数")},
            )  # fmt: skip
            self.fields[f"threshold_{ind.code}"] = forms.DecimalField(
                label=_("%(label)s 达标值") % {"label": ind.label}, min_value=0.1, max_value=1000, decimal_places=1,
                initial=item["threshold"],
                error_messages={"required": _("请填写达标值"), "invalid": _("请填写数字")},
            )  # fmt: skip

    def rows(self) -> list:
        return [(ind, self[f"weight_{ind.code}"], self[f"threshold_{ind.code}"]) for ind in INDICATORS]

    def items(self) -> dict:
        data = self.cleaned_data
        return {
            ind.code: {"weight": data[f"weight_{ind.code}"], "threshold": data[f"threshold_{ind.code}"]}
            for ind in INDICATORS
        }
