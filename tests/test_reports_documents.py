"""Annex 3, Annex 4 and the 公开承诺书 as A4 PDF, read back with pdftotext: 附件N top left, the titles whole, the live
state of every step (已完成 with its date / 进行中 / 未开始), the access rule, the public letter only when something is
published to society, and never a phone number."""

from __future__ import annotations

import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from posts import services as ps
from posts.enums import Audience
from targets.enums import Step
from tests.posts_fixtures import build_posts
from tests.targets_fixtures import make_plan, walk

pytestmark = pytest.mark.django_db


def pdf_text(response) -> str:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    run = subprocess.run(["pdftotext", "-layout", "-", "-"], input=response.content, capture_output=True, check=True)
    return run.stdout.decode()


def page_size(response) -> str:
    run = subprocess.run(["pdfinfo", "-"], input=response.content, capture_output=True, check=True)
    return next(line for line in run.stdout.decode().splitlines() if line.startswith("Page size"))


def today_text() -> str:
    d = timezone.localdate()
    return f"{d.year}年{d.month}月{d.day}日"


def test_annex3_draws_the_plans_six_steps_as_they_stand(world, login):
    by = world.user("school_a_secretary")
    plan = make_plan(world.school_a, by)
    walk(plan, by, through=Step.DECISION)  # steps 1–2 done, 3 current, 4–6 not started
    page = login(by).get(reverse("targets:plan_detail", args=[plan.pk]))
    url = reverse("reports:annex3_pdf", args=[plan.pk])
    assert url in page.content.decode()
    r = login(by).get(url)
    text = pdf_text(r)
    assert "595.276 x 841.89" in page_size(r)  # A4 portrait
    assert text.lstrip().startswith("附件3")
    assert "学校党组织延伸提升“168”党建工作机制工作流程图" in text
    assert world.school_a.name in text and "2026年度" in text
    lines = {line.split()[1]: line for line in text.splitlines() if line.strip().startswith("第") and "步 " in line}
    assert "已完成" in lines["征求意见"] and today_text() in lines["征求意见"]
    assert "已完成" in lines["议事决策"]
    assert "进行中" in lines["任务分解"] and "未开始" in lines["公开承诺"] and "未开始" in lines["考评奖惩"]
    assert "当前步骤：第3步“任务分解”" in text


def test_annex4_and_the_letter_follow_the_members_records(world, login):
    build_posts(world)  # member A: a post, a commitment published to society and a draft one, a log, a year report
    member = world.member_a
    flow = login(member.user).get(reverse("posts:flow", args=[member.pk])).content.decode()
    annex4_url = reverse("reports:annex4_pdf", args=[member.pk])
    assert annex4_url in flow and reverse("reports:pledge_public_pdf", args=[member.pk]) in flow
    text = pdf_text(login(member.user).get(annex4_url))
    assert text.lstrip().startswith("附件4")
    assert "党员教师个人“亮岗履职”流程图" in text and "甲成员" in text
    squeezed = "".join(text.split())
    for words in ("第1步按需设岗已完成", "第2步因人择岗已完成", "第3步承诺亮岗进行中", "第5步科学评岗未开始"):
        assert words in squeezed
    assert "草稿未提交1项" in squeezed  # the why, from the records
    assert "13900000001" not in text

    secretary = login(world.user("branch_a_secretary"))
    letter = pdf_text(secretary.get(reverse("reports:pledge_pdf", args=[member.pk])))
    assert "年度党员教师公开承诺书" in letter and "a 开设公开课两节" in letter and "承诺人（签名）" in letter
    assert "a 草稿承诺" not in letter and "13900000001" not in letter


def test_the_public_letter_shows_only_what_is_published_to_society(world, client):
    parts = build_posts(world)["b"]
    url = reverse("reports:pledge_public_pdf", args=[world.member_b.pk])
    text = pdf_text(client.get(url))  # anonymous
    assert "乙成员" in text and "b 开设公开课两节" in text and "13900000002" not in text
    ps.commitment_unpublish(commitment=parts["commitment"], by=world.user("branch_b_secretary"))
    assert client.get(url).status_code == 404
    c = ps.commitment_publish(
        commitment=parts["commitment"].__class__.objects.get(pk=parts["commitment"].pk), audience=Audience.MASSES
    )
    assert c.published_at and client.get(url).status_code == 404  # published to the school only, not to society
    # the member's own and their secretaries' letter still lists the approved commitment
    client.force_login(world.user("branch_b_secretary"))
    assert "b 开设公开课两节" in pdf_text(client.get(reverse("reports:pledge_pdf", args=[world.member_b.pk])))


def test_outsiders_get_no_member_document(world, login):
    build_posts(world)
    outsider = login(world.user("branch_a_secretary"))
    for name in ("reports:annex4_pdf", "reports:pledge_pdf"):
        assert outsider.get(reverse(name, args=[world.member_b.pk])).status_code == 404


def test_page_one_of_every_annex_pdf_is_photographed(world, login, tmp_path):
    """Annexes 1–5, the city consolidation and the letter, each downloaded as its user would and page 1 rendered
    with pdftoppm into docs/screenshots/pdf-*.png (so the pictures are current after every run)."""
    from reports.services import quarterly_report_open, quarterly_report_submit, quarterly_report_update
    from tests.reports_fixtures import posts_with_claims

    secretary = world.user("school_a_secretary")
    plan = make_plan(world.school_a, secretary)
    walk(plan, secretary, through=Step.PUBLIC_COMMITMENT)
    build_posts(world)
    posts_with_claims(world.unit, 2, branch=world.unit_branch)
    report = quarterly_report_open(organization=world.unit, year=2026, quarter=4, by=None)
    report = quarterly_report_update(
        report=report,
        by=None,
        expected_version=report.version,
        practices="做法",
        problems="问题",
        next_steps="打算",
        filled_by="林",
        contact_phone="0595-1234567",
    )
    report = quarterly_report_submit(report=report, by=None, expected_version=report.version)
    year = "?year=2026"
    wanted = [
        (
            "annex1",
            "school_a_secretary",
            reverse("reports:annex1_pdf", args=[world.school_a.pk]) + year,
            ["附件1", "学校实行“168”机制年度工作目标分解表"],
        ),
        (
            "annex2",
            "branch_a_secretary",
            reverse("reports:annex2_pdf", args=[world.branch_a.pk]) + year,
            ["附件2", "年度党员亮岗履职一览表", "甲成员"],
        ),
        (
            "annex3",
            "school_a_secretary",
            reverse("reports:annex3_pdf", args=[plan.pk]),
            ["附件3", "学校党组织延伸提升“168”党建工作机制工作流程图", "已完成", "进行中", "未开始"],
        ),
        (
            "annex4",
            "member_a",
            reverse("reports:annex4_pdf", args=[world.member_a.pk]) + year,
            ["附件4", "党员教师个人“亮岗履职”流程图", "已完成", "进行中", "未开始"],
        ),
        ("annex5", "unit_staff", reverse("reports:quarterly_pdf", args=[report.pk]), ["附件5", "季报表"]),
        (
            "consolidation",
            "city_staff",
            reverse("reports:consolidation_pdf") + "?year=2026&quarter=4",
            ["附件5", "中共泉州市委教育工作委员会"],
        ),
        (
            "pledge",
            "member_a",
            reverse("reports:pledge_pdf", args=[world.member_a.pk]) + year,
            ["公开承诺书", "承诺人（签名）"],
        ),
    ]
    docs = __import__("pathlib").Path(__file__).resolve().parents[1] / "docs" / "screenshots"
    for name, who, url, words in wanted:
        r = login(world.user(who)).get(url)
        text = "".join(pdf_text(r).split())
        for word in words:
            assert word in text, (name, word)
        pdf = tmp_path / f"{name}.pdf"
        pdf.write_bytes(r.content)
        out = docs / f"pdf-{name}"
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(out)], check=True
        )
        assert out.with_suffix(".png").stat().st_size > 10_000, name
