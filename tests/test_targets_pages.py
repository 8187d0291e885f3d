"""The plan pages as a secretary uses them: create, the flow, each step's forms, uploads and downloads."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from targets.enums import Step
from targets.models import AnnualPlan, Opinion, ProgressEntry, StepCompletion, TargetItem
from tests.page_tokens import hidden_value
from tests.targets_fixtures import YEAR, make_item, make_plan, walk

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"


@pytest.fixture
def secretary(world, login):
    return login(world.user("school_a_secretary"))


@pytest.fixture
def plan(world):
    return make_plan(world.school_a, world.user("school_a_secretary"))


def test_it_creates_the_years_plan(world, secretary):
    url = reverse("targets:plan_create", args=[world.school_a.pk])
    r = secretary.post(url, {"year": YEAR, "theme": "dedication", "featured_work": "书香校园"})
    plan = AnnualPlan.objects.get(organization=world.school_a, year=YEAR)
    assert r.status_code == 302 and r["Location"] == plan.get_absolute_url()
    r = secretary.post(url, {"year": YEAR, "theme": "dedication"})
    assert r.status_code == 400 and "年度计划已经存在" in r.content.decode()


def test_it_keeps_input_when_a_custom_theme_lacks_its_name(world, secretary):
    r = secretary.post(reverse("targets:plan_create", args=[world.school_a.pk]), {"year": YEAR, "theme": "custom", "featured_work": "留住我"})
    body = r.content.decode()
    assert r.status_code == 400 and "请填写主题名称" in body and "留住我" in body


def test_it_draws_the_flow_with_live_states(world, secretary, plan):
    walk(plan, world.user("school_a_secretary"), through=Step.DECISION)
    body = secretary.get(plan.get_absolute_url()).content.decode()
    assert 'data-step="opinions" data-state="done"' in body
    assert 'data-step="decision" data-state="done"' in body
    assert 'data-step="decomposition" data-state="current"' in body
    assert 'data-step="evaluation" data-state="todo"' in body
    assert reverse("targets:step", args=[plan.pk, "decomposition"]) in body


def test_it_shows_every_step_page(secretary, plan):
    for step in Step:
        r = secretary.get(reverse("targets:step", args=[plan.pk, step.value]))
        assert r.status_code == 200, step
    assert secretary.get(reverse("targets:step", args=[plan.pk, "nope"])).status_code == 404


def test_it_refuses_step_3_before_step_2_on_the_page(world, secretary, plan):
    walk(plan, world.user("school_a_secretary"), through=Step.OPINIONS)
    make_item(plan, world.user("school_a_secretary"))
    r = secretary.post(reverse("targets:step_complete", args=[plan.pk, "decomposition"]), {"note": ""})
    assert r.status_code == 400
    assert "请先完成第2步“议事决策”，再完成第3步“任务分解”" in r.content.decode()
    assert not StepCompletion.objects.filter(plan=plan, step="decomposition").exists()


def test_it_records_an_event_and_sorts_its_opinion(secretary, plan):
    r = secretary.post(
        reverse("targets:event_create", args=[plan.pk]),
        {"kind": "symposium", "held_on": f"{YEAR}-02-20", "participants": "青年教师", "participant_count": 8},
    )
    assert r.status_code == 302
    event = plan.opinion_events.get()
    secretary.post(reverse("targets:opinion_add", args=[event.pk]), {f"e{event.pk}-content": "增加培训"})
    opinion = Opinion.objects.get(plan=plan)
    page = reverse("targets:step", args=[plan.pk, Step.OPINIONS])
    token = {f"o{opinion.pk}-fingerprint": hidden_value(secretary, page, f"o{opinion.pk}-fingerprint")}
    r = secretary.post(
        reverse("targets:opinion_sort", args=[opinion.pk]),
        {f"o{opinion.pk}-category": "teachers", f"o{opinion.pk}-decision": "adopted", f"o{opinion.pk}-reply": "",
         **token},
    )
    assert r.status_code == 400 and "请填写答复" in r.content.decode()
    secretary.post(
        reverse("targets:opinion_sort", args=[opinion.pk]),
        {f"o{opinion.pk}-category": "teachers", f"o{opinion.pk}-decision": "adopted", f"o{opinion.pk}-reply": "将安排",
         **token},
    )
    opinion.refresh_from_db()
    assert opinion.decision == "adopted" and opinion.decided_by is not None


def test_it_uploads_evidence_and_serves_it_only_through_the_view(world, secretary, plan, client):
    item = make_item(plan, world.user("school_a_secretary"))
    url = reverse("targets:progress_create", args=[item.pk])
    data = {"recorded_on": f"{YEAR}-04-01", "status": "in_progress", "percent": 50, "note": "已开展两节"}
    r = secretary.post(url, data | {"evidence_file": SimpleUploadedFile("课表.pdf", PDF)})
    assert r.status_code == 302
    entry = ProgressEntry.objects.get(item=item)
    assert entry.evidence_name == "课表.pdf" and "课表" not in entry.evidence.name
    r = secretary.get(reverse("targets:evidence", args=[entry.pk]))
    assert r.status_code == 200 and r["Content-Disposition"].startswith("attachment")
    assert b"".join(r.streaming_content) == PDF
    item.refresh_from_db()
    assert (item.status, item.percent) == ("in_progress", 50)


def test_it_refuses_a_disguised_evidence_file_and_keeps_the_note(world, secretary, plan):
    item = make_item(plan, world.user("school_a_secretary"))
    data = {"recorded_on": f"{YEAR}-04-01", "status": "in_progress", "percent": 50, "note": "不要丢"}
    r = secretary.post(
        reverse("targets:progress_create", args=[item.pk]),
        data | {"evidence_file": SimpleUploadedFile("证明.pdf", b"MZ\x90\x00" + b"\x00" * 300)},
    )
    body = r.content.decode()
    assert r.status_code == 400 and "文件内容不是允许的类型" in body and "不要丢" in body
    assert not ProgressEntry.objects.exists()


def test_it_shows_the_newer_item_after_a_stale_edit(world, secretary, plan):
    item = make_item(plan, world.user("school_a_secretary"))
    url = reverse("targets:item_edit", args=[item.pk])
    data = {
        "category": "party", "content": "我的版本", "indicator": "2节", "measures": "", "role": "expert",
        "office": "", "responsible": "王", "deadline": f"{YEAR}-12-01", "version": 1,
    }  # fmt: skip
    TargetItem.objects.filter(pk=item.pk).update(content="别人的版本", version=2)
    r = secretary.post(url, data)
    body = r.content.decode()
    assert r.status_code == 400 and "已被他人修改" in body and "别人的版本" in body and "我的版本" in body
    assert secretary.post(url, data | {"version": 2}).status_code == 302


def test_it_edits_the_plan_and_attaches_the_research_report(secretary, plan):
    data = {"theme": "characteristic", "featured_work": "x", "theory_research": "y", "school_targets": "z",
            "summary": "总结", "theme_custom": "", "version": plan.version}  # fmt: skip
    r = secretary.post(reverse("targets:plan_edit", args=[plan.pk]), data | {"report": SimpleUploadedFile("调研.pdf", PDF)})
    assert r.status_code == 302
    plan.refresh_from_db()
    assert plan.theme == "characteristic" and plan.version == 2 and plan.research_report_name == "调研.pdf"
    r = secretary.get(reverse("targets:plan_report", args=[plan.pk]))
    assert r.status_code == 200 and "attachment" in r["Content-Disposition"]


def test_it_links_plans_from_the_organization_page(world, secretary):
    body = secretary.get(reverse("organizations:detail", args=[world.school_a.pk])).content.decode()
    assert reverse("targets:org_plans", args=[world.school_a.pk]) in body


def test_it_shows_who_changed_the_plan_and_the_item(world, secretary, plan):
    from targets import services

    by = world.user("school_a_secretary")
    item = make_item(plan, by)
    services.plan_update(plan=plan, expected_version=plan.version, by=by, featured_work="改过的特色工作")
    services.item_update(item=item, expected_version=item.version, by=by, responsible="新责任人")
    body = secretary.get(reverse("targets:plan_history", args=[plan.pk])).content.decode()
    assert "改过的特色工作" in body
    body = secretary.get(reverse("targets:item_history", args=[item.pk])).content.decode()
    assert "新责任人" in body


def test_it_refuses_a_bad_report_without_saving_the_plan_text(secretary, plan):
    data = {"theme": "characteristic", "featured_work": "新的", "theory_research": "", "school_targets": "",
            "summary": "", "theme_custom": "", "version": plan.version}  # fmt: skip
    r = secretary.post(reverse("targets:plan_edit", args=[plan.pk]), data | {"report": SimpleUploadedFile("r.pdf", b"not a pdf")})
    assert r.status_code == 400 and "文件内容不是允许的类型" in r.content.decode()
    plan.refresh_from_db()
    assert plan.version == 1 and plan.featured_work != "新的"
