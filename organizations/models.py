from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from treebeard.mp_tree import MP_Node

from .enums import (
    COMMITTEE_KINDS,
    GRASSROOTS_KINDS,
    EightRole,
    Gender,
    HonourLevel,
    HonourTrack,
    OrgKind,
    PoliticalStatus,
    Role,
    SchoolType,
)
from .pinyin import pinyin_keys

phone_validator = RegexValidator(r"^[0-9+\-() ]{5,20}$", _("请填写有效的电话号码"))



def search_keys(obj, name: str) -> tuple[str, str]:
    """pinyin_keys of a name, cut to the lengths of the model's name_initials and name_pinyin columns (a long name's
    full pinyin can be six times its length)."""
    initials, full = pinyin_keys(name)
    meta = obj._meta
    return initials[: meta.get_field("name_initials").max_length], full[: meta.get_field("name_pinyin").max_length]

class Organization(MP_Node):
    """A Party organization in the education system, stored as a materialized path (subtree = path prefix)."""

    name = models.CharField(_("名称"), max_length=100)
    code = models.CharField(_("组织代码"), max_length=40, unique=True, null=True, blank=True)
    kind = models.CharField(_("组织类别"), max_length=32, choices=OrgKind.choices)
    school_name = models.CharField(_("所属学校/单位"), max_length=100, blank=True)
    school_type = models.CharField(_("学校类型"), max_length=16, choices=SchoolType.choices, blank=True)
    secretary_name = models.CharField(_("书记"), max_length=50, blank=True)
    reports_quarterly = models.BooleanField(_("报送季报表"), default=False)
    launched_on = models.DateField(_("推行“168”机制日期"), null=True, blank=True)
    name_initials = models.CharField(max_length=100, blank=True, editable=False, db_index=True)
    name_pinyin = models.CharField(max_length=255, blank=True, editable=False)

    node_order_by: list[str] = []

    class Meta:
        verbose_name = _("党组织")
        verbose_name_plural = _("党组织")
        indexes = [models.Index(fields=["kind"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name_initials, self.name_pinyin = search_keys(self, self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("organizations:detail", args=[self.pk])

    @property
    def is_grassroots(self) -> bool:
        return self.kind in GRASSROOTS_KINDS

    @property
    def is_committee(self) -> bool:
        return self.kind in COMMITTEE_KINDS

    @property
    def is_branch(self) -> bool:
        return self.kind == OrgKind.BRANCH


class RoleAssignment(models.Model):
    """A user's role at an organization. Staff and secretaries see the organization's whole subtree."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    title = models.CharField(_("职务"), max_length=50, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("角色分配")
        verbose_name_plural = _("角色分配")
        constraints = [
            models.UniqueConstraint(fields=["user", "organization", "role"], name="unique_role_assignment"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organization} · {self.get_role_display()}"


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
    role_group = models.CharField(_("所属方面"), max_length=32, choices=EightRole.choices, default=EightRole.PARTY_MEMBER)
    office = models.CharField(_("处室/年段/班级"), max_length=100, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True, validators=[phone_validator])
    email = models.EmailField(_("电子邮箱"), blank=True)
    joined_party_on = models.DateField(_("入党日期"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("出生年份"), null=True, blank=True)
    is_reserve_cadre = models.BooleanField(_("后备干部"), default=False)
    reserve_reason = models.CharField(_("列为后备干部的理由"), max_length=200, blank=True)
    is_active = models.BooleanField(_("在册"), default=True)
    name_initials = models.CharField(max_length=50, blank=True, editable=False, db_index=True)
    name_pinyin = models.CharField(max_length=200, blank=True, editable=False)
    history = HistoricalRecords()

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
        self.name_initials, self.name_pinyin = search_keys(self, self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("organizations:member_detail", args=[self.pk])

    @property
    def is_party_member(self) -> bool:
        return self.political_status in {PoliticalStatus.MEMBER, PoliticalStatus.PROBATIONARY}


class HonourTitle(models.Model):
    """A title an organization or its school can be awarded. Built-in ones come from the policy; staff add more."""

    name = models.CharField(_("荣誉名称"), max_length=60, unique=True)
    track = models.CharField(_("授予对象"), max_length=16, choices=HonourTrack.choices)
    is_builtin = models.BooleanField(_("内置"), default=False, editable=False)

    class Meta:
        verbose_name = _("荣誉称号")
        verbose_name_plural = _("荣誉称号")
        ordering = ["track", "-is_builtin", "name"]

    def __str__(self) -> str:
        return self.name


class Honour(models.Model):
    """An honour held by a Party organization (track 党组织) or by its school (track 学校)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="honours", verbose_name=_("党组织")
    )
    title = models.ForeignKey(HonourTitle, on_delete=models.PROTECT, related_name="honours", verbose_name=_("荣誉称号"))
    level = models.CharField(_("级别"), max_length=16, choices=HonourLevel.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    conferred_by = models.CharField(_("授予单位"), max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("荣誉")
        verbose_name_plural = _("荣誉")
        ordering = ["organization_id", "-year", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "title", "level", "year"], name="unique_honour"),
        ]

    def __str__(self) -> str:
        return f"{self.year}年 {self.get_level_display()}{self.title}"

    @property
    def rank(self) -> int:
        return HonourLevel(self.level).rank

    @property
    def track(self) -> str:
        return self.title.track


from .models_work import (  # noqa: E402  (models kept in their own module, registered with this app)
    ContactPoint,
    ContactVisit,
    DemonstrationUnit,
    Leader,
    Publicity,
    RosterImport,
)

__all__ = [
    "ContactPoint",
    "ContactVisit",
    "DemonstrationUnit",
    "Honour",
    "HonourTitle",
    "Leader",
    "Member",
    "Organization",
    "Publicity",
    "RoleAssignment",
    "RosterImport",
]
