from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from machinery.forms import IntegerField, ModelMultipleChoiceField
from machinery.locking import FingerprintFormMixin, VersionedFormMixin
from machinery.uploads import validate_upload
from organizations.enums import HonourLevel

from .enums import OpinionDecision
from .models import (
    AnnualPlan,
    DecisionMeeting,
    JointActivity,
    LongTermTarget,
    Opinion,
    OpinionEvent,
    OrgReview,
    ProgressEntry,
    Publication,
    TargetItem,
)
from .widgets import RENDERER, crispy_classes


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _rows(n: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": n})


class PlanCreateForm(forms.ModelForm):
    class Meta:
        model = AnnualPlan
        fields = ["year", "theme", "theme_custom", "featured_work", "theory_research", "school_targets"]
        widgets = {"featured_work": _rows(2), "theory_research": _rows(2), "school_targets": _rows(4)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


class PlanForm(VersionedFormMixin, forms.ModelForm):
    report = forms.FileField(label=_("调研报告（PDF 或 Office 文件，不超过 20 MB）"), required=False)

    class Meta:
        model = AnnualPlan
        fields = ["theme", "theme_custom", "featured_work", "theory_research", "school_targets", "summary"]
        widgets = {
            "featured_work": _rows(2),
            "theory_research": _rows(2),
            "school_targets": _rows(4),
            "summary": _rows(5),
        }

    def clean_report(self):
        # checked before anything is saved, so a bad file never leaves the plan half-updated
        report = self.cleaned_data.get("report")
        if report:
            validate_upload(report, kinds=("pdf", "office"))
        return report


class StepCompleteForm(forms.Form):
    default_renderer = RENDERER  # on every step page

    note = forms.CharField(
        label=_("说明"), max_length=200, required=False, widget=forms.TextInput(attrs={"class": "form-control"})
    )


class OpinionEventForm(forms.ModelForm):
    class Meta:
        model = OpinionEvent
        fields = ["kind", "held_on", "participants", "participant_count", "notes"]
        widgets = {"held_on": DateInput(), "notes": _rows(3)}


class OpinionForm(forms.ModelForm):
    class Meta:
        model = Opinion
        fields = ["content", "author"]
        widgets = {"content": _rows(2)}


class OpinionSortForm(FingerprintFormMixin, forms.ModelForm):
    """Sorting and answering one opinion; a hidden fingerprint refuses a stale save (two people sort the same list)."""

    class Meta:
        model = Opinion
        fields = ["category", "decision", "reply"]
        widgets = {"reply": _rows(2)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].required = True
        self.fields["category"].error_messages["required"] = _("请选择归类")


class MeetingForm(forms.ModelForm):
    class Meta:
        model = DecisionMeeting
        fields = ["kind", "held_on", "attendees", "attendee_count", "resolution", "adopted_opinions"]
        widgets = {"held_on": DateInput(), "resolution": _rows(4), "adopted_opinions": forms.CheckboxSelectMultiple}
        field_classes = {"adopted_opinions": ModelMultipleChoiceField}

    def __init__(self, *args, plan: AnnualPlan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["adopted_opinions"].queryset = plan.opinions.filter(decision=OpinionDecision.ADOPTED)


RESPONSIBLE_HELP = _("可从本组织党员、教师中选择（到期前提醒本人），也可填写非本组织人员")


class ItemForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = TargetItem
        fields = ["category", "content", "indicator", "measures", "role", "office", "responsible", "deadline"]
        widgets = {
            "deadline": DateInput(),
            "measures": _rows(2),
            "responsible": forms.TextInput(attrs={"list": "responsible-members", "autocomplete": "off"}),
        }
        help_texts = {"responsible": RESPONSIBLE_HELP}


class PublishForm(forms.ModelForm):
    class Meta:
        model = Publication
        fields = ["audience", "published_on", "channel"]
        widgets = {"published_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["published_on"].initial = timezone.localdate()


class ProgressForm(forms.ModelForm):
    evidence_file = forms.FileField(label=_("佐证材料（PDF、图片或 Office 文件，不超过 20 MB）"), required=False)

    class Meta:
        model = ProgressEntry
        fields = ["recorded_on", "status", "percent", "note"]
        widgets = {"recorded_on": DateInput(), "note": _rows(3)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recorded_on"].initial = timezone.localdate()

    def clean_evidence_file(self):
        evidence = self.cleaned_data.get("evidence_file")
        if evidence:
            validate_upload(evidence)
        return evidence


class JointActivityForm(forms.ModelForm):
    class Meta:
        model = JointActivity
        fields = ["held_on", "partners", "content"]
        widgets = {"held_on": DateInput(), "content": _rows(3)}


class ReviewForm(forms.ModelForm):
    """Shown blank on every 考评奖惩 step page: written without crispy's templates when unbound (targets.widgets)."""

    default_renderer = RENDERER

    class Meta:
        model = OrgReview
        fields = ["kind", "reviewer", "reviewed_on", "rating", "comments"]
        widgets = {"reviewed_on": DateInput(), "comments": _rows(3)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        crispy_classes(self)


class LongTermForm(forms.Form):
    level = forms.ChoiceField(label=_("争创级别"), choices=HonourLevel.choices)
    due_year = forms.IntegerField(label=_("目标年度（3至5年后）"), min_value=2012, max_value=2100)


class OutcomeForm(FingerprintFormMixin, forms.ModelForm):
    """The outcome of a long-term target; a hidden fingerprint refuses a stale save."""

    class Meta:
        model = LongTermTarget
        fields = ["outcome", "outcome_note"]


class PublicOpinionForm(forms.Form):
    # what the opinion is about ("item:<pk>" / "commitment:<pk>", blank: the page as a whole); the service checks it
    about = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)
    content = forms.CharField(label=_("意见或建议"), max_length=2000, widget=_rows(4))
    author = forms.CharField(label=_("称呼（可不填）"), max_length=50, required=False)
    answer = IntegerField(label=_("验证：请计算"))

    def __init__(self, *args, expected: int | None = None, question: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.expected = expected
        self.ask(question)

    def ask(self, question: str) -> None:
        self.fields["answer"].label = _("验证：%(q)s = ?") % {"q": question}

    def clean_answer(self):
        answer = self.cleaned_data["answer"]
        if self.expected is None or answer != self.expected:
            raise forms.ValidationError(_("计算结果不对，请重新计算"))
        return answer


class OpinionAnswerForm(forms.Form):
    """答复 a public opinion, optionally published under it on the public page."""

    reply = forms.CharField(label=_("答复"), max_length=2000, widget=_rows(3))
    publish = forms.BooleanField(label=_("在公开页公布意见和答复"), required=False)


class YearStartForm(forms.Form):
    """The year to start from the year before (以上一年度为基础新建)."""

    year = forms.IntegerField(label=_("年度"), min_value=2013, max_value=2100)
