from decimal import Decimal

import pytest
from django.urls import reverse

from evaluations.enums import PeriodKind
from evaluations.models import Assessment, EvaluationPeriod, Rating, SelfEvaluation
from tests.evaluations_fixtures import (  # noqa: F401 (evaluation_today: autouse)
    add_members,
    approved_commitment,
    assess_all,
    closed_period,
    evaluation_today,
    excuse_missing,
    open_period,
)
from tests.page_tokens import hidden_value

pytestmark = pytest.mark.django_db


def test_it_shows_the_branch_its_q1_period_from_the_calendar_without_opening_it(world, login):
    client = login(world.user("branch_a_secretary"))
    url = reverse("evaluations:org_periods", args=[world.branch_a.pk])
    body = client.get(url).content.decode()
    period = EvaluationPeriod.objects.get(organization=world.branch_a)
    assert (period.year, period.kind, period.opens_on.isoformat(), period.closes_on.isoformat()) == (
        2026, "q1", "2026-03-01", "2026-03-31"
    )
    assert period.poll is not None and "2026年一季一评" in body and "进行中" in body
    assert "开启考评期" not in body  # nothing to open by hand
    client.get(url)
    assert EvaluationPeriod.objects.filter(organization=world.branch_a).count() == 1


def test_it_lets_nobody_open_periods_by_hand(world, login):
    staff = login(world.user("county_a_staff"))
    url = reverse("evaluations:org_periods", args=[world.branch_a.pk])
    assert staff.get(url).status_code == 200
    secretary = login(world.user("branch_a_secretary"))
    assert secretary.post(url, {"year": "2026", "kind": "h1"}).status_code == 405
    assert not EvaluationPeriod.objects.filter(kind="h1").exists()


def test_it_shows_the_member_each_approved_commitment_to_evaluate(world, login):
    period = open_period(world.branch_a)
    commitment = approved_commitment(world.member_a)
    client = login(world.user("member_a"))
    url = reverse("evaluations:self_evaluation", args=[period.pk])
    page = client.get(url).content.decode()
    assert "每周开展一次学困生辅导" in page
    r = client.post(url, {"summary": "全面完成", "score": "88", f"item_{commitment.pk}": "已辅导12次"})
    assert r.status_code == 302
    se = SelfEvaluation.objects.get(member=world.member_a)
    item = se.items.get()
    assert (se.score, item.commitment_id, item.text) == (Decimal("88"), commitment.pk, "已辅导12次")
    assert "已提交" in client.get(reverse("evaluations:my_results")).content.decode()


def test_it_keeps_bad_input_and_explains(world, login):
    period = open_period(world.branch_a)
    client = login(world.user("member_a"))
    r = client.post(reverse("evaluations:self_evaluation", args=[period.pk]), {"summary": "我的总结", "score": "120"})
    body = r.content.decode()
    assert r.status_code == 400 and "我的总结" in body and "100" in body
    assert not SelfEvaluation.objects.exists()


def test_it_refuses_a_self_evaluation_after_close_on_the_page(world, login):
    period = closed_period(world)
    r = login(world.user("member_a")).get(reverse("evaluations:self_evaluation", args=[period.pk]))
    assert "该考评期已结束" in r.content.decode()


def test_it_shows_progress_to_the_branch(world, login):
    period = open_period(world.branch_a)
    add_members(world.branch_a, 2)
    Assessment.objects.create(period=period, member=world.member_a, score=90, comment="好", by=world.user("branch_a_secretary"))
    body = login(world.user("branch_a_secretary")).get(period.get_absolute_url()).content.decode()
    assert "0/3" in body and "1/3" in body  # self-evaluated, assessed
    assert "乙" not in body


def test_it_assesses_with_optimistic_locking_on_the_page(world, login):
    period = open_period(world.branch_a)
    client = login(world.user("branch_a_secretary"))
    url = reverse("evaluations:assessment", args=[period.pk, world.member_a.pk])
    assert client.post(url, {"score": "90", "comment": "认真负责", "version": ""}).status_code == 302
    client.post(url, {"score": "91", "comment": "第二次", "version": "1"})
    stale = client.post(url, {"score": "70", "comment": "我的意见", "version": "1"})
    body = stale.content.decode()
    assert stale.status_code == 400 and "已被他人修改" in body and "我的意见" in body and "第二次" in body
    assert Assessment.objects.get().score == Decimal("91")


def test_it_closes_and_members_see_their_grade(world, login):
    period = open_period(world.branch_a)
    assess_all(period, world.user("branch_a_secretary"), score="90")
    client = login(world.user("branch_a_secretary"))
    # a missing self-evaluation is not a zero: the close waits until it comes or is marked 未参加
    r = client.post(reverse("evaluations:period_close", args=[period.pk]))
    assert r.status_code == 302 and not Rating.objects.exists()
    client.post(reverse("evaluations:absence_mark", args=[period.pk]),
                {"member": world.member_a.pk, "part": "self", "reason": "away", "note": ""})
    r = client.post(reverse("evaluations:period_close", args=[period.pk]))
    assert r.status_code == 302
    rating = Rating.objects.get(member=world.member_a)
    # self-evaluation marked 未参加 and no poll: the organization's 90 alone → 优秀, flagged
    assert rating.weighted_score == Decimal("90.00") and rating.grade == "excellent"
    body = login(world.user("member_a")).get(reverse("evaluations:my_results")).content.decode()
    assert "90.00" in body and "优秀" in body and "缺自评" in body


def test_it_shows_the_grade_distribution_after_close(world, login):
    period = closed_period(world, score="95")
    body = login(world.user("school_a_secretary")).get(period.get_absolute_url()).content.decode()
    assert "等次分布" in body


def test_it_keeps_results_from_other_members(world, login):
    closed_period(world)
    other = add_members(world.branch_a, 1, prefix="同事")[0]
    assert not Rating.objects.filter(member=other).exists()
    body = login(world.user("member_a")).get(reverse("evaluations:my_results")).content.decode()
    assert "同事0" not in body


def test_it_reopens_only_with_a_reason(world, login):
    period = closed_period(world)
    client = login(world.user("branch_a_secretary"))
    client.post(reverse("evaluations:period_reopen", args=[period.pk]), {"reason": "", "until": "2026-03-20"})
    period.refresh_from_db()
    assert not period.is_open
    client.post(reverse("evaluations:period_reopen", args=[period.pk]), {"reason": "补录民意测评", "until": "2026-03-20"})
    period.refresh_from_db()
    body = client.get(period.get_absolute_url()).content.decode()
    assert period.is_open and "补录民意测评" in body and "开放至2026年3月20日" in body


def test_it_saves_the_organizations_own_weights(world, login):
    client = login(world.user("school_a_secretary"))
    data = {"weight_self": "10", "weight_poll": "40", "weight_org": "50", "threshold_excellent": "92",
            "threshold_good": "80", "threshold_fair": "60", "scale_text": "好=100\n一般=70\n差=40"}
    url = reverse("evaluations:settings", args=[world.school_a.pk])
    assert client.post(url, {**data, "fingerprint": hidden_value(client, url)}).status_code == 302
    bad = client.post(url, {**data, "weight_self": "20", "fingerprint": hidden_value(client, url)})
    assert bad.status_code == 400 and "100" in bad.content.decode()
    # the branch inherits the school's settings
    period = closed_period(world, kind=PeriodKind.H1)
    assert Rating.objects.get(period=period).snapshot["weights"] == {"self": 10, "poll": 40, "org": 50}


def test_it_sends_each_member_one_notice_when_results_are_published(world, django_capture_on_commit_callbacks):
    from evaluations import services
    from notifications.models import Notice

    period = open_period(world.branch_a)
    assess_all(period, world.user("branch_a_secretary"))
    excuse_missing(period, world.user("branch_a_secretary"))
    with django_capture_on_commit_callbacks(execute=True):
        services.period_close(period=period, by=world.user("branch_a_secretary"))
    notice = Notice.objects.get(recipient=world.user("member_a"))
    assert "结果已公布" in notice.subject and notice.url == reverse("evaluations:my_results")


def test_it_offers_links_on_the_organization_page_and_in_the_menu(world, login):
    body = login(world.user("branch_a_secretary")).get(reverse("organizations:detail", args=[world.branch_a.pk]))
    assert reverse("evaluations:org_periods", args=[world.branch_a.pk]) in body.content.decode()
    home = login(world.user("member_a")).get("/").content.decode()
    assert reverse("evaluations:my_results") in home


def test_it_assesses_a_page_of_members_at_once(world, login):
    period = open_period(world.branch_a)
    others = add_members(world.branch_a, 2)
    client = login(world.user("branch_a_secretary"))
    url = reverse("evaluations:assess_batch", args=[period.pk])
    data = {f"score_{world.member_a.pk}": "92", f"comment_{world.member_a.pk}": "带头作用明显",
            f"score_{others[0].pk}": "150", f"comment_{others[0].pk}": "分数写错"}
    r = client.post(url, data)
    body = r.content.decode()
    assert r.status_code == 400 and "分数写错" in body and "100" in body
    assert list(Assessment.objects.values_list("member__name", "score")) == [("甲成员", Decimal("92"))]
    data[f"score_{others[0].pk}"] = "85"
    data[f"version_{world.member_a.pk}"] = "1"
    assert client.post(url, data).status_code == 302
    assert Assessment.objects.count() == 2 and Assessment.objects.get(member=world.member_a).version == 1


def test_it_refuses_a_first_assessment_when_someone_saved_one_meanwhile(world, login):
    period = open_period(world.branch_a)
    url = reverse("evaluations:assessment", args=[period.pk, world.member_a.pk])
    Assessment.objects.create(period=period, member=world.member_a, score=80, comment="书记甲", by=world.user("school_a_secretary"))
    r = login(world.user("branch_a_secretary")).post(url, {"score": "60", "comment": "书记乙", "version": ""})
    assert r.status_code == 400 and "已被他人修改" in r.content.decode()
    assert Assessment.objects.get().comment == "书记甲"
