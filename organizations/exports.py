"""The organizations' lists as workbooks (导出Excel): the member list and the coverage page, with the page's own
scope and filters, written through machinery.xlsx. Callers have checked access (organizations.access)."""

from __future__ import annotations

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from machinery.xlsx import Sheet, sheets_xlsx

from . import access, selectors
from .models import Organization

# a member list longer than this is made in the background where an app offers it (AppConfig.background_export)
MEMBERS_BACKGROUND_ROWS = 5_000
MEMBER_FILTERS = ("q", "status", "role", "reserve", "inactive")


def member_params(query: QueryDict | dict) -> dict[str, str]:
    """The member list's filters as the page reads them (search text cut to 50 characters)."""
    params = {k: str(query.get(k, "") or "") for k in MEMBER_FILTERS}
    params["q"] = params["q"].strip()[:50]
    return params


def members_query(user, org: Organization, params: dict[str, str]):
    """The member list's rows, as on the page (organizations.views.members.members), every page at once."""
    qs = selectors.members_of(user, org, params["q"], include_inactive=params["inactive"] == "1")
    return selectors.member_filters(qs, params)


def members_xlsx(user, org: Organization, params: dict[str, str]) -> bytes:
    """党员名册: the columns of the page, 后备干部 and 离册 as columns of their own; 联系电话 only for the user who sees
    it on the page (the organization's secretary)."""
    show_phone = access.is_secretary_of(user, org)
    columns = [
        _("姓名"),
        _("性别"),
        _("政治面貌"),
        _("现任职务"),
        _("所属方面"),
        _("所在支部"),
        _("后备干部"),
        _("状态"),
    ]
    columns += [_("联系电话")] if show_phone else []
    reserve, active, left = _("后备干部"), _("在册"), _("离册")

    def rows():
        for m in members_query(user, org, params).iterator(chunk_size=2000):
            row = [
                m.name,
                m.get_gender_display(),
                m.get_political_status_display(),
                m.job,
                m.get_role_group_display(),
                m.organization.name,
                reserve if m.is_reserve_cadre else "",
                active if m.is_active else left,
            ]
            yield row + [m.phone] if show_phone else row

    widths = [12, 6, 12, 24, 14, 28, 10, 8] + ([14] if show_phone else [])
    return sheets_xlsx([Sheet(_("党员名册"), columns, rows(), widths)])


def members_filename(org: Organization) -> str:
    return _("党员名册_%(org)s_%(day)s.xlsx") % {"org": org.name, "day": timezone.localdate().strftime("%Y%m%d")}


def coverage_xlsx(org: Organization, county: Organization | None) -> bytes:
    """推广面: the units' coverage (各单位推广面) and every grassroots organization not launched yet, for the page's
    organization or the county chosen on it."""
    focus = county or org
    units = [
        [r["org"].name, r["total"], r["launched"], r["percent"], r["missing"]]
        for r in selectors.coverage_rows(org, county=county)
    ]
    missing = [[o.name, o.school_name, o.get_kind_display()] for o in selectors.not_launched(focus)]
    return sheets_xlsx(
        [
            Sheet(
                _("各单位推广面"),
                [_("单位"), _("基层党组织"), _("已推行"), _("推广面（%）"), _("尚未推行")],
                units,
                [30, 12, 10, 12, 10],
            ),
            Sheet(_("尚未推行的基层党组织"), [_("党组织"), _("所属学校/单位"), _("组织类别")], missing, [36, 30, 16]),
        ]
    )


def coverage_filename(focus: Organization) -> str:
    return _("推广面_%(org)s_%(day)s.xlsx") % {"org": focus.name, "day": timezone.localdate().strftime("%Y%m%d")}
