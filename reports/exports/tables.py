"""The three annexes as Table objects, read in a constant number of queries whatever the number of rows.

Callers have already checked access (the organization or the report came through organizations.access).
"""

from __future__ import annotations

import datetime
from array import array
from bisect import bisect_left
from collections.abc import Iterator
from itertools import groupby

from django.db.models import (
    BigIntegerField,
    CharField,
    DateField,
    DateTimeField,
    Exists,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
)
from django.utils import timezone

from evaluations.annex2 import grade_text
from evaluations.enums import PeriodKind
from evaluations.models import Rating
from machinery.counting import estimated_count
from organizations.enums import GRASSROOTS_KINDS, REPORTING_KINDS, Gender, OrgKind, PoliticalStatus
from organizations.models import Member, Organization
from posts.enums import CommitmentState, FourStrive, FulfilmentStatus
from posts.models import AnnualAim, PostClaim
from targets.models import AnnualPlan, LongTermTarget, TargetItem
from targets.responsibility import responsibility_list

from ..models import FIGURE_FIELDS, FIGURES, NARRATIVE, QuarterlyReport
from .table import DENSE, Table, chinese_date

ANNEX1_TITLE = "学校实行“168”机制年度工作目标分解表"
ANNEX2_TITLE = "学校实行“168”机制年度党员亮岗履职一览表"
ANNEX5_TITLE = "市直教育系统推广提升“168”机制进展情况季报表"

ANNEX1_COLUMNS = [
    "序号", "目标类别", "目标任务", "量化指标", "具体措施", "责任主体",
    "责任处室/年段/班级", "责任人", "完成时限", "完成情况", "备注",
]  # fmt: skip
ANNEX1_WIDTHS = [6, 10, 30, 24, 30, 16, 16, 10, 17, 14, 12]
ANNEX1_LONG = frozenset({2, 3, 4, 6, 9, 10})
ANNEX2_COLUMNS = [
    "序号", "姓名", "性别", "政治面貌", "现任职务", "所在支部", "岗位名称", "岗位职责",
    "履岗承诺", "公开时间", "一季一评", "半年初评", "三季一评", "年终总评", "备注",
]  # fmt: skip
# 4-character headers fit whole; the width goes to the long texts (岗位职责, 履岗承诺, 备注), a date fits on one line
ANNEX2_WIDTHS = [6, 10, 6, 10, 13, 13, 13, 46, 36, 18, 10, 10, 10, 10, 21]
ANNEX2_LONG = frozenset({4, 5, 6, 7, 8, 14})
# The 14 figures of Annex 5 under the headings of the official sheet, each with a short label that fits its column
# on one line (the full names are on the report's page): (group, [(field, label)]).
FIGURE_GROUPS = [
    ("推广面", [("org_total", "党组织数"), ("org_launched", "已推行数"), ("coverage_percent", "占比（%）")]),
    ("典型示范", [("demo_comprehensive", "综合"), ("demo_single", "单项")]),
    ("联系点", [("contact_points", "班子联系点")]),
    ("亮岗承诺", [("members", "党员数"), ("members_with_posts", "亮岗党员"), ("posts", "设岗数"),
                  ("commitments_published", "公开承诺"), ("commitments_fulfilled", "已兑现")]),
    ("评岗", [("ratings_done", "评岗人次")]),
    ("奖惩", [("honours_awarded", "授予荣誉"), ("rectifications", "限期整改")]),
]  # fmt: skip
FIGURE_HEADS = [label for _group, fields in FIGURE_GROUPS for _name, label in fields]
assert [name for _group, fields in FIGURE_GROUPS for name, _label in fields] == FIGURE_FIELDS


def _figure_groups(offset: int) -> list[tuple[str, int, int]]:
    out, first = [], offset
    for group, fields in FIGURE_GROUPS:
        out.append((group, first, len(fields)))
        first += len(fields)
    return out


ANNEX5_COLUMNS = ["季度"] + FIGURE_HEADS
ANNEX5_WIDTHS = [16] + [10] * len(FIGURES)  # 2026年第四季度 on one line
PERIOD_COLUMNS = [PeriodKind.Q1, PeriodKind.H1, PeriodKind.Q3, PeriodKind.YEAR]
# The city committee as it signs its documents (the consolidation is its form, not a unit's).
CITY_COMMITTEE = "中共泉州市委教育工作委员会"
QUARTER_NAMES = {1: "第一季度", 2: "第二季度", 3: "第三季度", 4: "第四季度"}


def _today() -> datetime.date:
    return timezone.localdate()


# ---- Annex 1 ------------------------------------------------------------------------------------------------------


def annex1(org: Organization, year: int, *, responsibility: bool = True) -> Table:
    """The organization's target decomposition for the year (its own plan's items), with the plan and (for a school
    or branch, unless only the row count is wanted) its 责任制 list as header block."""
    plan = AnnualPlan.objects.filter(organization=org, year=year).first()
    preface: list[tuple[str, str]] = []
    longterm = LongTermTarget.objects.filter(organization=org, start_year__lte=year, due_year__gte=year)
    lines = [
        f"{t.get_track_display()}争创{t.get_level_display()}“{t.title}”（{t.start_year}—{t.due_year}年）"
        for t in longterm
    ]
    preface.append(("长期目标", "；".join(lines) or "（未确定）"))
    items = TargetItem.objects.none()
    if plan is not None:
        theme = plan.theme_custom if plan.theme == "custom" and plan.theme_custom else plan.get_theme_display()
        preface += [
            ("年度争创主题", theme),
            ("一项特色工作", plan.featured_work or "（未填写）"),
            ("一次理论调研", plan.theory_research or "（未填写）"),
        ]
        if plan.school_targets:
            preface.append(("学校年度发展目标", plan.school_targets))
        items = TargetItem.objects.filter(plan=plan).order_by("position", "pk")  # as the secretary arranged them
    if responsibility and org.is_grassroots:
        preface.append(("责任制", responsibility_list(org, year).text()))
    count = items.count() if plan is not None else 0

    def rows() -> Iterator[list]:
        for i, item in enumerate(items.iterator(chunk_size=1000), start=1):
            yield [
                i,
                item.get_category_display(),
                item.content,
                item.indicator,
                item.measures,
                item.get_role_display(),
                item.office,
                item.responsible,
                item.deadline,  # a date: a real date in the workbook, 2026年6月30日 in the PDF
                f"{item.get_status_display()}（{item.percent}%）",
                "已公开" if item.published_at else "",
            ]

    return Table(
        title=ANNEX1_TITLE,
        unit=org.name,
        date=_today(),
        columns=ANNEX1_COLUMNS,
        widths=ANNEX1_WIDTHS,
        rows=rows(),
        sheet_name=f"附件1 {year}年",
        preface=[("年度", f"{year}年")] + preface,
        row_count=count,
        rows_per_page=16,  # 300 rows made 19 pages (bench/annex_exports.py)
        annex="附件1",
        long_columns=ANNEX1_LONG,
    )


# ---- Annex 2 ------------------------------------------------------------------------------------------------------


# Scopes over many schools: their Annex 2 names each row's school beside its branch and, unless asked, leaves out
# members who have not claimed a post yet (most of a city's roster early in the year).
WIDE_KINDS = {OrgKind.CITY_COMMITTEE, OrgKind.COUNTY_COMMITTEE, OrgKind.ZONE_COMMITTEE}
NO_POST = "尚未认岗"
# 序号, 姓名, 性别, 政治面貌, 现任职务, 所在支部 and the four grades belong to the person: merged across their posts
ANNEX2_PERSON = frozenset({0, 1, 2, 3, 4, 5, 10, 11, 12, 13})
ANNEX2_GROUPS = [("考评情况", 10, 4)]


def annex2_unclaimed_default(org: Organization) -> bool:
    """Whether members on no post are listed when the page does not say: yes for a school or branch (its secretary
    follows them up), no for a county or the city."""
    return org.kind not in WIDE_KINDS


class Grades:
    """The published grades of the subtree's active members in the year's four rating periods, held compactly (a
    sorted array of member ids and one small code per period) so that a city of 400,000 members takes a few MB: read
    in one query, ordered by member, the deepest organization's period last (it wins, as in the year-end grid)."""

    def __init__(self, org: Organization, year: int):
        self.texts: list[str] = [""]
        codes: dict[tuple, int] = {}
        self.ids = array("q")
        self.codes = [array("H") for _ in PERIOD_COLUMNS]
        column = {kind: i for i, kind in enumerate(PERIOD_COLUMNS)}
        ratings = (
            Rating.objects.filter(
                member__organization__path__startswith=org.path, member__is_active=True, period__year=year,
                published=True, period__kind__in=PERIOD_COLUMNS,
            )
            .order_by("member_id", "period__organization__depth", "pk")
            .values_list("member_id", "period__kind", "grade", "snapshot__absent")
        )  # fmt: skip
        for member_id, kind, grade, absent in ratings.iterator(chunk_size=5000):
            key = (grade, tuple(sorted(absent or ())))
            code = codes.get(key)
            if code is None:
                code = codes[key] = len(self.texts)
                self.texts.append(grade_text(grade, absent))
            if not self.ids or self.ids[-1] != member_id:
                self.ids.append(member_id)
                for column_codes in self.codes:
                    column_codes.append(0)
            self.codes[column[kind]][-1] = code

    def of(self, member_id: int) -> list[str]:
        i = bisect_left(self.ids, member_id)
        if i == len(self.ids) or self.ids[i] != member_id:
            return ["", "", "", ""]
        return [self.texts[c[i]] for c in self.codes]


def _aim(year: int, member: str) -> Subquery:
    """The member's 四争 aim of the year (推行“四争”), read in the rows' own query."""
    return Subquery(AnnualAim.objects.filter(member_id=OuterRef(member), year=year).values("aim")[:1])


def _remark(aim: str | None, done: int, first_of_person: bool, aims: dict | None = None) -> str:
    """备注: the 四争 aim on the person's first line, and how many commitments are fulfilled. `aims`: the aims'
    labels by value, when the caller writes many rows."""
    aims = aims if aims is not None else {k: str(v) for k, v in FourStrive.choices}
    parts = [f"四争：{aims[aim]}"] if first_of_person and aim in aims else []
    return "；".join(parts + ([f"已兑现{done}项"] if done else []))


def annex2_rows(org: Organization, year: int, *, unclaimed: bool = True):
    """The subtree's active members, as on the 附件2 page: one row per approved commitment of each post they hold this
    year (their own organization's or one set by a higher one; a post without one has a row of its own), or one
    尚未认岗 row (when `unclaimed`); with the person's four grades; in roster order (branch path: school by school, then
    branch, then name). One query, a UNION ALL of the two, read through a server-side cursor."""
    claims = PostClaim.objects.filter(
        member__organization__path__startswith=org.path, member__is_active=True, post__year=year
    ).annotate(c=FilteredRelation("commitments", condition=Q(commitments__state=CommitmentState.APPROVED)))
    claim_fields = {
        "claim_id": F("pk"), "person_id": F("member_id"), "member_name": F("member__name"),
        "member_gender": F("member__gender"), "member_status": F("member__political_status"),
        "member_job": F("member__job"), "branch_path": F("member__organization__path"), "post_name": F("post__name"),
        "duties": F("post__duties"), "c_id": F("c__pk"), "c_due": F("c__due_on"), "c_content": F("c__content"),
        "c_published": F("c__published_at"), "c_status": F("c__status"), "aim": _aim(year, "member_id"),
    }  # fmt: skip
    rows = claims.order_by().values(**claim_fields)
    if unclaimed:
        no_post = Member.objects.filter(organization__path__startswith=org.path, is_active=True).exclude(
            Exists(PostClaim.objects.filter(member=OuterRef("pk"), post__year=year))
        )
        member_fields = {
            "claim_id": Value(None, output_field=BigIntegerField()), "person_id": F("pk"), "member_name": F("name"),
            "member_gender": F("gender"), "member_status": F("political_status"), "member_job": F("job"),
            "branch_path": F("organization__path"), "post_name": Value(None, output_field=CharField()),
            "duties": Value(None, output_field=TextField()), "c_id": Value(None, output_field=BigIntegerField()),
            "c_due": Value(None, output_field=DateField()), "c_content": Value(None, output_field=TextField()),
            "c_published": Value(None, output_field=DateTimeField()),
            "c_status": Value(None, output_field=CharField()), "aim": _aim(year, "pk"),
        }  # fmt: skip
        rows = rows.union(no_post.order_by().values(**member_fields), all=True)
    return rows.order_by("branch_path", "member_name", "person_id", "post_name", "claim_id", "c_due", "c_id")


def annex2_count(org: Organization, year: int, *, unclaimed: bool = True, estimate: bool = False) -> int:
    """Rows of Annex 2: a member's posts, or their 尚未认岗 line. With `estimate`, the planner's estimate (a county's
    or the city's page prints the number only; counting hundreds of thousands of rows to do so is not worth it)."""
    count = estimated_count if estimate else QuerySet.count
    posts = count(PostClaim.objects.filter(
        member__organization__path__startswith=org.path, member__is_active=True, post__year=year
    ))
    if not unclaimed:
        return posts
    no_post = Member.objects.filter(organization__path__startswith=org.path, is_active=True).exclude(
        Exists(PostClaim.objects.filter(member=OuterRef("pk"), post__year=year))
    )
    return posts + count(no_post)


def branch_labels(org: Organization) -> dict[str, str]:
    """所在支部 of each organization of the subtree, by path: its name, and for a county or the city 学校 · 支部 (the
    school as the organization records it (所属学校/单位), else the topmost grassroots organization above the branch
    or the 高校党委/机关党委 it belongs to). One query."""
    found = Organization.objects.filter(path__startswith=org.path).values_list("path", "kind", "name", "school_name")
    if org.kind not in WIDE_KINDS:
        return {path: name for path, _kind, name, _school in found}
    by_path = {path: (kind, name, school) for path, kind, name, school in found}
    steplen = Organization.steplen
    labels: dict[str, str] = {}
    for path, (_kind, name, school) in by_path.items():
        if not school:
            for end in range(len(org.path) + steplen, len(path) + 1, steplen):
                kind, above, above_school = by_path.get(path[:end], ("", "", ""))
                if kind in GRASSROOTS_KINDS or kind in REPORTING_KINDS:
                    school = above_school or above
                    break
        labels[path] = f"{school} · {name}" if school and school != name else name
    return labels


def annex2(org: Organization, year: int, *, unclaimed: bool | None = None) -> Table:
    """Every active member of the organization's subtree with each post they hold this year: the person, the post,
    the approved commitments, when they were first published, and the person's published grades in the year's four
    rating periods; members on no post yet have their line too when `unclaimed` (by default for a school or branch,
    not for a county or the city). The rows are streamed: 3 queries, the rows through a server-side cursor, whatever
    their number; one person's posts follow each other under one 序号 (merged in both formats)."""
    if unclaimed is None:
        unclaimed = annex2_unclaimed_default(org)
    count = annex2_count(org, year, unclaimed=unclaimed)

    def rows() -> Iterator[list]:
        labels = branch_labels(org)
        grades = Grades(org, year)
        genders = {k: str(v) for k, v in Gender.choices}
        statuses = {k: str(v) for k, v in PoliticalStatus.choices}
        aims = {k: str(v) for k, v in FourStrive.choices}
        zone = timezone.get_current_timezone()
        # plain dicts, not model instances, grouped as they come: a city-wide table has hundreds of thousands of rows
        stream = annex2_rows(org, year, unclaimed=unclaimed).iterator(chunk_size=2000)
        person, number = None, 0
        for key, group in groupby(stream, key=lambda r: (r["person_id"], r["claim_id"])):
            lines = list(group)  # the claim's approved commitments, one a line (or one line without any)
            first = lines[0]
            texts = [c["c_content"] for c in lines if c["c_id"] is not None]
            when = min((c["c_published"] for c in lines if c["c_published"]), default=None)
            done = sum(c["c_status"] == FulfilmentStatus.FULFILLED for c in lines)
            first_of_person = key[0] != person
            if first_of_person:
                person, number = key[0], number + 1
            yield [
                number,
                first["member_name"],
                genders.get(first["member_gender"], first["member_gender"]),
                statuses.get(first["member_status"], first["member_status"]),
                first["member_job"],
                labels.get(first["branch_path"], ""),
                first["post_name"] if key[1] is not None else NO_POST,
                first["duties"] or "",
                "；".join(f"{n}. {t}" for n, t in enumerate(texts, start=1)) if len(texts) > 1 else "".join(texts),
                timezone.localtime(when, zone).date() if when else "",
                *grades.of(key[0]),
                _remark(first["aim"], done, first_of_person, aims),
            ]

    return Table(
        title=ANNEX2_TITLE,
        unit=org.name,
        date=_today(),
        columns=ANNEX2_COLUMNS,
        widths=ANNEX2_WIDTHS,
        rows=rows(),
        sheet_name=f"附件2 {year}年",
        preface=[("年度", f"{year}年")],
        row_count=count,
        rows_per_page=15,  # the demo's largest school: 60 rows on 4 pages
        annex="附件2",
        long_columns=ANNEX2_LONG,
        groups=ANNEX2_GROUPS,
        person_columns=ANNEX2_PERSON,
        layout=DENSE,
    )


# ---- Annex 5 ------------------------------------------------------------------------------------------------------


def _figure_cells(report: QuarterlyReport) -> list:
    return [report.coverage_percent if name == "coverage_percent" else getattr(report, name) for name in FIGURE_FIELDS]


def annex5(report: QuarterlyReport) -> Table:
    """One unit's quarterly report: the quarter and its figures, the three narrative parts, who filled it in."""
    day = timezone.localtime(report.submitted_at).date() if report.submitted_at else _today()
    quarter = f"{report.year}年{QUARTER_NAMES[report.quarter]}"
    return Table(
        title=ANNEX5_TITLE,
        unit=report.organization.name,
        date=day,
        columns=ANNEX5_COLUMNS,
        widths=ANNEX5_WIDTHS,
        rows=[[quarter, *_figure_cells(report)]],
        sheet_name=report.organization.name,
        after=[(str(label), getattr(report, name)) for name, label in NARRATIVE],
        row_count=1,
        annex="附件5",
        groups=_figure_groups(1),
        footer={"填报人": report.filled_by, "联系电话": report.contact_phone, "填报日期": chinese_date(day)},
    )
