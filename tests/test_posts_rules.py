"""The rules of 亮岗履职 the server holds, whatever a page offers: nobody approves their own commitment, a full post
takes no more people, a published 未兑现 explanation is not rewritten behind the public's back."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notice
from posts import selectors, services
from posts.enums import Audience, CommitmentState, FulfilmentStatus, RevisionState
from posts.models import Commitment, CommitmentReview, ExplanationRevision, PostClaim
from tests.notifications_fixtures import sweep
from tests.posts_fixtures import approved, make_commitment, make_post
from tests.world import make_member

pytestmark = pytest.mark.django_db

OWN = "不能审核本人的承诺，请由上级党组织审核"


def _text(response) -> str:
    return response.content.decode()


def _secretary_member(world, org, role_name: str, name: str, phone: str):
    """The secretary's own roster record, linked to her login: she claims posts and commits like everyone."""
    return make_member(org, name, phone=phone, user=world.user(role_name))


def _submitted(claim) -> Commitment:
    return services.commitment_submit(commitment=make_commitment(claim), by=claim.member.user)


@pytest.fixture
def own(world):
    """The branch secretary of 甲校第一支部 on a post of her branch, with a commitment submitted for review."""
    member = _secretary_member(world, world.branch_a, "branch_a_secretary", "甲书记", "13900000021")
    claim = services.post_claim(post=make_post(world.branch_a), member=member, by=member.user)
    return _submitted(claim)


# ---- 1. nobody approves their own commitment -------------------------------------------------------------------


def test_it_refuses_the_branch_secretary_approving_her_own_commitment(world, login, own):
    client = login(world.user("branch_a_secretary"))
    version = own.version
    r = client.post(reverse("posts:commitment_approve", args=[own.pk]), {"version": version}, follow=True)
    assert OWN in _text(r)
    own.refresh_from_db()
    assert own.state == CommitmentState.SUBMITTED and own.version == version
    assert not CommitmentReview.objects.exists()


def test_it_refuses_the_author_returning_or_publishing_her_own_commitment(world, login, own):
    client = login(world.user("branch_a_secretary"))
    r = client.post(reverse("posts:commitment_return", args=[own.pk]),
                    {"reason": "我自己退回", "failed": ["feasible"], "version": own.version})
    assert r.status_code == 400 and OWN in _text(r)
    own.refresh_from_db()
    assert own.state == CommitmentState.SUBMITTED and not CommitmentReview.objects.exists()

    services.commitment_approve(commitment=own, by=world.user("school_a_secretary"))
    r = client.post(reverse("posts:commitment_publish", args=[own.pk]), {"audience": Audience.SOCIETY})
    assert r.status_code == 400 and "不能公开本人的承诺" in _text(r)
    own.refresh_from_db()
    assert own.published_at is None and own.audience == ""


def test_it_refuses_self_approval_in_the_service(world, own):
    with pytest.raises(ValidationError) as e:
        services.commitment_approve(commitment=own, by=world.user("branch_a_secretary"))
    assert OWN in e.value.messages
    own.refresh_from_db()
    assert own.state == CommitmentState.SUBMITTED


def test_it_sends_the_branch_secretarys_commitment_to_the_school(world, login, own):
    branch_sec, school_sec = world.user("branch_a_secretary"), world.user("school_a_secretary")
    assert not selectors.can_review(branch_sec, own) and selectors.can_review(school_sec, own)
    # her own queue does not offer it; the school's does
    body = _text(login(branch_sec).get(reverse("posts:org_posts", args=[world.branch_a.pk])))
    assert "待审核的承诺" not in body
    client = login(school_sec)
    body = _text(client.get(reverse("posts:org_posts", args=[world.school_a.pk])))
    assert "待审核的承诺" in body and own.get_absolute_url() in body
    assert 'id="approve"' in _text(client.get(own.get_absolute_url()))
    r = client.post(reverse("posts:commitment_approve", args=[own.pk]), {"version": own.version})
    assert r.status_code == 302
    own.refresh_from_db()
    assert own.state == CommitmentState.APPROVED and own.reviews.get().by == school_sec


def test_it_sends_the_school_secretarys_commitment_to_the_committee_above(world, login):
    member = _secretary_member(world, world.school_a, "school_a_secretary", "甲校书记", "13900000022")
    c = _submitted(services.post_claim(post=make_post(world.school_a), member=member, by=member.user))
    school_sec, county = world.user("school_a_secretary"), world.user("county_a_staff")
    assert not selectors.can_review(school_sec, c)
    assert not selectors.can_review(world.user("branch_a_secretary"), c)
    r = login(school_sec).post(reverse("posts:commitment_approve", args=[c.pk]), {"version": c.version}, follow=True)
    assert OWN in _text(r)
    c.refresh_from_db()
    assert c.state == CommitmentState.SUBMITTED
    client = login(county)
    assert c.get_absolute_url() in _text(client.get(reverse("posts:org_posts", args=[world.county_a.pk])))
    client.post(reverse("posts:commitment_approve", args=[c.pk]), {"version": c.version})
    c.refresh_from_db()
    assert c.state == CommitmentState.APPROVED and c.reviews.get().by == county


def test_it_keeps_the_queue_and_the_rule_the_same(world, own):
    """The queue's SQL filter and can_review agree for every managing user on every submitted commitment."""
    head = _secretary_member(world, world.school_a, "school_a_secretary", "甲校书记", "13900000022")
    school_own = _submitted(services.post_claim(post=make_post(world.school_a), member=head, by=None))
    plain = _submitted(services.post_claim(post=make_post(world.branch_a, "安全监督岗"), member=world.member_a,
                                           by=None))
    for name in ["city_staff", "county_a_staff", "school_a_secretary", "branch_a_secretary", "county_b_staff",
                 "member_a"]:
        user = world.user(name)
        in_queue = set(Commitment.objects.filter(selectors.reviewable_q(user)).values_list("pk", flat=True))
        by_rule = {c.pk for c in (own, school_own, plain) if selectors.can_review(user, c)}
        assert in_queue == by_rule, name
    assert {c.pk for c in selectors.pending_reviews(world.branch_a, world.user("branch_a_secretary"))} == {plain.pk}


def test_it_reminds_the_school_not_the_author(world, own, monkeypatch, settings):
    import posts.reminders

    settings.REMINDER_APPROVAL_WAIT_DAYS = 3
    monkeypatch.setattr("notifications.sweep.rule_modules", lambda: iter([posts.reminders]))
    own.versions.update(submitted_at=timezone.make_aware(datetime.datetime(2026, 3, 1, 10)))
    sweep(datetime.date(2026, 3, 6))
    assert Notice.objects.filter(recipient=world.user("school_a_secretary"), subject__contains="甲书记").exists()
    assert not Notice.objects.filter(recipient=world.user("branch_a_secretary")).exists()


# ---- 2. a full post refuses more claims --------------------------------------------------------------------------


@pytest.fixture
def full_post(world):
    post = make_post(world.branch_a, capacity=1)
    services.post_claim(post=post, member=make_member(world.branch_a, "甲二", phone="13900000011"), by=None)
    return post


def test_it_refuses_a_claim_on_a_full_post(world, login, full_post):
    client = login(world.user("member_a"))
    r = client.post(reverse("posts:post_claim", args=[full_post.pk]), follow=True)
    assert "该岗位已满（1/1），如需增加人数请联系书记调整岗位人数" in _text(r)
    assert full_post.claims.count() == 1 and not PostClaim.objects.filter(member=world.member_a).exists()


def test_it_refuses_the_secretary_assigning_to_a_full_post(world, login, full_post):
    r = login(world.user("branch_a_secretary")).post(reverse("posts:post_assign", args=[full_post.pk]),
                                                     {"member": world.member_a.pk})
    assert r.status_code == 400 and "该岗位已满（1/1）" in _text(r)
    assert full_post.claims.count() == 1


def test_it_lets_the_claim_through_once_the_secretary_raises_the_number(world, login, full_post):
    client = login(world.user("branch_a_secretary"))
    client.post(reverse("posts:post_edit", args=[full_post.pk]),
                {"name": full_post.name, "duties": full_post.duties, "role": full_post.role, "capacity": 2,
                 "version": full_post.version})
    full_post.refresh_from_db()
    assert full_post.capacity == 2
    r = login(world.user("member_a")).post(reverse("posts:post_claim", args=[full_post.pk]))
    assert r.status_code == 302 and full_post.claims.filter(member=world.member_a).exists()


def test_it_counts_neither_withdrawn_claims_nor_members_who_left(world, full_post):
    gone = full_post.claims.get()
    gone.member.is_active = False
    gone.member.save()
    services.post_claim(post=full_post, member=world.member_a, by=None)  # the one who left holds no place
    services.claim_remove(claim=full_post.claims.get(member=world.member_a))
    third = make_member(world.branch_a, "甲三", phone="13900000012")
    services.post_claim(post=full_post, member=third, by=None)  # the withdrawn claim freed the place again
    assert full_post.people_on() == 1


def test_it_shows_old_over_capacity_data_and_refuses_more(world, login, full_post):
    PostClaim.objects.create(post=full_post, member=make_member(world.branch_a, "甲三", phone="13900000012"))
    client = login(world.user("member_a"))
    assert "已满" in _text(client.get(reverse("posts:mine")))
    r = client.post(reverse("posts:post_claim", args=[full_post.pk]), follow=True)
    assert "该岗位已满（2/1）" in _text(r) and full_post.claims.count() == 2
    body = _text(login(world.user("branch_a_secretary")).get(reverse("posts:org_posts", args=[world.branch_a.pk])))
    assert "2/1" in body and "超员" in body


# ---- 3. a published 未兑现 explanation is not rewritten silently --------------------------------------------------

PUBLISHED = "因学校停课，公开课改期"
REWRITTEN = "其实是我忘了"


@pytest.fixture
def explained(world):
    """member_a's commitment, approved and published to society, not fulfilled, the explanation published."""
    claim = services.post_claim(post=make_post(world.branch_a), member=world.member_a, by=None)
    secretary = world.user("branch_a_secretary")
    c = services.commitment_publish(commitment=approved(claim, secretary), audience=Audience.SOCIETY, by=secretary)
    return services.commitment_status_set(commitment=c, status=FulfilmentStatus.NOT_FULFILLED, note="停课",
                                          explanation=PUBLISHED, publish_explanation=True, by=secretary)


def _public(client, world) -> str:
    client.logout()
    return _text(client.get(reverse("targets:public", args=[world.branch_a.pk])))


def _rewrite(client, c, text=REWRITTEN):
    return client.post(reverse("posts:commitment_status", args=[c.pk]),
                       {"status": FulfilmentStatus.NOT_FULFILLED, "note": "停课", "explanation": text,
                        "version": c.version})


def test_it_keeps_the_published_explanation_while_the_members_change_waits(world, login, client, explained):
    published_at = explained.explanation_published_at
    r = _rewrite(login(world.user("member_a")), explained)
    assert r.status_code == 302
    explained.refresh_from_db()
    assert explained.explanation == PUBLISHED and explained.explanation_published_at == published_at
    revision = ExplanationRevision.objects.get()
    assert (revision.state, revision.text, revision.published_text) == (RevisionState.PENDING, REWRITTEN, PUBLISHED)
    public = _public(client, world)
    assert PUBLISHED in public and REWRITTEN not in public


def test_it_updates_the_public_page_once_the_secretary_approves(world, login, client, explained):
    _rewrite(login(world.user("member_a")), explained)
    client = login(world.user("branch_a_secretary"))
    body = _text(client.get(explained.get_absolute_url()))
    assert REWRITTEN in body and 'id="approve-explanation"' in body
    assert REWRITTEN in _text(client.get(reverse("posts:org_posts", args=[world.branch_a.pk])))
    r = client.post(reverse("posts:explanation_approve", args=[explained.pk]))
    assert r.status_code == 302
    public = _public(client, world)
    assert REWRITTEN in public and PUBLISHED not in public
    revision = ExplanationRevision.objects.get()
    assert revision.state == RevisionState.APPROVED and revision.decided_by == world.user("branch_a_secretary")
    assert revision.published_text == PUBLISHED  # what was replaced stays on record


def test_it_returns_the_change_with_a_reason_and_keeps_the_published_text(world, login, client, explained):
    _rewrite(login(world.user("member_a")), explained)
    client = login(world.user("branch_a_secretary"))
    r = client.post(reverse("posts:explanation_return", args=[explained.pk]), {"reason": ""})
    assert r.status_code == 400 and "请填写退回理由" in _text(r)
    assert ExplanationRevision.objects.get().state == RevisionState.PENDING
    client.post(reverse("posts:explanation_return", args=[explained.pk]), {"reason": "与事实不符"})
    assert ExplanationRevision.objects.get().state == RevisionState.RETURNED
    body = _text(login(world.user("member_a")).get(explained.get_absolute_url()))
    assert "与事实不符" in body
    public = _public(client, world)
    assert PUBLISHED in public and REWRITTEN not in public


def test_it_lets_no_member_publish_or_approve_her_own_change(world, login, client, explained):
    member = login(world.user("member_a"))
    _rewrite(member, explained)
    r = member.post(reverse("posts:explanation_approve", args=[explained.pk]))
    assert r.status_code == 403
    explained.refresh_from_db()
    assert explained.explanation == PUBLISHED
    assert ExplanationRevision.objects.get().state == RevisionState.PENDING


def test_it_refuses_the_secretary_approving_the_change_of_her_own_explanation(world, login, client, own):
    school_sec = world.user("school_a_secretary")
    c = services.commitment_approve(commitment=own, by=school_sec)
    c = services.commitment_publish(commitment=c, audience=Audience.SOCIETY, by=school_sec)
    c = services.commitment_status_set(commitment=c, status=FulfilmentStatus.NOT_FULFILLED, note="停课",
                                       explanation=PUBLISHED, publish_explanation=True, by=school_sec)
    author = login(world.user("branch_a_secretary"))
    _rewrite(author, c)
    r = author.post(reverse("posts:explanation_approve", args=[c.pk]), follow=True)
    assert "不能审核本人的说明修改，请由上级党组织审核" in _text(r)
    c.refresh_from_db()
    assert c.explanation == PUBLISHED and ExplanationRevision.objects.get().state == RevisionState.PENDING
    public = _public(client, world)
    assert PUBLISHED in public and REWRITTEN not in public
    login(school_sec).post(reverse("posts:explanation_approve", args=[c.pk]))
    assert REWRITTEN in _public(client, world)


def test_it_lets_a_member_rewrite_an_explanation_nobody_has_published_yet(world, login, explained):
    Commitment.objects.filter(pk=explained.pk).update(explanation_published_at=None)
    explained.refresh_from_db()
    member = login(world.user("member_a"))
    r = member.post(reverse("posts:commitment_status", args=[explained.pk]),
                    {"status": FulfilmentStatus.NOT_FULFILLED, "note": "停课", "explanation": REWRITTEN,
                     "publish_explanation": "on", "version": explained.version})
    assert r.status_code == 302
    explained.refresh_from_db()
    # written at once (nothing public to protect), and still not published: that is the organization's decision
    assert explained.explanation == REWRITTEN and explained.explanation_published_at is None
    assert not ExplanationRevision.objects.filter(~Q(state=RevisionState.SUPERSEDED)).exists()
