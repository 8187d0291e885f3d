from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from machinery.locking import FingerprintFormMixin
from organizations.forms import DATE, OrgChoiceField
from organizations.models import Organization

from .enums import CheckArea
from .models import YearReview


class InspectionForm(forms.Form):
    organization = OrgChoiceField(queryset=Organization.objects.none(), label=_("被巡查单位"))
    inspected_on = forms.DateField(label=_("巡查日期"), widget=DATE, initial=timezone.localdate)
    inspectors = forms.CharField(label=_("巡查人员"), max_length=200)
    checked = forms.MultipleChoiceField(
        label=_("巡查内容"), choices=CheckArea.choices, widget=forms.CheckboxSelectMultiple
    )
    findings = forms.CharField(
        label=_("发现的问题和好的做法"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, units=None, search_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = units if units is not None else Organization.objects.none()
        self.fields["organization"].widget.search_url = search_url


class FixItemForm(forms.Form):
    content = forms.CharField(label=_("整改事项"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    responsible = forms.CharField(label=_("责任人"), max_length=50)
    due_on = forms.DateField(label=_("整改期限"), widget=DATE)


class FollowUpForm(forms.Form):
    happened_on = forms.DateField(label=_("日期"), widget=DATE, initial=timezone.localdate)
    note = forms.CharField(label=_("整改进展"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class CloseForm(forms.Form):
    closing_note = forms.CharField(label=_("销号意见"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class YearReviewForm(FingerprintFormMixin, forms.ModelForm):
    class Meta:
        model = YearReview
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 6})}
