"""What the posts services guarantee, and how they refuse (in Chinese)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from posts import services
from posts.enums import Audience, CommitmentState, Criterion, Decision, FulfilmentStatus
from posts.flows import DONE, flow_state
from posts.models import NoticeReceipt, Post
from posts.selectors import commitments_for_member, public_commitments, this_year
from tests.posts_fixtures import approved, make_commitment, make_post, pdf, returned
from tests.world import make_member

pytestmark = pytest.mark.django_db


def _msg(exc) -> str:
    return " ".join(exc.value.messages)


def test_it_refuses_a_second_post_of_the_same_name(world):
    make_post(world.branch_a)
    with pytest.raises(ValidationError) as e:
        make_post(world.branch_a)
    assert "同名岗位" in _msg(e)


def test_it_copies_typical_posts_once(world):
    created = services.posts_copy_typical(organization=world.branch_a, by=None, year=this_year(),
                                          names=["师德标兵岗", "青年导师岗"])
    assert {p.name for p in created} == {"师德标兵岗", "青年导师岗"}
    with pytest.raises(ValidationError) as e:
        services.posts_copy_typical(organization=world.branch_a, by=None, year=this_year(), names=["师德标兵岗"])
    assert "都已设置" in _msg(e)


def test_it_lets_one_person_take_several_posts_and_one_post_several_people(world):
    p1, p2 = make_post(world.branch_a, "党员示范岗", capacity=2), make_post(world.branch_a, "安全监督岗")
    other = make_member(world.branch_a, "甲二", phone="13900000011")
    services.post_claim(post=p1, member=world.member_a, by=None)
    services.post_claim(post=p2, member=world.member_a, by=None)
    services.post_assign(post=p1, member=other, by=world.user("branch_a_secretary"))
    assert p1.claims.count() == 2 and world.member_a.post_claims.count() == 2
    with pytest.raises(ValidationError) as e:
        services.post_claim(post=p1, member=world.member_a, by=None)
    assert "已在该岗位上" in _msg(e)


def test_it_refuses_a_post_of_another_organization(world):
    post = make_post(world.branch_b)
    with pytest.raises(ValidationError) as e:
        services.post_claim(post=post, member=world.member_a, by=None)
    assert "只能认领本组织" in _msg(e)


def test_it_keeps_every_submitted_version_and_the_return_reason(world):
    claim = services.post_claim(post=make_post(world.branch_a), member=world.member_a, by=None)
    secretary = world.user("branch_a_secretary")
    c = returned(claim, secretary, content="第一稿")
    assert c.state == CommitmentState.RETURNED
    review = c.reviews.get()
    assert review.decision == Decision.RETURNED and review.failed_criteria == ["feasible"] and review.reason == "不够具体"
    c = services.commitment_update(commitment=c, version=c.version, aspect="work", content="第二稿",
                                   measurable_result="公开课 2 节", due_on=datetime.date(this_year(), 12, 1))
    c = services.commitment_submit(commitment=c, by=world.member_a.user)
    c = services.commitment_approve(commitment=c, by=secretary)
    assert [v.content for v in c.versions.all()] == ["第一稿", "第二稿"]
    assert c.state == CommitmentState.APPROVED and c.history.count() >= 4


def test_it_requires_reason_and_failed_criterion_to_return(world):
    claim = services.post_claim(post=make_post(world.branch_a), member=world.member_a, by=None)
    c = services.commitment_submit(commitment=make_commitment(claim), by=None)
    with pytest.raises(ValidationError) as e:
        services.commitment_return(commitment=c, by=None, reason=" ", failed=[Criterion.ADVANCED])
    assert "退回理由" in _msg(e)
    with pytest.raises(ValidationError) as e:
        services.commitment_return(commitment=c, by=None, reason="太空泛", failed=[])
    assert "先进性" in _msg(e)


def test_it_refuses_a_stale_version_and_writes_nothing(world):
    claim = services.post_claim(post=make_post(world.branch_a), member=world.member_a, by=None)
    c = make_commitment(claim, "原文")
    services.commitment_update(commitment=c, version=1, aspect="work", content="甲改的", measurable_result="1",
                               due_on=c.due_on)
    with pytest.raises(ValidationError) as e:
        services.commitment_update(commitment=c, version=1, aspect="work", content="乙改的", measurable_result="1",
                                   due_on=c.due_on)
    assert "已被他人修改" in _msg(e)
    c.refresh_from_db()
    assert c.content == "甲改的"


def test_it_refuses_editing_an_approved_commitment(world):
    claim = services.post_claim(post=make_post(world.branch_a), member=world.member_a, by=None)
    c = approved(claim, None)
    with pytest.raises(ValidationError) as e:
        services.commitment_update(commitment=c, version=c.version, aspect="work", content="x", measurable_result="1",
                                   due_on=c.due_on)
    assert "不能修改" in _msg(e)


def test_it_publishes_only_approved_commitments_to_the_public(world):
    claim = services.post_claim(post=make_post(world.branch_a), member=world.member_a, by=None)
    draft = make_commitment(claim, "草稿")
    with pytest.raises(ValidationError) as e:
        services.commitment_publish(commitment=draft, audience=Audience.SOCIETY)
    assert "审核通过" in _msg(e)
    ok = services.commitment_publish(commitment=approved(claim, None, "公开的"), audience=Audience.SOCIETY)
    services.commitment_publish(commitment=approved(claim, None, "党内的"), audience=Audience.MEMBERS)
    assert [c.content for c in public_commitments(world.school_a)] == [ok.content]
    assert list(public_commitments(world.school_b)) == []


def test_it_needs_a_note_for_not_fulfilled_and_publishes_the_explanation(world):
    claim = services.post_claim(post=make_post(world.branch_a), member=world.member_a, by=None)
    c = services.commitment_publish(commitment=approved(claim, None), audience=Audience.SOCIETY)
    with pytest.raises(ValidationError) as e:
        services.commitment_status_set(commitment=c, status=FulfilmentStatus.NOT_FULFILLED, note="")
    assert "说明情况" in _msg(e)
    c = services.commitment_status_set(commitment=c, status=FulfilmentStatus.NOT_FULFILLED, note="停课",
                                       explanation="因疫情停课，公开课未能开设", publish_explanation=True)
    assert c.explanation_published_at is not None
    assert public_commitments(world.branch_a).get().explanation.startswith("因疫情")


def test_it_logs_duty_with_evidence_only_on_approved_commitments(world):
    claim = services.post_claim(post=make_post(world.branch_a), member=world.member_a, by=None)
    with pytest.raises(ValidationError) as e:
        services.duty_log_add(commitment=make_commitment(claim), by=None, happened_on=datetime.date.today(),
                              content="x")
    assert "审核通过后" in _msg(e)
    c = approved(claim, None)
    entry = services.duty_log_add(commitment=c, by=None, happened_on=datetime.date.today(), content="上课",
                                  files=[pdf("a.pdf"), pdf("b.pdf")])
    assert entry.evidence.count() == 2
    bad = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError):
        services.duty_log_add(commitment=c, by=None, happened_on=datetime.date.today(), content="x", files=[bad])
    with pytest.raises(ValidationError) as e:
        services.duty_log_add(commitment=c, by=None, happened_on=datetime.date.today() + datetime.timedelta(days=3),
                              content="x")
    assert "晚于今天" in _msg(e)


def test_it_keeps_one_duty_report_per_period(world):
    r1 = services.duty_report_save(member=world.member_a, year=2026, period="h1", text="上半年")
    r2 = services.duty_report_save(member=world.member_a, year=2026, period="h1", text="上半年（改）", file=pdf())
    assert r1.pk == r2.pk and r2.text == "上半年（改）" and r2.file_name == "evidence.pdf"
    with pytest.raises(ValidationError):
        services.duty_report_save(member=world.member_a, year=2026, period="year", text="  ")


def test_it_issues_notices_with_receipts_and_marks_them_read(world):
    make_member(world.branch_a, "甲二", phone="13900000011")
    notice = services.notice_issue(organization=world.branch_a, by=None, title="通报", body="内容")
    assert notice.receipts.count() == 2
    services.notice_read(notice=notice, member=world.member_a)
    assert NoticeReceipt.objects.filter(notice=notice, read_at__isnull=False).count() == 1


def test_it_refuses_removing_a_claim_with_submitted_commitments(world):
    claim = services.post_claim(post=make_post(world.branch_a), member=world.member_a, by=None)
    services.commitment_submit(commitment=make_commitment(claim), by=None)
    with pytest.raises(ValidationError) as e:
        services.claim_remove(claim=claim)
    assert "不能撤销" in _msg(e)
    with pytest.raises(ValidationError):
        services.post_delete(post=claim.post)
    assert Post.objects.filter(pk=claim.post.pk).exists()


def test_it_follows_the_member_through_the_six_sub_steps(world):
    from decimal import Decimal
    from unittest.mock import patch

    from django.utils import timezone

    from evaluations import services as ev
    from evaluations.enums import AwardLevel, AwardTitle, PeriodKind

    year, member = this_year(), world.member_a
    secretary, school = world.user("branch_a_secretary"), world.user("school_a_secretary")

    def steps():
        return {s.key: s for s in flow_state(member, year)}

    # mid-December: the year-end window and the award round are open
    moment = timezone.make_aware(datetime.datetime(year, 12, 15, 10))
    with patch("django.utils.timezone.now", return_value=moment):
        listed = flow_state(member, year)
        assert [s.label for s in listed] == ["按需设岗", "因人择岗", "承诺亮岗", "组织履岗", "科学评岗", "奖惩促岗"]
        assert listed[0].current
        claim = services.post_claim(post=make_post(world.branch_a), member=member, by=None)
        c = services.commitment_publish(commitment=approved(claim, secretary), audience=Audience.MASSES)
        s = steps()
        assert s["set"].done and s["choose"].done and s["commit"].done and s["perform"].current
        assert list(commitments_for_member(member, year)) == list(claim.commitments.all())
        services.duty_log_add(commitment=c, by=member.user, happened_on=moment.date(), content="上公开课", files=[])
        services.duty_report_save(member=member, year=year, period="year", text="全年述职", file=None)
        assert steps()["perform"].done and steps()["evaluate"].current
        period = ev.period_create(organization=world.branch_a, year=year, kind=PeriodKind.YEAR)
        ev.self_evaluation_save(period=period, member=member, summary="全年履岗总结", score=Decimal("95"))
        ev.assessment_save(period=period, member=member, score=Decimal("95"), comment="履岗认真", by=secretary)
        rnd = ev.award_round_create(
            organization=world.school_a, by=school, year=year, title=AwardTitle.EXCELLENT_MEMBER,
            level=AwardLevel.SCHOOL, submit_from=moment.date(), submit_until=moment.date(),
            review_until=datetime.date(year, 12, 31), quota=1,
        )
        nomination = ev.nomination_submit(round=rnd, member=member, deeds="带头上示范课", by=secretary)
        assert not steps()["evaluate"].done and not steps()["reward"].done
        ev.period_close(period=period, by=school)
        assert steps()["evaluate"].done and steps()["reward"].current  # the nomination still awaits its decision
        ev.nomination_review(nomination=nomination, endorse=True, note="", by=school)
        s = steps()
        assert s["reward"].done and "优秀共产党员" in s["reward"].why
        assert all(step.state == DONE for step in s.values())


def test_it_tells_the_member_when_returned_or_approved(world):
    from notifications.models import Notice as InboxNotice

    claim = services.post_claim(post=make_post(world.branch_a), member=world.member_a, by=None)
    returned(claim, None)
    approved(claim, None, "第二项")
    subjects = list(InboxNotice.objects.filter(recipient=world.member_a.user).values_list("subject", flat=True))
    assert "你的承诺被退回修改" in subjects and "你的承诺已审核通过" in subjects
    services.notice_issue(organization=world.branch_a, by=None, title="通报", body="内容")
    assert InboxNotice.objects.filter(recipient=world.member_a.user, subject="情况通报：通报").count() == 1


def test_it_sums_up_the_organizations_fulfilment(world):
    from posts.selectors import fulfilment_summary, summary_text

    claim = services.post_claim(post=make_post(world.branch_a), member=world.member_a, by=None)
    c = services.commitment_publish(commitment=approved(claim, None), audience=Audience.SOCIETY)
    services.commitment_status_set(commitment=c, status=FulfilmentStatus.FULFILLED, note="完成")
    returned(claim, None)
    make_commitment(claim)
    s = fulfilment_summary(world.school_a, this_year())
    assert (s["posts"], s["people"], s["total"], s["approved"], s["returned"], s["published"], s["fulfilled"]) == (
        1, 1, 3, 1, 1, 1, 1)
    assert "设岗1个，1人认岗；作出承诺3项" in summary_text(s)
    assert fulfilment_summary(world.school_b, this_year())["total"] == 0


def test_the_public_sees_this_years_commitments_until_1_january(world):
    year = this_year()
    now = services.commitment_publish(
        commitment=approved(services.post_claim(post=make_post(world.branch_a), member=world.member_a, by=None), None,
                            "今年的承诺"),
        audience=Audience.SOCIETY,
    )
    claim = services.post_claim(post=make_post(world.branch_a, "明年的岗", year=year + 1), member=world.member_a,
                                by=None)
    c = make_commitment(claim, "明年的承诺", due_on=datetime.date(year + 1, 12, 31))
    c = services.commitment_approve(commitment=services.commitment_submit(commitment=c, by=world.member_a.user),
                                    by=None)
    services.commitment_publish(commitment=c, audience=Audience.SOCIETY)

    shown = lambda day: [x.content for x in public_commitments(world.school_a, today=day)]  # noqa: E731
    assert shown(datetime.date(year, 12, 31)) == [now.content]
    assert shown(datetime.date(year + 1, 1, 1)) == ["明年的承诺"]
    # before anything of its year or earlier was published, the earliest published year shows
    assert shown(datetime.date(year - 1, 12, 1)) == [now.content]
