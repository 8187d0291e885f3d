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
from machinery.search import search_filter, search_rank

from .enums import OrgKind
from .models import (
    AuditKind,
    ContactVisit,
    DemonstrationUnit,
    Honour,
    HonourTitle,
    Leader,
    Member,
    Organization,
    Publicity,
)
from .services import MEMBER_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def org_label(obj: Organization) -> str:
    school = f"{obj.school_name} · " if obj.school_name and obj.school_name not in obj.name else ""
    return f"{school}{obj.name}"


class OrgSearchWidget(forms.Widget):
    """A search box instead of a dropdown of the whole subtree: typing asks `search_url` (htmx) for at most a few
    matches, shown as radio buttons of the field's name; only the chosen organization is rendered with the page."""

    template_name = "organizations/widgets/org_search.html"
    search_url = ""
    text = ""  # the search typed; without JavaScript, submitting it shows the matches with the form's errors

    def value_from_datadict(self, data, files, name):
        self.text = str(data.get(f"{name}_q", "")).strip()[:50]
        return super().value_from_datadict(data, files, name)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        queryset = getattr(self.choices, "queryset", None)
        chosen, found = None, []
        if queryset is not None and value not in (None, "") and str(value).isdigit():
            chosen = queryset.filter(pk=int(value)).first()
        if queryset is not None and self.text and chosen is None:
            matches = queryset.filter(search_filter(self.text)).annotate(rank=search_rank(self.text))
            found = [{"pk": o.pk, "label": org_label(o)} for o in matches.order_by("rank", "path")[:20]]
        context["widget"].update(
            {
                "chosen": chosen,
                "chosen_label": org_label(chosen) if chosen else "",
                "search_url": self.search_url,
                "text": self.text,
                "found": found,
            }
        )
        return context


class OrgChoiceField(ModelChoiceField):
    """An organization of a scoped queryset (validation refuses any other id), chosen through OrgSearchWidget."""

    widget = OrgSearchWidget

    def label_from_instance(self, obj: Organization) -> str:
        return org_label(obj)


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

    def __init__(self, *args, units=None, leaders=None, search_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = units if units is not None else Organization.objects.none()
        self.fields["organization"].widget.search_url = search_url
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
        help_texts = {
            "is_active": _("离任后不再列入“未确定联系点”名单，也不能再被选为培育联系领导；已有的联系点记录保留。")
        }

    def _post_clean(self):
        """No model validation here: leader_update() runs full_clean() on what it saves."""


class ContactPointForm(forms.Form):
    organization = OrgChoiceField(queryset=Organization.objects.none(), label=_("联系单位"))
    since = forms.DateField(label=_("确定日期"), widget=DATE, initial=datetime.date.today)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args, units=None, search_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = units if units is not None else Organization.objects.none()
        self.fields["organization"].widget.search_url = search_url


class ContactVisitForm(forms.ModelForm):
    class Meta:
        model = ContactVisit
        fields = ["visited_on", "guidance", "difficulties", "problems_solved", "follow_up"]
        widgets = {
            "visited_on": DATE,
            "guidance": forms.Textarea(attrs={"rows": 3}),
            "difficulties": forms.Textarea(attrs={"rows": 2}),
            "problems_solved": forms.Textarea(attrs={"rows": 2}),
            "follow_up": forms.Textarea(attrs={"rows": 2}),
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


# ---- the tree and roles, leaving and transfers, the audit page -----------------------------------------------------


class OrganizationForm(FingerprintFormMixin, forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["name", "kind", "code", "school_name", "school_type", "secretary_name", "reports_quarterly"]
        help_texts = {"code": _("可不填；填写时全市唯一")}

    def __init__(self, *args, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            del self.fields[self.fingerprint_field]  # a new organization: nothing stored that could have changed
        if kinds is None:
            del self.fields["kind"]  # a kind is chosen once, when the organization is set up
        else:
            self.fields["kind"].choices = [(k.value, k.label) for k in OrgKind if k in kinds]

    def _post_clean(self):
        pass  # the service validates (organization_add / organization_update)


class UnitChoiceForm(forms.Form):
    """One organization of a scoped queryset: where to move to (new_parent) or merge into (into)."""

    def __init__(self, *args, field: str, label: str, units=None, search_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[field] = OrgChoiceField(
            queryset=units if units is not None else Organization.objects.none(), label=label
        )
        self.fields[field].widget.search_url = search_url


class CloseForm(forms.Form):
    closed_on = forms.DateField(label=_("撤销日期"), widget=DATE, initial=timezone.localdate)


class RoleForm(forms.Form):
    username = forms.CharField(label=_("登录名"), max_length=150, help_text=_("本范围内党员/教师或工作人员的登录名"))
    role = forms.ChoiceField(label=_("角色"))
    title = forms.CharField(label=_("职务"), max_length=50, required=False)

    def __init__(self, *args, roles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = list(roles)


class LeaveForm(forms.Form):
    left_on = forms.DateField(label=_("离任日期"), widget=DATE, initial=timezone.localdate)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class TransferForm(forms.Form):
    to_organization = OrgChoiceField(queryset=Organization.objects.none(), label=_("转入支部（市内）"), required=False)
    to_outside = forms.CharField(label=_("或：转往市外单位"), max_length=100, required=False)
    transferred_on = forms.DateField(label=_("转接日期"), widget=DATE, initial=timezone.localdate)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, units=None, search_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_organization"].queryset = units if units is not None else Organization.objects.none()
        self.fields["to_organization"].widget.search_url = search_url


class AuditFilterForm(forms.Form):
    start = forms.DateField(label=_("从"), widget=DATE, required=False)
    end = forms.DateField(label=_("到"), widget=DATE, required=False)
    person = forms.CharField(label=_("人员（登录名或姓名）"), max_length=50, required=False)
    kind = forms.ChoiceField(label=_("类别"), required=False, choices=[("", _("全部")), *AuditKind.choices])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, f in self.fields.items():
            f.widget.attrs["class"] = "form-select form-select-sm" if name == "kind" else "form-control form-control-sm"
