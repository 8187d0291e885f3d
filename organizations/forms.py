from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from machinery.forms import (
    ModelChoiceField,
    add_service_errors,  # noqa: F401  (views of this app import it from here)
)
from machinery.locking import FingerprintFormMixin

from .models import ContactVisit, DemonstrationUnit, Honour, HonourTitle, Leader, Member, Organization, Publicity
from .services import MEMBER_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OrgChoiceField(ModelChoiceField):
    def label_from_instance(self, obj: Organization) -> str:
        school = f"{obj.school_name} · " if obj.school_name and obj.school_name not in obj.name else ""
        return f"{school}{obj.name}"


class HonourForm(forms.ModelForm):
    class Meta:
        model = Honour
        fields = ["title", "level", "year", "conferred_by"]
        field_classes = {"title": ModelChoiceField}
        help_texts = {"conferred_by": _("县（市、区）委、开发区/台商投资区党工委、市委教育工委授予的计为县级")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


class HonourTitleForm(forms.ModelForm):
    class Meta:
        model = HonourTitle
        fields = ["name", "track"]


class DemonstrationForm(FingerprintFormMixin, forms.ModelForm):
    """A typical unit, new or edited; on an edit a hidden fingerprint refuses a stale save."""

    organization = OrgChoiceField(queryset=Organization.objects.none(), label=_("示范单位"))

    class Meta:
        model = DemonstrationUnit
        fields = ["organization", "kind", "step", "role", "year", "leader", "notes"]
        field_classes = {"leader": ModelChoiceField}
        help_texts = {"step": _("单项典型：在“六步工作法”中的一步或“八个方面的作用”中的一个选一项")}
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, units=None, leaders=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = units if units is not None else Organization.objects.none()
        self.fields["leader"].queryset = leaders if leaders is not None else Leader.objects.none()
        self.fields["year"].initial = timezone.localdate().year

    def _post_clean(self):
        # the service checks the rules that span fields and rows; the form only checks each field
        pass

    def fields_to_save(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class PublicityForm(forms.ModelForm):
    class Meta:
        model = Publicity
        fields = ["published_on", "channel", "title"]
        widgets = {"published_on": DATE}


class LeaderForm(forms.ModelForm):
    class Meta:
        model = Leader
        fields = ["name", "title"]


class LeaderEditForm(FingerprintFormMixin, forms.ModelForm):
    """A leader's name, title and whether still in office; a hidden fingerprint refuses a stale save."""

    class Meta:
        model = Leader
        fields = ["name", "title", "is_active"]
        help_texts = {"is_active": _("离任后不再列入“未确定联系点”名单，也不能再被选为培育联系领导；已有的联系点记录保留。")}

    def _post_clean(self):
        """No model validation here: leader_update() runs full_clean() on what it saves."""


class ContactPointForm(forms.Form):
    organization = OrgChoiceField(queryset=Organization.objects.none(), label=_("联系单位"))
    since = forms.DateField(label=_("确定日期"), widget=DATE, initial=datetime.date.today)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = units if units is not None else Organization.objects.none()


class ContactVisitForm(forms.ModelForm):
    class Meta:
        model = ContactVisit
        fields = ["visited_on", "guidance", "problems_solved"]
        widgets = {
            "visited_on": DATE,
            "guidance": forms.Textarea(attrs={"rows": 3}),
            "problems_solved": forms.Textarea(attrs={"rows": 2}),
        }


class MemberForm(FingerprintFormMixin, forms.ModelForm):
    """A member's record. Without the right to see the phone the field is left out (and never changed).
    Edited by several secretaries without a version column: a hidden fingerprint refuses a stale save."""

    class Meta:
        model = Member
        fields = MEMBER_FIELDS
        widgets = {"joined_party_on": DATE}

    def __init__(self, *args, show_phone: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not show_phone:
            del self.fields["phone"]

    def _post_clean(self):
        pass


class OwnMemberForm(FingerprintFormMixin, forms.ModelForm):
    """Base of the member's own contact-details form (built with modelform_factory in the view)."""

    def _post_clean(self):
        pass


class InviteForm(forms.Form):
    username = forms.CharField(label=_("登录名"), max_length=150, help_text=_("建议用工号或姓名拼音"))


class RosterUploadForm(forms.Form):
    file = forms.FileField(label=_("名册文件（.xlsx）"))


class LaunchForm(forms.Form):
    launched_on = forms.DateField(label=_("推行“168”机制日期"), widget=DATE, required=False)
