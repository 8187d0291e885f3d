"""Forms of the evaluations app. Every message is Chinese; bad input keeps what the user typed."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from machinery.forms import IntegerField, ModelChoiceField
from machinery.history import display_value
from machinery.locking import FingerprintFormMixin, fingerprint
from targets.widgets import RENDERER, crispy_classes

from .enums import AbsenceReason, AppraisalConclusion, Part, PublicationScope
from .models import AwardRound, EvaluationSettings, Poll

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
SCORE = dict(min_value=Decimal("0"), max_value=Decimal("100"), max_digits=5, decimal_places=2)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


class ReopenForm(forms.Form):
    """Reopening a closed period: why, and until which day it accepts writes (checked by the service)."""

    reason = forms.CharField(label=_("理由（将被记录）"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))
    until = forms.DateField(label=_("开放至"), widget=DATE, help_text=_("最长30天；到期后不再接受填写"))


def scale_to_text(scale: list[dict]) -> str:
    return "\n".join(f"{o['label']}={o['score']}" for o in scale)


def text_to_scale(text: str) -> list[dict]:
    scale = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        label, sep, score = line.partition("=")
        if not sep:
            raise ValidationError(_("每行写一档，格式为“名称=分值”，例如：好=100"))
        try:
            value = Decimal(score.strip())
        except Exception as exc:
            raise ValidationError(_("“%(line)s”的分值不是数字") % {"line": line.strip()}) from exc
        scale.append({"label": label.strip(), "score": float(value) if value % 1 else int(value)})
    return scale


class SettingsForm(FingerprintFormMixin, forms.ModelForm):
    """An organization's own settings. Several secretaries may edit them: a hidden fingerprint of the stored values
    refuses a stale save. An organization that still uses inherited settings has no row yet: the fingerprint of
    "no row" then refuses a save made after someone else created it."""

    scale_text = forms.CharField(
        label=_("民意测评档次（每行：名称=分值）"), widget=forms.Textarea(attrs={"rows": 5}), required=True
    )

    class Meta:
        model = EvaluationSettings
        fields = ["weight_self", "weight_poll", "weight_org", "threshold_excellent", "threshold_good", "threshold_fair"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["scale_text"].initial = scale_to_text(self.instance.poll_scale)
        if self.instance.pk is None:
            self.fields[self.fingerprint_field].initial = fingerprint(self.instance, self.edited_fields())

    def clean_scale_text(self):
        return text_to_scale(self.cleaned_data["scale_text"])

    def edited_fields(self) -> list[str]:
        return [*super().edited_fields(), "poll_scale"]  # edited through scale_text

    def check_stale(self) -> None:
        if self.instance.pk is None:  # compare with the row someone may have created since the page was opened
            self.instance = type(self.instance).objects.filter(organization=self.instance.organization_id).first() \
                or self.instance
        super().check_stale()

    def current_values(self) -> list[tuple[str, str]]:
        current = type(self.instance)._default_manager.get(pk=self.instance.pk)
        values = [(str(self.fields[name].label), display_value(current._meta.get_field(name), getattr(current, name)))
                  for name in self.edited_fields() if name in self.fields]
        return [*values, (str(self.fields["scale_text"].label), scale_to_text(current.poll_scale))]


class SelfEvaluationForm(forms.Form):
    summary = forms.CharField(
        label=_("述岗总结"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("对照岗位职责和承诺，说明履职情况、成效和不足。"),
    )
    score = forms.DecimalField(label=_("自评分（0–100）"), **SCORE)

    def __init__(self, *args, commitments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.commitments = list(commitments)
        for c in self.commitments:
            self.fields[f"item_{c.pk}"] = forms.CharField(
                label=commitment_label(c), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
                help_text=_("可衡量的成果：%(r)s；时限：%(d)s") % {"r": c.measurable_result, "d": c.due_on},
            )

    def items(self) -> list[tuple[object, str]]:
        return [(c, self.cleaned_data.get(f"item_{c.pk}", "")) for c in self.commitments]


def commitment_label(c) -> str:
    return f"{c.get_aspect_display()}：{c.content}"


class AssessmentForm(forms.Form):
    score = forms.DecimalField(label=_("综合评定得分（0–100）"), **SCORE)
    comment = forms.CharField(label=_("评定意见"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    version = IntegerField(widget=forms.HiddenInput, required=False)


class AbsenceForm(forms.Form):
    """未参加 for one member's part: the reason (其他 needs a note, checked by the service next to the note).
    The closing page shows one a missing part: its widgets carry the classes crispy would give them and are written
    out without the template engine (targets.widgets), so a blank row is written without crispy's templates."""

    default_renderer = RENDERER

    member = IntegerField(widget=forms.HiddenInput)
    part = forms.ChoiceField(choices=Part.choices, widget=forms.HiddenInput)
    reason = forms.ChoiceField(label=_("未参加原因"), choices=[("", _("请选择原因")), *AbsenceReason.choices])
    note = forms.CharField(label=_("说明"), required=False, max_length=200, help_text=_("原因为“其他”时必填"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        crispy_classes(self)


class PollForm(FingerprintFormMixin, forms.ModelForm):
    """The poll's settings. Once the poll has started (locked) the fields that decide whether its result counts are
    shown read-only; a value sent for them anyway is passed on, so the service refuses it with its message.
    A hidden fingerprint refuses a save made from a page opened before someone else's save."""

    LOCKED = ("minimum_ballots", "anonymous", "opens_at")

    class Meta:
        model = Poll
        fields = ["minimum_ballots", "anonymous", "opens_at", "closes_at"]
        widgets = {"opens_at": DATETIME, "closes_at": DATETIME}

    def __init__(self, *args, locked: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.locked = locked
        if locked:
            for name in self.LOCKED:
                self.fields[name].disabled = True
                self.fields[name].help_text = _("测评已开始，不能再修改")

    def clean(self):
        cleaned = super().clean()
        if self.locked:
            for name in self.LOCKED:
                if self.add_prefix(name) not in self.data:
                    continue
                field = self.fields[name]
                try:
                    cleaned[name] = field.clean(field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name)))
                except ValidationError as e:
                    self.add_error(name, e)
        return cleaned


class CodesForm(forms.Form):
    count = forms.IntegerField(label=_("生成投票码数量"), min_value=1, max_value=500, initial=20)


class BallotForm(forms.Form):
    """One radio group per member; the options are the organization's scale."""

    # the one-time code travels in the POST body, never in a URL (an access log would pair it with a time): typed
    # from the slip, or filled in by vote.js from the link's #fragment, which browsers never send
    code = forms.CharField(
        label=_("投票码"), max_length=16,
        widget=forms.TextInput(attrs={"class": "form-control font-monospace", "autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": _("请填写投票单上的投票码")},
    )

    def __init__(self, *args, members, scale, anonymous: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = list(members)
        choices = [(str(i), o["label"]) for i, o in enumerate(scale)]
        for m in self.members:
            self.fields[f"m{m.pk}"] = forms.ChoiceField(
                label=m.name, choices=choices, widget=forms.RadioSelect(attrs={"class": "btn-check"}),
                error_messages={"required": _("请为%(name)s选择评价") % {"name": m.name}},
            )
        if not anonymous:
            self.fields["signed_name"] = forms.CharField(label=_("您的姓名（记名测评）"), max_length=50)

    def rows(self):
        return [(m, self[f"m{m.pk}"]) for m in self.members]

    def choices(self) -> dict[int, int]:
        return {m.pk: int(self.cleaned_data[f"m{m.pk}"]) for m in self.members}

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip().upper()


class AppraisalForm(forms.Form):
    conclusion = forms.ChoiceField(label=_("评议结论"), choices=AppraisalConclusion.choices)
    notes = forms.CharField(label=_("评议意见"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class AwardRoundForm(forms.ModelForm):
    class Meta:
        model = AwardRound
        fields = ["year", "title", "level", "quota", "submit_from", "submit_until", "review_until"]
        widgets = {"submit_from": DATE, "submit_until": DATE, "review_until": DATE}


class NominationForm(forms.Form):
    """`members` are those the user may name (a crafted choice among them reaches the service, which says why it is
    refused); the list offers only `offered`, the eligible ones."""

    member = ModelChoiceField(label=_("推荐对象"), queryset=None)
    deeds = forms.CharField(label=_("主要事迹"), max_length=3000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, members, offered=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
        if offered is not None:
            self.fields["member"].widget.choices = [("", "---------")] + [
                (m.pk, f"{m.name}（{m.organization.name}）") for m in offered
            ]


class DecideForm(forms.Form):
    decision = forms.ChoiceField(label=_("决定"), choices=[("yes", _("通过")), ("no", _("不通过"))])
    note = forms.CharField(label=_("意见"), required=False, max_length=300)


class ReserveForm(forms.Form):
    member = ModelChoiceField(label=_("推荐对象"), queryset=None)
    reason = forms.CharField(label=_("推荐理由"), max_length=200)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members


class RectificationForm(forms.Form):
    meeting_on = forms.DateField(label=_("党员大会说明日期"), widget=DATE)
    meeting_text = forms.CharField(label=_("大会上的说明"), max_length=3000, widget=forms.Textarea(attrs={"rows": 3}))
    deadline = forms.DateField(label=_("整改期限"), widget=DATE)


class FollowUpForm(forms.Form):
    on = forms.DateField(label=_("日期"), widget=DATE, initial=datetime.date.today)
    text = forms.CharField(label=_("跟进情况"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class EndForm(forms.Form):
    escalate = forms.ChoiceField(
        label=_("结论"), choices=[("close", _("整改到位，结束整改")), ("escalate", _("逾期未改，上报处理"))]
    )
    outcome = forms.CharField(label=_("结论说明"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class PublicationForm(forms.Form):
    """The scope a closed period's results are published to (三.六); grades always, scores only when ticked."""

    scope = forms.ChoiceField(label=_("公布范围"), choices=PublicationScope.choices, widget=forms.RadioSelect)
    show_scores = forms.BooleanField(
        label=_("同时公布综合得分"), required=False, help_text=_("默认只公布等次；民意测评明细和联系电话从不公布。")
    )
