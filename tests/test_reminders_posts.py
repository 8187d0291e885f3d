"""Commitments waiting for approval longer than REMINDER_APPROVAL_WAIT_DAYS."""

import datetime

import pytest
from django.utils import timezone

from notifications.models import Notice
from posts.models import Commitment, CommitmentVersion, Post, PostClaim
from tests.notifications_fixtures import sweep


@pytest.fixture(autouse=True)
def _only_post_rules(monkeypatch, settings):
    import posts.reminders

    settings.REMINDER_APPROVAL_WAIT_DAYS = 3
    monkeypatch.setattr("notifications.sweep.rule_modules", lambda: iter([posts.reminders]))


def _at(day: datetime.date):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))


@pytest.fixture
def commitment(world):
    post = Post.objects.create(organization=world.branch_a, year=2026, name="党员先锋岗", duties="带头上好示范课")
    claim = PostClaim.objects.create(post=post, member=world.member_a)
    c = Commitment.objects.create(
        claim=claim, content="每学期上一节示范课", measurable_result="2节示范课", due_on=datetime.date(2026, 12, 31),
        state="submitted",
    )
    _version(c, 1, datetime.date(2026, 3, 1))
    return c


def _version(c, number, day):
    v = CommitmentVersion.objects.create(
        commitment=c, number=number, aspect=c.aspect, content=c.content, measurable_result=c.measurable_result,
        due_on=c.due_on,
    )
    CommitmentVersion.objects.filter(pk=v.pk).update(submitted_at=_at(day))


def _secretary_notices(world):
    return list(Notice.objects.filter(recipient=world.user("branch_a_secretary")).values_list("subject", flat=True))


def test_it_reminds_the_secretary_once_a_commitment_waited_too_long(world, commitment):
    sweep(datetime.date(2026, 3, 4))
    assert _secretary_notices(world) == []
    sweep(datetime.date(2026, 3, 5))
    sweep(datetime.date(2026, 3, 6))
    assert _secretary_notices(world) == ["甲成员的承诺已等待审核4天"]
    assert not Notice.objects.filter(recipient=world.user("branch_b_secretary")).exists()


def test_it_reminds_again_for_a_resubmitted_version(world, commitment):
    sweep(datetime.date(2026, 3, 5))
    _version(commitment, 2, datetime.date(2026, 3, 10))
    sweep(datetime.date(2026, 3, 12))
    assert len(_secretary_notices(world)) == 1
    sweep(datetime.date(2026, 3, 14))
    assert len(_secretary_notices(world)) == 2


def test_it_says_nothing_of_an_approved_commitment(world, commitment):
    Commitment.objects.filter(pk=commitment.pk).update(state="approved")
    assert sweep(datetime.date(2026, 3, 20)).due == 0
