"""A school secretary starts the new year's plan and posts from last year's (以上一年度为基础新建)."""

from __future__ import annotations

import datetime
import re
from unittest.mock import patch
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from organizations.models import Honour, HonourTitle
from organizations.services import honour_titles_ensure
from posts import services as post_services
from posts.enums import Audience
from posts.models import Commitment, Post, PostClaim
from targets import services
from targets.enums import Step
from targets.models import AnnualPlan, LongTermTarget, StepCompletion, TargetItem
from tests.posts_fixtures import approved
from tests.targets_fixtures import make_item, make_plan, walk
from tests.world import make_member

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2027, 1, 10, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def _in_january_2027():
    with patch("django.utils.timezone.now", return_value=NOW):
        yield


@pytest.fixture
def last_year(world):
    """School A's 2026: a plan through step 3 with three rows (one for a member who has since left), a long-term
    target reached by a city honour, and two posts — one serving a row, held by member_a (approved commitment) and
    by the member who left."""
    by = world.user("school_a_secretary")
    leaver = make_member(world.branch_a, "王离职", phone="13900000009")
    plan = make_plan(world.school_a, by, year=2026, featured_work="书香校园", theory_research="课后服务调研",
                     school_targets="中考优秀率提高")  # fmt: skip
    walk(plan, by, through=Step.DECOMPOSITION)  # adds the fixture's row for “李老师” (no member of that name)
    kept = make_item(plan, by, content="党员示范课", responsible="甲成员", deadline=datetime.date(2026, 6, 30))
    gone = make_item(plan, by, content="青年教师结对", responsible="王离职", deadline=datetime.date(2027, 1, 31))
    services.long_term_target_set(organization=world.school_a, track="party", title="先进基层党组织", level="city",
                                  due_year=2028, start_year=2025, by=by)  # fmt: skip
    honour_titles_ensure()  # built by a migration, which --nomigrations skips
    Honour.objects.create(organization=world.school_a, title=HonourTitle.objects.get(name="先进基层党组织"),
                          level="city", year=2026, conferred_by="中共泉州市委")  # fmt: skip
    post = post_services.post_create(organization=world.school_a, by=by, year=2026, name="党员示范岗", duties="上示范课",
                                     role="party_member", capacity=2, target_items=[kept])  # fmt: skip
    post_services.post_create(organization=world.school_a, by=by, year=2026, name="青年导师岗", duties="带青年教师",
                              role="party_member", capacity=1)  # fmt: skip
    claim = post_services.post_assign(post=post, member=world.member_a, by=by)
    post_services.commitment_publish(
        commitment=approved(claim, world.user("school_a_secretary")), audience=Audience.SOCIETY
    )
    post_services.post_assign(post=post, member=leaver, by=by)
    leaver.is_active = False
    leaver.save()
    return {"plan": plan, "kept": kept, "gone": gone, "post": post, "leaver": leaver}


def _counts() -> tuple:
    return (AnnualPlan.objects.count(), TargetItem.objects.count(), Post.objects.count(), PostClaim.objects.count(),
            Commitment.objects.count(), StepCompletion.objects.count(), list(LongTermTarget.objects.values()))  # fmt: skip


def _start(client, world, year=2027):
    return client.post(reverse("posts:year_start", args=[world.school_a.pk]), {"year": year}, follow=True)


def test_it_offers_plan_and_posts_from_last_year_on_the_plans_page(world, login, last_year):
    client = login(world.user("school_a_secretary"))
    body = client.get(reverse("targets:org_plans", args=[world.school_a.pk])).content.decode()
    assert (
        "以上一年度为基础新建本年度计划和岗位" in body and reverse("posts:year_start", args=[world.school_a.pk]) in body
    )
    assert 'name="year" value="2027"' in body
    index = client.get(reverse("targets:index")).content.decode()
    assert "以上一年度为基础新建本年度计划和岗位" in index
    posts_page = client.get(reverse("posts:org_posts", args=[world.school_a.pk]) + "?year=2027").content.decode()
    assert "以上一年度为基础新建本年度计划和岗位" in posts_page


def test_it_starts_2027_from_2026(world, login, last_year):
    client = login(world.user("school_a_secretary"))
    r = _start(client, world)
    body = r.content.decode()
    plan = AnnualPlan.objects.get(organization=world.school_a, year=2027)
    assert r.redirect_chain[-1][0] == reverse("targets:step", args=[plan.pk, Step.DECOMPOSITION])

    # the plan's text is last year's, editable; the six steps start over
    assert (plan.theme, plan.featured_work, plan.theory_research, plan.school_targets) == (
        last_year["plan"].theme,
        "书香校园",
        "课后服务调研",
        "中考优秀率提高",
    )
    assert plan.summary == "" and not plan.research_report
    assert not plan.completions.exists() and not plan.opinion_events.exists() and not plan.meetings.exists()
    edit = client.post(reverse("targets:plan_edit", args=[plan.pk]),
                       {"theme": plan.theme, "featured_work": "书香校园二期", "version": plan.version})  # fmt: skip
    assert edit.status_code == 302
    plan.refresh_from_db()
    assert plan.featured_work == "书香校园二期"

    # rows copied, unpublished, deadlines a year on; the person who left (and the unknown name) are blank and listed
    rows = {i.content: i for i in plan.items.all()}
    assert set(rows) == {"党员示范课每学期不少于2节", "党员示范课", "青年教师结对"}
    assert rows["党员示范课"].responsible == "甲成员" and rows["党员示范课"].deadline == datetime.date(2027, 6, 30)
    assert rows["青年教师结对"].responsible == "" and rows["青年教师结对"].deadline == datetime.date(2028, 1, 31)
    assert rows["党员示范课每学期不少于2节"].responsible == ""
    assert all(i.published_at is None and i.status == "not_started" and i.percent == 0 for i in rows.values())
    listed = body.split('id="to-reassign"', 1)[1].split("</ul>", 1)[0]
    assert "青年教师结对" in listed and "原责任人：王离职" in listed and "党员示范课<" not in listed
    assert "2 项需重新指定责任人" in body

    # the long-term target moves on from the city honour now recorded
    target = LongTermTarget.objects.get(organization=world.school_a, title="先进基层党组织")
    assert (target.level, target.held_level, target.start_year, target.due_year) == ("province", "city", 2027, 2030)
    assert "省级先进基层党组织（2030年）" in body

    # posts copied for 2027: active people kept on them, no commitment, links follow the copied rows
    posts = {p.name: p for p in Post.objects.filter(organization=world.school_a, year=2027)}
    assert set(posts) == {"党员示范岗", "青年导师岗"}
    assert [c.member for c in posts["党员示范岗"].claims.all()] == [world.member_a]
    assert list(posts["党员示范岗"].target_items.all()) == [rows["党员示范课"]]
    assert not Commitment.objects.filter(claim__post__year=2027).exists()
    assert "保留在岗人员 1 人" in body and "已不在册、未保留：王离职" in body

    # step 3 cannot be completed while a row has nobody responsible (steps 1–2 marked done here to reach it)
    for step in (Step.OPINIONS, Step.DECISION):
        StepCompletion.objects.create(plan=plan, step=step, completed_at=NOW)
    with pytest.raises(ValidationError) as e:
        services.step_complete(plan=plan, step=Step.DECOMPOSITION, by=world.user("school_a_secretary"))
    assert "还有 2 项目标任务需重新指定责任人" in str(e.value)


def test_it_leaves_last_year_as_it_was(world, login, last_year):
    before = list(TargetItem.objects.filter(plan=last_year["plan"]).values())
    claims = list(PostClaim.objects.filter(post__year=2026).values_list("post__name", "member__name"))
    _start(login(world.user("school_a_secretary")), world)
    assert list(TargetItem.objects.filter(plan=last_year["plan"]).values()) == before
    assert list(PostClaim.objects.filter(post__year=2026).values_list("post__name", "member__name")) == claims
    assert StepCompletion.objects.filter(plan=last_year["plan"]).count() == 3
    assert Commitment.objects.filter(claim__post__year=2026, published_at__isnull=False).count() == 1


def test_it_refuses_a_second_start_and_writes_nothing(world, login, last_year):
    client = login(world.user("school_a_secretary"))
    _start(client, world)
    before = _counts()
    r = _start(client, world)
    assert "2027年度计划已经存在，不能再以上一年度为基础新建" in r.content.decode()
    assert _counts() == before
    r = client.post(reverse("targets:plan_start", args=[world.school_a.pk]), {"year": 2027}, follow=True)
    assert "2027年度计划已经存在" in r.content.decode()
    assert _counts() == before


def test_it_refuses_when_posts_cannot_be_copied_and_then_writes_no_plan_either(world, last_year):
    before = _counts()
    with patch("posts.services.new_year.posts_copy_from_year", side_effect=ValidationError("岗位复制失败")):
        with pytest.raises(ValidationError):
            post_services.year_start_from_previous(organization=world.school_a, year=2027,
                                                   by=world.user("school_a_secretary"))  # fmt: skip
    assert _counts() == before


def test_it_refuses_without_last_years_plan(world):
    by = world.user("school_a_secretary")
    with pytest.raises(ValidationError) as e:
        services.plan_start_from_previous(organization=world.school_a, year=2027, by=by)
    assert "没有2026年度计划" in str(e.value)
    assert not AnnualPlan.objects.exists()


def test_it_refuses_an_archived_year(world, last_year):
    from years.enums import YearState
    from years.models import WorkYear

    WorkYear.objects.create(year=2027, state=YearState.ARCHIVED)
    before = _counts()
    with pytest.raises(ValidationError) as e:
        post_services.year_start_from_previous(
            organization=world.school_a, year=2027, by=world.user("school_a_secretary")
        )
    assert "2027年度已归档" in str(e.value)
    assert _counts() == before


def test_it_hides_the_start_from_a_sibling_subtree(world, login, last_year):
    client = login(world.user("school_b_secretary"))
    for url in [reverse("posts:year_start", args=[world.school_a.pk]), reverse("targets:plan_start", args=[world.school_a.pk]),
                reverse("posts:posts_copy_year", args=[world.school_a.pk])]:  # fmt: skip
        assert client.post(url, {"year": 2027}).status_code == 404
    assert not AnnualPlan.objects.filter(year=2027).exists() and not Post.objects.filter(year=2027).exists()


def test_it_moves_29_february_to_28_february(world):
    by = world.user("school_a_secretary")
    plan = make_plan(world.school_a, by, year=2027)
    make_item(plan, by, responsible="甲成员", deadline=datetime.date(2028, 2, 29))
    with patch("django.utils.timezone.now", return_value=NOW.replace(year=2028)):
        result = services.plan_start_from_previous(organization=world.school_a, year=2028, by=by)
    assert [i.deadline for i in result.items] == [datetime.date(2029, 2, 28)]
    assert services.one_year_later(datetime.date(2026, 3, 1)) == datetime.date(2027, 3, 1)


def test_it_starts_the_plan_alone_where_last_year_had_no_posts(world, login, last_year):
    Post.objects.filter(year=2026).delete()
    client = login(world.user("school_a_secretary"))
    body = client.get(reverse("targets:org_plans", args=[world.school_a.pk])).content.decode()
    assert "以上一年度计划为基础新建" in body and "计划和岗位" not in body
    r = client.post(reverse("targets:plan_start", args=[world.school_a.pk]), {"year": 2027}, follow=True)
    assert "已以2026年度计划为基础新建2027年度计划" in r.content.decode()
    assert AnnualPlan.objects.filter(organization=world.school_a, year=2027).exists()


def test_it_copies_posts_alone_into_a_year_whose_plan_was_made_by_hand(world, login, last_year):
    by = world.user("school_a_secretary")
    make_plan(world.school_a, by, year=2027)
    client = login(by)
    page = client.get(reverse("posts:org_posts", args=[world.school_a.pk]) + "?year=2027").content.decode()
    assert "复制上一年度岗位" in page
    r = client.post(reverse("posts:posts_copy_year", args=[world.school_a.pk]), {"year": 2027}, follow=True)
    assert "沿用2026年度岗位 2 个" in r.content.decode()
    post = Post.objects.get(organization=world.school_a, year=2027, name="党员示范岗")
    assert not post.target_items.exists()  # the 2027 rows were not copied from 2026: nothing to follow
    before = _counts()
    r = client.post(reverse("posts:posts_copy_year", args=[world.school_a.pk]), {"year": 2027}, follow=True)
    assert "2026年度的岗位在2027年度都已设置" in r.content.decode()
    assert _counts() == before


def test_it_keeps_the_offer_off_once_the_year_has_a_plan(world, login, last_year):
    client = login(world.user("school_a_secretary"))
    _start(client, world)
    body = client.get(reverse("targets:org_plans", args=[world.school_a.pk])).content.decode()
    assert "data-start-offer" not in body
    assert re.search(r"2027年度计划", body)


def test_it_offers_next_year_in_december_once_the_city_has_opened_it(world, login, last_year):
    from years.models import WorkYear

    client = login(world.user("school_a_secretary"))
    url = reverse("targets:org_plans", args=[world.school_a.pk])
    with patch("django.utils.timezone.now", return_value=NOW.replace(year=2026, month=12, day=4)):
        assert "data-start-offer" not in client.get(url).content.decode()
        WorkYear.objects.create(year=2027)
        assert f'data-start-offer="{world.school_a.pk}-2027"' in client.get(url).content.decode()
