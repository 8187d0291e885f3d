"""责任制: an organization's responsibility list — 第一责任人 the secretary, 一岗双责 the principal, 直接责任人 each
branch's secretary, 具体责任人 who answers for each office's Annex 1 rows — on the plan page, the 任务分解 step, the
annexes page and in Annex 1's xlsx and PDF."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organizations.enums import Role
from organizations.models import RoleAssignment
from reports.exports import tables
from reports.exports.pdf import pdf_bytes
from reports.exports.xlsx import xlsx_bytes
from targets.models import AnnualPlan, TargetItem
from targets.responsibility import responsibility_list
from tests.test_reports_exports import needs_poppler, pdf_text, sheet
from tests.world import make_member, make_user

YEAR = 2026


def _school(world):
    principal = make_user("principal_a", "甲校长")
    make_member(world.school_a, "林校长", phone="13900000031", user=principal)
    RoleAssignment.objects.create(user=principal, organization=world.school_a, role=Role.PRINCIPAL, title="校长")
    plan = AnnualPlan.objects.create(organization=world.school_a, year=YEAR, theme="dedication")
    for i, (office, responsible) in enumerate([("教务处", "甲成员"), ("教务处", "外聘专家"), ("德育处", "郑主任"),
                                               ("", "没有处室的人")]):  # fmt: skip
        TargetItem.objects.create(plan=plan, category="party", content=f"任务{i}", indicator="指标", measures="措施",
                                  role="party_member", office=office, responsible=responsible,
                                  deadline=datetime.date(YEAR, 12, 31))  # fmt: skip
    return plan


def test_it_derives_the_list_from_roles_and_annex1_rows(world):
    _school(world)
    r = responsibility_list(world.school_a, YEAR)
    assert r.first == ["school_a_secretary"]
    assert r.principal == ["林校长（校长）"]
    assert r.direct == [("甲校第一支部", ["branch_a_secretary"])]
    assert r.specific == [("德育处", ["郑主任"]), ("教务处", ["甲成员", "外聘专家"])]
    # a branch answers to its school's secretary and principal; its own secretary is its 直接责任人
    branch = responsibility_list(world.branch_a, YEAR)
    assert branch.first == ["school_a_secretary"] and branch.principal == ["林校长（校长）"]
    assert branch.direct == [("甲校第一支部", ["branch_a_secretary"])]
    # nobody of subtree B appears
    assert "乙" not in str(r.lines())


def test_it_falls_back_to_the_recorded_secretary_and_says_what_is_missing(world):
    RoleAssignment.objects.filter(organization=world.school_b, role=Role.SECRETARY).delete()
    world.school_b.secretary_name = "乙书记"
    world.school_b.save()
    lines = dict(responsibility_list(world.school_b, YEAR).lines())
    assert lines["第一责任人（党组织书记）"] == "乙书记"
    assert lines["一岗双责（校长）"] == "（未确定）" and lines["具体责任人（处室负责人）"] == "（未确定）"


def test_it_reads_the_list_in_two_queries_whatever_the_branches(world):
    _school(world)
    with CaptureQueriesContext(connection) as ctx:
        responsibility_list(world.school_a, YEAR)
    assert len(ctx) == 2


def test_the_plan_page_the_decomposition_step_and_the_annexes_page_show_it(world, login):
    plan = _school(world)
    client = login(world.user("school_a_secretary"))
    for url in (reverse("targets:plan_detail", args=[plan.pk]),
                reverse("targets:step", args=[plan.pk, "decomposition"]),
                reverse("reports:annexes", args=[world.school_a.pk]) + f"?year={YEAR}"):  # fmt: skip
        page = client.get(url).content.decode()
        card = page[page.index('id="responsibility"'):]
        assert "林校长（校长）" in card and "甲校第一支部：branch_a_secretary" in card and "教务处：甲成员、外聘专家" in card, url


@needs_poppler
@pytest.mark.django_db
def test_annex1_xlsx_and_pdf_carry_the_list_above_the_table(world, tmp_path):
    _school(world)
    ws = sheet(xlsx_bytes([tables.annex1(world.school_a, YEAR)]))
    header = [str(ws.cell(r, 1).value or "") for r in range(1, 12)]  # the header block above the table
    line = next(cell for cell in header if cell.startswith("责任制："))
    assert line == ("责任制：第一责任人（党组织书记）：school_a_secretary。一岗双责（校长）：林校长（校长）。"
                    "直接责任人（支部书记）：甲校第一支部：branch_a_secretary。"
                    "具体责任人（处室负责人）：德育处：郑主任；教务处：甲成员、外聘专家。")  # fmt: skip
    text = pdf_text(pdf_bytes([tables.annex1(world.school_a, YEAR)]), tmp_path)
    assert "一岗双责（校长）" in text and "林校长（校长）" in text and "德育处：郑主任" in text
