"""Query budgets: the posts lists cost the same at 10 and at 200 rows."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from organizations.models import Member
from posts.enums import CommitmentState
from posts.models import Commitment, DutyLogEntry, Notice, NoticeReceipt, Post, PostClaim
from posts.selectors import this_year
from tests.budget import assert_flat_queries

pytestmark = pytest.mark.django_db


def _members(branch, n):
    have = Member.objects.filter(organization=branch).count()
    Member.objects.bulk_create(
        [Member(organization=branch, name=f"成员{i}", gender="male") for i in range(have, n)]
    )


def _posts(branch, n):
    have = Post.objects.filter(organization=branch).count()
    Post.objects.bulk_create(
        [Post(organization=branch, year=this_year(), name=f"岗位{i}", duties="职责") for i in range(have, n)]
    )


def test_it_keeps_the_posts_list_flat(world, login):
    branch = world.branch_a
    _members(branch, 5)

    def grow(n):
        _posts(branch, n)
        members = list(Member.objects.filter(organization=branch))
        for post in Post.objects.filter(organization=branch, claims=None):
            PostClaim.objects.bulk_create([PostClaim(post=post, member=m) for m in members[:2]])
        Commitment.objects.bulk_create(
            [Commitment(claim=c, content="c", measurable_result="r", due_on=datetime.date(this_year(), 12, 1),
                        state=CommitmentState.SUBMITTED) for c in PostClaim.objects.filter(commitments=None)[:n]]
        )

    client = login(world.user("branch_a_secretary"))
    print("queries", assert_flat_queries(client, reverse("posts:org_posts", args=[branch.pk]), grow_to=grow, budget=20))


def test_it_keeps_annex2_flat(world, login):
    branch = world.branch_a
    post = Post.objects.create(organization=branch, year=this_year(), name="岗位", duties="职责", capacity=500)

    def grow(n):
        _members(branch, n)
        claims = PostClaim.objects.bulk_create(
            [PostClaim(post=post, member=m) for m in Member.objects.filter(organization=branch, post_claims=None)]
        )
        Commitment.objects.bulk_create(
            [Commitment(claim=c, content="c", measurable_result="r", due_on=datetime.date(this_year(), 12, 1))
             for c in claims]
        )

    client = login(world.user("branch_a_secretary"))
    print("queries", assert_flat_queries(client, reverse("posts:annex2", args=[branch.pk]), grow_to=grow, budget=20))


def test_it_keeps_my_posts_flat(world, login):
    member = world.member_a

    def grow(n):
        _posts(world.branch_a, n)
        for post in Post.objects.filter(organization=world.branch_a, claims=None)[: max(0, n // 2)]:
            c = PostClaim.objects.create(post=post, member=member)
            cm = Commitment.objects.create(claim=c, content="c", measurable_result="r", state=CommitmentState.APPROVED,
                                           due_on=datetime.date.today())
            DutyLogEntry.objects.create(commitment=cm, happened_on=datetime.date.today(), content="x")

    client = login(world.user("member_a"))
    print("queries", assert_flat_queries(client, reverse("posts:mine"), grow_to=grow, budget=25))


def test_it_keeps_the_notices_list_flat(world, login):
    branch = world.branch_a

    def grow(n):
        have = Notice.objects.filter(organization=branch).count()
        notices = Notice.objects.bulk_create([Notice(organization=branch, title=f"通报{i}", body="b")
                                              for i in range(have, n)])
        NoticeReceipt.objects.bulk_create([NoticeReceipt(notice=x, member=world.member_a) for x in notices])

    client = login(world.user("branch_a_secretary"))
    print("queries", assert_flat_queries(client, reverse("posts:notices", args=[branch.pk]), grow_to=grow, budget=15))


def test_it_keeps_the_duty_reports_overview_flat(world, login):
    from posts.models import DutyReport

    branch = world.branch_a

    def grow(n):
        _members(branch, n)
        DutyReport.objects.bulk_create([DutyReport(member=m, year=this_year(), period="year", text="述职")
                                        for m in Member.objects.filter(organization=branch, duty_reports=None)])

    client = login(world.user("branch_a_secretary"))
    url = reverse("posts:reports", args=[branch.pk]) + f"?year={this_year()}&period=year"
    print("queries", assert_flat_queries(client, url, grow_to=grow, budget=15))
