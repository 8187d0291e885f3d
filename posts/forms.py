from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from machinery.forms import IntegerField, ModelChoiceField, ModelMultipleChoiceField
from machinery.locking import MAX_VERSION, STALE_MESSAGE, VersionedFormMixin
from organizations.enums import EightRole
from organizations.models import Member

from .enums import TYPICAL_POSTS, Audience, Criterion, FourStrive, FulfilmentStatus, MassGroup, ReportPeriod
from .models import Commitment

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PostForm(forms.Form):
    name = forms.CharField(label=_("岗位名称"), max_length=60)
    duties = forms.CharField(label=_("岗位职责"), widget=forms.Textarea(attrs={"rows": 3}))
    role = forms.ChoiceField(label=_("服务的作用方面"), choices=EightRole.choices, initial=EightRole.PARTY_MEMBER)
    capacity = forms.IntegerField(label=_("需要人数"), min_value=1, max_value=500, initial=1)
    # the version the page was opened at (editing an existing post); a stale save is refused by post_update
    version = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=0, max_value=MAX_VERSION,
        error_messages={"invalid": STALE_MESSAGE, "min_value": STALE_MESSAGE, "max_value": STALE_MESSAGE},
    )

    def __init__(self, *args, target_items=None, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:  # an edit must say which version it started from
            self.fields["version"].required = True
            self.fields["version"].error_messages["required"] = STALE_MESSAGE
        if target_items is not None and target_items.exists():
            self.fields["target_items"] = ModelMultipleChoiceField(
                label=_("服务的目标任务"), queryset=target_items, required=False,
                widget=forms.CheckboxSelectMultiple,
            )

    def clean(self):
        cleaned = super().clean()
        if "version" in self.errors:  # a hidden field shows no error of its own: say it above the form
            del self.errors["version"]
            self.add_error(None, STALE_MESSAGE)
        return cleaned


class CopyTypicalForm(forms.Form):
    names = forms.MultipleChoiceField(
        label=_("典型岗位"), choices=[(n, n) for n, _d, _r in TYPICAL_POSTS], widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少选择一个典型岗位")},
    )


class AssignForm(forms.Form):
    member = ModelChoiceField(label=_("安排人员"), queryset=Member.objects.none())

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        if members is not None:
            self.fields["member"].queryset = members


class CommitmentForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Commitment
        fields = ["aspect", "content", "measurable_result", "due_on"]
        widgets = {"content": forms.Textarea(attrs={"rows": 3}), "due_on": DATE}
        help_texts = {
            "content": _("写清楚做什么，与本人岗位相联系"),
            "measurable_result": _("例如：开设公开课 2 节、结对帮扶 3 名学生成绩提升"),
        }


class ReturnForm(forms.Form):
    failed = forms.MultipleChoiceField(
        label=_("未通过的方面"), choices=Criterion.choices, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请指出未通过的方面（先进性、主动性、可行性）")},
    )
    reason = forms.CharField(label=_("退回理由"), widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("请填写退回理由")})
    version = IntegerField(widget=forms.HiddenInput, required=False)


class ExplanationReturnForm(forms.Form):
    reason = forms.CharField(label=_("退回理由"), widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("请填写退回理由")})


class PublishForm(forms.Form):
    audience = forms.ChoiceField(label=_("公开范围"), choices=Audience.choices, initial=Audience.SOCIETY)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("兑现情况"), choices=FulfilmentStatus.choices)
    note = forms.CharField(label=_("情况说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    explanation = forms.CharField(label=_("未兑现的客观原因说明"), widget=forms.Textarea(attrs={"rows": 2}),
                                  required=False)
    publish_explanation = forms.BooleanField(label=_("向群众公开说明"), required=False)
    version = IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, reviewer: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not reviewer:  # publishing the explanation to the masses is the organization's decision
            del self.fields["publish_explanation"]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class DutyLogForm(forms.Form):
    happened_on = forms.DateField(label=_("日期"), widget=DATE)
    content = forms.CharField(label=_("履岗情况"), widget=forms.Textarea(attrs={"rows": 3}))
    files = MultipleFileField(label=_("佐证材料（可多选）"), required=False)


class DutyReportForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    period = forms.ChoiceField(label=_("述职期间"), choices=ReportPeriod.choices, initial=ReportPeriod.YEAR)
    text = forms.CharField(label=_("述职内容"), widget=forms.Textarea(attrs={"rows": 8}))
    file = forms.FileField(label=_("附件（可选）"), required=False)


class NoticeForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=100)
    body = forms.CharField(label=_("通报内容"), widget=forms.Textarea(attrs={"rows": 5}))


class AimForm(forms.Form):
    aim = forms.ChoiceField(label=_("本年度“四争”目标"), choices=[("", "——")] + list(FourStrive.choices))


class MassContactForm(forms.Form):
    contacted_on = forms.DateField(label=_("联系日期"), widget=DATE)
    whom = forms.ChoiceField(label=_("联系对象"), choices=MassGroup.choices)
    person = forms.CharField(label=_("对象姓名或称呼（可不填）"), max_length=50, required=False)
    subject = forms.CharField(label=_("联系事由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    outcome = forms.CharField(label=_("结果"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2}))
