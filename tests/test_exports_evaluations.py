"""导出Excel beside the evaluation tables: a period's published results and the year-end roll-up, read back with
openpyxl (header, a known row, as many rows as the page lists), a sibling's is 404, queries flat at 10 and 200."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from evaluations.enums import AppraisalConclusion, Grade, PeriodKind, PeriodState, PublicationScope, calendar_dates
from evaluations.models import DemocraticAppraisal, EvaluationPeriod, PeriodPublication, Rating
from organizations import selectors as org_selectors
from organizations.models import Member
from tests.budget import assert_flat_queries
from tests.reports_fixtures import YEAR, rate
from tests.world import make_member

pytestmark = pytest.mark.django_db


def sheet(response):
    assert response.status_code == 200, response.status_code
    assert "attachment" in response["Content-Disposition"]
    ws = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert all(c.font.b for c in ws[1]) and ws.freeze_panes == "A2"
    return ws


def rows_of(ws) -> list[list]:
    return [[c.value for c in row] for row in ws.iter_rows(min_row=2)]


def rated(world, n: int, *, kind=PeriodKind.Q1) -> EvaluationPeriod:
    """The first n members of branch A named 考评…, each with a published rating of the period, the period closed."""
    members = list(Member.objects.filter(organization=world.branch_a, name__startswith="考评").order_by("name"))
    for i in range(len(members), n):
        members.append(make_member(world.branch_a, f"考评{i:03d}", phone=f"1376666{i:04d}"))
    done = set(Rating.objects.filter(period__kind=kind, member__in=members).values_list("member_id", flat=True))
    for i, member in enumerate(members[:n]):
        if member.pk in done:
            continue
        rating = rate(world.branch_a, member, kind=kind, grade=Grade.EXCELLENT if i % 2 else Grade.GOOD)
        if i % 3 == 1:
            Rating.objects.filter(pk=rating.pk).update(
                snapshot={"absent": {"self": {"reason": "sick", "text": "病假"}}}
            )
    opens, closes = calendar_dates(YEAR, kind)
    period, _ = EvaluationPeriod.objects.get_or_create(
        organization=world.branch_a, year=YEAR, kind=kind, defaults={"opens_on": opens, "closes_on": closes}
    )
    EvaluationPeriod.objects.filter(pk=period.pk).update(state=PeriodState.CLOSED)
    period.refresh_from_db()
    return period


def publish(world, period, *, show_scores: bool) -> None:
    PeriodPublication.objects.update_or_create(
        period=period,
        defaults={
            "scope": PublicationScope.SCHOOL,
            "show_scores": show_scores,
            "set_by": world.user("branch_a_secretary"),
        },
    )


# ---- 考评结果 ----------------------------------------------------------------------------------------------------


def test_the_published_results_come_out_as_on_their_page(world, login):
    period = rated(world, 4)
    publish(world, period, show_scores=True)
    url = reverse("evaluations:period_results_xlsx", args=[period.pk])

    ws = sheet(login(world.user("member_a")).get(url))

    assert [c.value for c in ws[1]] == ["姓名", "所在支部", "等次", "缺项", "综合得分"]
    rows = rows_of(ws)
    assert len(rows) == Rating.objects.filter(period=period, published=True).count() == 4
    assert ["考评001", "甲校第一支部", "优秀", "缺自评", 85] in rows  # the flag, never the reason (病假)
    assert ["考评000", "甲校第一支部", "良好", None, 85] in rows
    assert ws.cell(2, 5).data_type == "n"
    page = login(world.user("member_a")).get(reverse("evaluations:period_results", args=[period.pk])).content.decode()
    assert url in page and "导出Excel" in page


def test_scores_stay_out_when_the_page_hides_them(world, login):
    period = rated(world, 2)
    publish(world, period, show_scores=False)
    ws = sheet(login(world.user("member_a")).get(reverse("evaluations:period_results_xlsx", args=[period.pk])))
    assert [c.value for c in ws[1]] == ["姓名", "所在支部", "等次", "缺项"]
    assert not any(v == 85 for r in rows_of(ws) for v in r)


def test_results_of_an_open_period_come_out_empty_and_a_sibling_gets_404(world, login):
    period = rated(world, 2)
    publish(world, period, show_scores=False)
    url = reverse("evaluations:period_results_xlsx", args=[period.pk])
    assert login(world.user("member_b")).get(url).status_code == 404
    assert login(world.user("school_b_secretary")).get(url).status_code == 404
    EvaluationPeriod.objects.filter(pk=period.pk).update(state=PeriodState.OPEN)
    assert rows_of(sheet(login(world.user("branch_a_secretary")).get(url))) == []


def test_the_results_export_keeps_its_query_count_flat(world, login):
    period = rated(world, 0)
    publish(world, period, show_scores=True)
    assert_flat_queries(
        login(world.user("member_a")),
        reverse("evaluations:period_results_xlsx", args=[period.pk]),
        grow_to=lambda n: rated(world, n),
        budget=12,
    )


# ---- 年终总评 ----------------------------------------------------------------------------------------------------


def test_the_year_end_roll_up_comes_out_with_every_member(world, login):
    rated(world, 30, kind=PeriodKind.Q1)
    rated(world, 2, kind=PeriodKind.YEAR)
    member = Member.objects.get(name="考评001")
    DemocraticAppraisal.objects.create(
        organization=world.branch_a, member=member, year=YEAR, conclusion=AppraisalConclusion.EXCELLENT,
        notes="+评议意见", by=world.user("branch_a_secretary"),
    )  # fmt: skip
    c = login(world.user("school_a_secretary"))

    ws = sheet(c.get(reverse("evaluations:year_end_xlsx", args=[world.school_a.pk, YEAR])))

    assert [c.value for c in ws[1]] == [
        "姓名", "所在支部", "一季一评等次", "一季一评得分", "半年初评等次", "半年初评得分", "三季一评等次", "三季一评得分",
        "年终总评等次", "年终总评得分", "各期平均分", "民主评议党员", "评议意见",
    ]  # fmt: skip
    rows = rows_of(ws)
    assert len(rows) == org_selectors.members_of(world.user("school_a_secretary"), world.school_a).count() > 25
    known = next(r for r in rows if r[0] == "考评001")
    assert known == [
        "考评001", "甲校第一支部", "优秀（缺自评）", 85, None, None, None, None, "优秀（缺自评）", 85, 85,
        str(AppraisalConclusion.EXCELLENT.label), "+评议意见",
    ]  # fmt: skip
    assert next(r for r in rows if r[0] == "考评020")[2:4] == ["良好", 85]
    page = c.get(reverse("evaluations:year_end", args=[world.school_a.pk, YEAR])).content.decode()
    assert reverse("evaluations:year_end_xlsx", args=[world.school_a.pk, YEAR]) in page


def test_a_sibling_year_end_is_404(world, login):
    c = login(world.user("school_a_secretary"))
    assert c.get(reverse("evaluations:year_end_xlsx", args=[world.school_b.pk, YEAR])).status_code == 404
    assert (
        login(world.user("member_a"))
        .get(reverse("evaluations:year_end_xlsx", args=[world.branch_a.pk, YEAR]))
        .status_code
        == 404
    )


def test_the_year_end_export_keeps_its_query_count_flat(world, login):
    def grow_to(n):
        rated(world, n, kind=PeriodKind.Q1)
        rated(world, n, kind=PeriodKind.YEAR)

    assert_flat_queries(
        login(world.user("school_a_secretary")),
        reverse("evaluations:year_end_xlsx", args=[world.school_a.pk, YEAR]),
        grow_to=grow_to,
        budget=10,
    )


def test_scores_are_numbers(world, login):
    rated(world, 1)
    ws = sheet(
        login(world.user("branch_a_secretary")).get(
            reverse("evaluations:year_end_xlsx", args=[world.branch_a.pk, YEAR])
        )
    )
    score = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "考评000")[3]
    assert score.data_type == "n" and Decimal(str(score.value)) == Decimal("85")
