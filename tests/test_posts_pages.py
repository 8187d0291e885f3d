"""The posts pages as a secretary and a member use them."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from posts import services
from posts.enums import Audience, CommitmentState
from posts.models import Commitment, CommitmentReview, DutyLogEntry, Post
from posts.selectors import this_year
from tests.posts_fixtures import approved, build_posts, make_commitment, make_post, pdf

pytestmark = pytest.mark.django_db


def test_it_sets_a_post_and_copies_typical_ones(world, login):
    client = login(world.user("branch_a_secretary"))
    url = reverse("posts:org_posts", args=[world.branch_a.pk])
    assert "复制典型岗位" in client.get(url).content.decode()
    r = client.post(reverse("posts:post_create", args=[world.branch_a.pk]),
                    {"name": "课改先锋岗", "duties": "带头课改", "role": "expert", "capacity": 2})
    assert r.status_code == 302
    client.post(reverse("posts:post_copy", args=[world.branch_a.pk]), {"names": ["师德标兵岗", "青年导师岗"]})
    body = client.get(url).content.decode()
    assert "课改先锋岗" in body and "师德标兵岗" in body and "青年导师岗" in body


def test_it_shows_a_chinese_message_next_to_a_bad_post(world, login):
    client = login(world.user("branch_a_secretary"))
    make_post(world.branch_a, "党员示范岗")
    r = client.post(reverse("posts:post_create", args=[world.branch_a.pk]),
                    {"name": "党员示范岗", "duties": "我写的职责", "role": "party_member", "capacity": 1})
    body = r.content.decode()
    assert r.status_code == 400 and "本年度已有同名岗位" in body and "我写的职责" in body


def test_it_flags_a_post_over_capacity(world, login):
    # a full post refuses more claims (tests/test_posts_rules.py); people put on it before that rule still show
    from posts.models import PostClaim
    from tests.world import make_member

    post = make_post(world.branch_a, capacity=1)
    PostClaim.objects.create(post=post, member=world.member_a)
    PostClaim.objects.create(post=post, member=make_member(world.branch_a, "甲二", phone="13900000011"))
    body = login(world.user("branch_a_secretary")).get(reverse("posts:org_posts", args=[world.branch_a.pk]))
    assert "2/1" in body.content.decode() and "超员" in body.content.decode()


def test_it_lets_a_member_claim_write_and_submit(world, login):
    post = make_post(world.branch_a)
    client = login(world.user("member_a"))
    assert post.name in client.get(reverse("posts:mine")).content.decode()
    client.post(reverse("posts:post_claim", args=[post.pk]))
    claim = post.claims.get(member=world.member_a)
    r = client.post(reverse("posts:commitment_create", args=[claim.pk]),
                    {"aspect": "service", "content": "结对帮扶三名学生", "measurable_result": "三名学生成绩提升",
                     "due_on": f"{this_year()}-12-20"})
    c = Commitment.objects.get()
    assert r.status_code == 302 and c.state == CommitmentState.DRAFT
    client.post(reverse("posts:commitment_submit", args=[c.pk]),
                {"aspect": "service", "content": "结对帮扶三名学生", "measurable_result": "三名学生成绩提升",
                 "due_on": f"{this_year()}-12-20", "version": c.version})
    c.refresh_from_db()
    assert c.state == CommitmentState.SUBMITTED and c.versions.count() == 1


def test_it_returns_with_reason_shown_to_the_member(world, login):
    claim = services.post_claim(post=make_post(world.branch_a), member=world.member_a, by=None)
    c = services.commitment_submit(commitment=make_commitment(claim), by=None)
    client = login(world.user("branch_a_secretary"))
    r = client.post(reverse("posts:commitment_return", args=[c.pk]), {"reason": ""})
    assert r.status_code == 400 and "请填写退回理由" in r.content.decode()
    client.post(reverse("posts:commitment_return", args=[c.pk]),
                {"reason": "成果不可衡量", "failed": ["advanced", "feasible"], "version": c.version + 0})
    assert CommitmentReview.objects.get().reason == "成果不可衡量"
    body = login(world.user("member_a")).get(c.get_absolute_url()).content.decode()
    assert "成果不可衡量" in body and "先进性" in body and "按退回意见修改" in body


def test_it_keeps_the_users_input_on_a_stale_version(world, login):
    claim = services.post_claim(post=make_post(world.branch_a), member=world.member_a, by=None)
    c = make_commitment(claim, "原文")
    services.commitment_update(commitment=c, version=1, aspect="work", content="别处改的", measurable_result="1",
                               due_on=c.due_on)
    r = login(world.user("member_a")).post(
        reverse("posts:commitment_edit", args=[c.pk]),
        {"aspect": "work", "content": "我刚写的", "measurable_result": "2", "due_on": f"{this_year()}-12-01",
         "version": 1},
    )
    body = r.content.decode()
    assert r.status_code == 400 and "已被他人修改" in body and "我刚写的" in body and "别处改的" in body
    assert 'name="version" value="2"' in body  # saving again, after reading the newer text, goes through


def test_it_approves_publishes_and_logs_with_a_file(world, login):
    claim = services.post_claim(post=make_post(world.branch_a), member=world.member_a, by=None)
    c = services.commitment_submit(commitment=make_commitment(claim), by=None)
    sec = login(world.user("branch_a_secretary"))
    sec.post(reverse("posts:commitment_approve", args=[c.pk]), {"version": c.version})
    sec.post(reverse("posts:commitment_publish", args=[c.pk]), {"audience": Audience.SOCIETY})
    c.refresh_from_db()
    assert c.state == CommitmentState.APPROVED and c.published_at
    member = login(world.user("member_a"))
    r = member.post(reverse("posts:duty_log_add", args=[c.pk]),
                    {"happened_on": datetime.date.today().isoformat(), "content": "开了公开课", "files": [pdf()]})
    assert r.status_code == 302
    evidence = DutyLogEntry.objects.get().evidence.get()
    r = member.get(reverse("posts:evidence_download", args=[evidence.pk]))
    assert r.status_code == 200 and b"".join(r.streaming_content).startswith(b"%PDF")
    public = member.get(reverse("posts:public", args=[world.branch_a.pk])).content.decode()
    assert "开设公开课两节" in public and "13900000001" not in public


def test_it_refuses_a_bad_evidence_file_with_a_message(world, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    claim = services.post_claim(post=make_post(world.branch_a), member=world.member_a, by=None)
    c = approved(claim, None)
    bad = SimpleUploadedFile("x.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    r = login(world.user("member_a")).post(reverse("posts:duty_log_add", args=[c.pk]),
                                           {"happened_on": "2020-01-01", "content": "保留的文字", "files": [bad]})
    body = r.content.decode()
    assert r.status_code == 400 and "不支持的文件类型" in body and "保留的文字" in body
    assert not DutyLogEntry.objects.exists()


def test_it_shows_my_posts_due_and_log_on_my_page(world, login):
    p = build_posts(world)
    body = login(world.user("member_a")).get(reverse("posts:mine")).content.decode()
    assert "我的岗位" in body and p["a"]["post"].name in body and "上了一节公开课" in body
    assert "乙" not in body


def test_it_prints_the_pledge_with_approved_commitments_only(world, login):
    build_posts(world)
    body = login(world.user("member_a")).get(reverse("posts:pledge", args=[world.member_a.pk])).content.decode()
    assert "公开承诺书" in body and "a 开设公开课两节" in body and "a 草稿承诺" not in body and "签名" in body


def test_it_draws_the_flow_and_annex2(world, login):
    build_posts(world)
    client = login(world.user("branch_a_secretary"))
    flow = client.get(reverse("posts:flow", args=[world.member_a.pk])).content.decode()
    assert "按需设岗" in flow and "奖惩促岗" in flow and 'class="step done"' in flow
    annex = client.get(reverse("posts:annex2", args=[world.branch_a.pk])).content.decode()
    assert "甲成员" in annex and "a 开设公开课两节" in annex and "a 草稿承诺" in annex


def test_it_writes_a_duty_report_with_a_file(world, login):
    client = login(world.user("member_a"))
    r = client.post(reverse("posts:report_edit"),
                    {"year": this_year(), "period": "h1", "text": "半年述职", "file": pdf("述职.pdf")})
    assert r.status_code == 302
    detail = client.get(r["Location"]).content.decode()
    assert "半年述职" in detail and "述职.pdf" in detail


def test_it_records_who_read_a_notice(world, login):
    client = login(world.user("branch_a_secretary"))
    r = client.post(reverse("posts:notices", args=[world.branch_a.pk]), {"title": "三季度通报", "body": "请按时登记"})
    assert r.status_code == 302
    notice_url = r["Location"]
    assert "未读" in client.get(notice_url).content.decode()
    member = login(world.user("member_a"))
    assert "三季度通报" in member.get(reverse("posts:mine")).content.decode()
    member.get(notice_url)
    client = login(world.user("branch_a_secretary"))
    assert "未读" not in client.get(notice_url).content.decode()


def test_it_offers_nav_items_to_members_and_secretaries(world, login):
    assert "我的岗位" in login(world.user("member_a")).get(reverse("home")).content.decode()
    assert "亮岗履职" in login(world.user("branch_a_secretary")).get(reverse("home")).content.decode()


def test_it_offers_a_public_section(world):
    from django.apps import apps

    p = build_posts(world)
    sections = apps.get_app_config("posts").public_sections(world.branch_a)
    assert sections[0]["template"] == "posts/_public_section.html"
    assert [c.pk for c in sections[0]["context"]["public_commitments"]] == [p["a"]["commitment"].pk]
    assert Post.objects.count() == 2


def test_it_shows_colleagues_published_commitments_by_audience(world, login):
    from tests.world import make_member

    post = make_post(world.branch_a)
    colleague = make_member(world.branch_a, "甲同事", phone="13900000012")
    claim = services.post_claim(post=post, member=colleague, by=None)
    services.commitment_publish(commitment=approved(claim, None, "党内公开的承诺"), audience=Audience.MEMBERS)
    services.commitment_publish(commitment=approved(claim, None, "群众公开的承诺"), audience=Audience.MASSES)
    body = login(world.user("member_a")).get(reverse("posts:mine")).content.decode()
    assert "党内公开的承诺" in body and "群众公开的承诺" in body and "13900000012" not in body
    world.member_a.political_status = "masses"
    world.member_a.save()
    body = login(world.user("member_a")).get(reverse("posts:mine")).content.decode()
    assert "党内公开的承诺" not in body and "群众公开的承诺" in body


def test_it_links_a_post_to_the_target_items_it_serves(world, login):
    import datetime as dt

    from targets.models import TargetItem
    from tests.targets_fixtures import make_plan

    secretary = world.user("branch_a_secretary")
    plan = make_plan(world.branch_a, secretary, year=this_year())
    item = TargetItem.objects.create(plan=plan, category="party", content="党员示范课每学期不少于2节", indicator="≥2节",
                                     role="party_member", responsible="李老师", deadline=dt.date(this_year(), 12, 31))
    client = login(secretary)
    assert "服务的目标任务" in client.get(reverse("posts:org_posts", args=[world.branch_a.pk])).content.decode()
    client.post(reverse("posts:post_create", args=[world.branch_a.pk]),
                {"name": "课改先锋岗", "duties": "带头课改", "role": "expert", "capacity": 2, "target_items": [item.pk]})
    post = Post.objects.get(name="课改先锋岗")
    assert list(post.target_items.all()) == [item]
    assert "党员示范课每学期不少于2节" in client.get(post.get_absolute_url()).content.decode()


def test_it_fills_annex2_result_columns_from_apps_above(world, login, monkeypatch):
    from django.apps import apps

    def annex2_results(org, year, member_ids):
        return {"columns": ["一季一评"], "values": {pk: ["优秀"] for pk in member_ids}}

    monkeypatch.setattr(apps.get_app_config("organizations"), "annex2_results", annex2_results, raising=False)
    build_posts(world)
    body = login(world.user("branch_a_secretary")).get(reverse("posts:annex2", args=[world.branch_a.pk])).content
    assert "一季一评" in body.decode() and "优秀" in body.decode()


def test_it_links_from_the_organization_page(world, login):
    body = login(world.user("branch_a_secretary")).get(reverse("organizations:detail", args=[world.branch_a.pk]))
    assert reverse("posts:annex2", args=[world.branch_a.pk]) in body.content.decode()


def test_it_appears_on_the_public_page_without_returned_versions_or_phones(world, client):
    claim = services.post_claim(post=make_post(world.branch_a), member=world.member_a, by=None)
    c = services.commitment_submit(commitment=make_commitment(claim, "第一稿空泛"), by=None)
    c = services.commitment_return(commitment=c, by=None, reason="不具体", failed=["feasible"])
    c = services.commitment_update(commitment=c, version=c.version, aspect="work", content="第二稿具体",
                                   measurable_result="公开课 2 节", due_on=c.due_on)
    c = services.commitment_approve(commitment=services.commitment_submit(commitment=c, by=None), by=None)
    services.commitment_publish(commitment=c, audience=Audience.SOCIETY)
    body = client.get(reverse("targets:public", args=[world.branch_a.pk])).content.decode()
    assert "第二稿具体" in body and "甲成员" in body and "党员示范岗" in body
    assert "第一稿空泛" not in body and "不具体" not in body and "13900000001" not in body


def test_it_shows_the_audit_trail_to_secretaries_not_members(world, login):
    p = build_posts(world)
    url = reverse("posts:commitment_history", args=[p["a"]["commitment"].pk])
    body = login(world.user("branch_a_secretary")).get(url).content.decode()
    assert "承诺修改记录" in body and "已审核通过" in body
    assert login(world.user("member_a")).get(url).status_code == 403
    post_url = reverse("posts:post_history", args=[p["a"]["post"].pk])
    assert login(world.user("school_a_secretary")).get(post_url).status_code == 200


def test_it_lists_who_has_reported_for_the_period(world, login):
    services.duty_report_save(member=world.member_a, year=this_year(), period="h1", text="半年述职内容")
    client = login(world.user("branch_a_secretary"))
    url = reverse("posts:reports", args=[world.branch_a.pk])
    assert "未提交" in client.get(url + f"?year={this_year()}&period=year").content.decode()
    body = client.get(url + f"?year={this_year()}&period=h1").content.decode()
    assert "半年述职内容" in body and "未提交" not in body
