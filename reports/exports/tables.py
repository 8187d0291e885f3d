"""The three annexes as Table objects, read in a constant number of queries whatever the number of rows.

Callers have already checked access (the organization or the report came through organizations.access).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator

from django.db.models import BigIntegerField, CharField, Exists, F, OuterRef, TextField, Value
from django.utils import timezone

from evaluations.annex2 import grade_text
from evaluations.enums import PeriodKind
from evaluations.models import Rating
from organizations.enums import Gender, PoliticalStatus
from organizations.models import Member, Organization
from posts.enums import CommitmentState, FulfilmentStatus
from posts.models import Commitment, PostClaim
from targets.models import AnnualPlan, LongTermTarget, TargetItem

from ..figures import percent
from ..models import FIGURE_FIELDS, FIGURES, NARRATIVE, QuarterlyReport
from .table import Table, chinese_date

ANNEX1_TITLE = "学校实行“168”机制年度工作目标分解表"
ANNEX2_TITLE = "学校实行“168”机制年度党员亮岗履职一览表"
ANNEX5_TITLE = "市直教育系统推广提升“168”机制进展情况季报表"

ANNEX1_COLUMNS = [
    "序号", "目标类别", "目标任务", "量化指标", "具体措施", "责任主体",
    "责任处室/年段/班级", "责任人", "完成时限", "完成情况", "备注",
]  # fmt: skip
ANNEX1_WIDTHS = [6, 10, 30, 24, 30, 16, 16, 10, 14, 14, 12]
ANNEX2_COLUMNS = [
    "序号", "姓名", "性别", "政治面貌", "现任职务", "所在支部", "岗位名称", "岗位职责",
    "履岗承诺", "公开时间", "一季一评", "半年初评", "三季一评", "年终总评", "备注",
]  # fmt: skip
ANNEX2_WIDTHS = [6, 10, 6, 10, 14, 18, 16, 28, 36, 14, 9, 9, 9, 9, 12]
ANNEX5_COLUMNS = ["季度"] + [str(label) for _name, label in FIGURES]
ANNEX5_WIDTHS = [12] + [10] * len(FIGURES)
SUMMARY_COLUMNS = ["序号", "填报单位", "状态", "报送时间"] + [str(label) for _name, label in FIGURES]
SUMMARY_WIDTHS = [6, 24, 10, 14] + [10] * len(FIGURES)
PERIOD_COLUMNS = [PeriodKind.Q1, PeriodKind.H1, PeriodKind.Q3, PeriodKind.YEAR]
QUARTER_NAMES = {1: "第一季度", 2: "第二季度", 3: "第三季度", 4: "第四季度"}


def _today() -> datetime.date:
    return timezone.localdate()


# ---- Annex 1 ------------------------------------------------------------------------------------------------------


def annex1(org: Organization, year: int) -> Table:
    """The organization's target decomposition for the year (its own plan's items), with the plan as header block."""
    plan = AnnualPlan.objects.filter(organization=org, year=year).first()
    preface: list[tuple[str, str]] = []
    longterm = LongTermTarget.objects.filter(organization=org, start_year__lte=year, due_year__gte=year)
    lines = [f"{t.get_track_display()}争创{t.get_level_display()}“{t.title}”（{t.start_year}—{t.due_year}年）" for t in longterm]
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
        items = TargetItem.objects.filter(plan=plan).order_by("category", "deadline", "pk")
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
                chinese_date(item.deadline),
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
    )


# ---- Annex 2 ------------------------------------------------------------------------------------------------------


def annex2_rows(org: Organization, year: int):
    """The subtree's active members, as on the 附件2 page: one row per post they hold this year (their own
    organization's or one set by a higher one), or one 尚未认岗 row; in roster order (branch, name). One query, a
    UNION ALL of the two."""
    claims = PostClaim.objects.filter(
        member__organization__path__startswith=org.path, member__is_active=True, post__year=year
    )
    claim_fields = {
        "claim_id": F("pk"), "person_id": F("member_id"), "member_name": F("member__name"),
        "member_gender": F("member__gender"), "member_status": F("member__political_status"),
        "member_job": F("member__job"), "branch": F("member__organization__name"),
        "branch_path": F("member__organization__path"), "post_name": F("post__name"), "duties": F("post__duties"),
    }  # fmt: skip
    no_post = Member.objects.filter(organization__path__startswith=org.path, is_active=True).exclude(
        Exists(PostClaim.objects.filter(member=OuterRef("pk"), post__year=year))
    )
    member_fields = {
        "claim_id": Value(None, output_field=BigIntegerField()), "person_id": F("pk"), "member_name": F("name"),
        "member_gender": F("gender"), "member_status": F("political_status"), "member_job": F("job"),
        "branch": F("organization__name"), "branch_path": F("organization__path"),
        "post_name": Value(None, output_field=CharField()), "duties": Value(None, output_field=TextField()),
    }  # fmt: skip
    return (
        claims.order_by()
        .values(**claim_fields)
        .union(no_post.order_by().values(**member_fields), all=True)
        .order_by("branch_path", "member_name", "person_id", "post_name", "claim_id")
    )


NO_POST = "尚未认岗"


def annex2(org: Organization, year: int) -> Table:
    """Every active member of the organization's subtree with each post they hold this year: the person, the post,
    the approved commitments, when they were published, and the person's published grades in the year's four rating
    periods; members on no post yet have their line too (4 queries)."""
    claims = annex2_rows(org, year)
    count = claims.count()

    def rows() -> Iterator[list]:
        commitments: dict[int, list[str]] = defaultdict(list)
        published: dict[int, datetime.datetime] = {}
        fulfilled: dict[int, int] = defaultdict(int)
        for c in (
            Commitment.objects.filter(
                claim__member__organization__path__startswith=org.path,
                claim__member__is_active=True,
                claim__post__year=year,
                state=CommitmentState.APPROVED,
            )
            .order_by("claim_id", "due_on", "pk")
            .values("claim_id", "content", "published_at", "status")
        ):
            commitments[c["claim_id"]].append(c["content"])
            if c["published_at"] and (c["claim_id"] not in published or c["published_at"] < published[c["claim_id"]]):
                published[c["claim_id"]] = c["published_at"]
            if c["status"] == FulfilmentStatus.FULFILLED:
                fulfilled[c["claim_id"]] += 1
        grades: dict[tuple[int, str], str] = {}
        for r in Rating.objects.filter(
            member__organization__path__startswith=org.path, period__year=year, published=True
        ).values("member_id", "period__kind", "grade", "snapshot__absent"):
            # a grade computed without a part says so: 良好（缺自评）
            grades[(r["member_id"], r["period__kind"])] = grade_text(r["grade"], r["snapshot__absent"])
        genders = {k: str(v) for k, v in Gender.choices}
        statuses = {k: str(v) for k, v in PoliticalStatus.choices}
        # plain tuples, not model instances: a city-wide table has tens of thousands of rows
        for i, row in enumerate(claims.iterator(chunk_size=2000), start=1):
            pk, member_id, name = row["claim_id"], row["person_id"], row["member_name"]
            gender, status, job, branch = row["member_gender"], row["member_status"], row["member_job"], row["branch"]
            post_name, duties = row["post_name"], row["duties"]
            texts = commitments.get(pk, [])
            when = published.get(pk)
            note = f"已兑现{fulfilled[pk]}项" if fulfilled.get(pk) else ""
            yield [
                i,
                name,
                genders.get(gender, gender),
                statuses.get(status, status),
                job,
                branch,
                post_name if pk is not None else NO_POST,
                duties or "",
                "；".join(f"{n}. {t}" for n, t in enumerate(texts, start=1)) if len(texts) > 1 else "".join(texts),
                chinese_date(timezone.localtime(when).date()) if when else "",
                *[grades.get((member_id, kind), "") for kind in PERIOD_COLUMNS],
                note,
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
    )


# ---- Annex 5 ------------------------------------------------------------------------------------------------------


def _figure_cells(report: QuarterlyReport) -> list:
    return [report.coverage_percent if name == "coverage_percent" else getattr(report, name) for name in FIGURE_FIELDS]


def annex5(report: QuarterlyReport) -> Table:
    """One unit's quarterly report: the quarter and its figures, the three narrative parts, who filled it in."""
    day = timezone.localtime(report.submitted_at).date() if report.submitted_at else _today()
    quarter = f"{report.year}年{QUARTER_NAMES[report.quarter]}"
    closing = f"填报人：{report.filled_by}　　联系电话：{report.contact_phone}　　填报日期：{chinese_date(day)}"
    return Table(
        title=ANNEX5_TITLE,
        unit=report.organization.name,
        date=day,
        columns=ANNEX5_COLUMNS,
        widths=ANNEX5_WIDTHS,
        rows=[[quarter, *_figure_cells(report)]],
        sheet_name=report.organization.name,
        after=[(str(label), getattr(report, name)) for name, label in NARRATIVE],
        closing=closing,
        row_count=1,
    )


OFFICIAL = {QuarterlyReport.State.SUBMITTED, QuarterlyReport.State.ACCEPTED}
DETAIL_COLUMNS = ["序号", "填报单位", "状态", "报送时间"] + [str(label) for _name, label in NARRATIVE] + ["填报人", "联系电话"]
DETAIL_WIDTHS = [6, 20, 10, 14, 40, 30, 30, 10, 14]


STATE_LABELS = {value: str(label) for value, label in QuarterlyReport.State.choices}


def _state_text(report: QuarterlyReport) -> str:
    return STATE_LABELS[report.state] + ("（逾期）" if report.is_late else "")


def _submitted_text(report: QuarterlyReport) -> str:
    return chinese_date(timezone.localtime(report.submitted_at).date()) if report.submitted_at else ""


def consolidation(units: list[Organization], reports: list[QuarterlyReport], year: int, quarter: int) -> list[Table]:
    """The city's workbook for a quarter: a summary (one row per reporting unit, figures of submitted and accepted
    reports, and their totals), then the units' written parts (主要做法和成效、存在问题、下一步打算, who filled the
    report in) in one table, a row per submitted or accepted report.

    One table for all units rather than a sheet per unit: a province has thousands of reporting units, and a
    workbook of thousands of sheets is slow to make and to open. Each unit's own Annex 5 is on its report's page."""
    by_unit = {r.organization_id: r for r in reports}
    quarter_text = f"{year}年{QUARTER_NAMES[quarter]}"
    rows: list[list] = []
    details: list[list] = []
    totals = dict.fromkeys(FIGURE_FIELDS, 0)
    blank = [""] * len(FIGURE_FIELDS)
    for i, unit in enumerate(units, start=1):
        report = by_unit.get(unit.pk)
        if report is None:
            rows.append([i, unit.name, "未报送", "", *blank])
            continue
        state, when = _state_text(report), _submitted_text(report)
        if report.state not in OFFICIAL:
            rows.append([i, unit.name, state, when, *blank])
            continue
        figures = _figure_cells(report)
        for name, value in zip(FIGURE_FIELDS, figures, strict=True):
            if name != "coverage_percent":
                totals[name] += value
        rows.append([i, unit.name, state, when, *figures])
        details.append(
            [len(details) + 1, unit.name, state, when, *[getattr(report, name) for name, _label in NARRATIVE],
             report.filled_by, report.contact_phone]
        )
    totals["coverage_percent"] = percent(totals["org_launched"], totals["org_total"])
    rows.append(["", "合计", "", "", *[totals[name] for name in FIGURE_FIELDS]])
    summary = Table(
        title=f"{ANNEX5_TITLE}（汇总）",
        unit="市委教育工委",
        date=_today(),
        columns=SUMMARY_COLUMNS,
        widths=SUMMARY_WIDTHS,
        rows=rows,
        sheet_name="汇总",
        preface=[("季度", quarter_text)],
        closing="合计只计已报送、已接收的季报表。",
        row_count=len(rows),
    )
    written = Table(
        title=f"{ANNEX5_TITLE}（各单位情况）",
        unit="市委教育工委",
        date=_today(),
        columns=DETAIL_COLUMNS,
        widths=DETAIL_WIDTHS,
        rows=details,
        sheet_name="各单位情况",
        preface=[("季度", quarter_text)],
        closing="只列已报送、已接收的季报表。",
        row_count=len(details),
    )
    return [summary, written]
