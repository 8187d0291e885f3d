"""The organization tree (市委教育工委 → 县委教育工委 / 市属高校 → 学校党组织 → 党支部) and the roles people hold in it."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from treebeard.mp_tree import MP_Node

from machinery.pinyin import pinyin_keys
from machinery.search import search_key

from ..enums import COMMITTEE_KINDS, GRASSROOTS_KINDS, OrgKind, Role, SchoolType


def search_keys(obj, name: str) -> tuple[str, str]:
    """pinyin_keys of a name, cut to the lengths of the model's name_initials and name_pinyin columns (a long name's
    full pinyin can be six times its length)."""
    initials, full = pinyin_keys(name)
    meta = obj._meta
    return initials[: meta.get_field("name_initials").max_length], full[: meta.get_field("name_pinyin").max_length]


# the columns derived from the name, written whenever the name is
SEARCH_FIELDS = ("name_initials", "name_pinyin", "search_key")


def fill_search_keys(obj) -> None:
    """Set the columns derived from obj.name: pinyin initials, full pinyin, and the search key (machinery.search)."""
    obj.name_initials, obj.name_pinyin = search_keys(obj, obj.name)
    obj.search_key = search_key(obj.name)


def save_with_search_keys(obj, save, *args, **kwargs) -> None:
    """obj's save(), the search keys filled first (and written too when update_fields names the name)."""
    fill_search_keys(obj)
    fields = kwargs.get("update_fields")
    if fields is not None and "name" in fields:
        kwargs["update_fields"] = {*fields, *SEARCH_FIELDS}
    save(*args, **kwargs)


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
    # name, short form, pinyin and initials (machinery.search); trigram-indexed on PostgreSQL
    search_key = models.TextField(blank=True, default="", editable=False)
    # a closed (撤销) organization keeps its records but takes no new work; a merged one names where it went
    closed_on = models.DateField(_("撤销日期"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("并入")
    )
    history = HistoricalRecords(excluded_fields=["search_key", "name_initials", "name_pinyin"])

    node_order_by: list[str] = []

    class Meta:
        verbose_name = _("党组织")
        verbose_name_plural = _("党组织")
        indexes = [
            models.Index(fields=["kind"]),
            # the reporting units of a subtree (a province's 2,000 among 20,000 organizations), for Annex 5's lists
            # (in path order, so that a page of them is read along it)
            models.Index(fields=["path"], name="org_reporting_unit_path", condition=models.Q(reports_quarterly=True)),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        save_with_search_keys(self, super().save, *args, **kwargs)

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

    @property
    def is_closed(self) -> bool:
        return self.closed_on is not None


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
