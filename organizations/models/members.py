"""Members (党员、教师和各类组织骨干) of a branch, and the roster files imported for them."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..enums import EightRole, Gender, PoliticalStatus
from .tree import Organization, save_with_search_keys


class LeaveKind(models.TextChoices):
    LEFT = "left", _("离任")
    TRANSFERRED_OUT = "transferred_out", _("转出")


phone_validator = RegexValidator(r"^[0-9+\-() ]{5,20}$", _("请填写有效的电话号码"))


class Member(models.Model):
    """A Party member, teacher or organization backbone (党员、教师和各类组织骨干) of a branch."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="members", verbose_name=_("所在支部")
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="member",
        verbose_name=_("登录账号"),
    )
    staff_no = models.CharField(_("工号"), max_length=32, blank=True)
    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=8, choices=Gender.choices)
    political_status = models.CharField(
        _("政治面貌"), max_length=16, choices=PoliticalStatus.choices, default=PoliticalStatus.MEMBER
    )
    job = models.CharField(_("现任职务"), max_length=100, blank=True)
    role_group = models.CharField(
        _("所属方面"), max_length=32, choices=EightRole.choices, default=EightRole.PARTY_MEMBER
    )
    office = models.CharField(_("处室/年段/班级"), max_length=100, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True, validators=[phone_validator])
    email = models.EmailField(_("电子邮箱"), blank=True)
    joined_party_on = models.DateField(_("入党日期"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("出生年份"), null=True, blank=True)
    is_reserve_cadre = models.BooleanField(_("后备干部"), default=False)
    reserve_reason = models.CharField(_("列为后备干部的理由"), max_length=200, blank=True)
    is_active = models.BooleanField(_("在册"), default=True)
    # why and when a member left the roster (离任 / 转出); empty for one on the roster
    leave_kind = models.CharField(_("离册方式"), max_length=16, choices=LeaveKind.choices, blank=True)
    left_on = models.DateField(_("离册日期"), null=True, blank=True)
    left_to = models.CharField(_("转往单位"), max_length=100, blank=True)
    name_initials = models.CharField(max_length=50, blank=True, editable=False, db_index=True)
    name_pinyin = models.CharField(max_length=200, blank=True, editable=False)
    # name, pinyin and initials (machinery.search); trigram-indexed on PostgreSQL, not kept in the history
    search_key = models.TextField(blank=True, default="", editable=False)
    history = HistoricalRecords(excluded_fields=["search_key"])

    class Meta:
        verbose_name = _("党员/教师")
        verbose_name_plural = _("党员/教师")
        ordering = ["organization_id", "name", "pk"]
        indexes = [models.Index(fields=["organization", "is_active"])]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "staff_no"],
                condition=~models.Q(staff_no=""),
                name="unique_staff_no_per_branch",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        save_with_search_keys(self, super().save, *args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("organizations:member_detail", args=[self.pk])

    @property
    def is_party_member(self) -> bool:
        return self.political_status in {PoliticalStatus.MEMBER, PoliticalStatus.PROBATIONARY}


class RosterImport(models.Model):
    """One uploaded roster file for a branch, checked before anything is written (see organizations.roster)."""

    class State(models.TextChoices):
        REJECTED = "rejected", _("有错误，未导入")
        READY = "ready", _("待确认")
        APPLIED = "applied", _("已导入")

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="roster_imports", verbose_name=_("支部")
    )
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, verbose_name=_("上传人"))
    file = models.FileField(_("文件"), upload_to="imports/roster/%Y/%m/")
    original_name = models.CharField(_("文件名"), max_length=200)
    state = models.CharField(_("状态"), max_length=16, choices=State.choices)
    errors = models.JSONField(_("错误"), default=list, blank=True)
    summary = models.JSONField(_("结果"), default=dict, blank=True)
    # the rows of a clean file as the check converted them (organizations.roster.kept.checked_rows), until applied
    rows = models.JSONField(_("检查后的数据行"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("名册导入")
        verbose_name_plural = _("名册导入")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.organization} · {self.original_name}"


class MemberTransfer(models.Model):
    """组织关系转接: a member moved from one branch to another in the city, or out of it (to_organization empty)."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="transfers", verbose_name=_("党员/教师"))
    from_organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("转出支部")
    )
    to_organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("转入支部")
    )
    to_outside = models.CharField(_("转往市外单位"), max_length=100, blank=True)
    transferred_on = models.DateField(_("转接日期"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    commitments_moved = models.PositiveIntegerField(_("随转承诺"), default=0)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("组织关系转接")
        verbose_name_plural = _("组织关系转接")
        ordering = ["-transferred_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.member} · {self.from_organization} → {self.to_organization or self.to_outside}"
